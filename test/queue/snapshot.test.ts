import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { NightcodeError } from '../../src/contract/errors.js';
import { buildId, chunkJobId, type ChunkJob } from '../../src/queue/chunk-job.js';
import { parseQueueUrl } from '../../src/queue/queue-url.js';
import { buildSnapshot, REFERENCE_TABLES, RUN_DATA_TABLES, sha256File } from '../../src/queue/snapshot.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-snapshot-');

describe('the reference snapshot queue workers code with', () => {
  test('every table of the schema is either reference data (in the snapshot) or run data (never in it)', () => {
    const db = openDatabase(':memory:');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    db.close();
    const classified = [...REFERENCE_TABLES, ...RUN_DATA_TABLES] as string[];
    expect(tables.filter((t) => !classified.includes(t)), 'a new table must be classified in src/queue/snapshot.ts').toEqual([]);
    expect(REFERENCE_TABLES.filter((t) => (RUN_DATA_TABLES as readonly string[]).includes(t))).toEqual([]);
  });

  test('holds the reference tables with their rows and indexes, no run data; the same library gives the same bytes and name', () => {
    const file = join(dir, 'repo.db');
    const db = openDatabase(file);
    db.prepare("INSERT INTO codeset_versions (system, version, effective_from, effective_to, sources, imported_at, codes, billable) VALUES ('ICD-10-CM', 'FY2026', '2025-10-01', '2026-09-30', 'test', '2026-01-01', 0, 0)").run();
    db.prepare("INSERT INTO ledger (source, encounter_id, last_hash, last_state, last_run_id, claim_version, updated_at) VALUES ('ehr', 'E1', 'h', 'released', 1, 1, '2026-01-01')").run();
    db.prepare("INSERT INTO claim_fingerprints (fingerprint, source, encounter_id, claim_id, run_id) VALUES ('f', 'ehr', 'E1', 'C1', 1)").run();
    const a = buildSnapshot(db, join(dir, 'snaps'));
    const b = buildSnapshot(db, join(dir, 'snaps'));
    db.close();
    expect(b.sha256).toBe(a.sha256);
    expect(a.file).toBe(join(dir, 'snaps', `${a.sha256}.db`));
    expect(sha256File(a.file)).toBe(a.sha256);
    expect(a.bytes).toBe(readFileSync(a.file).length);
    const snap = new Database(a.file, { readonly: true });
    try {
      const tables = (snap.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      expect(tables.filter((t) => (RUN_DATA_TABLES as readonly string[]).includes(t))).toEqual([]);
      expect(snap.prepare('SELECT version FROM codeset_versions').all()).toEqual([{ version: 'FY2026' }]);
      const indexes = (snap.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string }[]).map((i) => i.name);
      expect(indexes).toContain('ptp_column2');
      expect(a.schema).toBe((snap.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v);
    } finally {
      snap.close();
    }
  });
});

describe('queue URLs and job ids', () => {
  test('redis:// URLs only, the password never printed', () => {
    expect(parseQueueUrl('redis://127.0.0.1:6379/2')).toEqual({ url: 'redis://127.0.0.1:6379/2', redacted: 'redis://127.0.0.1:6379/2' });
    expect(parseQueueUrl('rediss://coder:s3cret@queue.example:6380').redacted).toBe('rediss://coder:***@queue.example:6380');
    expect(() => parseQueueUrl('http://queue:6379')).toThrow(/--queue must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => parseQueueUrl('redis://queue:6379/x')).toThrow(/database "x" is not a number/);
    expect(() => parseQueueUrl('queue:6379', 'run.queue')).toThrow(NightcodeError);
  });

  test('a chunk keeps its job id across coordinator executions; changed input gets a new one', () => {
    const job = (bases: ChunkJob['task']['bases']): ChunkJob => ({
      v: 1, build: buildId(), snapshot: 'a'.repeat(64), schema: 14, runId: 3, first: 1, last: 2,
      task: { ctx: { runId: 3, businessDate: '2026-11-27', sourceSystem: 'ehr', defaultKind: 'professional', mapping: {} as never, validate: { businessDate: '2026-11-27', payerIds: [], autoReleaseConfidence: 0.8 }, database: '' }, bundles: [], bases },
    });
    expect(chunkJobId(job([null]))).toBe(chunkJobId(job([null])));
    expect(chunkJobId(job([null]))).toMatch(/^run3-1-2-[0-9a-f]{16}$/);
    expect(chunkJobId(job([{ source: 'ehr', encounter_id: 'E1' } as never]))).not.toBe(chunkJobId(job([null])));
    expect(buildId()).toMatch(/^[0-9a-f]{16}$/);
  });
});
