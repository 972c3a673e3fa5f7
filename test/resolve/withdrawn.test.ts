import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { CANONICAL_MAPPING, configSchema } from '../../src/config/schema.js';
import type { NightcodeError } from '../../src/contract/errors.js';
import type { ClaimRecord } from '../../src/emit/claims/claim-record.js';
import { generateSampleExport } from '../../src/generate/sample-export.js';
import { silentLogger } from '../../src/log/logger.js';
import { applyResolutions } from '../../src/resolve/apply-resolutions.js';
import { readResolutionsFile } from '../../src/resolve/resolutions-file.js';
import { runPipeline } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { readCsv, rewriteExport } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';

/** The export with a Status column on encounters.csv: "final", or "cancelled" for the given ids. */
const withStatus = (from: string, to: string, cancelled: ReadonlySet<string>) =>
  rewriteExport(from, to, { editEncounter: (r) => ({ ...r, Status: cancelled.has(r.EncounterID!) ? 'cancelled' : 'final' }) });

test('FHIR cancelled and entered-in-error encounters are withdrawn by the default status values', () => {
  expect(['cancelled', 'entered-in-error', 'finished', 'in-progress'].map((s) => CANONICAL_MAPPING.values.encounterStatus[s])).toEqual(['withdrawn', 'withdrawn', 'active', 'active']);
});

test('an encounter the source withdraws: never billed, it is closed; billed, it is held until staff void it, and the void goes out', async () => {
  const dir = tempDir('nightcode-withdrawn-');
  const mapping = JSON.parse(readFileSync('config/mappings/sample-csv.json', 'utf8')) as { files: { encounters: { columns: Record<string, string> } } };
  mapping.files.encounters.columns.status = 'Status';
  writeFileSync(join(dir, 'mapping.json'), JSON.stringify(mapping));
  writeFileSync(join(dir, 'pipeline.json'), JSON.stringify({ name: 'withdrawals', sourceSystem: 'ehr', format: 'csv', input: 'export', mapping: 'mapping.json', defaultKind: 'professional' }));
  const pipeline = loadPipeline(join(dir, 'pipeline.json'));
  const config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 16 } });
  const log = silentLogger();
  const raw = join(dir, 'raw');
  await generateSampleExport({ outDir: raw, encounters: 60, seed: 5, kind: 'professional', businessDate: '2026-11-27', brokenRate: 0 });
  const night1 = join(dir, 'night1');
  withStatus(raw, night1, new Set());
  const first = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: night1, log });
  const billed = (readFileSync(join(first.outDir, 'claims.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ClaimRecord))[0]!;
  const heldEnc = readCsv(join(first.outDir, 'exceptions.csv')).find((r) => r.record_state === 'exception')!.encounter_id!;

  const night2 = join(dir, 'night2');
  withStatus(raw, night2, new Set([billed.encounterId, heldEnc]));
  const second = await runPipeline({ config, pipeline, businessDate: '2026-11-28', inputDir: night2, log });
  // Every other billed encounter is unchanged (the status column did not move content
  // hashes); the held ones are held again, but for the withdrawn one, and the billed
  // withdrawn one is held.
  expect(second.counts).toEqual({ input: first.counts.input, released: 0, exception: first.counts.exception, quarantined: 0, unchanged: first.counts.released });
  const db = openDatabase(config.database);
  const state = (run: number, enc: string) => (db.prepare('SELECT state FROM run_records WHERE run_id = ? AND encounter_id = ?').get(run, enc) as { state: string }).state;
  expect(state(second.runId, heldEnc)).toBe('unchanged');
  expect(db.prepare('SELECT last_state, billed_claim_id FROM ledger WHERE encounter_id = ?').get(heldEnc)).toEqual({ last_state: 'voided', billed_claim_id: null });
  const rows2 = readCsv(join(second.outDir, 'exceptions.csv'));
  expect(rows2.filter((r) => r.encounter_id === heldEnc)).toEqual([]); // its old findings closed, not carried over
  const withdrawn = rows2.filter((r) => r.encounter_id === billed.encounterId && r.code === 'INGEST_ENCOUNTER_WITHDRAWN');
  expect(withdrawn).toHaveLength(1);
  expect(withdrawn[0]).toMatchObject({ severity: 'error', record_state: 'exception', source_file: 'encounters.csv', source_path: 'status', action: 'review' });
  expect(withdrawn[0]!.message).toContain(`after claim ${billed.claimId} was billed`);

  // Release is refused for a withdrawal; void is taken.
  const answer = (action: string) => {
    const f = join(dir, `${action}.csv`);
    writeFileSync(f, `exception_id,action,codes,note,user\n${withdrawn[0]!.exception_id},${action},,,ops\n`);
    return readResolutionsFile(f);
  };
  let refused: NightcodeError | undefined;
  try {
    applyResolutions(db, answer('release'));
  } catch (err) {
    refused = err as NightcodeError;
  }
  expect(refused?.details).toEqual([expect.stringMatching(/^line 2: EX[0-9A-F]{16}: the source withdrew encounter .* answer void/)]);
  expect(applyResolutions(db, answer('void'))).toMatchObject({ applied: 1, toVoid: 1 });
  db.close();

  const third = await runPipeline({ config, pipeline, businessDate: '2026-11-29', inputDir: night2, log });
  expect(third.resolved).toEqual({ released: 0, voided: 1, voidClaims: 1 });
  const sent = readFileSync(join(third.outDir, 'claims.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ClaimRecord);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ encounterId: billed.encounterId, frequency: '8', originalClaimId: billed.claimId, totalCharge: billed.totalCharge });
  expect(third.counts).toEqual({ input: first.counts.input, released: 0, exception: first.counts.exception - 1, quarantined: 0, unchanged: first.counts.released + 1 });
}, 120_000);
