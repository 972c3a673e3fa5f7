import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import type { ClaimRecord } from '../../src/emit/claims/claim-record.js';
import { WORKLIST_CSV_COLUMNS } from '../../src/emit/worklist/worklist-csv.js';
import { silentLogger } from '../../src/log/logger.js';
import { applyResolutions } from '../../src/resolve/apply-resolutions.js';
import { readResolutionsFile } from '../../src/resolve/resolutions-file.js';
import { routingFrom } from '../../src/run/morning.js';
import { storedWorklist } from '../../src/run/stored-worklist.js';
import { worklistRows } from '../../src/resolve/worklist-rows.js';
import { worklistOf } from '../../src/resolve/worklist-summary.js';
import { recodeEditOptions } from '../../src/resolve/recode-edits.js';
import { runPipeline, type RunSummary } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli } from '../helpers/cli.js';
import { csvCell, readCsv, type CsvRow } from '../helpers/csv.js';
import { refusal } from '../helpers/refusal.js';
import { tempDir } from '../helpers/tmp.js';
import { validateX12 } from '../helpers/x12-validate.js';

/**
 * Three nights of the bundled sample export, answered from the morning worklist as
 * operations staff would: every kind of answer written into worklist.csv itself (and extra
 * rows for a second answer on one claim), applied, persisted, shown the next morning, and
 * reaching the claim files; a file with an invalid code is refused whole, naming the line.
 */
const dir = tempDir('nightcode-worklist-');
const log = silentLogger();
const pipeline = loadPipeline('pipelines/nightly-csv.json');
const config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 64 } });
const EXPORT = 'data/sample-export';

const claimsOf = (s: RunSummary) => readFileSync(join(s.outDir, 'claims.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ClaimRecord);
const codesOf = (row: CsvRow) => row.findings!.split(' | ').map((f) => f.split(' (')[0]!);
const errorsOf = (row: CsvRow) => row.findings!.split(' | ').filter((f) => / \(error/.test(f)).map((f) => f.split(' (')[0]!);

/** The worklist with some rows answered (cells by column name) and extra answer rows appended. */
function answered(rows: CsvRow[], answers: Map<string, Partial<CsvRow>>, extra: Partial<CsvRow>[] = []): string {
  const header = [...WORKLIST_CSV_COLUMNS];
  const line = (r: Partial<CsvRow>) => header.map((h) => csvCell(r[h] ?? '')).join(',');
  return `\uFEFF${[header.join(','), ...rows.map((r) => line({ ...r, ...answers.get(r.encounter_id!) })), ...extra.map(line)].join('\r\n')}\r\n`;
}


describe('the morning worklist over three nights', () => {
  let night1: RunSummary;
  let worklist1: CsvRow[];
  const pick: Record<string, CsvRow> = {};

  beforeAll(async () => {
    night1 = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: EXPORT, log });
    worklist1 = readCsv(join(night1.outDir, 'worklist.csv'));
    const take = (name: string, ok: (r: CsvRow) => boolean) => {
      const r = worklist1.find((x) => ok(x) && !Object.values(pick).includes(x));
      if (!r) throw new Error(`the sample night has no claim for "${name}"`);
      pick[name] = r;
    };
    const onlyLowConfidence = (r: CsvRow) => r.claim_type === '837P' && errorsOf(r).join() === 'CODE_LOW_CONFIDENCE';
    take('replace', onlyLowConfidence);
    take('pointers', onlyLowConfidence);
    take('remove', onlyLowConfidence);
    take('member', (r) => codesOf(r).includes('EDIT_MEMBER_ID_MISSING'));
    take('birth', (r) => codesOf(r).includes('EDIT_BIRTH_DATE_MISSING'));
    take('npi', (r) => codesOf(r).includes('EDIT_NPI_INVALID'));
    take('hold', onlyLowConfidence);
    take('void', onlyLowConfidence);
    take('release', onlyLowConfidence);
    take('assign', onlyLowConfidence);
  }, 120_000);

  test('night 1: one row per claim needing a person, with its codes, findings action first, team, and answer columns', () => {
    const held = night1.counts.exception;
    expect(worklist1.length).toBe(held);
    expect(night1.worklist).toMatchObject({ claims: held, new: held });
    expect(Object.keys(worklist1[0]!)).toEqual([...WORKLIST_CSV_COLUMNS]);
    for (const r of worklist1) {
      expect(r.status).toBe('new');
      expect(r.age_days).toBe('0');
      expect(r.claim_codes).toMatch(/^dx: /);
      expect(r.exception_ids!.split(' ').every((id) => /^EX[0-9A-F]{16}$/.test(id))).toBe(true);
      expect(['coding', 'registration', 'provider-enrollment', 'billing']).toContain(r.team);
    }
    expect(pick.member!.team).toBe('registration');
    expect(pick.npi!.team).toBe('provider-enrollment');
    // Messages lead with the action.
    expect(pick.replace!.findings).toMatch(/CODE_LOW_CONFIDENCE \(error\): Review the codes below the confidence threshold: /);
    // Info findings of released claims have their own file; exceptions.csv is the held claims' findings.
    expect(readCsv(join(night1.outDir, 'exceptions.csv')).every((r) => r.record_state === 'exception' && r.status !== 'info')).toBe(true);
    expect(readCsv(join(night1.outDir, 'released-warnings.csv')).every((r) => r.record_state === 'released' && r.status === 'info')).toBe(true);
    const report = readFileSync(join(night1.outDir, 'report.html'), 'utf8');
    expect(report.indexOf('<table ')).toBe(report.indexOf('<table id="worklist"'));
    expect(report).toMatch(new RegExp(`id="tile-needing"><b>${held}</b>`));
  });

  test('an invalid or unverifiable code is refused, naming the line and the code; nothing is applied', () => {
    const db = openDatabase(config.database);
    try {
      const file = join(dir, 'bad.csv');
      writeFileSync(file, answered(worklist1, new Map([
        [pick.replace!.encounter_id!, { action: 'add-code', codes: 'E11.999', user: 'ana' }],
        [pick.remove!.encounter_id!, { action: 'add-code', codes: 'ZZ9', user: 'ana' }],
        [pick.pointers!.encounter_id!, { action: 'release', user: 'ana' }],
      ])));
      const err = refusal(() => applyResolutions(db, readResolutionsFile(file), () => new Date(), recodeEditOptions(config), routingFrom(config)));
      expect(err?.code).toBe('RESOLUTIONS_INVALID');
      const line = (enc: string) => worklist1.findIndex((r) => r.encounter_id === enc) + 2;
      expect(err?.details).toEqual(expect.arrayContaining([
        `line ${line(pick.replace!.encounter_id!)}: E11.999 is not in the starter ICD-10-CM table and cannot be verified; import the official ICD-10-CM release (nightcode codesets import) to answer with it`,
        expect.stringMatching(new RegExp(`^line ${line(pick.remove!.encounter_id!)}: "ZZ9" is not a code nightcode can read`)),
      ]));
      expect((db.prepare('SELECT count(*) AS n FROM resolutions').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
  });

  test('answers of every kind from the filled-in worklist: persisted, shown the next morning, reaching the claim files', async () => {
    const dxOf = (r: CsvRow) => /^dx: (.*?)(?: \| |$)/.exec(r.claim_codes!)![1]!.split(/ (?=\d+ )/).map((x) => x.split(' ')[1]!);
    const replaceFrom = dxOf(pick.replace!).at(-1)!;
    const replaceTo = ['I10', 'E78.5', 'Z79.01'].find((c) => !dxOf(pick.replace!).includes(c))!;
    const removed = dxOf(pick.remove!).at(-1)!;
    const answers = new Map<string, Partial<CsvRow>>([
      [pick.replace!.encounter_id!, { action: 'replace-code', codes: `${replaceFrom} ${replaceTo}`, user: 'ana', note: 'coded from the assessment' }],
      [pick.pointers!.encounter_id!, { action: 'set-pointers', target: '1', codes: '1 2', user: 'ana' }],
      [pick.remove!.encounter_id!, { action: 'remove-code', codes: removed, user: 'ana' }],
      [pick.member!.encounter_id!, { action: 'set-field', target: 'member_id', codes: 'W123456789', user: 'reg1' }],
      [pick.birth!.encounter_id!, { action: 'set-field', target: 'patient_birth_date', codes: '1958-03-14', user: 'reg1' }],
      [pick.npi!.encounter_id!, { action: 'set-field', target: 'attending_npi', codes: '1234567893', user: 'enroll1' }],
      [pick.hold!.encounter_id!, { action: 'hold', hold_reason: 'waiting on Dr. Lee', owner: 'ana', note: 'queried 11/28', user: 'ana' }],
      [pick.void!.encounter_id!, { action: 'void', note: 'duplicate visit', user: 'bo' }],
      [pick.release!.encounter_id!, { action: 'release', user: 'bo' }],
      [pick.assign!.encounter_id!, { owner: 'bo', team: 'billing', user: 'lead' }],
    ]);
    // A second answer on one claim is a row of its own: remove a code, then release.
    const extra = [{ source: pick.replace!.source, encounter_id: pick.replace!.encounter_id, action: 'release', user: 'ana' }];
    const file = join(dir, 'worklist-answered.csv');
    writeFileSync(file, answered(worklist1, answers, extra));
    // The file is answered through the CLI, as staff would.
    const applied = runCli(['resolve', file, '--db', config.database, '--json']);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const result = JSON.parse(applied.stdout) as { applied: number; toRelease: number; toVoid: number; held: number; assigned: number; unanswered: number };
    // Owner, team, hold reason or note changed on four claims: the hold, the assignment, and the notes kept with two answers.
    expect(result).toMatchObject({ toRelease: 7, toVoid: 1, assigned: 4, unanswered: worklist1.length - answers.size });
    // Applying the same file again changes nothing.
    const again = JSON.parse(runCli(['resolve', file, '--db', config.database, '--json']).stdout) as { applied: number; alreadyApplied: number };
    expect(again.applied).toBe(0);

    // Night 2: the same export the next day; the answered claims go out.
    const night2 = await runPipeline({ config, pipeline, businessDate: '2026-11-28', inputDir: EXPORT, log });
    const claims = new Map(claimsOf(night2).map((c) => [c.encounterId, c]));
    const dx = (enc: string) => claims.get(enc)!.diagnoses.map((d) => d.code);
    expect(dx(pick.replace!.encounter_id!)).toContain(replaceTo);
    expect(dx(pick.replace!.encounter_id!)).not.toContain(replaceFrom);
    expect(claims.get(pick.pointers!.encounter_id!)!.lines[0]!.diagnosisPointers).toEqual([1, 2]);
    expect(dx(pick.remove!.encounter_id!)).not.toContain(removed);
    expect(claims.get(pick.member!.encounter_id!)!.coverage.memberId).toBe('W123456789');
    expect(claims.get(pick.birth!.encounter_id!)!.patient.birthDate).toBe('1958-03-14');
    expect(claims.get(pick.npi!.encounter_id!)!.providers.attendingNpi).toBe('1234567893');
    expect(claims.has(pick.release!.encounter_id!)).toBe(true);
    expect(claims.has(pick.void!.encounter_id!)).toBe(false);
    expect(claims.has(pick.hold!.encounter_id!)).toBe(false);
    expect(night2.resolved.released).toBe(7);
    for (const v of validateX12(readdirSync(night2.outDir).filter((n) => n.endsWith('.837')).map((n) => join(night2.outDir, n)))) {
      expect(v.ok, `${v.file}: ${v.errors.join('; ')}`).toBe(true);
    }
    // The morning after: the held claim shows its reason, owner and note; the assigned one its owner and team.
    const worklist2 = readCsv(join(night2.outDir, 'worklist.csv'));
    const row = (enc: string) => worklist2.find((r) => r.encounter_id === enc);
    expect(row(pick.hold!.encounter_id!)).toMatchObject({ status: 'held', hold_reason: 'waiting on Dr. Lee', owner: 'ana', note: 'queried 11/28', age_days: '1' });
    expect(row(pick.assign!.encounter_id!)).toMatchObject({ status: 'open', owner: 'bo', team: 'billing' });
    for (const gone of ['replace', 'pointers', 'remove', 'member', 'birth', 'npi', 'void', 'release']) expect(row(pick[gone]!.encounter_id!), gone).toBeUndefined();
    expect(worklist2.length).toBe(worklist1.length - 8);
    expect(night2.worklist).toMatchObject({ claims: worklist2.length, new: 0 });
    const report2 = readFileSync(join(night2.outDir, 'report.html'), 'utf8');
    expect(report2).toContain('waiting on Dr. Lee');
    expect(report2).toMatch(/id="tile-needing"><b>\d+<\/b>/);
    // status counts the same claims.
    const status = JSON.parse(runCli(['status', '--db', config.database, '--json']).stdout) as { worklist: { claims: number; new: number; dollars: number; oldestDays: number } };
    expect(status.worklist).toMatchObject({ claims: worklist2.length, new: 0 });
    // Counted as the claims are read, the figures are those of the whole worklist.
    const all = JSON.parse(runCli(['worklist', '--db', config.database, '--json']).stdout) as { dollars: number; rows: { ageDays: number }[] };
    expect(status.worklist.dollars).toBe(all.dollars);
    expect(status.worklist.oldestDays).toBe(Math.max(...all.rows.map((r) => r.ageDays)));
    expect(status.worklist.oldestDays).toBe(1);
    // The CLI shows the same queue, filtered by team.
    const billing = JSON.parse(runCli(['worklist', '--db', config.database, '--team', 'billing', '--json']).stdout) as { rows: { encounterId: string }[] };
    expect(billing.rows.map((r) => r.encounterId)).toContain(pick.assign!.encounter_id);
    // The night stores its worklist as it reads it (stored-worklist.ts): the same rows in the
    // same order as read whole, on every pass, with the same figures.
    const check = openDatabase(config.database);
    try {
      const options = { reportDate: '2026-11-28', runId: night2.runId, pipeline: 'nightly-csv', routing: routingFrom(config) };
      const whole = worklistRows(check, options);
      const stored = storedWorklist(check, options);
      expect(whole.some((w) => w.status === 'held') && whole.some((w) => w.owner)).toBe(true);
      expect([...stored.rows()]).toEqual(whole);
      expect([...stored.rows()]).toEqual(whole);
      expect(stored.summary).toEqual(worklistOf(whole).summary);
      expect(stored.summary).toMatchObject({ claims: worklist2.length, newClaims: 0 });
      // Closed, the stored rows go; a night run on a long-lived connection leaves no table behind.
      const tables = () => check.prepare("SELECT count(*) AS n FROM temp.sqlite_master WHERE name = 'nightcode_worklist'").get() as { n: number };
      expect(tables().n).toBe(1);
      stored.close();
      expect(tables().n).toBe(0);
    } finally {
      check.close();
    }

    // Held again the next morning (tonight's run held the claim anew), then the same hold with a
    // newer reason: not a new answer, but the reason is kept.
    const rehold = join(dir, 'rehold.csv');
    writeFileSync(rehold, answered(worklist2, new Map([[pick.hold!.encounter_id!, { action: 'hold', hold_reason: 'still waiting', user: 'ana' }]])));
    expect(JSON.parse(runCli(['resolve', rehold, '--db', config.database, '--json']).stdout)).toMatchObject({ applied: 1, alreadyApplied: 0, assigned: 1 });
    writeFileSync(rehold, answered(worklist2, new Map([[pick.hold!.encounter_id!, { action: 'hold', hold_reason: 'Dr. Lee is away until 12/02', user: 'ana' }]])));
    expect(JSON.parse(runCli(['resolve', rehold, '--db', config.database, '--json']).stdout)).toMatchObject({ alreadyApplied: 1, held: 0, assigned: 1 });
    const mine = JSON.parse(runCli(['worklist', '--db', config.database, '--owner', 'ana', '--json']).stdout) as { rows: { encounterId: string; holdReason: string; status: string }[] };
    expect(mine.rows).toEqual([expect.objectContaining({ encounterId: pick.hold!.encounter_id, holdReason: 'Dr. Lee is away until 12/02', status: 'held' })]);

    // Night 2's worklist answered: the held claim released, with a code added at the front.
    const file2 = join(dir, 'worklist-2.csv');
    copyFileSync(join(night2.outDir, 'worklist.csv'), file2);
    writeFileSync(file2, answered(worklist2, new Map([[pick.hold!.encounter_id!, { action: 'add-code', target: '1', codes: 'I10', user: 'ana', note: 'Dr. Lee answered' }]])));
    const second = JSON.parse(runCli(['resolve', file2, '--db', config.database, '--json']).stdout) as { toRelease: number };
    expect(second.toRelease).toBe(1);
    const night3 = await runPipeline({ config, pipeline, businessDate: '2026-11-29', inputDir: EXPORT, log });
    const held = claimsOf(night3).find((c) => c.encounterId === pick.hold!.encounter_id)!;
    expect(held.diagnoses[0]!.code).toBe('I10');
    expect(readCsv(join(night3.outDir, 'worklist.csv')).some((r) => r.encounter_id === pick.hold!.encounter_id)).toBe(false);
    // Decided, the claim keeps its owner and note on record but no longer a hold reason.
    const db = openDatabase(config.database);
    try {
      expect(db.prepare('SELECT owner, hold_reason, note FROM claim_work WHERE encounter_id = ?').get(pick.hold!.encounter_id)).toEqual({ owner: 'ana', hold_reason: null, note: 'Dr. Lee answered' });
    } finally {
      db.close();
    }
    // The trend has three nights.
    const report3 = readFileSync(join(night3.outDir, 'report.html'), 'utf8');
    expect(report3).toContain('Auto-release rate, last 3 night(s)');
    mkdirSync(join(dir, 'keep'), { recursive: true });
  }, 240_000);
});
