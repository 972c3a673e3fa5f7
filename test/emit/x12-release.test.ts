import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import type { ClaimRecord } from '../../src/emit/claims/claim-record.js';
import { createX12Checker } from '../../src/emit/x12/x12-check.js';
import { generateSampleExport } from '../../src/generate/sample-export.js';
import { silentLogger } from '../../src/log/logger.js';
import { applyResolutions } from '../../src/resolve/apply-resolutions.js';
import { readResolutionsFile } from '../../src/resolve/resolutions-file.js';
import { runPipeline } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { readCsv } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';

test('a claim file that fails its self-check is not released: its claims become exceptions and go out the next night', async () => {
  const dir = tempDir('nightcode-x12-release-');
  const exportDir = join(dir, 'export');
  await generateSampleExport({ outDir: exportDir, encounters: 60, seed: 8, kind: 'professional', businessDate: '2026-11-27', brokenRate: 0 });
  const config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 16 } });
  const pipeline = loadPipeline('pipelines/nightly-csv.json');
  const log = silentLogger();
  // A defect only in the first receiver's file (by name order), as a writer bug would cause.
  let failing: string | undefined;
  const x12Check = () => {
    const real = createX12Checker();
    let head = '';
    return {
      push(text: string) {
        if (head.length < 106) head += text;
        real.push(text);
      },
      finish() {
        const receiver = head.split('~')[0]!.split('*')[8]!.trim();
        failing ??= receiver;
        return receiver === failing ? [{ segment: 2, message: 'injected defect' }, ...real.finish()] : real.finish();
      },
    };
  };
  const first = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log, x12Check });
  expect(first.status).toBe('completed');
  const manifest = JSON.parse(readFileSync(join(first.outDir, 'manifest.json'), 'utf8')) as {
    counts: typeof first.counts; notReleased: { name: string; claims: number; problems: string[] }[]; claimFiles: { name: string }[];
  };
  expect(manifest.notReleased).toHaveLength(1);
  const bad = manifest.notReleased[0]!;
  expect(bad.problems).toEqual(['segment 2: injected defect']);
  expect(existsSync(join(first.outDir, bad.name))).toBe(false);
  expect(manifest.claimFiles.map((f) => f.name)).not.toContain(bad.name);
  const rows = readCsv(join(first.outDir, 'exceptions.csv'));
  const held = rows.filter((r) => r.code === 'EMIT_X12_SELF_CHECK');
  expect(held).toHaveLength(bad.claims);
  expect(held.every((r) => r.record_state === 'exception' && r.status === 'new' && (r.message ?? '').includes('injected defect'))).toBe(true);
  const released = readFileSync(join(first.outDir, 'claims.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ClaimRecord);
  expect(released.length).toBe(first.counts.released);
  expect(released.some((c) => held.some((h) => h.encounter_id === c.encounterId))).toBe(false);
  expect(manifest.counts).toEqual(first.counts);
  expect(first.counts.input).toBe(first.counts.released + first.counts.exception + first.counts.quarantined + first.counts.unchanged);
  const db = openDatabase(config.database);
  const ledger = db.prepare('SELECT last_state, billed_claim_id FROM ledger WHERE encounter_id = ?').get(held[0]!.encounter_id);
  expect(ledger).toEqual({ last_state: 'exception', billed_claim_id: null });
  expect((db.prepare('SELECT count(*) AS n FROM claim_fingerprints WHERE encounter_id = ?').get(held[0]!.encounter_id) as { n: number }).n).toBe(0);
  db.close();

  // The next night, with a sound writer, the same export bills them (and only them).
  const second = await runPipeline({ config, pipeline, businessDate: '2026-11-28', inputDir: exportDir, log });
  expect(second.counts.released).toBe(bad.claims);
  const next = readFileSync(join(second.outDir, 'claims.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ClaimRecord);
  expect(new Set(next.map((c) => c.encounterId))).toEqual(new Set(held.map((h) => h.encounter_id)));
  expect(next.every((c) => c.frequency === '1')).toBe(true);
}, 120_000);

test('a claim a resolution released, in a file that fails its self-check, waits for the next run with its ledger as before', async () => {
  const dir = tempDir('nightcode-x12-resolved-');
  const exportDir = join(dir, 'export');
  await generateSampleExport({ outDir: exportDir, encounters: 60, seed: 5, kind: 'professional', businessDate: '2026-11-27', brokenRate: 0 });
  const config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 16 } });
  const pipeline = loadPipeline('pipelines/nightly-csv.json');
  const log = silentLogger();
  const first = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log });
  const errors = readCsv(join(first.outDir, 'exceptions.csv'))
    .filter((r) => r.record_state === 'exception' && r.severity === 'error');
  const enc = errors[0]!.encounter_id!;
  const answers = join(dir, 'answers.csv');
  writeFileSync(answers, `exception_id,action,codes,note,user\n${errors.filter((r) => r.encounter_id === enc).map((r) => `${r.exception_id},release,,,ana`).join('\n')}\n`);
  const db = openDatabase(config.database);
  expect(applyResolutions(db, readResolutionsFile(answers)).toRelease).toBe(1);

  // Every file fails tonight: the resolved claim is not sent and waits; the same visit, sent
  // again tonight, is held (it would otherwise count as already billed).
  const second = await runPipeline({ config, pipeline, businessDate: '2026-11-28', inputDir: exportDir, log, x12Check: () => ({ push: () => undefined, finish: () => [{ segment: 1, message: 'injected defect' }] }) });
  expect(second.resolved.released).toBe(0);
  expect(readFileSync(join(second.outDir, 'claims.jsonl'), 'utf8')).toBe('');
  expect(second.counts.input).toBe(second.counts.released + second.counts.exception + second.counts.quarantined + second.counts.unchanged);
  expect(db.prepare('SELECT state FROM run_records WHERE run_id = ? AND encounter_id = ?').get(second.runId, enc)).toEqual({ state: 'exception' });
  expect(db.prepare('SELECT last_state, billed_claim_id, last_run_id FROM ledger WHERE encounter_id = ?').get(enc)).toEqual({ last_state: 'exception', billed_claim_id: null, last_run_id: second.runId });
  expect(db.prepare('SELECT released_run_id FROM resolved_claims').all()).toEqual([{ released_run_id: null }]);
  const rows2 = readCsv(join(second.outDir, 'exceptions.csv'));
  expect(rows2.filter((r) => r.encounter_id === enc).map((r) => [r.code, r.status])).toEqual([['EMIT_X12_SELF_CHECK', 'new']]);
  expect(db.prepare('SELECT action FROM audit_log WHERE encounter_id = ? AND run_id = ? ORDER BY id').all(enc, second.runId).map((a) => (a as { action: string }).action))
    .toEqual(['release-resolved', 'skip-unchanged', 'emit-self-check-failed', 'emit-self-check-failed']);
  db.close();

  const third = await runPipeline({ config, pipeline, businessDate: '2026-11-29', inputDir: exportDir, log });
  expect(third.resolved.released).toBe(1);
  const sent = readFileSync(join(third.outDir, 'claims.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ClaimRecord);
  expect(sent.map((c) => c.encounterId)).toContain(enc);
  // Billed now: what was raised while it waited is closed.
  const rows3 = readCsv(join(third.outDir, 'exceptions.csv'));
  expect(rows3.filter((r) => r.encounter_id === enc)).toEqual([]);
}, 120_000);

test('x12.filePer receiver-and-claim-type writes a file per receiver and claim type', async () => {
  const dir = tempDir('nightcode-x12-split-');
  const exportDir = join(dir, 'export');
  await generateSampleExport({ outDir: exportDir, encounters: 40, seed: 3, kind: 'mixed', businessDate: '2026-11-27', brokenRate: 0 });
  const pipeline = loadPipeline('pipelines/nightly-csv.json');
  const run = async (filePer: string, sub: string) => {
    const config = configSchema.parse({ database: join(dir, `${sub}.db`), outDir: join(dir, sub), run: { workers: 1 }, x12: { filePer } });
    const s = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log: silentLogger() });
    return (JSON.parse(readFileSync(join(s.outDir, 'manifest.json'), 'utf8')) as { claimFiles: { name: string; claims: number; groups: { claimType: string }[] }[] }).claimFiles;
  };
  const split = await run('receiver-and-claim-type', 'split');
  const whole = await run('receiver', 'whole');
  expect(split.every((f) => /^[A-Z0-9]+-837[PI]\.837$/.test(f.name) && f.groups.length === 1 && f.name.includes(f.groups[0]!.claimType))).toBe(true);
  expect(whole.every((f) => /^[A-Z0-9]+\.837$/.test(f.name))).toBe(true);
  expect(split.length).toBeGreaterThan(whole.length);
  expect(split.reduce((n, f) => n + f.claims, 0)).toBe(whole.reduce((n, f) => n + f.claims, 0));
}, 120_000);

test('a production file (x12.usage P) with placeholders is refused and its claims held; configured, the same night sends and is ready', async () => {
  const dir = tempDir('nightcode-x12-production-');
  const exportDir = join(dir, 'export');
  await generateSampleExport({ outDir: exportDir, encounters: 12, seed: 31, kind: 'professional', businessDate: '2026-11-27', brokenRate: 0 });
  const pipeline = loadPipeline('pipelines/nightly-csv.json');
  const log = silentLogger();
  const production = configSchema.parse({ database: join(dir, 'p.db'), outDir: join(dir, 'p'), run: { workers: 1 }, x12: { usage: 'P' } });
  const refused = await runPipeline({ config: production, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log });
  expect(refused.counts.released).toBe(0);
  expect(refused.notReleased.length).toBeGreaterThan(0);
  expect(refused.notReleased.every((f) => f.reason === 'not-configured' && f.problems.some((p) => p.startsWith('not configured: billing provider')))).toBe(true);
  const held = readCsv(join(refused.outDir, 'exceptions.csv')).filter((r) => r.code === 'EMIT_X12_NOT_CONFIGURED');
  expect(held.length).toBe(refused.notReleased.reduce((n, f) => n + f.claims, 0));
  expect(held[0]!.message).toMatch(/^configure sender \(x12\.sender id and contact\); receiver \S+ \(x12\.receivers\); billing provider/);

  // Everything configured: the files go out, ready, and validate (the temp folder's hook runs pyx12 on them).
  const claims = readFileSync(join(exportDir, 'encounters.csv'), 'utf8').split('\r\n').slice(1).filter(Boolean).map((l) => l.split(','));
  const patients = readFileSync(join(exportDir, 'patients.csv'), 'utf8').split('\r\n').slice(1).filter(Boolean).map((l) => l.split(','));
  const npis = [...new Set(claims.flatMap((r) => [r[8]!, r[9]!, r[10]!]).filter(Boolean))];
  const payers = [...new Set(patients.map((r) => r[9]!))];
  const x12 = {
    usage: 'P', sender: { id: 'CLINIC01', qualifier: 'ZZ', name: 'RIVERSIDE CLINIC', contactName: 'JANE BILLER', contactPhone: '5035550100' },
    receivers: Object.fromEntries(payers.map((p) => [p, { id: `${p}RCV`, name: `${p} CLAIMS`, claimFilingIndicator: 'CI' }])),
    billingProviders: Object.fromEntries(npis.map((n) => [n, { name: 'RIVERSIDE CLINIC', taxId: '123456789', address: { line1: '100 MAIN ST', city: 'SALEM', state: 'OR', zip: '97301-1234' } }])),
    providerNames: Object.fromEntries(npis.map((n) => [n, { last: 'KILDARE', first: 'BEN' }])),
  };
  const configured = configSchema.parse({ database: join(dir, 'c.db'), outDir: join(dir, 'c'), run: { workers: 1 }, x12 });
  const sent = await runPipeline({ config: configured, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log });
  expect(sent.notReleased).toEqual([]);
  expect(sent.notReady).toEqual([]);
  const manifest = JSON.parse(readFileSync(join(sent.outDir, 'manifest.json'), 'utf8')) as { claimFiles: { name: string; ready: boolean }[] };
  expect(manifest.claimFiles.length).toBeGreaterThan(0);
  expect(manifest.claimFiles.every((f) => f.ready)).toBe(true);
  const text = readFileSync(join(sent.outDir, manifest.claimFiles[0]!.name), 'utf8');
  expect(text).toMatch(/\*P\*:~GS/);
  expect(text).toContain('N4*SALEM*OR*973011234~');
}, 120_000);
