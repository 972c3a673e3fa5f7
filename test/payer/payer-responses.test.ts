import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { silentLogger } from '../../src/log/logger.js';
import { importPayerFiles } from '../../src/payer/import-responses.js';
import { readResponseFile } from '../../src/payer/read-responses.js';
import { simulatePayer, type SimulatedFile, type SimulatedOutcome } from '../../src/payer/simulate-payer.js';
import { RemitProblem } from '../../src/payer/x12-interchange.js';
import { describeAdjustment, describeRemark } from '../../src/payer/reason-codes.js';
import { reasonCodeLookup } from '../../src/payer/reason-code-lists.js';
import { runCli } from '../helpers/cli.js';
import { runPipeline, type RunSummary } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';
import { validateX12 } from '../helpers/x12-validate.js';

/**
 * The payer side of the conversation, on the claims of the bundled sample night: the
 * simulator's 999, 277CA and 835 files pass the independent validator (pyx12) and read back
 * to the outcomes it chose; damaged files are refused with a stable code and the segment;
 * importing is once per file and once per response, and nothing unmatched is dropped.
 */
const dir = tempDir('nightcode-payer-');
const config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 128 } });
const pipeline = loadPipeline('pipelines/nightly-csv.json');
let night: RunSummary;
let claims: { name: string; text: string }[];
let sim: { files: SimulatedFile[]; outcomes: SimulatedOutcome[] };
const respDir = join(dir, 'responses');

beforeAll(async () => {
  night = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: 'data/sample-export', log: silentLogger() });
  claims = readdirSync(night.outDir).filter((f) => f.endsWith('.837')).sort().map((name) => ({ name, text: readFileSync(join(night.outDir, name), 'utf8') }));
  sim = simulatePayer(claims, { seed: 11, rejectRate: 0.1, denyRate: 0.2, setRejectRate: 0.15 });
  mkdirSync(respDir, { recursive: true });
  for (const f of sim.files) writeFileSync(join(respDir, f.name), f.text);
}, 120_000);

const problemOf = (text: string) => {
  try {
    readResponseFile(text);
  } catch (err) {
    if (err instanceof RemitProblem) return { code: err.code, segment: err.segment, message: err.message };
    throw err;
  }
  return undefined;
};

describe('the payer simulator and the response readers', () => {
  test('every claim gets an answer; every response file passes pyx12; the same seed writes the same files', () => {
    const sent = claims.reduce((n, c) => n + (c.text.match(/~CLM\*/g) ?? []).length, 0);
    expect(sim.outcomes.length).toBe(sent);
    const kinds = new Set(sim.outcomes.map((o) => o.outcome));
    for (const k of ['set-rejected', 'rejected', 'paid', 'denied', 'partially-paid']) expect(kinds.has(k as SimulatedOutcome['outcome'])).toBe(true);
    expect(new Set(sim.files.map((f) => f.kind))).toEqual(new Set(['999', '277CA', '835']));
    const verdicts = validateX12(sim.files.map((f) => join(respDir, f.name)));
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(simulatePayer(claims, { seed: 11, rejectRate: 0.1, denyRate: 0.2, setRejectRate: 0.15 }).files).toEqual(sim.files);
  });

  test('the readers give back what the payer decided, claim by claim, with amounts that balance', () => {
    const status = new Map<string, string>();
    let rejectedSets = 0;
    for (const f of sim.files) {
      const read = readResponseFile(f.text);
      expect(read.kind).toBe(f.kind);
      for (const r of read.responses) {
        if (r.kind === '999') rejectedSets += r.status === 'rejected' ? 1 : 0;
        else status.set(r.claimId!, r.status === 'accepted' ? status.get(r.claimId!) ?? 'accepted' : r.status);
        if (r.kind === '835') {
          const a = r.amounts!;
          expect(a.billed - a.adjusted).toBe(a.paid);
          expect(a.allowed).toBe(a.paid + a.patient);
        }
      }
    }
    expect(rejectedSets).toBeGreaterThan(0);
    for (const o of sim.outcomes) {
      if (o.outcome === 'set-rejected') expect(status.has(o.claimId)).toBe(false);
      else expect([o.claimId, status.get(o.claimId)]).toEqual([o.claimId, o.outcome]);
    }
    const denied = sim.files.filter((f) => f.kind === '835').flatMap((f) => readResponseFile(f.text).responses).find((r) => r.status === 'denied')!;
    expect(denied.adjustments!.some((a) => a.carc !== '45' && a.amount > 0)).toBe(true);
  });

  test('a damaged file is refused with a stable code and the segment that shows it', () => {
    const x835 = sim.files.find((f) => f.kind === '835')!.text;
    const segs = x835.split('~\n');
    const at = (id: string) => segs.findIndex((s) => s.startsWith(`${id}*`));
    expect(problemOf('hello, this is not X12')).toMatchObject({ code: 'REMIT_NOT_X12', segment: 1 });
    expect(problemOf(segs.filter((s) => !s.startsWith('IEA')).join('~\n'))).toMatchObject({ code: 'REMIT_ENVELOPE' });
    const seBad = segs.map((s) => (s.startsWith('SE*') ? s.replace(/^SE\*\d+/, 'SE*3') : s)).join('~\n');
    expect(problemOf(seBad)).toMatchObject({ code: 'REMIT_ENVELOPE', segment: at('SE') + 1 });
    // A claim paid one cent more than its charge less its adjustments.
    const clp = at('CLP');
    const unbalanced = segs.map((s, i) => (i === clp ? s.replace(/^(CLP\*[^*]+\*[^*]+\*[^*]+\*)([0-9.]+)/, (_m, a: string, paid: string) => `${a}${(Number(paid) + 0.01).toFixed(2)}`) : s)).join('~\n');
    expect(problemOf(unbalanced)).toMatchObject({ code: 'REMIT_UNBALANCED' });
    const badAmount = segs.map((s, i) => (i === clp ? s.replace(/^(CLP\*[^*]+\*[^*]+\*)[^*]+/, '$1ABC') : s)).join('~\n');
    expect(problemOf(badAmount)).toMatchObject({ code: 'REMIT_SEGMENT_INVALID', segment: clp + 1 });
    expect(problemOf(claims[0]!.text)).toMatchObject({ code: 'REMIT_TRANSACTION_UNKNOWN' });
  });
});

describe('importing responses into the ledger', () => {
  test('each file once, each response once, unmatched reported, damaged files quarantined while the rest is read', () => {
    const db = openDatabase(config.database);
    try {
      const bad = join(dir, 'bad');
      mkdirSync(bad, { recursive: true });
      writeFileSync(join(bad, 'garbage.edi'), 'not an interchange');
      const a835 = sim.files.find((f) => f.kind === '835')!;
      writeFileSync(join(bad, 'truncated.edi'), a835.text.slice(0, a835.text.lastIndexOf('SE*')));
      // An answer about a claim we never sent: a copy of a 277CA with its patient control numbers changed.
      const a277 = sim.files.find((f) => f.kind === '277CA')!;
      writeFileSync(join(bad, 'stranger.edi'), a277.text.replace(/TRN\*2\*NC/g, 'TRN*2*XX'));
      const files = [...sim.files.map((f) => join(respDir, f.name)), join(bad, 'garbage.edi'), join(bad, 'truncated.edi'), join(bad, 'stranger.edi')];
      const opts = { businessDate: '2026-11-28', now: () => new Date('2026-11-28T07:00:00Z') };
      const s = importPayerFiles(db, files, opts);
      expect(s.files).toBe(files.length);
      expect(s.quarantined).toBe(2);
      expect(s.results.filter((r) => r.status === 'quarantined').map((r) => r.code).sort()).toEqual(['REMIT_ENVELOPE', 'REMIT_NOT_X12']);
      expect(s.responses).toBe(s.matched + s.unmatched + s.duplicates);
      const strangers = readResponseFile(readFileSync(join(bad, 'stranger.edi'), 'latin1')).responses.length;
      expect(s.unmatched).toBe(strangers);
      expect(s.unmatchedResponses.every((u) => u.reference.startsWith('XX'))).toBe(true);
      expect(s.duplicates).toBe(0);
      // Every claim the simulator answered stands where the payer put it.
      const lifecycle = new Map((db.prepare('SELECT claim_id, status FROM claim_lifecycle').all() as { claim_id: string; status: string }[]).map((r) => [r.claim_id, r.status]));
      for (const o of sim.outcomes) expect([o.claimId, lifecycle.get(o.claimId)]).toEqual([o.claimId, o.outcome === 'set-rejected' ? 'rejected' : o.outcome]);
      expect(s.claims).toBe(sim.outcomes.length);
      // Rejected before adjudication: no longer billed, not anyone's duplicate.
      const rejected = sim.outcomes.find((o) => o.outcome === 'rejected')!.claimId;
      const ledger = db.prepare('SELECT l.billed_claim_id, l.last_state FROM ledger l JOIN claim_lifecycle c ON c.source = l.source AND c.encounter_id = l.encounter_id WHERE c.claim_id = ?').get(rejected);
      expect(ledger).toEqual({ billed_claim_id: null, last_state: 'rejected' });
      expect(db.prepare('SELECT count(*) AS n FROM claim_fingerprints WHERE claim_id = ?').get(rejected)).toEqual({ n: 0 });
      // Findings for each rejection, denial and partial payment, on the claim as sent.
      const findings = db.prepare("SELECT code, count(*) AS n FROM exceptions WHERE stage = 'payer' GROUP BY code ORDER BY code").all();
      const n = (o: string) => sim.outcomes.filter((x) => x.outcome === o).length;
      expect(findings).toEqual([
        { code: 'PAYER_CLAIM_DENIED', n: n('denied') },
        { code: 'PAYER_CLAIM_PARTIALLY_PAID', n: n('partially-paid') },
        { code: 'PAYER_CLAIM_REJECTED', n: n('rejected') + n('set-rejected') },
      ]);
      const paid = sim.outcomes.find((o) => o.outcome === 'paid')!;
      expect((db.prepare('SELECT paid FROM claim_lifecycle WHERE claim_id = ?').get(paid.claimId) as { paid: number }).paid).toBe(Math.round(paid.paid * 100));

      // The same files again: all already read. A copy of an 835 in another envelope: each response a duplicate.
      const again = importPayerFiles(db, files, opts);
      expect(again).toMatchObject({ alreadyRead: files.length, responses: 0, matched: 0 });
      const copy = join(bad, 'copy.edi');
      writeFileSync(copy, a835.text.replace(/\*0800\*/g, '*0900*'));
      const dup = importPayerFiles(db, [copy], opts);
      expect(dup.duplicates).toBe(dup.responses);
      expect(dup).toMatchObject({ matched: 0, unmatched: 0 });
      expect((db.prepare('SELECT count(*) AS n FROM payer_responses WHERE applied = 1 AND kind = ?').get('835') as { n: number }).n)
        .toBe(n('paid') + n('denied') + n('partially-paid'));
    } finally {
      db.close();
    }
  });
});

describe('a reversal and its correction', () => {
  test('CLP02 22 takes the payment back (a finding), the corrected payment in the same 835 pays the claim again and closes it', () => {
    const db = openDatabase(config.database);
    try {
      const paid = sim.outcomes.find((o) => o.outcome === 'paid' && o.paid > 10)!;
      const before = db.prepare('SELECT paid, billed, payer_claim_id, status FROM claim_lifecycle WHERE claim_id = ?').get(paid.claimId) as { paid: number; billed: number; payer_claim_id: string; status: string };
      expect(before.status).toBe('paid');
      const header = sim.files.find((f) => f.kind === '835')!.text.split('~\n').slice(0, 2).join('~\n');
      const d = (c: number) => (c / 100).toFixed(2);
      const newPaid = before.paid - 500;
      const body = [
        'ST*835*0001', `BPR*I*${d(newPaid - before.paid)}*C*CHK************20261205`, 'TRN*1*REV0001*1999999999', 'DTM*405*20261205',
        'N1*PR*PAYER', 'N3*100 PAYER WAY', 'N4*CLAIMSVILLE*MN*55401', 'PER*BL*PROVIDER SERVICES*TE*8005550100', 'N1*PE*PROVIDER*XX*1234567893', 'LX*1',
        `CLP*${paid.claimId}*22*-${d(before.billed)}*-${d(before.paid)}*0*12*${before.payer_claim_id}*11*1`, `CAS*CO*45*-${d(before.billed - before.paid)}`,
        `CLP*${paid.claimId}*1*${d(before.billed)}*${d(newPaid)}*0*12*${before.payer_claim_id}*11*1`, `CAS*CO*45*${d(before.billed - newPaid)}`,
      ];
      const text = `${header}~\n${body.join('~\n')}~\nSE*${body.length + 1}*0001~\nGE*1*${/GS\*(?:[^*]*\*){5}(\d+)/.exec(header)![1]}~\nIEA*1*${/ISA(?:\*[^*]*){12}\*(\d+)/.exec(header)![1]}~\n`;
      const file = join(dir, 'reversal.edi');
      writeFileSync(file, text);
      const s = importPayerFiles(db, [file], { businessDate: '2026-12-05', now: () => new Date('2026-12-05T07:00:00Z') });
      expect(s).toMatchObject({ quarantined: 0, responses: 2, matched: 2, byStatus: { paid: 1 } });
      const after = db.prepare('SELECT paid, status FROM claim_lifecycle WHERE claim_id = ?').get(paid.claimId);
      expect(after).toEqual({ paid: newPaid, status: 'paid' });
      const steps = db.prepare("SELECT to_state FROM audit_log WHERE action = 'payer-835' AND detail LIKE ? ORDER BY id").all(`${paid.claimId} %`).map((r) => (r as { to_state: string }).to_state);
      expect(steps.slice(-2)).toEqual(['reversed', 'paid']);
      const finding = db.prepare("SELECT s.status FROM exceptions e JOIN exception_status s ON s.exception_id = e.exception_id WHERE e.code = 'PAYER_PAYMENT_REVERSED' AND e.message LIKE ?").get(`%${paid.claimId}%`);
      expect(finding).toEqual({ status: 'superseded' });
    } finally {
      db.close();
    }
  });
});

describe("the publisher's reason code lists", () => {
  test("imported whole or not at all; the team's words first, the list's for other codes, stopped codes said so", () => {
    const db = join(dir, 'codes.db');
    const file = join(dir, 'carc.csv');
    writeFileSync(file, [
      'Code,Description',
      '50,"These are non-covered services because this is not deemed a medical necessity by the payer. Start: 01/01/1995 | Last Modified: 03/01/2018"',
      '272,"Coverage/program guidelines were not met. Start: 11/01/2017"',
      "B12,\"Services not documented in patient's medical records. Start: 01/01/1997 | Stop: 01/01/2020\"",
    ].join('\r\n'));
    const r = runCli(['remit', 'codes', file, '--list', 'carc', '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ list: 'carc', codes: 3, added: 3, updated: 0, stopped: 1 });
    const tab = join(dir, 'rarc.txt');
    writeFileSync(tab, 'Code\tDescription\tStart\tStop\nN657\tThis should be billed with the appropriate code for these services.\t11/01/2013\t\n');
    expect(JSON.parse(runCli(['remit', 'codes', tab, '--list', 'rarc', '--db', db, '--json']).stdout)).toMatchObject({ codes: 1, added: 1 });
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'Code,Description\n97,fine\nX-1,not a code\n98,\n');
    const refused = runCli(['remit', 'codes', bad, '--list', 'carc', '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/2 row\(s\) cannot be read; nothing was imported/);
    expect(refused.stderr).toMatch(/line 3: "X-1" is not a CARC code/);
    expect(refused.stderr).toMatch(/line 4: code 98 has no description/);
    const store = openDatabase(db);
    try {
      const words = reasonCodeLookup(store);
      expect(describeAdjustment('CO', '50', words)).toBe('CO-50 not covered: the payer does not consider the service medically necessary');
      expect(describeAdjustment('CO', '272', words)).toBe('CO-272 Coverage/program guidelines were not met.');
      expect(describeAdjustment('CO', 'B12', words)).toBe("CO-B12 Services not documented in patient's medical records. (code stopped 2020-01-01)");
      expect(describeAdjustment('CO', '97', words)).toBe('CO-97 paid as part of another service or procedure (bundled)');
      expect(describeAdjustment('CO', '999', words)).toBe('CO-999 (no description on file)');
      expect(describeRemark('N657', words)).toBe('N657 This should be billed with the appropriate code for these services.');
      expect((store.prepare("SELECT count(*) AS n FROM payer_reason_codes WHERE code = '97'").get() as { n: number }).n).toBe(0);
    } finally {
      store.close();
    }
  });
});
