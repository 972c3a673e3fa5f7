import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { RunRepository, type RecordOutcome } from '../../src/run/run-repository.js';

/**
 * Schema 17 rebuilds run_records and exceptions as rowid tables. A repository written by an
 * earlier nightcode keeps every row, key and index, and goes on taking commits.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function outcome(seq: number, state: RecordOutcome['state'], exceptionIds: string[]): RecordOutcome {
  return {
    seq, source: 'EHR', encounterId: `E${seq}`, contentHash: `h${seq}`, state, claimId: `C${seq}`, frequency: '1', confidence: 0.5,
    payload: JSON.stringify({ claimId: `C${seq}`, note: 'x'.repeat(2000) }),
    exceptions: exceptionIds.map((id) => ({
      exceptionId: id, runId: 0, businessDate: '2026-11-27', source: 'EHR', encounterId: `E${seq}`, recordState: state,
      code: 'CODE_X', severity: 'error', stage: 'validate', message: `finding ${id}`, evidence: 'e'.repeat(300),
    })),
  } as RecordOutcome;
}

const dump = (db: ReturnType<typeof openDatabase>) => ({
  records: db.prepare('SELECT * FROM run_records ORDER BY run_id, seq').all(),
  exceptions: db.prepare('SELECT * FROM exceptions ORDER BY run_id, exception_id').all(),
});

describe('schema 17: run records and exceptions as rowid tables', () => {
  it('keeps every row, key and index of a repository written before it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightcode-rowid-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const old = openDatabase(file, MIGRATIONS.filter((m) => m.version < 17));
    const oldRepo = new RunRepository(old);
    const run = oldRepo.createRun('p', '2026-11-27', dir, dir, false);
    oldRepo.startStep(run.id, 'process');
    oldRepo.commitChunk(run.id, [outcome(1, 'released', ['EXB']), outcome(2, 'exception', ['EXZ', 'EXA']), outcome(3, 'released', [])], 3, 'test');
    const withoutRowid = (db: typeof old, table: string) => /WITHOUT ROWID/i.test((db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(table) as { sql: string }).sql);
    expect(withoutRowid(old, 'run_records')).toBe(true);
    const before = dump(old);
    old.close();

    const db = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 17));
    expect(withoutRowid(db, 'run_records')).toBe(false);
    expect(withoutRowid(db, 'exceptions')).toBe(false);
    expect(dump(db)).toEqual(before);
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('run_records', 'exceptions') AND sql IS NOT NULL ORDER BY name").pluck().all());
    expect(indexes).toEqual(['exceptions_key', 'run_records_encounter']);
    // The keys hold: a record's (run, seq) once, a finding's (run, id) once.
    expect(() => db.prepare("INSERT INTO run_records (run_id, seq, source, encounter_id, state) VALUES (?, 1, 'EHR', 'E9', 'released')").run(run.id)).toThrow(/UNIQUE/);
    const repo = new RunRepository(db);
    repo.commitChunk(run.id, [outcome(4, 'exception', ['EXA2'])], 4, 'test');
    expect(dump(db).records).toHaveLength(4);
    expect((dump(db).exceptions as { exception_id: string }[]).map((e) => e.exception_id)).toEqual(['EXA', 'EXA2', 'EXB', 'EXZ']);
    db.close();
  });
});
