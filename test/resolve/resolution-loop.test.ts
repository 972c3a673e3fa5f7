import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import type { ClaimRecord } from '../../src/emit/claims/claim-record.js';
import { parseInterchange, checkInterchange } from '../../src/emit/x12/x12-check.js';
import { generateSampleExport } from '../../src/generate/sample-export.js';
import { silentLogger } from '../../src/log/logger.js';
import { applyResolutions } from '../../src/resolve/apply-resolutions.js';
import { parseRecode, readResolutionsFile } from '../../src/resolve/resolutions-file.js';
import { runPipeline, type RunSummary } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { accuracyReport } from '../../src/report/accuracy-report.js';
import { runCli } from '../helpers/cli.js';
import { readCsv, rewriteExport, type CsvRow as Row } from '../helpers/csv.js';
import { refusal } from '../helpers/refusal.js';
import { tempDir } from '../helpers/tmp.js';


const claimsOf = (s: RunSummary) => readFileSync(join(s.outDir, 'claims.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ClaimRecord);

describe('resolutions CSV', () => {
  test('recode codes: kinds by shape or by prefix, modifiers after hyphens, clear refusals', () => {
    expect(parseRecode('E11.22, N18.3 | 99214-25 J1100 0DTJ4ZZ')).toEqual({
      diagnoses: ['E11.22', 'N18.3'], lines: [{ code: '99214', modifiers: ['25'] }, { code: 'J1100', modifiers: [] }], pcs: ['0DTJ4ZZ'],
    });
    expect(parseRecode('dx:I10 px:G0439')).toEqual({ diagnoses: ['I10'], lines: [{ code: 'G0439', modifiers: [] }], pcs: [] });
    expect(parseRecode('')).toMatch(/needs codes/);
    expect(parseRecode('E112')).toMatch(/not a code nightcode can read/);
    expect(parseRecode('99213-259')).toMatch(/not a code/);
    expect(parseRecode('dx:99213')).toMatch(/not an ICD-10-CM code/);
  });

  test('form problems name their line; a missing column stops the file', () => {
    const dir = tempDir('nightcode-resfile-');
    const file = join(dir, 'r.csv');
    writeFileSync(file, '\uFEFFexception_id,action,codes,note,user\nEX0000000000000001,release,,ok,ana\nnot-an-id,release,,,ana\nEX0000000000000002,approve,,,ana\nEX0000000000000003,recode,,,ana\nEX0000000000000004,hold,I10,,ana\nEX0000000000000005,hold,,,\n');
    const read = readResolutionsFile(file);
    expect(read.rows.map((r) => r.line)).toEqual([2]);
    expect(read.problems).toEqual([
      expect.stringMatching(/^line 3: "not-an-id" is not an exception id/),
      expect.stringMatching(/^line 4: action "approve" must be one of release, recode, hold, void/),
      expect.stringMatching(/^line 5: recode needs codes/),
      expect.stringMatching(/^line 6: codes and target go with recode and the edit actions .* not with hold/),
      expect.stringMatching(/^line 7: user is empty/),
    ]);
    writeFileSync(file, 'exception_id,action\nEX0000000000000001,release\n');
    expect(() => readResolutionsFile(file)).toThrow(/lacks user/);
  });
});

describe('the resolution loop, end to end', () => {
  const dir = tempDir('nightcode-resolve-');
  const log = silentLogger();
  const pipeline = loadPipeline('pipelines/nightly-csv.json');
  const config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 16 } });
  const night1 = join(dir, 'night1');
  let first: RunSummary;
  let held: Map<string, Row[]>;

  beforeAll(async () => {
    await generateSampleExport({ outDir: night1, encounters: 120, seed: 5, kind: 'professional', businessDate: '2026-11-27', brokenRate: 0 });
    first = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: night1, log });
    held = new Map();
    for (const r of readCsv(join(first.outDir, 'exceptions.csv')).filter((x) => x.record_state === 'exception')) {
      held.set(r.encounter_id!, [...(held.get(r.encounter_id!) ?? []), r]);
    }
  }, 120_000);

  test('exception → resolution → claim released next run → ledger; held findings age; voids go out as frequency 8', async () => {
    expect(first.counts.exception).toBeGreaterThanOrEqual(4);
    const findings = readCsv(join(first.outDir, 'exceptions.csv'));
    expect(findings.filter((r) => r.record_state === 'exception').every((r) => r.status === 'new' && r.first_seen === '2026-11-27' && r.age_days === '0')).toBe(true);
    expect(findings.filter((r) => r.record_state === 'released').every((r) => r.status === 'info' && r.age_days === '')).toBe(true);

    const [a, b, c, d] = [...held.keys()] as [string, string, string, string];
    const errorsOf = (enc: string) => held.get(enc)!.filter((r) => r.severity === 'error');
    const db = openDatabase(config.database);
    const payload = (enc: string) => JSON.parse((db.prepare("SELECT payload FROM run_records WHERE encounter_id = ? AND state = 'exception'").get(enc) as { payload: string }).payload) as ClaimRecord;
    const bClaim = payload(b);
    const recodeB = ['I10', ...bClaim.lines.map((l) => [l.code, ...l.modifiers].join('-'))].join(' ');

    // A bad file changes nothing and names every bad line.
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `exception_id,action,codes,note,user\n${errorsOf(a)[0]!.exception_id},release,,looks right,ana\nEXFFFFFFFFFFFFFFFF,release,,,ana\n${errorsOf(b)[0]!.exception_id},recode,Z99.89 ${bClaim.lines.map(() => '99213').join(' ')} 99214,,ana\n`);
    const refused = refusal(() => applyResolutions(db, readResolutionsFile(bad)));
    expect(refused?.code).toBe('RESOLUTIONS_INVALID');
    expect(refused?.details).toEqual([expect.stringMatching(/^line 3: EXFFFFFFFFFFFFFFFF is not a finding of a held claim/), expect.stringMatching(new RegExp(`^line 4: recode lists ${bClaim.lines.length + 1} procedure code`))]);
    expect((db.prepare('SELECT count(*) AS n FROM resolutions').get() as { n: number }).n).toBe(0);
    // A recode goes through the coding edits: left and right on one line is refused.
    const sided = join(dir, 'sided.csv');
    const sidedCodes = ['I10', ...bClaim.lines.map((l, i) => (i === 0 ? `${l.code}-LT-RT` : [l.code, ...l.modifiers].join('-')))].join(' ');
    writeFileSync(sided, `exception_id,action,codes,note,user\n${errorsOf(b)[0]!.exception_id},recode,${sidedCodes},,ben\n`);
    expect(refusal(() => applyResolutions(db, readResolutionsFile(sided)))?.details).toEqual([expect.stringMatching(/^line 2: the recoded claim of encounter \S+ fails EDIT_MODIFIER_INVALID \(/)]);

    // A: every error released; B: recoded; C: held; D: left open (and absent from night 2's export).
    const answers = join(dir, 'answers-1.csv');
    writeFileSync(answers, [
      'exception_id,action,codes,note,user',
      ...errorsOf(a).map((r) => `${r.exception_id},release,,"reviewed, ok",ana`),
      ...errorsOf(b).map((r, i) => (i === 0 ? `${r.exception_id},recode,${recodeB},coder's codes,ben` : `${r.exception_id},release,,,ben`)),
      `${errorsOf(c)[0]!.exception_id},hold,,waiting for the physician,cy`,
    ].join('\n'));
    const applied = applyResolutions(db, readResolutionsFile(answers));
    expect(applied).toMatchObject({ applied: errorsOf(a).length + errorsOf(b).length + 1, toRelease: 2, held: 1, toVoid: 0 });
    expect(applyResolutions(db, readResolutionsFile(answers))).toMatchObject({ applied: 0, alreadyApplied: applied.applied });

    // Night 2: the same export without D, and a billed encounter E changed so it is held.
    const billed = claimsOf(first)[0]!;
    const night2 = join(dir, 'night2');
    rewriteExport(night1, night2, { drop: new Set([d]), editEncounter: (r) => (r.EncounterID === billed.encounterId ? { ...r, BillingNPI: '1111111111' } : r) });
    const second = await runPipeline({ config, pipeline, businessDate: '2026-11-28', inputDir: night2, log });
    expect(second.resolved).toEqual({ released: 2, voided: 0, voidClaims: 0 });
    for (const run of [first, second]) expect(run.notReleased).toEqual([]);
    const out2 = claimsOf(second);
    const aOut = out2.find((x) => x.encounterId === a)!;
    const bOut = out2.find((x) => x.encounterId === b)!;
    expect(aOut.frequency).toBe('1');
    expect(bOut.diagnoses.map((x) => x.code)).toEqual(['I10']);
    expect(bOut.diagnoses[0]!.rulePath).toMatch(/coder recode/);
    expect(bOut.lines.every((l) => l.diagnosisPointers.every((p) => p === 1))).toBe(true);
    // Sent again unchanged, A and B are now billed: unchanged, and counted once.
    const state = (run: number, enc: string) => (db.prepare('SELECT state FROM run_records WHERE run_id = ? AND encounter_id = ?').get(run, enc) as { state: string }).state;
    expect([state(second.runId, a), state(second.runId, b), state(second.runId, billed.encounterId)]).toEqual(['unchanged', 'unchanged', 'exception']);
    expect(second.counts.input).toBe(second.counts.released + second.counts.exception + second.counts.quarantined + second.counts.unchanged);
    const ledgerA = db.prepare('SELECT * FROM ledger WHERE encounter_id = ?').get(a) as { billed_run_id: number; billed_claim_id: string; last_state: string };
    expect(ledgerA).toMatchObject({ billed_run_id: second.runId, billed_claim_id: aOut.claimId, last_state: 'unchanged' });
    const audit = db.prepare("SELECT action, actor FROM audit_log WHERE encounter_id = ? AND action LIKE '%resolve%' ORDER BY id").all(a) as { action: string; actor: string }[];
    expect(audit).toEqual([...errorsOf(a).map(() => ({ action: 'resolve-release', actor: 'ana' })), { action: 'release-resolved', actor: 'ana' }]);
    // The claim files carry them and pass their self-check.
    const manifest = JSON.parse(readFileSync(join(second.outDir, 'manifest.json'), 'utf8')) as { claimFiles: { name: string }[]; resolved: unknown };
    expect(manifest.resolved).toEqual(second.resolved);
    const x12 = manifest.claimFiles.map((f) => readFileSync(join(second.outDir, f.name), 'utf8'));
    expect(x12.some((t) => t.includes(`CLM*${aOut.claimId}*`))).toBe(true);
    for (const t of x12) expect(checkInterchange(t)).toEqual([]);

    // C held, re-raised tonight and aged a day; D carried over though not in tonight's export.
    const rows2 = readCsv(join(second.outDir, 'exceptions.csv'));
    const cRow = rows2.find((r) => r.exception_id === errorsOf(c)[0]!.exception_id)!;
    expect(cRow).toMatchObject({ status: 'held', first_seen: '2026-11-27', age_days: '1', run_id: String(second.runId) });
    const dRows = rows2.filter((r) => r.encounter_id === d);
    expect(dRows.length).toBe(held.get(d)!.length);
    expect(dRows.map((r) => [r.status, r.age_days, r.run_id])).toEqual(dRows.map(() => ['open', '1', String(first.runId)]));
    expect(rows2.filter((r) => r.encounter_id === a || r.encounter_id === b)).toEqual([]);
    const eRows = rows2.filter((r) => r.encounter_id === billed.encounterId && r.severity === 'error');
    expect(eRows.length).toBeGreaterThan(0);
    expect(eRows.every((r) => r.status === 'new')).toBe(true);

    // Void the changed, billed encounter E: night 3 sends a frequency-8 claim for what night 1 billed.
    const voids = join(dir, 'answers-2.csv');
    writeFileSync(voids, `exception_id,action,codes,note,user\n${eRows[0]!.exception_id},void,,withdrawn by the practice,dee\n`);
    const viaCli = runCli(['resolve', voids, '--db', config.database, '--json']);
    expect(viaCli.code).toBe(0);
    expect(JSON.parse(viaCli.stdout)).toMatchObject({ applied: 1, toVoid: 1 });
    const badCli = runCli(['resolve', bad, '--db', config.database]);
    expect(badCli.code).toBe(1);
    // Line 2 repeats an answer already given (skipped); line 4 answers a finding resolved otherwise.
    expect(badCli.stderr).toMatch(/RESOLUTIONS_INVALID: .*2 row\(s\) cannot be applied; nothing was applied[\s\S]*\n  line 3: EXF{16} is not a finding[\s\S]*\n  line 4: EX[0-9A-F]{16} is already resolved \(recode by ben at /);
    const third = await runPipeline({ config, pipeline, businessDate: '2026-11-29', inputDir: night2, log });
    expect(third.resolved).toEqual({ released: 0, voided: 1, voidClaims: 1 });
    expect(third.notReleased).toEqual([]);
    const voidClaim = claimsOf(third).find((x) => x.encounterId === billed.encounterId)!;
    expect(voidClaim).toMatchObject({ frequency: '8', originalClaimId: billed.claimId });
    // The summary counts the void a resolution decided (and no replacement).
    expect(third.worklist).toMatchObject({ replacements: 0, voids: 1 });
    expect(state(third.runId, billed.encounterId)).toBe('unchanged');
    const file3 = (JSON.parse(readFileSync(join(third.outDir, 'manifest.json'), 'utf8')) as { claimFiles: { name: string }[] }).claimFiles
      .map((f) => readFileSync(join(third.outDir, f.name), 'utf8')).find((t) => t.includes(`CLM*${voidClaim.claimId}*`))!;
    expect(checkInterchange(file3)).toEqual([]);
    const segs = parseInterchange(file3).segments.map((s) => s.join('*'));
    const clm = segs.findIndex((s) => s.startsWith(`CLM*${voidClaim.claimId}*`));
    expect(segs[clm]).toMatch(/\*\d\d:B:8\*/);
    expect(segs.slice(clm, clm + 8)).toContain(`REF*F8*${billed.claimId}`);
    expect(db.prepare('SELECT last_state, billed_claim_id FROM ledger WHERE encounter_id = ?').get(billed.encounterId)).toEqual({ last_state: 'voided', billed_claim_id: null });
    // Still open: C (held) and D, two days old now.
    const rows3 = readCsv(join(third.outDir, 'exceptions.csv'));
    expect(rows3.find((r) => r.exception_id === errorsOf(c)[0]!.exception_id)).toMatchObject({ status: 'held', age_days: '2' });
    expect(rows3.filter((r) => r.encounter_id === d).every((r) => r.age_days === '2')).toBe(true);
    // The answered finding cannot be answered again.
    const other = join(dir, 'answers-3.csv');
    writeFileSync(other, `exception_id,action,codes,note,user\n${errorsOf(a)[0]!.exception_id},hold,,,zed\n`);
    expect(refusal(() => applyResolutions(db, readResolutionsFile(other)))?.details).toEqual([
      expect.stringMatching(new RegExp(`^line 2: ${errorsOf(a)[0]!.exception_id} is already resolved \\(release by ana at `)),
    ]);
    // The first answers file, edited: the answers given before are skipped, the new one applies.
    writeFileSync(answers, `${readFileSync(answers, 'utf8')}\n${held.get(d)!.filter((r) => r.severity === 'error').map((r) => `${r.exception_id},hold,,,ed`).join('\n')}\n`);
    const edited = applyResolutions(db, readResolutionsFile(answers));
    expect(edited).toMatchObject({ applied: errorsOf(d).length, alreadyApplied: applied.applied, held: errorsOf(d).length });

    // The accuracy report: A released as coded, B recoded to I10; A's errors were overrides.
    const report = accuracyReport(db, {}, '2026-11-29');
    const bPipeline = new Set(bClaim.diagnoses.map((x) => x.code));
    expect(report).toMatchObject({ reviewedClaims: 2, recodedClaims: 1, recodeRate: 0.5 });
    expect(report.diagnoses.final).toBe(payload(a).diagnoses.length + 1);
    expect(report.diagnoses.pipeline).toBe(new Set(payload(a).diagnoses.map((x) => x.code)).size + bPipeline.size);
    expect(report.diagnoses.agreed).toBe(new Set(payload(a).diagnoses.map((x) => x.code)).size + (bPipeline.has('I10') ? 1 : 0));
    expect(report.compliance.voidedClaims).toBe(1);
    expect(report.compliance.overrides.reduce((n, o) => n + o.n, 0)).toBe(errorsOf(a).length + errorsOf(b).length - 1);
    expect(report.compliance.byUser.find((u) => u.user === 'cy')).toEqual({ user: 'cy', release: 0, recode: 0, hold: 1, void: 0 });
    expect(report.compliance.openWork).toContainEqual({ status: 'held', findings: 1 + errorsOf(d).length, claims: 2, oldestDays: 2 });
    expect(report.compliance.byUser.find((u) => u.user === 'ed')).toEqual({ user: 'ed', release: 0, recode: 0, hold: errorsOf(d).length, void: 0 });
    const status = JSON.parse(runCli(['status', '--db', config.database, '--json']).stdout) as { workQueue: { status: string; findings: number; claims: number; oldest: string }[] };
    expect(status.workQueue).toContainEqual({ status: 'held', findings: 1 + errorsOf(d).length, claims: 2, oldest: '2026-11-27' });
    const text = runCli(['report', 'accuracy', '--db', config.database]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/claims reviewed and released by people: 2; recoded: 1 \(50\.0%\)/);
    db.close();
  }, 240_000);
});

test('the next run applies resolutions files from the inbox; a refused file changes nothing and is reported', async () => {
  const dir = tempDir('nightcode-inbox-');
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 16 }, resolutions: { inbox } });
  const pipeline = loadPipeline('pipelines/nightly-csv.json');
  const log = silentLogger();
  const exportDir = join(dir, 'export');
  await generateSampleExport({ outDir: exportDir, encounters: 60, seed: 5, kind: 'professional', businessDate: '2026-11-27', brokenRate: 0 });
  const first = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log });
  expect(first.resolutionFiles).toEqual([]);
  const errors = readCsv(join(first.outDir, 'exceptions.csv')).filter((r) => r.record_state === 'exception' && r.severity === 'error');
  const enc = errors[0]!.encounter_id!;
  const mine = errors.filter((r) => r.encounter_id === enc);
  // Staff fill in the queue's template: answered rows go, untouched ones are skipped.
  const template = runCli(['exceptions', '--template', '--db', config.database, '--date', '2026-11-27']);
  expect(template.code).toBe(0);
  const [header, ...lines] = template.stdout.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(header).toBe('exception_id,source,encounter_id,action,target,codes,hold_reason,note,user,owner,team,status,age_days,severity,finding,message,finding_codes,suggested_action,routed_team');
  expect(lines.length).toBe(readCsv(join(first.outDir, 'exceptions.csv')).filter((r) => r.record_state === 'exception').length);
  const filled = lines.map((l) => (mine.some((r) => l.startsWith(`${r.exception_id},`)) ? l.replace(/^(EX[0-9A-F]{16},[^,]*,[^,]*),,,,,,/, '$1,release,,,,checked,ana') : l));
  writeFileSync(join(inbox, '1-good.csv'), [header, ...filled].join('\r\n'));
  writeFileSync(join(inbox, '2-bad.csv'), `exception_id,action,codes,note,user\n${errors.at(-1)!.exception_id},approve,,,ana\n`);
  const second = await runPipeline({ config, pipeline, businessDate: '2026-11-28', inputDir: exportDir, log });
  expect(second.resolutionFiles).toEqual([
    { file: join(inbox, '1-good.csv'), status: 'applied', applied: mine.length, toRelease: 1, toVoid: 0, held: 0, problems: [] },
    { file: join(inbox, '2-bad.csv'), status: 'refused', applied: 0, toRelease: 0, toVoid: 0, held: 0, problems: [expect.stringMatching(/^line 2: action "approve"/)] },
  ]);
  expect(second.resolved.released).toBe(1);
  expect(claimsOf(second).map((c) => c.encounterId)).toContain(enc);
  expect(readFileSync(join(second.outDir, 'report.html'), 'utf8')).toMatch(/2-bad\.csv<\/td><td>refused/);
  const third = await runPipeline({ config, pipeline, businessDate: '2026-11-29', inputDir: exportDir, log });
  expect(third.resolutionFiles.map((f) => f.status)).toEqual(['already-applied', 'refused']);
  expect(third.resolved.released).toBe(0);
}, 120_000);
