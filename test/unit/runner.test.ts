import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { generateSampleExport } from '../../src/generate/sample-export.js';
import { silentLogger } from '../../src/log/logger.js';
import { reportHtml, type ReportRun } from '../../src/emit/report/report-html.js';
import { RunFindings } from '../../src/run/run-findings.js';
import { runPipeline } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const exportDir = join(dir, 'export');
const pipeline = loadPipeline('pipelines/nightly-csv.json');
const log = silentLogger();

function config(name: string, run: Partial<Config['run']> = {}): Config {
  return configSchema.parse({
    database: join(dir, `${name}.db`), outDir: join(dir, `${name}-out`),
    run: { chunkSize: 17, workers: 0, maxQuarantinedRatio: 0.2, ...run },
  });
}

const readOut = (c: Config, date: string, file: string) => readFileSync(join(c.outDir, 'nightly-csv', date, file), 'utf8');
const claimsOf = (c: Config, date: string) => readOut(c, date, 'claims.jsonl').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { claimId: string; frequency: string; originalClaimId?: string; encounterId: string });

beforeAll(async () => {
  await generateSampleExport({ outDir: exportDir, encounters: 120, seed: 42, kind: 'mixed', businessDate: '2026-11-27', brokenRate: 0.07 });
});

describe('runner', () => {
  test('a run reconciles every input record to one end state and writes owner-only outputs', async () => {
    const c = config('a');
    const s = await runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log });
    expect(s.status).toBe('completed');
    const { input, released, exception, quarantined, unchanged } = s.counts;
    expect(input).toBe(121); // 120 encounters + one duplicate row
    expect(released + exception + quarantined + unchanged).toBe(input);
    expect(quarantined).toBeGreaterThanOrEqual(3);
    expect(exception).toBeGreaterThan(0);
    expect(claimsOf(c, '2026-11-27')).toHaveLength(released);
    expect(s.notReleased).toEqual([]);
    for (const o of s.outputs) expect(statSync(o.path).mode & 0o777).toBe(0o600);
    const quarantine = readOut(c, '2026-11-27', 'quarantine.csv');
    for (const code of ['INGEST_INVALID_DATE', 'INGEST_ROW_UNPARSEABLE', 'INGEST_DUPLICATE_KEY', 'INGEST_ORPHAN_ROW']) expect(quarantine).toContain(code);
    const exceptions = readOut(c, '2026-11-27', 'exceptions.csv');
    for (const code of ['EDIT_MEMBER_ID_MISSING', 'EDIT_NPI_INVALID', 'INGEST_INVALID_NUMBER', 'EDIT_BIRTH_DATE_MISSING']) expect(exceptions).toContain(code);
    // The report counts the claims of the warnings on released claims in the database (a key
    // per claim in memory was the 1M night's peak): the same report as counting them in memory.
    const db = openDatabase(c.database);
    const findings = new RunFindings(db).ofNight('nightly-csv', s.runId, '2026-11-27');
    const warned = new Set([...findings.warnings()].map((r) => `${r.source}\u0000${r.encounterId}`));
    expect(warned.size).toBeGreaterThan(10);
    expect(findings.warningClaims!()).toBe(warned.size);
    expect(findings.warningCount!()).toBe([...findings.warnings()].length);
    const run: ReportRun = {
      runId: s.runId, pipeline: s.pipeline, businessDate: s.businessDate, generatedAt: s.endedAt, counts: s.counts, resolved: s.resolved, autoReleaseRate: s.autoReleaseRate,
      durationMs: s.durationMs, recordsPerSecond: s.recordsPerSecond, codeSets: s.codeSets, codeSetWarnings: s.codeSetWarnings, claimFiles: [], notReleased: [], resolutionFiles: [],
    };
    const html = [...reportHtml(run, findings)].join('');
    const heldInfo = [...findings.held()].filter((r) => r.status === 'info');
    const infoClaims = warned.size + new Set(heldInfo.map((r) => `${r.source}\u0000${r.encounterId}`)).size;
    expect(html).toContain(`<tr><td>info</td><td>${[...findings.warnings()].length + heldInfo.length}</td><td>${infoClaims}</td></tr>`);
    expect(html).toBe([...reportHtml(run, { held: findings.held, warnings: findings.warnings })].join(''));
    db.close();
  });

  test('a completed run is a no-op; --force runs it again with the same claims', async () => {
    const c = config('b');
    const first = await runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log });
    const claims = readOut(c, '2026-11-27', 'claims.jsonl');
    const again = await runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log });
    expect(again.noop).toBe(true);
    expect(again.runId).toBe(first.runId);
    const forced = await runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log, force: true });
    expect(forced.runId).not.toBe(first.runId);
    expect(forced.counts).toEqual(first.counts);
    expect(readOut(c, '2026-11-27', 'claims.jsonl')).toBe(claims);
    const db = openDatabase(c.database);
    expect(db.prepare('SELECT status FROM runs ORDER BY id').all()).toEqual([{ status: 'superseded' }, { status: 'completed' }]);
    db.close();
  });

  test('re-exported unchanged encounters are not billed again; changed ones become replacement claims', async () => {
    const c = config('c');
    const day1 = await runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log });
    const billed = claimsOf(c, '2026-11-27');
    const target = billed[0]!;
    // Night two: the same export, with one released encounter's note amended.
    const changed = join(dir, 'export-changed');
    await generateSampleExport({ outDir: changed, encounters: 120, seed: 42, kind: 'mixed', businessDate: '2026-11-27', brokenRate: 0.07 });
    const notesFile = join(changed, 'notes.csv');
    const notes = readFileSync(notesFile, 'utf8');
    const marker = `,${target.encounterId},`;
    const at = notes.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    writeFileSync(notesFile, `${notes.slice(0, at)}${marker}${notes.slice(at + marker.length).replace('Symptoms began', 'Addendum: symptoms began')}`);
    const day2 = await runPipeline({ config: c, pipeline, businessDate: '2026-11-28', inputDir: changed, log });
    expect(day2.counts.unchanged).toBe(day1.counts.released - 1);
    expect(day2.counts.released).toBe(1);
    const [replacement] = claimsOf(c, '2026-11-28');
    expect(replacement).toMatchObject({ encounterId: target.encounterId, frequency: '7', originalClaimId: target.claimId });
    expect(replacement!.claimId).not.toBe(target.claimId);
    // Records that were exceptions stay exceptions (never billed, so never "unchanged").
    expect(day2.counts.exception).toBe(day1.counts.exception);
    const db = openDatabase(c.database);
    const audit = db.prepare("SELECT action, from_state, to_state FROM audit_log WHERE encounter_id = ? ORDER BY id").all(target.encounterId);
    // The replacement's claim file carries it: the claim it replaces steps to resubmitted in its lifecycle.
    expect(audit).toEqual([
      { action: 'code', from_state: null, to_state: 'released' }, { action: 'replace', from_state: 'released', to_state: 'released' },
      { action: 'claim-resubmitted', from_state: 'sent', to_state: 'resubmitted' },
    ]);
    db.close();
  });

  test('too many quarantined records fail the run loudly, and the failure is recorded', async () => {
    const c = config('d', { maxQuarantinedRatio: 0.01 });
    await expect(runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log })).rejects.toMatchObject({ code: 'SKIP_LIMIT_EXCEEDED' });
    const db = openDatabase(c.database);
    expect(db.prepare('SELECT status, error_code FROM runs').get()).toEqual({ status: 'failed', error_code: 'SKIP_LIMIT_EXCEEDED' });
    db.close();
  });

  test('a run that failed before staging records why; --force starts it over with the right export', async () => {
    const c = config('e');
    await expect(runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: join(dir, 'missing'), log })).rejects.toMatchObject({ code: 'INPUT_MISSING' });
    // The export arrives; a forced run starts over with the right folder (the failed attempt never staged).
    const s = await runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log, force: true });
    expect(s.status).toBe('completed');
  });

  test('a retry that names another export than the interrupted run says so and needs --force', async () => {
    const c = config('g', { maxQuarantinedRatio: 0.01 });
    // Interrupted after staging (the skip limit here), so the run would resume with what it staged.
    await expect(runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log })).rejects.toMatchObject({ code: 'SKIP_LIMIT_EXCEEDED' });
    const other = join(dir, 'export-other');
    await generateSampleExport({ outDir: other, encounters: 5, seed: 43, kind: 'professional', businessDate: '2026-11-27', brokenRate: 0 });
    await expect(runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: other, log })).rejects.toMatchObject({
      code: 'RUN_INPUT_CHANGED', message: expect.stringMatching(/was interrupted while reading .*export; this retry names .*export-other\. Re-run with --force/),
    });
    const forced = await runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: other, log, force: true });
    expect(forced.counts.input).toBe(5);
  });

  test('staged copies of the export do not outlive their run (completed or superseded)', async () => {
    const { existsSync, readdirSync } = await import('node:fs');
    const c = config('f', { maxQuarantinedRatio: 0.01 });
    // Fails after staging (skip limit): its staging file stays for a resume…
    await expect(runPipeline({ config: c, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log })).rejects.toMatchObject({ code: 'SKIP_LIMIT_EXCEEDED' });
    const stagingDir = `${c.database}-staging`;
    expect(readdirSync(stagingDir)).toEqual(['run-1.sqlite']);
    // …until a forced run supersedes it; the completed run removes its own.
    await runPipeline({ config: { ...c, run: { ...c.run, maxQuarantinedRatio: 0.2 } }, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log, force: true });
    expect(existsSync(stagingDir)).toBe(false);
  });
});

describe('single-file exports', () => {
  test('a flat windows-1252 visits file with inline note and diagnosis codes runs through the shipped mapping', async () => {
    const iconv = (await import('iconv-lite')).default;
    const flat = join(dir, 'flat');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(flat, { recursive: true });
    const header = 'Visit Number,MRN,Claim Type,Date of Service,POS,Billing NPI,Rendering NPI,First Name,Last Name,Birth Date,Gender,Payer ID,Member ID,Clinical Note,Diagnosis Codes';
    const rows = [
      'V1,M1,P,11/27/2026,11,1234567893,1245319599,José,Müller,03/04/1950,F,MCR01,MCR123,"Assessment: Hypertension, stable. Denies chest pain.",I10',
      'V2,M2,P,11/31/2026,11,1234567893,1245319599,Ann,Lee,01/02/1980,F,MCR01,MCR124,"Asthma.",J45.909',
    ];
    writeFileSync(join(flat, 'visits-20261127.csv'), iconv.encode(`${header}\r\n${rows.join('\r\n')}\r\n`, 'windows-1252'));
    const pipelineFile = join(dir, 'flat-pipeline.json');
    writeFileSync(pipelineFile, JSON.stringify({ name: 'flat', sourceSystem: 'clinic', format: 'csv', input: flat, mapping: join(process.cwd(), 'config/mappings/single-file-csv.json') }));
    const c = config('flat', { maxQuarantinedRatio: 0.5 });
    const s = await runPipeline({ config: c, pipeline: loadPipeline(pipelineFile), businessDate: '2026-11-27', log });
    // V1 has no charge rows in a flat export, so it is an exception (no service line); V2's date is impossible.
    expect(s.counts).toEqual({ input: 2, released: 0, exception: 1, quarantined: 1, unchanged: 0 });
    const exceptions = readFileSync(join(c.outDir, 'flat', '2026-11-27', 'exceptions.csv'), 'utf8');
    expect(exceptions).toContain('CODE_NO_PROCEDURE');
    const quarantine = readFileSync(join(c.outDir, 'flat', '2026-11-27', 'quarantine.csv'), 'utf8');
    expect(quarantine).toContain('visits-20261127.csv,3,V2,INGEST_INVALID_DATE');
    expect(quarantine).toContain('11/31/2026');
    const db = openDatabase(c.database);
    const payload = JSON.parse((db.prepare("SELECT payload FROM run_records WHERE encounter_id = 'V1'").get() as { payload: string }).payload) as { patient: { lastName: string; birthDate: string }; diagnoses: { code: string }[] };
    db.close();
    expect(payload.patient).toMatchObject({ lastName: 'Müller', birthDate: '1950-03-04' });
    expect(payload.diagnoses.map((d) => d.code)).toEqual(['I10']);
  });
});
