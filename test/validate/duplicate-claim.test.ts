import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect, test } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { generateSampleExport } from '../../src/generate/sample-export.js';
import { silentLogger } from '../../src/log/logger.js';
import { runPipeline } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli, writeTestConfig } from '../helpers/cli.js';
import { csvCell } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';

test('a claim exported again under another encounter id is held as a duplicate of the one billed', async () => {
  const dir = tempDir('nightcode-duplicate-');
  const exportDir = join(dir, 'export');
  await generateSampleExport({ outDir: exportDir, encounters: 16, seed: 21, kind: 'professional', businessDate: '2026-11-27', brokenRate: 0 });
  const config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 4 } });
  const pipeline = loadPipeline('pipelines/nightly-csv.json');
  const log = silentLogger();
  const first = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log });
  const claims = readFileSync(join(first.outDir, 'claims.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { encounterId: string; claimId: string });
  const original = claims[0]!;

  // The same visit again, as E9999999, after every other record (so in a later chunk).
  const copy = join(dir, 'export-again');
  cpSync(exportDir, copy, { recursive: true });
  for (const file of ['encounters.csv', 'diagnoses.csv', 'charges.csv', 'notes.csv']) {
    const rows = parse(readFileSync(join(exportDir, file), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    const mine = rows.filter((r) => r.EncounterID === original.encounterId);
    const header = Object.keys(rows[0]!);
    const text = mine.map((r) => `${header.map((h) => csvCell(h === 'EncounterID' ? 'E9999999' : h === 'NoteID' ? `${r[h]}-again` : r[h]!)).join(',')}\r\n`).join('');
    appendFileSync(join(copy, file), text);
  }
  const again = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: copy, log, force: true });
  const rows = readFileSync(join(again.outDir, 'exceptions.csv'), 'utf8').split('\r\n').filter((l) => l.includes(',E9999999,'));
  // The forced re-run bills the original again tonight, in an earlier chunk: the copy is its duplicate
  // of the night (found in processing order, whichever chunks were committed while it was coded).
  expect(rows.find((r) => r.includes(',EDIT_DUPLICATE_CLAIM,'))).toMatch(new RegExp(`of encounter ${original.encounterId}, released earlier tonight`));
  // The original, billed again by the forced re-run of the night, is not a duplicate of the superseded run's claim.
  expect(readFileSync(join(again.outDir, 'exceptions.csv'), 'utf8')).not.toMatch(new RegExp(`,${original.encounterId},[^\\r\\n]*EDIT_DUPLICATE_CLAIM`));
  const db = openDatabase(config.database);
  const fp = db.prepare("SELECT count(*) AS n FROM claim_fingerprints WHERE encounter_id = ?").get(original.encounterId) as { n: number };
  expect(fp.n).toBe(1);
  db.close();
}, 120_000);

test('the same claim twice in one night, in one chunk, is billed once: the second is held as its duplicate', async () => {
  const dir = tempDir('nightcode-duplicate-night-');
  const exportDir = join(dir, 'export');
  await generateSampleExport({ outDir: exportDir, encounters: 12, seed: 22, kind: 'professional', businessDate: '2026-11-27', brokenRate: 0 });
  const source = (parse(readFileSync(join(exportDir, 'encounters.csv'), 'utf8'), { columns: true, bom: true }) as Record<string, string>[])[2]!.EncounterID!;
  for (const file of ['encounters.csv', 'diagnoses.csv', 'charges.csv', 'notes.csv']) {
    const rows = parse(readFileSync(join(exportDir, file), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    const header = Object.keys(rows[0]!);
    const mine = rows.filter((r) => r.EncounterID === source);
    appendFileSync(join(exportDir, file), mine.map((r) => `${header.map((h) => csvCell(h === 'EncounterID' ? 'E7777777' : h === 'NoteID' ? `${r[h]}-b` : r[h]!)).join(',')}\r\n`).join(''));
  }
  // One chunk holds the whole night: the two copies are processed side by side.
  const config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 2, chunkSize: 100 } });
  const s = await runPipeline({ config, pipeline: loadPipeline('pipelines/nightly-csv.json'), businessDate: '2026-11-27', inputDir: exportDir, log: silentLogger() });
  expect(s.reconciled).toBe(true);
  const claims = readFileSync(join(s.outDir, 'claims.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { encounterId: string; claimId: string });
  const released = claims.filter((c) => c.encounterId === source || c.encounterId === 'E7777777');
  expect(released.map((c) => c.encounterId)).toEqual([source]);
  const held = (parse(readFileSync(join(s.outDir, 'exceptions.csv'), 'utf8'), { columns: true, bom: true }) as Record<string, string>[])
    .filter((r) => r.code === 'EDIT_DUPLICATE_CLAIM');
  expect(held.map((r) => [r.encounter_id, r.record_state, r.severity])).toEqual([['E7777777', 'exception', 'error']]);
  expect(held[0]!.message).toBe(`same patient, payer, dates and services as claim ${released[0]!.claimId} of encounter ${source}, released earlier tonight`);
}, 120_000);

test('claims billed in an earlier night under other encounters are held alike on worker threads (the main thread looks them up) and inline', async () => {
  const dir = tempDir('nightcode-duplicate-ledger-');
  const exportDir = join(dir, 'export');
  await generateSampleExport({ outDir: exportDir, encounters: 24, seed: 33, kind: 'mixed', businessDate: '2026-11-27', brokenRate: 0 });
  // Night 2 sends half the encounters of night 1 again under new ids: each of their claims duplicates one billed last night.
  const renamed = join(dir, 'export-renamed');
  mkdirSync(renamed, { recursive: true });
  for (const f of readdirSync(exportDir)) writeFileSync(join(renamed, f), readFileSync(join(exportDir, f), 'utf8').replace(/\bE(\d{6}[02468])\b/g, 'X$1'));
  // The built CLI: worker threads run from the build (under vitest's sources the pool runs inline).
  const nights = (name: string, workers: number) => {
    const config = writeTestConfig(join(dir, name), { run: { workers, chunkSize: 8 } });
    for (const [date, input] of [['2026-11-27', exportDir], ['2026-11-28', renamed]] as const) {
      const r = runCli(['--config', config, 'run', '--date', date, '--input', input, '--json']);
      expect(r.code, r.stderr).toBe(0);
    }
    const out = join(dir, name, 'out', 'nightly-csv', '2026-11-28');
    return { exceptions: readFileSync(join(out, 'exceptions.csv'), 'utf8'), claims: readFileSync(join(out, 'claims.jsonl'), 'utf8') };
  };
  const threads = nights('threads', 2);
  const inline = nights('inline', 0);
  const held = threads.exceptions.split('\r\n').filter((l) => l.includes(',EDIT_DUPLICATE_CLAIM,'));
  expect(held.length).toBeGreaterThanOrEqual(6);
  for (const row of held) expect(row).toMatch(/,X\d{7},.*already billed for encounter E\d{7}/);
  expect(threads.exceptions).toBe(inline.exceptions);
  expect(threads.claims).toBe(inline.claims);
}, 120_000);
