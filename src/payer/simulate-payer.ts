import { createHash } from 'node:crypto';
import { Prng } from '../generate/prng.js';
import { read837, type Submitted837, type SubmittedClaim } from './read-837.js';
import { SegmentWriter } from './x12-interchange.js';

/**
 * A payer (and its clearinghouse) for tests and demos: answers our 837 files the way a
 * payer does, with a 999 implementation acknowledgment (005010X231A1) per file, a 277CA
 * claim acknowledgment (005010X214) per file, and an 835 remittance advice (005010X221A1)
 * per file and payer for the claims it accepted. Seeded: the same files and seed give the
 * same answers. Every response passes the independent validator (pyx12).
 */
export interface SimulateOptions {
  seed: number;
  /** Share of claims the 277CA rejects (A3/A6/A7). */
  rejectRate: number;
  /** Share of accepted claims the 835 denies; half as many more are paid in part (one line denied). */
  denyRate: number;
  /** Share of transaction sets the 999 rejects whole (their claims never reach the payer). */
  setRejectRate?: number;
  /**
   * The payer's own coverage policies: a share of (procedure, diagnosis) pairs it never
   * covers, the same pairs every time (chosen by a hash of payer, pair and seed). Their lines
   * are denied for medical necessity (CO-50 N115): denials a site can learn from.
   */
  policyRate?: number;
  /** The payer's processing date (default: the 837's date plus one day). */
  date?: string;
}

export interface SimulatedFile {
  name: string;
  kind: '999' | '277CA' | '835';
  text: string;
}

export interface SimulatedOutcome {
  claimId: string;
  outcome: 'set-rejected' | 'rejected' | 'paid' | 'partially-paid' | 'denied';
  paid: number;
}

const SEP = { element: '*', component: ':', repetition: '^', segment: '~' };
const d8 = (iso: string) => iso.replace(/-/g, '');
const money = (cents: number) => {
  const s = (cents / 100).toFixed(2);
  return s.endsWith('.00') ? s.slice(0, -3) : s.replace(/0$/, '');
};
function groupInto<T>(m: Map<string, T[]>, key: string, item: T): void {
  const list = m.get(key);
  if (list) list.push(item);
  else m.set(key, [item]);
}
const pad = (s: string, n: number) => s.slice(0, n).padEnd(n, ' ');
const digest = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n).toUpperCase();

/** Denial reasons the simulator picks from: CARC, an RARC that says more, and the group. */
const DENIALS = [
  { carc: '50', rarc: 'N115', group: 'CO' },
  { carc: '16', rarc: 'M51', group: 'CO' },
  { carc: '11', rarc: 'M76', group: 'CO' },
  { carc: '197', rarc: 'N130', group: 'CO' },
  { carc: '27', rarc: 'N30', group: 'PR' },
  { carc: '29', rarc: '', group: 'CO' },
  { carc: '4', rarc: 'N56', group: 'CO' },
  { carc: '96', rarc: 'N130', group: 'PR' },
] as const;
/** 277CA rejections: status category, status code, entity. */
const REJECTIONS = [
  { category: 'A7', status: '164', entity: 'IL' },
  { category: 'A6', status: '562', entity: '85' },
  { category: 'A7', status: '255', entity: '' },
  { category: 'A3', status: '21', entity: '' },
] as const;

function envelope(w: SegmentWriter, x: Submitted837, functionalId: string, version: string, control: number, date: string, body: () => void): void {
  const i = x.interchange;
  const isa = String(control).padStart(9, '0');
  // The payer answers from the 837's receiver to its sender.
  w.seg('ISA', '00', pad('', 10), '00', pad('', 10), i.receiver.qualifier, pad(i.receiver.id, 15), i.sender.qualifier, pad(i.sender.id, 15),
    d8(date).slice(2), '0800', SEP.repetition, '00501', isa, '0', i.usage || 'T', SEP.component);
  w.seg('GS', functionalId, i.receiver.id, i.sender.id, d8(date), '0800', control, 'X', version);
  body();
  w.seg('GE', w.out.filter((s) => s.startsWith('ST*')).length, control);
  w.seg('IEA', 1, isa);
}

/** The 999: each transaction set accepted, or rejected whole (IK5 R) as the plan says. */
function write999(x: Submitted837, rejectedSets: ReadonlySet<string>, control: number, date: string): string {
  const w = new SegmentWriter(SEP);
  envelope(w, x, 'FA', '005010X231A1', control, date, () => {
    // One 999 per functional group of the 837.
    const groups = [...new Set(x.sets.map((s) => s.gs))];
    groups.forEach((gs, gi) => {
      const sets = x.sets.filter((s) => s.gs === gs);
      const start = w.out.length;
      const st = String(gi + 1).padStart(4, '0');
      w.seg('ST', '999', st, '005010X231A1');
      w.seg('AK1', 'HC', gs, sets[0]!.version);
      for (const s of sets) {
        w.seg('AK2', '837', s.st, s.version);
        if (rejectedSets.has(`${s.gs}|${s.st}`)) {
          // IK3/IK4: the first claim's CLM, its element 1 (CLM01, data element 1028) said to be invalid (IK403 7: invalid code value).
          w.seg('IK3', 'CLM', s.firstClaimAt, '2300', '8');
          w.seg('IK4', '1', '1028', '7', s.claimIds[0] ?? '');
          w.seg('IK5', 'R', '5');
        } else {
          w.seg('IK5', 'A');
        }
      }
      const accepted = sets.filter((s) => !rejectedSets.has(`${s.gs}|${s.st}`)).length;
      w.seg('AK9', accepted === sets.length ? 'A' : accepted === 0 ? 'R' : 'P', sets.length, sets.length, accepted);
      w.seg('SE', w.since(start) + 1, st);
    });
  });
  return w.text();
}

/** The 277CA: per claim accepted into adjudication (A2) or rejected (A3/A6/A7), grouped by payer and billing provider. */
function write277(x: Submitted837, claims: readonly SubmittedClaim[], rejected: ReadonlyMap<string, (typeof REJECTIONS)[number]>, control: number, date: string): string {
  const w = new SegmentWriter(SEP);
  const comp = SEP.component;
  envelope(w, x, 'HN', '005010X214', control, date, () => {
    const start = w.out.length;
    w.seg('ST', '277', '0001', '005010X214');
    w.seg('BHT', '0085', '08', `277CA${control}`, d8(date), '0800', 'TH');
    let hl = 0;
    const byPayer = new Map<string, SubmittedClaim[]>();
    for (const c of claims) groupInto(byPayer, c.payer.id, c);
    const totals = (list: readonly SubmittedClaim[]) => {
      const acc = list.filter((c) => !rejected.has(c.claimId));
      const rej = list.filter((c) => rejected.has(c.claimId));
      return { acc: acc.length, rej: rej.length, accAmt: acc.reduce((s, c) => s + c.charge, 0), rejAmt: rej.reduce((s, c) => s + c.charge, 0) };
    };
    for (const [payerId, list] of byPayer) {
      const source = ++hl;
      w.seg('HL', source, '', '20', '1');
      w.seg('NM1', 'PR', '2', list[0]!.payer.name || payerId, '', '', '', '', 'PI', payerId);
      w.seg('TRN', '1', `${control}${source}`);
      w.seg('DTP', '050', 'D8', d8(x.interchange.date || date));
      w.seg('DTP', '009', 'D8', d8(date));
      const receiver = ++hl;
      w.seg('HL', receiver, source, '21', '1');
      w.seg('NM1', '41', '2', x.submitter.name || x.interchange.sender.id, '', '', '', '', '46', x.submitter.id || x.interchange.sender.id);
      // 2200B TRN02: the submitter's batch, here the 837's interchange control number.
      w.seg('TRN', '2', x.interchange.control);
      const t = totals(list);
      w.seg('STC', `A1${comp}19${comp}PR`, d8(date), 'WQ', money(t.accAmt + t.rejAmt));
      if (t.acc) w.seg('QTY', '90', t.acc);
      if (t.rej) w.seg('QTY', 'AA', t.rej);
      if (t.acc) w.seg('AMT', 'YU', money(t.accAmt));
      if (t.rej) w.seg('AMT', 'YY', money(t.rejAmt));
      const byProvider = new Map<string, SubmittedClaim[]>();
      for (const c of list) groupInto(byProvider, c.billingProvider.npi, c);
      for (const [npi, pl] of byProvider) {
        const provider = ++hl;
        w.seg('HL', provider, receiver, '19', '1');
        w.seg('NM1', '85', '2', pl[0]!.billingProvider.name || 'PROVIDER', '', '', '', '', 'XX', npi);
        w.seg('TRN', '1', '0');
        const pt = totals(pl);
        w.seg('STC', `A1${comp}19${comp}PR`, '', 'WQ', money(pt.accAmt + pt.rejAmt));
        if (pt.acc) w.seg('QTY', 'QA', pt.acc);
        if (pt.rej) w.seg('QTY', 'QC', pt.rej);
        if (pt.acc) w.seg('AMT', 'YU', money(pt.accAmt));
        if (pt.rej) w.seg('AMT', 'YY', money(pt.rejAmt));
        for (const c of pl) {
          w.seg('HL', ++hl, provider, 'PT');
          w.seg('NM1', 'QC', '1', c.patient.lastName || 'UNKNOWN', c.patient.firstName, '', '', '', 'MI', c.subscriber.memberId || 'UNKNOWN');
          w.seg('TRN', '2', c.claimId);
          const r = rejected.get(c.claimId);
          if (r) {
            w.seg('STC', [r.category, r.status, r.entity].filter(Boolean).join(comp), d8(date), 'U', money(c.charge));
          } else {
            w.seg('STC', `A2${comp}20${comp}PR`, d8(date), 'WQ', money(c.charge));
            w.seg('REF', '1K', payerClaimNumber(c));
          }
          w.seg('DTP', '472', 'RD8', `${d8(c.from)}-${d8(c.to)}`);
        }
      }
    }
    w.seg('SE', w.since(start) + 1, '0001');
  });
  return w.text();
}

/** The payer's own claim number (CLP07, 277CA REF*1K), stable per claim. */
export function payerClaimNumber(c: SubmittedClaim): string {
  return `P${digest(`${c.payer.id}|${c.claimId}`, 13)}`;
}

interface Adjudication {
  claim: SubmittedClaim;
  outcome: 'paid' | 'partially-paid' | 'denied';
  denial?: (typeof DENIALS)[number];
  lines: { charge: number; paid: number; allowed: number; adjustments: { group: string; carc: string; amount: number }[]; rarc?: string }[];
}

/** Whether the payer's policy excludes a (procedure, diagnosis) pair: the same answer for the same pair every time. */
function notCovered(payer: string, procedure: string, diagnosis: string, seed: number, rate: number): boolean {
  if (!rate || !procedure) return false;
  return parseInt(digest(`${payer}|${procedure}|${diagnosis}|${seed}`, 8), 16) / 0x100000000 < rate;
}

const POLICY_DENIAL = { carc: '50', rarc: 'N115', group: 'CO' } as const;

function adjudicate(c: SubmittedClaim, prng: Prng, o: SimulateOptions): Adjudication {
  const roll = prng.next();
  // A line is covered when any diagnosis it points to supports it: denied when none does.
  const byPolicy = c.lines.map((l) => l.diagnoses.length > 0 && l.diagnoses.every((d) => notCovered(c.payer.id, l.procedure, d, o.seed, o.policyRate ?? 0)));
  const policyLines = byPolicy.filter(Boolean).length;
  const outcome = policyLines === c.lines.length && policyLines > 0 ? 'denied' : policyLines > 0 ? 'partially-paid'
    : roll < o.denyRate ? 'denied' : roll < o.denyRate * 1.5 && c.lines.length > 1 ? 'partially-paid' : 'paid';
  const denial = outcome === 'paid' ? undefined : policyLines > 0 ? POLICY_DENIAL : prng.pick(DENIALS);
  const deniedLine = outcome === 'partially-paid' && policyLines === 0 ? prng.int(0, c.lines.length - 1) : -1;
  const lines = c.lines.map((l, i) => {
    if (outcome === 'denied' || i === deniedLine || byPolicy[i]) {
      return { charge: l.charge, paid: 0, allowed: 0, adjustments: [{ group: denial!.group, carc: denial!.carc, amount: l.charge }], ...(denial!.rarc ? { rarc: denial!.rarc } : {}) };
    }
    // Allowed at 55–85% of the charge; the patient owes a 20% coinsurance on some lines.
    const allowed = Math.round(l.charge * (0.55 + prng.next() * 0.3));
    const coinsurance = prng.chance(0.4) ? Math.round(allowed * 0.2) : 0;
    const adjustments = [{ group: 'CO', carc: '45', amount: l.charge - allowed }, ...(coinsurance ? [{ group: 'PR', carc: '2', amount: coinsurance }] : [])].filter((a) => a.amount !== 0);
    return { charge: l.charge, paid: allowed - coinsurance, allowed, adjustments };
  });
  return { claim: c, outcome, ...(denial ? { denial } : {}), lines };
}

/** CLP06 claim filing indicator from the 837's SBR09 (X12 1032). */
const filingCode = (sbr09: string) => (['MA', 'MB', 'MC', 'HM', 'CH', 'DS', 'LM', 'AM', '12', '13', '14', '15', '16', '17'].includes(sbr09) ? sbr09 : sbr09 === 'CI' ? '12' : '15');

/** The 835 of one payer's adjudicated claims: BPR/TRN pay the total, a CLP per claim with its adjustments, an SVC per line. */
function write835(x: Submitted837, payer: { id: string; name: string }, adjudicated: readonly Adjudication[], control: number, date: string): string {
  const w = new SegmentWriter(SEP);
  const comp = SEP.component;
  envelope(w, x, 'HP', '005010X221A1', control, date, () => {
    const start = w.out.length;
    w.seg('ST', '835', '0001');
    const total = adjudicated.reduce((s, a) => s + a.lines.reduce((t, l) => t + l.paid, 0), 0);
    const trace = `EFT${control}${digest(payer.id, 4)}`;
    if (total > 0) w.seg('BPR', 'I', money(total), 'C', 'CHK', '', '', '', '', '', '', '', '', '', '', '', d8(date));
    else w.seg('BPR', 'H', '0', 'C', 'NON', '', '', '', '', '', '', '', '', '', '', '', d8(date));
    // TRN03: the payer's identifier, "1" and its tax id.
    w.seg('TRN', '1', trace, `1${digest(payer.id, 9).replace(/[^0-9]/g, '7').slice(0, 9).padEnd(9, '7')}`);
    w.seg('DTM', '405', d8(date));
    w.seg('N1', 'PR', payer.name || payer.id);
    w.seg('N3', '100 PAYER WAY');
    w.seg('N4', 'CLAIMSVILLE', 'MN', '55401');
    w.seg('PER', 'BL', 'PROVIDER SERVICES', 'TE', '8005550100');
    const provider = adjudicated[0]!.claim.billingProvider;
    w.seg('N1', 'PE', provider.name || 'PROVIDER', 'XX', provider.npi);
    adjudicated.forEach((a, i) => {
      if (i === 0) w.seg('LX', 1);
      const c = a.claim;
      const paid = a.lines.reduce((s, l) => s + l.paid, 0);
      const patient = a.lines.reduce((s, l) => s + l.adjustments.filter((x) => x.group === 'PR').reduce((t, x) => t + x.amount, 0), 0);
      w.seg('CLP', c.claimId, a.outcome === 'denied' ? '4' : '1', money(c.charge), money(paid), money(patient), filingCode(c.filing), payerClaimNumber(c), c.facility || '11', c.frequency || '1');
      w.seg('NM1', 'QC', '1', c.patient.lastName || 'UNKNOWN', c.patient.firstName, '', '', '', 'MI', c.subscriber.memberId || 'UNKNOWN');
      if (a.denial?.rarc && a.outcome === 'denied') w.seg('MOA', '', '', a.denial.rarc);
      w.seg('DTM', '232', d8(c.from));
      if (c.to && c.to !== c.from) w.seg('DTM', '233', d8(c.to));
      c.lines.forEach((l, li) => {
        const adj = a.lines[li]!;
        const proc = [l.revenueCode && !l.procedure ? 'NU' : 'HC', l.procedure || l.revenueCode || '', ...l.modifiers].join(comp);
        w.seg('SVC', proc, money(adj.charge), money(adj.paid), l.revenueCode && l.procedure ? l.revenueCode : '', l.units);
        w.seg('DTM', '472', d8(l.date || c.from));
        // CAS: one segment per group, up to six reason/amount pairs each.
        const groups = new Map<string, { carc: string; amount: number }[]>();
        for (const x of adj.adjustments) groups.set(x.group, [...(groups.get(x.group) ?? []), x]);
        for (const [group, list] of groups) w.seg('CAS', group, ...list.slice(0, 6).flatMap((x) => [x.carc, money(x.amount), '']).slice(0, -1));
        if (adj.paid > 0) w.seg('AMT', 'B6', money(adj.allowed));
        if (adj.rarc) w.seg('LQ', 'HE', adj.rarc);
      });
    });
    w.seg('SE', w.since(start) + 1, '0001');
  });
  return w.text();
}

/**
 * Answers the 837 interchanges given (name and text): a 999 and a 277CA per file, and an
 * 835 per file and payer when any of its claims were adjudicated. Control numbers run from
 * a number derived from the seed so two simulations do not collide.
 */
export function simulatePayer(files: readonly { name: string; text: string }[], o: SimulateOptions): { files: SimulatedFile[]; outcomes: SimulatedOutcome[] } {
  const prng = new Prng(o.seed);
  const out: SimulatedFile[] = [];
  const outcomes: SimulatedOutcome[] = [];
  let control = 100_000 + (o.seed % 100_000) * 10;
  for (const f of files) {
    const x = read837(f.text);
    const base = f.name.replace(/\.[^.]*$/, '');
    const date = o.date ?? nextDay(x.interchange.date);
    const rejectedSets = new Set(x.sets.filter(() => prng.chance(o.setRejectRate ?? 0)).map((s) => `${s.gs}|${s.st}`));
    out.push({ name: `${base}.999`, kind: '999', text: write999(x, rejectedSets, ++control, date) });
    const reached = x.claims.filter((c) => !rejectedSets.has(`${c.control.gs}|${c.control.st}`));
    for (const c of x.claims.filter((c) => !reached.includes(c))) outcomes.push({ claimId: c.claimId, outcome: 'set-rejected', paid: 0 });
    if (reached.length === 0) continue;
    const rejected = new Map<string, (typeof REJECTIONS)[number]>();
    for (const c of reached) if (prng.chance(o.rejectRate)) rejected.set(c.claimId, prng.pick(REJECTIONS));
    out.push({ name: `${base}.277ca`, kind: '277CA', text: write277(x, reached, rejected, ++control, date) });
    for (const c of reached.filter((c) => rejected.has(c.claimId))) outcomes.push({ claimId: c.claimId, outcome: 'rejected', paid: 0 });
    const byPayer = new Map<string, Adjudication[]>();
    for (const c of reached) {
      if (rejected.has(c.claimId)) continue;
      const a = adjudicate(c, prng, o);
      outcomes.push({ claimId: c.claimId, outcome: a.outcome, paid: a.lines.reduce((s, l) => s + l.paid, 0) / 100 });
      // One 835 per payer and payee (billing provider).
      const key = `${c.payer.id}|${c.billingProvider.npi}`;
      groupInto(byPayer, key, a);
    }
    let n = 0;
    for (const [, list] of [...byPayer.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const payer = list[0]!.claim.payer;
      out.push({ name: `${base}-${++n}.835`, kind: '835', text: write835(x, payer, list, ++control, date) });
    }
  }
  return { files: out, outcomes };
}

function nextDay(iso: string): string {
  const d = new Date(`${iso || '2026-01-01'}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
