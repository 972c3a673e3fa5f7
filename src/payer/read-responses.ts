import { createHash } from 'node:crypto';
import { isOrdinaryAdjustment } from './reason-codes.js';
import { cents, isoDate, readInterchange, RemitProblem, required, type Interchange, type Segment, type TransactionSet } from './x12-interchange.js';

/**
 * The answers payers send back, read into one shape: X12 999 (005010X231A1) per 837
 * transaction set, 277CA (005010X214) per claim, 835 (005010X221A1) per claim with its
 * adjustments. A response names our claim by CLM01 (277CA 2200D TRN02, 835 CLP01) or,
 * for a 999, the group and set control numbers of our 837 (AK102, AK202).
 */
export type ResponseStatus = 'accepted' | 'rejected' | 'paid' | 'partially-paid' | 'denied' | 'reversed';

export interface Adjustment {
  /** CAS01 group: CO contractual, PR patient responsibility, OA other, PI payer initiated. */
  group: string;
  carc: string;
  /** Cents. */
  amount: number;
  /** The service line (1-based SVC order) or undefined for the claim level. */
  line?: number;
}

export interface PayerResponse {
  kind: '999' | '277CA' | '835';
  /** Segment number of the response in its file. */
  segment: number;
  status: ResponseStatus;
  /** Our claim id (CLM01), when the response is about one claim. */
  claimId?: string;
  /** 999: our 837's group and set (GS06, ST02) and the sender it came from (our ISA06). */
  set?: { sender: string; gs: string; st: string };
  payerId?: string;
  payerClaimId?: string;
  /** The payer's processing date. */
  date: string;
  /** 835: billed, paid, patient responsibility and adjustments in cents; allowed = paid + patient responsibility. */
  amounts?: { billed: number; paid: number; patient: number; allowed: number; adjusted: number };
  adjustments?: Adjustment[];
  /** RARC remarks (MOA, MIA, LQ*HE). */
  remarks?: string[];
  /** 277CA STC01 composites ("A7:164:IL"); 999 IK5 and IK3/IK4 notes. */
  statusCodes?: string[];
  /** 835 TRN02 (check or EFT trace number) or 277CA/999 interchange control number. */
  trace: string;
  /** A stable identity of the response: the same answer read twice is one response. */
  key: string;
}

export interface ResponseFile {
  kind: '999' | '277CA' | '835';
  interchange: Interchange;
  responses: PayerResponse[];
}

const keyOf = (...parts: (string | number | undefined)[]) => createHash('sha256').update(parts.map((p) => String(p ?? '')).join('\u0000')).digest('hex').slice(0, 32);

/** Reads a 999, 277CA or 835 interchange; throws RemitProblem naming the segment when it cannot. */
export function readResponseFile(text: string): ResponseFile {
  const x = readInterchange(text);
  const kinds = new Set<'999' | '277CA' | '835'>();
  const responses: PayerResponse[] = [];
  for (const g of x.groups) {
    for (const set of g.sets) {
      if (set.type === '999') {
        kinds.add('999');
        responses.push(...read999(x, set));
      } else if (set.type === '277' && set.version.startsWith('005010X214')) {
        kinds.add('277CA');
        responses.push(...read277ca(x, set, g.date));
      } else if (set.type === '835' && set.version.startsWith('005010X221')) {
        kinds.add('835');
        responses.push(...read835(x, set));
      } else {
        throw new RemitProblem('REMIT_TRANSACTION_UNKNOWN', set.n, `transaction set ${set.type} (${set.version}) at segment ${set.n} is not a 999, 277CA (005010X214) or 835 (005010X221A1)`);
      }
    }
  }
  if (kinds.size === 0) throw new RemitProblem('REMIT_TRANSACTION_UNKNOWN', 1, 'the interchange holds no transaction set');
  if (kinds.size > 1) throw new RemitProblem('REMIT_TRANSACTION_UNKNOWN', 1, `the interchange mixes ${[...kinds].join(' and ')}: one kind of response per file`);
  return { kind: [...kinds][0]!, interchange: x, responses };
}

/** 999: one response per AK2 (an 837 transaction set), accepted (IK5 A, E) or rejected (R, M, W, X). */
function read999(x: Interchange, set: TransactionSet): PayerResponse[] {
  const out: PayerResponse[] = [];
  let group = '';
  let current: PayerResponse | undefined;
  for (const s of set.body) {
    if (s.id === 'AK1') group = required(s, 1, 'group control number');
    else if (s.id === 'AK2') {
      if (!group) throw new RemitProblem('REMIT_SEGMENT_INVALID', s.n, 'AK2 comes before the AK1 that names the group');
      const st = required(s, 1, 'transaction set control number');
      current = { kind: '999', segment: s.n, status: 'accepted', set: { sender: x.receiver.id, gs: group, st }, date: x.date, statusCodes: [], trace: x.control, key: '' };
      out.push(current);
    } else if ((s.id === 'IK3' || s.id === 'IK4') && current) {
      current.statusCodes!.push(`${s.id} ${s.e.filter(Boolean).join(' ')}`);
    } else if (s.id === 'IK5') {
      if (!current) throw new RemitProblem('REMIT_SEGMENT_INVALID', s.n, 'IK5 without the AK2 it answers');
      const code = required(s, 0, 'transaction set acknowledgment code');
      if (!['A', 'E', 'M', 'R', 'W', 'X'].includes(code)) throw new RemitProblem('REMIT_SEGMENT_INVALID', s.n, `IK501 "${code}" is not A, E, M, R, W or X`);
      current.status = code === 'A' || code === 'E' ? 'accepted' : 'rejected';
      current.statusCodes!.unshift(`IK5 ${s.e.filter(Boolean).join(' ')}`);
      current.key = keyOf('999', current.set!.sender, group, current.set!.st, current.status);
      current = undefined;
    }
  }
  if (!group) throw new RemitProblem('REMIT_SEGMENT_INVALID', set.n, `the 999 at segment ${set.n} has no AK1`);
  const open = out.find((r) => !r.key);
  if (open) throw new RemitProblem('REMIT_SEGMENT_INVALID', open.segment, `the AK2 at segment ${open.segment} has no IK5`);
  return out;
}

const REJECTED_CATEGORIES = new Set(['A3', 'A4', 'A6', 'A7', 'A8']);

/** 277CA: one response per 2200D claim (TRN*2 names our CLM01), accepted (A1, A2, A5, A0) or rejected (A3, A4, A6, A7, A8). */
function read277ca(x: Interchange, set: TransactionSet, groupDate: string): PayerResponse[] {
  const out: PayerResponse[] = [];
  let level = '';
  let payerId = '';
  let date = groupDate || x.date;
  let current: PayerResponse | undefined;
  for (const s of set.body) {
    if (s.id === 'HL') {
      level = s.e[2] ?? '';
      current = undefined;
    } else if (s.id === 'NM1' && s.e[0] === 'PR' && level === '20') payerId = s.e[8] ?? '';
    else if (s.id === 'DTP' && s.e[0] === '009' && level === '20') date = isoDate(s.e[2] ?? '') || date;
    else if (s.id === 'TRN' && s.e[0] === '2' && level === 'PT') {
      current = { kind: '277CA', segment: s.n, status: 'accepted', claimId: required(s, 1, 'patient control number'), payerId, date, statusCodes: [], trace: x.control, key: '' };
      out.push(current);
    } else if (s.id === 'STC' && current) {
      const composite = required(s, 0, 'claim status').split(x.separators.component).join(':');
      current.statusCodes!.push(composite);
      if (REJECTED_CATEGORIES.has(composite.split(':')[0]!)) current.status = 'rejected';
      const stcDate = isoDate(s.e[1] ?? '');
      if (stcDate) current.date = stcDate;
    } else if (s.id === 'REF' && s.e[0] === '1K' && current) current.payerClaimId = s.e[1] ?? '';
  }
  for (const r of out) {
    if (r.statusCodes!.length === 0) throw new RemitProblem('REMIT_SEGMENT_INVALID', r.segment, `claim ${r.claimId} at segment ${r.segment} has no STC status`);
    r.key = keyOf('277CA', r.payerId, r.claimId, r.status, r.statusCodes!.join(' '), r.date);
  }
  return out;
}

/**
 * 835: one response per CLP. CLP02 4 is a denial and 22 a reversal; a paid claim with an
 * adjustment that is not ordinary payment (contractual, deductible, coinsurance, co-pay) is
 * partly paid, and a processed claim paying nothing for such reasons is denied. Amounts must
 * balance (TR3 1.10.2): each service's charge less its adjustments is its payment, the claim's
 * charge less all its adjustments is its payment, and BPR02 is the claims' payments less PLB.
 */
function read835(x: Interchange, set: TransactionSet): PayerResponse[] {
  type Working = PayerResponse & { clp: Segment; lineCount: number; svc?: { s: Segment; charge: number; paid: number; adjusted: number } };
  const out: Working[] = [];
  let payerId = '';
  let trace = '';
  let date = x.date;
  let bpr: Segment | undefined;
  let current: Working | undefined;
  let plb = 0;
  const closeService = () => {
    const v = current?.svc;
    if (v && v.charge - v.adjusted !== v.paid) {
      throw new RemitProblem('REMIT_UNBALANCED', v.s.n, `the service at segment ${v.s.n} does not balance: charge ${v.charge / 100} less adjustments ${v.adjusted / 100} is not its payment ${v.paid / 100}`);
    }
    if (current) delete current.svc;
  };
  const closeClaim = () => {
    closeService();
    if (!current) return;
    const a = current.amounts!;
    if (a.billed - a.adjusted !== a.paid) {
      throw new RemitProblem('REMIT_UNBALANCED', current.clp.n, `claim ${current.claimId} at segment ${current.clp.n} does not balance: charge ${a.billed / 100} less adjustments ${a.adjusted / 100} is not its payment ${a.paid / 100}`);
    }
    const code = current.clp.e[1];
    const denials = current.adjustments!.filter((j) => !isOrdinaryAdjustment(j.group, j.carc) && j.amount > 0);
    if (code === '22') current.status = 'reversed';
    else if (code === '4' || (a.paid === 0 && a.patient === 0 && denials.length > 0)) current.status = 'denied';
    else if (denials.length > 0) current.status = 'partially-paid';
    else current.status = 'paid';
    current.key = keyOf('835', payerId, current.claimId, current.payerClaimId, code, a.paid, trace);
    current = undefined;
  };
  for (const s of set.body) {
    switch (s.id) {
      case 'BPR':
        bpr = s;
        date = isoDate(s.e[15] ?? '') || date;
        break;
      case 'TRN':
        if (!current) trace = required(s, 1, 'check or EFT trace number');
        break;
      case 'N1':
        if (s.e[0] === 'PR') payerId = s.e[3] ?? '';
        break;
      case 'REF':
        if (!current && s.e[0] === '2U' && !payerId) payerId = s.e[1] ?? '';
        break;
      case 'CLP': {
        closeClaim();
        const billed = cents(s, 2, 'total claim charge');
        const paid = cents(s, 3, 'claim payment');
        const patient = cents(s, 4, 'patient responsibility', true);
        current = {
          kind: '835', segment: s.n, status: 'paid', claimId: required(s, 0, 'patient control number'), payerId, payerClaimId: s.e[6] ?? '', date,
          amounts: { billed, paid, patient, allowed: paid + patient, adjusted: 0 }, adjustments: [], remarks: [], trace, key: '', clp: s, lineCount: 0,
        };
        if (!['1', '2', '3', '4', '19', '20', '21', '22', '23', '25'].includes(s.e[1] ?? '')) {
          throw new RemitProblem('REMIT_SEGMENT_INVALID', s.n, `CLP02 "${s.e[1] ?? ''}" is not a claim status code of the 835`);
        }
        out.push(current);
        break;
      }
      case 'CAS': {
        if (!current) throw new RemitProblem('REMIT_SEGMENT_INVALID', s.n, 'CAS before any CLP');
        const group = required(s, 0, 'claim adjustment group');
        for (let i = 1; i < s.e.length; i += 3) {
          if (!s.e[i]) continue;
          const amount = cents(s, i + 1, 'adjustment amount');
          current.adjustments!.push({ group, carc: s.e[i]!, amount, ...(current.svc ? { line: current.lineCount } : {}) });
          current.amounts!.adjusted += amount;
          if (current.svc) current.svc.adjusted += amount;
        }
        break;
      }
      case 'SVC':
        if (!current) throw new RemitProblem('REMIT_SEGMENT_INVALID', s.n, 'SVC before any CLP');
        closeService();
        current.lineCount++;
        current.svc = { s, charge: cents(s, 1, 'line charge'), paid: cents(s, 2, 'line payment'), adjusted: 0 };
        break;
      case 'MOA':
      case 'MIA':
        if (current) for (const v of s.e) if (/^[A-Z]{1,2}\d{1,4}$/.test(v)) current.remarks!.push(v);
        break;
      case 'LQ':
        if (current && s.e[0] === 'HE' && s.e[1]) current.remarks!.push(s.e[1]);
        break;
      case 'PLB':
        closeClaim();
        for (let i = 3; i < s.e.length; i += 2) if (s.e[i]) plb += cents(s, i, 'provider adjustment amount');
        break;
      default:
        break;
    }
  }
  closeClaim();
  if (!bpr) throw new RemitProblem('REMIT_SEGMENT_INVALID', set.n, `the 835 at segment ${set.n} has no BPR`);
  const total = cents(bpr, 1, 'total payment');
  const sum = out.reduce((s, r) => s + r.amounts!.paid, 0) - plb;
  if (total !== sum) throw new RemitProblem('REMIT_UNBALANCED', bpr.n, `BPR02 ${total / 100} is not the claims' payments less provider adjustments (${sum / 100})`);
  return out.map(({ clp: _clp, lineCount: _n, svc: _svc, ...r }): PayerResponse => r);
}
