import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import type { ClaimRecord } from '../../src/emit/claims/claim-record.js';
import { WORKLIST_CSV_COLUMNS } from '../../src/emit/worklist/worklist-csv.js';
import { silentLogger } from '../../src/log/logger.js';
import { runPipeline, type RunSummary } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli } from '../helpers/cli.js';
import { csvCell, readCsv, type CsvRow } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The loop with payers over three nights: night 1's claims are answered by the simulated
 * payer (999, 277CA, 835 in the payer inbox); night 2 reads the answers, its worklist carries
 * the rejections, denials and partial payments with their reasons; staff answer in
 * worklist.csv (resubmit, correct and resubmit, appeal, write off) dropped in the answers
 * inbox; night 3 sends a new claim for the rejection and replacements for the denials, and
 * `remit import` reads the payer's answers to those. Every X12 file on both sides passes
 * pyx12 (the temp folder's teardown), and every response is matched or reported.
 */
const dir = tempDir('nightcode-payer-loop-');
const payerInbox = join(dir, 'payer-inbox');
const answersInbox = join(dir, 'answers');
const config = configSchema.parse({
  database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 128 },
  remit: { inbox: payerInbox }, resolutions: { inbox: answersInbox },
});
const pipeline = loadPipeline('pipelines/nightly-csv.json');
const EXPORT = 'data/sample-export';
const night = (businessDate: string) => runPipeline({ config, pipeline, businessDate, inputDir: EXPORT, log: silentLogger() });
const x12Of = (s: RunSummary) => readdirSync(s.outDir).filter((f) => f.endsWith('.837')).map((f) => readFileSync(join(s.outDir, f), 'utf8')).join('\n');
const claimsOf = (s: RunSummary) => readFileSync(join(s.outDir, 'claims.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ClaimRecord);
const findingCodes = (r: CsvRow) => r.findings!.split(' | ').map((f) => f.split(' (')[0]!);

describe('three nights with a payer', () => {
  let night1: RunSummary;
  let night2: RunSummary;
  let night3: RunSummary;
  let worklist2: CsvRow[];
  const pick: Record<string, CsvRow> = {};
  const status = (claimId: string) => {
    const db = openDatabase(config.database);
    try {
      return (db.prepare('SELECT status, payer_claim_id FROM claim_lifecycle WHERE claim_id = ?').get(claimId) as { status: string; payer_claim_id: string | null } | undefined);
    } finally {
      db.close();
    }
  };
  const claimIdIn = (r: CsvRow) => /claim (NC[A-Z0-9]+-\d+)/.exec(r.findings!)![1]!;

  beforeAll(async () => {
    night1 = await night('2026-11-27');
    const sim = runCli(['simulate-payer', '--claims', night1.outDir, '--out', payerInbox, '--seed', '5', '--reject-rate', '0.12', '--deny-rate', '0.3', '--policy-rate', '0.1', '--json']);
    expect(sim.stderr).toBe('');
    expect(sim.code).toBe(0);
    // A damaged answer in the inbox too: quarantined, and the night goes on.
    writeFileSync(join(payerInbox, 'damaged.edi'), 'ISA*00*broken');
    night2 = await night('2026-11-28');
    worklist2 = readCsv(join(night2.outDir, 'worklist.csv'));
    const take = (name: string, code: string) => {
      const r = worklist2.find((x) => findingCodes(x).join() === code && x.claim_type === '837P' && !Object.values(pick).includes(x));
      if (!r) throw new Error(`night 2 has no claim for "${name}"`);
      pick[name] = r;
    };
    take('resubmit-rejected', 'PAYER_CLAIM_REJECTED');
    take('resubmit-denied', 'PAYER_CLAIM_DENIED');
    take('correct-denied', 'PAYER_CLAIM_DENIED');
    take('appeal', 'PAYER_CLAIM_DENIED');
    take('write-off', 'PAYER_CLAIM_PARTIALLY_PAID');
    const answers = new Map<string, Partial<CsvRow>>([
      [pick['resubmit-rejected']!.encounter_id!, { action: 'resubmit', user: 'ana' }],
      [pick['resubmit-denied']!.encounter_id!, { action: 'resubmit', user: 'ana', note: 'payer error; resent as is' }],
      [pick['correct-denied']!.encounter_id!, { action: 'set-field', target: 'member_id', codes: 'NEWID12345', user: 'ana' }],
      [pick.appeal!.encounter_id!, { action: 'appeal', user: 'ben', note: 'records sent to the payer' }],
      [pick['write-off']!.encounter_id!, { action: 'write-off', user: 'ben' }],
    ]);
    const header = [...WORKLIST_CSV_COLUMNS];
    const line = (r: Partial<CsvRow>) => header.map((h) => csvCell(r[h] ?? '')).join(',');
    mkdirSync(answersInbox, { recursive: true });
    writeFileSync(join(answersInbox, 'answers-2026-11-28.csv'), `\uFEFF${[header.join(','), ...worklist2.map((r) => line({ ...r, ...answers.get(r.encounter_id!) }))].join('\r\n')}\r\n`);
    night3 = await night('2026-11-29');
  }, 240_000);

  test('night 2 reads every answer: counts reconcile, the damaged file is quarantined, the night completes', () => {
    const p = night2.payerFiles!;
    expect(p.files).toBe(readdirSync(payerInbox).length);
    expect(p.quarantined).toBe(1);
    expect(p.results.find((r) => r.status === 'quarantined')).toMatchObject({ code: 'REMIT_NOT_X12' });
    expect(p.responses).toBeGreaterThan(0);
    expect(p.responses).toBe(p.matched + p.unmatched + p.duplicates);
    expect(p.unmatched).toBe(0);
    expect(Object.values(p.byStatus).reduce((a, b) => a + b, 0)).toBe(p.claims);
    expect(night2.counts.released).toBe(0); // the same export again: nothing new to bill
    expect(night3.payerFiles).toMatchObject({ alreadyRead: p.files, responses: 0 });
  });

  test("night 2's worklist: each rejection, denial and partial payment with the reason in words and what to do", () => {
    const payer = worklist2.filter((r) => findingCodes(r).some((c) => c.startsWith('PAYER_')));
    expect(payer.length).toBe(Object.entries(night2.payerFiles!.byStatus).filter(([s]) => ['rejected', 'denied', 'partially-paid'].includes(s)).reduce((a, [, n]) => a + n, 0));
    const denied = pick.appeal!;
    expect(denied.findings).toMatch(/PAYER_CLAIM_DENIED \(error\): (Appeal|Correct and resubmit|Write off|Correct the coverage): \S+ denied claim NC\S+ \(charge [0-9.]+, paid 0\.00\): (CO|PR)-\d+ \S/);
    expect(denied.evidence).toMatch(/^PAYER_CLAIM_DENIED: 835 \S+\.835 segment \d+, payer claim P[0-9A-F]+, trace EFT/);
    expect(denied.team).toBe('billing');
    expect(pick['resubmit-rejected']!.findings).toMatch(/PAYER_CLAIM_REJECTED \(error\): Correct and resubmit: \S+ rejected claim NC\S+ \(charge [0-9.]+\) before adjudication: /);
  });

  test('night 3 sends a new claim after a rejection and replacements naming the payer\'s claim number after denials', () => {
    const sent = claimsOf(night3);
    const of = (name: string) => sent.find((c) => c.encounterId === pick[name]!.encounter_id)!;
    const rejectedId = claimIdIn(pick['resubmit-rejected']!);
    expect(of('resubmit-rejected')).toMatchObject({ frequency: '1' });
    expect(of('resubmit-rejected').originalClaimId).toBeUndefined();
    expect(of('resubmit-rejected').claimId).not.toBe(rejectedId);
    for (const name of ['resubmit-denied', 'correct-denied']) {
      const original = claimIdIn(pick[name]!);
      const c = of(name);
      expect(c).toMatchObject({ frequency: '7', originalClaimId: original });
      // REF*F8 carries the payer's claim control number from its 835 (CLP07), not ours.
      const payerNumber = status(original)!.payer_claim_id!;
      expect(payerNumber).toMatch(/^P[0-9A-F]{13}$/);
      expect(x12Of(night3)).toContain(`CLM*${c.claimId}*`);
      expect(x12Of(night3)).toContain(`REF*F8*${payerNumber}~`);
      expect(status(original)!.status).toBe('resubmitted');
    }
    expect(of('correct-denied').coverage.memberId).toBe('NEWID12345');
    // The summary counts the replacements sent (frequency 7), those released by resolutions included.
    expect(night3.worklist).toMatchObject({ replacements: sent.filter((c) => c.frequency === '7').length, voids: sent.filter((c) => c.frequency === '8').length });
    expect(night3.worklist!.replacements).toBeGreaterThanOrEqual(2);
    expect(sent.some((c) => c.encounterId === pick.appeal!.encounter_id || c.encounterId === pick['write-off']!.encounter_id)).toBe(false);
    expect(status(claimIdIn(pick.appeal!))!.status).toBe('appealed');
    expect(status(claimIdIn(pick['write-off']!))!.status).toBe('written-off');
    expect(status(rejectedId)!.status).toBe('resubmitted');
    const worklist3 = readCsv(join(night3.outDir, 'worklist.csv'));
    for (const name of Object.keys(pick)) expect(worklist3.some((r) => r.encounter_id === pick[name]!.encounter_id)).toBe(false);
    // The payer rows nobody answered are still there, carried over.
    expect(worklist3.filter((r) => findingCodes(r).some((c) => c.startsWith('PAYER_'))).length)
      .toBe(worklist2.filter((r) => findingCodes(r).some((c) => c.startsWith('PAYER_'))).length - Object.keys(pick).length);
    // Every step audited, with who took it.
    const db = openDatabase(config.database);
    try {
      // What the lifecycle keeps of each claim sent (type, payer, the claim it replaces, the
      // charge) is the claim as written, replacements released by resolutions included.
      const kept = db.prepare('SELECT claim_type, payer_id, original_claim_id, billed, frequency FROM claim_lifecycle WHERE claim_id = ?');
      for (const c of sent) {
        expect([c.claimId, kept.get(c.claimId)]).toEqual([c.claimId, {
          claim_type: c.claimType, payer_id: c.coverage.payerId ?? null, original_claim_id: c.originalClaimId ?? null, billed: Math.round(c.totalCharge * 100), frequency: c.frequency,
        }]);
      }
      expect(sent.filter((c) => c.originalClaimId).length).toBeGreaterThanOrEqual(2);
      const steps = db.prepare("SELECT action, actor, to_state FROM audit_log WHERE encounter_id = ? AND (action LIKE 'payer-%' OR action LIKE 'claim-%' OR action LIKE 'resolve-%') ORDER BY id")
        .all(pick.appeal!.encounter_id!);
      expect(steps).toEqual(expect.arrayContaining([
        { action: 'payer-835', actor: 'payer', to_state: 'denied' }, { action: 'resolve-appeal', actor: 'ben', to_state: 'answered' }, { action: 'claim-appealed', actor: 'ben', to_state: 'appealed' },
      ]));
    } finally {
      db.close();
    }
  });

  test('remit import reads the answers to the corrected claims: paid, counted, and never applied twice', () => {
    const out = join(dir, 'night3-answers');
    const sim = runCli(['simulate-payer', '--claims', night3.outDir, '--out', out, '--seed', '9', '--reject-rate', '0', '--deny-rate', '0']);
    expect(sim.code).toBe(0);
    const r = runCli(['remit', 'import', out, '--db', config.database, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { files: number; responses: number; matched: number; unmatched: number; quarantined: number; byStatus: Record<string, number> };
    expect(s).toMatchObject({ files: readdirSync(out).length, unmatched: 0, quarantined: 0 });
    expect(s.matched).toBe(s.responses);
    expect(s.byStatus).toEqual({ paid: claimsOf(night3).length });
    for (const c of claimsOf(night3)) expect(status(c.claimId)!.status).toBe('paid');
    const again = JSON.parse(runCli(['remit', 'import', out, '--db', config.database, '--json']).stdout) as { responses: number; alreadyRead: number };
    expect(again).toMatchObject({ responses: 0, alreadyRead: s.files });
    const text = runCli(['remit', 'import', join(dir, 'nowhere'), '--db', config.database]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/nowhere: no such file or folder/);
  });

  test("night 3's report: the payer section with the answers' figures, and proposals from repeated denials", () => {
    const html = readFileSync(join(night3.outDir, 'report.html'), 'utf8');
    expect(html).toContain('<h2 id="h-payers">');
    const rate = /<figure class="chart" id="chart-denial-rate">.*?<\/figure>/s.exec(html)![0];
    expect([...rate.matchAll(/data-value="([^"]*)"/g)].length).toBeGreaterThan(0);
    const r = runCli(['remit', 'denials', '--db', config.database, '--json']);
    const a = JSON.parse(r.stdout) as { byPayer: { payer: string; denied: number }[]; reasons: { reason: string }[]; proposals: { id: string; payer: string; procedure: string; deniedDiagnosis: string; diagnoses: string[] }[] };
    expect(a.byPayer.reduce((n, p) => n + p.denied, 0)).toBeGreaterThan(0);
    expect(a.reasons.map((x) => x.reason)).toContain('CO-50');
    expect(a.proposals.length).toBeGreaterThan(0);
    for (const p of a.proposals) expect(html).toContain(`<td>${p.id}</td><td>${p.payer}</td><td>${p.procedure}</td><td>${p.deniedDiagnosis}</td>`);
  });

  test('a proposal accepted with one answer holds the claims it names from the next run on', async () => {
    const a = JSON.parse(runCli(['remit', 'rules', '--db', config.database, '--json']).stdout) as { id: string; payer: string; procedure: string; deniedDiagnosis: string; status: string }[];
    const p = a[0]!;
    expect(p.status).toBe('proposed');
    const noUser = runCli(['remit', 'rules', '--db', config.database, '--accept', p.id]);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toMatch(/give --user/);
    const ok = runCli(['remit', 'rules', '--db', config.database, '--accept', p.id, '--user', 'ana']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^${p.id} accepted by ana: ${p.payer} ${p.procedure} covered only for `));
    // The export again with every patient's street written out: every encounter changed, coded and edited anew, under the accepted policy.
    const changed = join(dir, 'export-changed');
    mkdirSync(changed, { recursive: true });
    for (const f of readdirSync(EXPORT)) {
      const text = readFileSync(join(EXPORT, f), 'utf8');
      writeFileSync(join(changed, f), f === 'patients.csv' ? text.replace(/ St,/g, ' Street,') : text);
    }
    const again = await runPipeline({ config, pipeline, businessDate: '2026-11-30', inputDir: changed, log: silentLogger() });
    expect(again.counts.unchanged).toBeLessThan(again.counts.input / 2);
    const held = readCsv(join(again.outDir, 'exceptions.csv')).filter((e) => e.code === 'EDIT_MEDICAL_NECESSITY');
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((e) => e.message!.includes(`${p.id}-${p.payer}-${p.procedure}`))).toBe(true);
    expect(held.some((e) => e.message!.includes(p.deniedDiagnosis))).toBe(true);
    const decided = JSON.parse(runCli(['remit', 'rules', '--db', config.database, '--json']).stdout) as { id: string; status: string; decidedBy?: string }[];
    expect(decided.find((x) => x.id === p.id)).toMatchObject({ status: 'accepted', decidedBy: 'ana' });
  });

  test('resubmit, appeal and write-off answer only a payer\'s rejection or denial', () => {
    const held = readCsv(join(night3.outDir, 'worklist.csv')).find((r) => !findingCodes(r).some((c) => c.startsWith('PAYER_')))!;
    const file = join(dir, 'wrong.csv');
    writeFileSync(file, `encounter_id,action,user\n${held.encounter_id},appeal,ana\n`);
    const r = runCli(['resolve', file, '--db', config.database]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2: encounter \S+: appeal answers a payer's rejection or denial, and there is none here/);
  });
});
