import { INPATIENT_BILL_TYPES } from '../../contract/setting.js';
import type { ClaimRecord } from '../claims/claim-record.js';

/**
 * X12 837 writers: 837P (ASC X12 005010X222A1, professional) and 837I (005010X223A2,
 * institutional), from released claim records. One interchange (ISA/IEA) per file, with one
 * functional group (GS/GE) per claim type in it (a group carries one implementation guide:
 * GS08); transaction sets (ST/SE) of at most 5,000 claims;
 * inside each, claims grouped by billing provider (2000A) and subscriber (2000B), with a
 * patient loop (2000C) when the patient is not the subscriber. Pure: the clock, the
 * control numbers and the parties come in as arguments.
 */
export interface X12Party {
  id: string;
  /** ISA05/ISA07 interchange id qualifier: ZZ mutually defined, 27/28 carrier, 30 tax id … */
  qualifier: string;
  name: string;
}

export interface BillingProvider {
  npi: string;
  name: string;
  taxId: string;
  address: { line1: string; city: string; state: string; zip: string };
  /** Not configured: a placeholder that must not go to a payer. */
  placeholder?: boolean;
}

export interface X12Options {
  sender: X12Party & { contactName: string; contactPhone: string };
  receiver: X12Party;
  usage: 'P' | 'T';
  separators: { element: string; component: string; repetition: string; segment: string };
  /**
   * Allocated by the caller from the database: ISA13, the first GS06 (each further group
   * takes the next) and the first ST02 (transaction sets number on across the groups).
   */
  control: { isa: number; gs: number; st: number };
  now: Date;
  billingProvider(npi: string | undefined): BillingProvider;
  /** Names of rendering and attending providers by NPI (NM1*82, NM1*71); a placeholder when not configured. */
  providerName(npi: string): { last: string; first?: string; placeholder?: boolean };
  /** SBR09 claim filing indicator by payer id (CI commercial, MB Medicare Part B, MC Medicaid …). */
  claimFilingIndicator(payerId: string | undefined): string;
  /** 837I CL1 when the export does not give them: admission type, source, patient status (01 on outpatient claims when none). */
  institutional: { admissionType: string; admissionSource: string; patientStatus?: string };
  /** Claims per transaction set (default MAX_CLAIMS_PER_TRANSACTION). */
  claimsPerTransaction?: number;
  /** Told of every placeholder written (an unconfigured provider), so the file can be marked not ready to send. */
  onPlaceholder?(what: string): void;
  /** Told where each claim travels: its group (GS06) and transaction set (ST02). */
  onClaim?(claim: ClaimRecord, gs: number, st: number): void;
  /**
   * The payer's claim control number of a claim we sent (835 CLP07 or 277CA REF*1K), when a
   * response gave it: REF*F8 of a replacement or void carries it (TR3 837P/837I 2300 REF*F8
   * "Payer Claim Control Number"); else our original claim id, as before any response.
   */
  payerClaimNumber?(claimId: string): string | undefined;
}

export const DEFAULT_SEPARATORS = { element: '*', component: ':', repetition: '^', segment: '~' } as const;
export const MAX_CLAIMS_PER_TRANSACTION = 5000;
const VERSION = { '837P': '005010X222A1', '837I': '005010X223A2' } as const;

/** CCYYMMDD from an ISO date (any other text loses its hyphens). */
const ymd = (iso: string | undefined) => {
  if (iso === undefined) return '';
  if (iso.length === 10 && iso.charCodeAt(4) === 45 && iso.charCodeAt(7) === 45) {
    const d = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8);
    if (!d.includes('-')) return d;
  }
  return iso.replace(/-/g, '');
};
const pad = (s: string, n: number) => s.slice(0, n).padEnd(n, ' ');
const noDot = (code: string) => code.replace('.', '');

/** Transaction sets a group of this many claims takes (an empty group still has one). */
export function setsFor(claims: number): number {
  return Math.max(1, Math.ceil(claims / MAX_CLAIMS_PER_TRANSACTION));
}

/**
 * Values in the X12 basic character set: upper case, accents folded (MÜLLER → MULLER),
 * separators and anything else outside printable ASCII replaced by a space, runs of spaces
 * as one, cut to the element's maximum length (TR3 element attributes).
 */
export function x12Cleaner(sep: X12Options['separators']): (value: string | number | undefined, max?: number) => string {
  const separators = new Set([sep.element, sep.component, sep.repetition, sep.segment]);
  const slowClean = (v: string, max: number) => v.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase()
    .replace(/[^\x20-\x7e]/g, ' ').split('').map((ch) => (separators.has(ch) ? ' ' : ch)).join('').replace(/\s+/g, ' ').trim().slice(0, max).trim();
  const [s1, s2, s3, s4] = [sep.element, sep.component, sep.repetition, sep.segment].map((ch) => ch.charCodeAt(0));
  // Most values need no change, or only upper case: one scan decides, without building a
  // string character by character. Anything else (separators, runs of spaces, accents,
  // control characters) takes slowClean.
  return (value: string | number | undefined, max = 80) => {
    const v = String(value ?? '');
    let lower = false;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === s1 || c === s2 || c === s3 || c === s4) return slowClean(v, max);
      if (c === 0x20 && (i === 0 || i === v.length - 1 || v.charCodeAt(i + 1) === 0x20)) return slowClean(v, max);
      if (c >= 0x61 && c <= 0x7a) lower = true;
    }
    const upper = lower ? v.toUpperCase() : v;
    return upper.length > max ? upper.slice(0, max).trimEnd() : upper;
  };
}

/** One interchange with one functional group of one claim type. */
export function write837(kind: '837P' | '837I', claims: readonly ClaimRecord[], o: X12Options): string {
  return write837Interchange([{ kind, claims }], o);
}

/** What orders a group's claims: billing provider, then subscriber (member id), then claim id. */
export interface X12ClaimOrderKey {
  billingNpi?: string | undefined;
  memberId?: string | undefined;
  claimId: string;
}

/**
 * Code-point order: what SQLite's BINARY collation gives UTF-8 text, so claims sorted where
 * they are stored (run/stored-claims.ts) and sorted here agree. UTF-16 code units differ from
 * it only where a character above U+FFFF (a surrogate pair) meets one from U+E000 to U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogateX = x >= 0xd800 && x <= 0xdfff;
    const surrogateY = y >= 0xd800 && y <= 0xdfff;
    return surrogateX === surrogateY ? x - y : surrogateX ? 1 : -1;
  }
  return a.length - b.length;
}

/** The order claims take in a group, so billing provider (2000A) and subscriber (2000B) loops gather theirs. */
export function compareX12Order(a: X12ClaimOrderKey, b: X12ClaimOrderKey): number {
  return compareCodePoints(a.billingNpi ?? '', b.billingNpi ?? '') || compareCodePoints(a.memberId ?? '', b.memberId ?? '') || compareCodePoints(a.claimId, b.claimId);
}

const orderKey = (c: ClaimRecord): X12ClaimOrderKey => ({ billingNpi: c.providers.billingNpi, memberId: c.coverage.memberId, claimId: c.claimId });

/** One interchange with a functional group per claim type given (837P and 837I for one receiver). */
export function write837Interchange(groups: readonly { kind: '837P' | '837I'; claims: readonly ClaimRecord[] }[], o: X12Options): string {
  const ordered = groups.map(({ kind, claims }) => {
    const sorted = [...claims].sort((a, b) => compareX12Order(orderKey(a), orderKey(b)));
    return { kind, count: sorted.length, claims: sorted };
  });
  const out: string[] = [];
  write837Ordered(ordered, o, (segment) => out.push(segment));
  return out.join('');
}

/**
 * The same interchange from groups whose claims come already in compareX12Order's order, one
 * at a time, each segment handed to `emit` as it is made: a night's file is written and
 * self-checked without holding its claims or its text.
 */
export function write837Ordered(groups: readonly { kind: '837P' | '837I'; count: number; claims: Iterable<ClaimRecord> }[], o: X12Options, emit: (segment: string) => void): void {
  const sep = o.separators;
  const clean = x12Cleaner(sep);
  let written = 0;
  const terminator = sep.segment;
  const seg = (...elements: (string | number | undefined)[]) => {
    let end = elements.length;
    while (end > 1 && (elements[end - 1] === undefined || elements[end - 1] === '')) end--;
    if (end !== elements.length) elements.length = end;
    // The terminator goes on the last element, so join makes the segment one flat string
    // (undefined written as empty): a concatenation after it would make a rope that the
    // self-check and the file's buffer would each flatten again.
    elements[end - 1] = `${elements[end - 1] ?? ''}${terminator}`;
    written++;
    emit(elements.join(sep.element));
  };
  const date = o.now.toISOString();
  const d8 = date.slice(0, 10).replace(/-/g, '');
  const hm = date.slice(11, 16).replace(':', '');
  const isa = String(o.control.isa).padStart(9, '0');
  seg('ISA', '00', pad('', 10), '00', pad('', 10), o.sender.qualifier, pad(clean(o.sender.id, 15), 15), o.receiver.qualifier, pad(clean(o.receiver.id, 15), 15),
    d8.slice(2), hm, sep.repetition, '00501', isa, '0', o.usage, sep.component);
  let sets = 0;
  groups.forEach(({ kind, count, claims }, g) => {
    const gsControl = o.control.gs + g;
    const setsBefore = sets;
    seg('GS', 'HC', clean(o.sender.id, 15), clean(o.receiver.id, 15), d8, hm, gsControl, 'X', VERSION[kind]);

    const per = o.claimsPerTransaction ?? MAX_CLAIMS_PER_TRANSACTION;
    const next = claims[Symbol.iterator]();
    // The set's claims, taken one at a time from the group's.
    const take = function* (n: number): Iterable<ClaimRecord> {
      for (let k = 0; k < n; k++) {
        const r = next.next();
        if (r.done) throw new Error(`837 group ${kind} has fewer claims than the ${count} announced`);
        yield r.value;
      }
    };
    for (let from = 0; from < count || (from === 0 && count === 0); from += per) {
      const batch = take(Math.min(per, count - from));
      const stControl = String(o.control.st + sets).padStart(4, '0');
      sets++;
      const first = written;
      seg('ST', '837', stControl, VERSION[kind]);
      seg('BHT', '0019', '00', `${gsControl}${stControl}`, d8, hm, 'CH');
      seg('NM1', '41', '2', clean(o.sender.name, 60), '', '', '', '', '46', clean(o.sender.id, 80));
      seg('PER', 'IC', clean(o.sender.contactName, 60), 'TE', clean(o.sender.contactPhone, 256));
      seg('NM1', '40', '2', clean(o.receiver.name, 60), '', '', '', '', '46', clean(o.receiver.id, 80));
      let hl = 0;
      let billingHl = 0;
      let billingNpi: string | undefined | null = null;
      let subscriberHl = 0;
      let subscriberKey: string | null = null;
      for (const c of batch) {
        if (c.providers.billingNpi !== billingNpi) {
          billingNpi = c.providers.billingNpi;
          const bp = o.billingProvider(billingNpi);
          if (bp.placeholder) o.onPlaceholder?.(`billing provider ${bp.npi} (x12.billingProviders)`);
          billingHl = ++hl;
          seg('HL', billingHl, '', '20', '1');
          seg('NM1', '85', '2', clean(bp.name, 60), '', '', '', '', 'XX', bp.npi);
          seg('N3', clean(bp.address.line1, 55));
          // 2010AA N403: the full nine-digit ZIP code (TR3 5010).
          seg('N4', clean(bp.address.city, 30), clean(bp.address.state, 2), clean(bp.address.zip, 15).replace(/-/g, ''));
          seg('REF', 'EI', clean(bp.taxId, 50));
          subscriberKey = null;
        }
        const self = (c.coverage.relationship ?? '18') === '18';
        const key = `${c.coverage.payerId}|${c.coverage.memberId}|${self ? c.patient.id : 'dependent'}`;
        // A subscriber loop per subscriber; a dependent's claims each get their patient loop.
        if (key !== subscriberKey || !self) {
          subscriberKey = key;
          subscriberHl = ++hl;
          seg('HL', subscriberHl, billingHl, '22', self ? '0' : '1');
          seg('SBR', 'P', self ? '18' : '', '', '', '', '', '', '', filingIndicator(kind, c, o));
          const sub = self ? { lastName: c.patient.lastName, firstName: c.patient.firstName, birthDate: c.patient.birthDate, sex: c.patient.sex } : c.coverage.subscriber ?? {};
          seg('NM1', 'IL', '1', clean(sub.lastName ?? 'UNKNOWN', 60), clean(sub.firstName, 35), '', '', '', 'MI', clean(c.coverage.memberId, 80));
          if (self && c.patient.address?.line1) writeAddress(seg, clean, c.patient.address);
          if (sub.birthDate || sub.sex) seg('DMG', 'D8', ymd(sub.birthDate), clean(sub.sex ?? 'U', 1));
          seg('NM1', 'PR', '2', clean(c.coverage.payerName ?? c.coverage.payerId, 60), '', '', '', '', 'PI', clean(c.coverage.payerId, 80));
          if (!self) {
            seg('HL', ++hl, subscriberHl, '23', '0');
            seg('PAT', clean(c.coverage.relationship, 2));
            seg('NM1', 'QC', '1', clean(c.patient.lastName ?? 'UNKNOWN', 60), clean(c.patient.firstName, 35));
            if (c.patient.address?.line1) writeAddress(seg, clean, c.patient.address);
            seg('DMG', 'D8', ymd(c.patient.birthDate), clean(c.patient.sex ?? 'U', 1));
          }
        }
        o.onClaim?.(c, gsControl, o.control.st + sets - 1);
        writeClaim(kind, c, o, seg, clean);
      }
      seg('SE', written - first + 1, stControl);
    }
    if (!next.next().done) throw new Error(`837 group ${kind} has more claims than the ${count} announced`);
    seg('GE', sets - setsBefore, gsControl);
  });
  seg('IEA', groups.length, isa);
}

type Seg = (...e: (string | number | undefined)[]) => void;
type Clean = (v: string | number | undefined, max?: number) => string;

function writeAddress(seg: Seg, clean: Clean, a: NonNullable<ClaimRecord['patient']['address']>): void {
  seg('N3', clean(a.line1, 55));
  seg('N4', clean(a.city, 30), clean(a.state, 2), clean(a.zip, 15).replace(/-/g, ''));
}

/** SBR09 (X12 1032): the claim's own indicator, "medicare" as Part A on 837I and Part B on 837P, else the receiver's. */
function filingIndicator(kind: '837P' | '837I', c: ClaimRecord, o: X12Options): string {
  const own = c.claimFilingIndicator;
  if (own === 'medicare') return kind === '837I' ? 'MA' : 'MB';
  return own ?? o.claimFilingIndicator(c.coverage.payerId);
}

/** 837I HI POA (HI0x-9): Y, N, U, W; an exempt code (1) and outpatient codes leave it blank (TR3 5010). */
const poaOf = (poa: string | undefined) => (poa && poa !== '1' ? poa : '');

/** Composites of one kind of code, at most `per` in a segment, at most `segments` segments. */
function hiSegments(seg: Seg, composites: string[], per: number, segments: number): void {
  for (let i = 0; i < Math.min(composites.length, per * segments); i += per) seg('HI', ...composites.slice(i, i + per));
}

/** Loop 2300 and its 2400 lines. */
function writeClaim(kind: '837P' | '837I', c: ClaimRecord, o: X12Options, seg: Seg, clean: Clean): void {
  const comp = o.separators.component;
  const total = c.lines.reduce((s, l) => s + Math.round(l.charge * 100), 0) / 100;
  const service = c.serviceDate ?? c.dischargeDate ?? c.admissionDate;
  const join = (...parts: string[]) => {
    let end = parts.length;
    while (end > 1 && parts[end - 1] === '') end--;
    if (end !== parts.length) parts.length = end;
    return parts.join(comp);
  };
  // HI composite: qualifier, code (no decimal point) and, on 837I, POA in its ninth component.
  const dx = (qualifier: string, code: string, poa = '') => {
    const bare = noDot(code);
    return poa === '' && bare !== '' ? qualifier + comp + bare : join(qualifier, bare, '', '', '', '', '', '', poa);
  };
  const provider = (entity: string, npi: string) => {
    const name = o.providerName(npi);
    if (name.placeholder) o.onPlaceholder?.(`provider name of ${npi} (x12.providerNames)`);
    seg('NM1', entity, '1', clean(name.last, 60), clean(name.first, 35), '', '', '', 'XX', npi);
  };
  if (kind === '837P') {
    seg('CLM', clean(c.claimId, 38), total.toFixed(2), '', '', join(c.placeOfService ?? '11', 'B', c.frequency), 'Y', 'A', 'Y', 'Y');
    if (c.originalClaimId) seg('REF', 'F8', clean(o.payerClaimNumber?.(c.originalClaimId) ?? c.originalClaimId, 50));
    // 2300 HI: ABK principal, then ABF, 12 codes in the one segment (external causes among them).
    hiSegments(seg, c.diagnoses.map((d, i) => dx(i === 0 ? 'ABK' : 'ABF', d.code)), 12, 1);
    if (c.providers.renderingNpi && c.providers.renderingNpi !== c.providers.billingNpi) provider('82', c.providers.renderingNpi);
  } else {
    // CLM05-1 facility type code: the first two digits of the type of bill (UB-04 FL4 without its leading zero).
    seg('CLM', clean(c.claimId, 38), total.toFixed(2), '', '', join((c.facilityType ?? '13').slice(0, 2), 'A', c.frequency), '', 'A', 'Y', 'Y');
    const inpatient = INPATIENT_BILL_TYPES.test(c.facilityType ?? '');
    seg('DTP', '434', 'RD8', `${ymd(c.admissionDate ?? service)}-${ymd(c.dischargeDate ?? service)}`);
    if (inpatient && c.admissionDate) seg('DTP', '435', 'D8', ymd(c.admissionDate));
    // CL1 is required on every 837I: CL101 and CL103, CL102 for all but a few types of bill.
    const cl = c.institutional ?? {};
    seg('CL1', cl.admissionType ?? o.institutional.admissionType, cl.admissionSource ?? o.institutional.admissionSource, cl.dischargeStatus ?? o.institutional.patientStatus ?? '01');
    if (c.originalClaimId) seg('REF', 'F8', clean(o.payerClaimNumber?.(c.originalClaimId) ?? c.originalClaimId, 50));
    // 2300 HI in the TR3's order: principal (ABK, alone), admitting (ABJ), reasons for
    // visit (APR, up to 3), external causes (ABN, up to 12), other diagnoses (ABF, 12 per
    // segment, two segments), principal procedure (BBR, alone) and others (BBQ), each
    // procedure with its own date.
    const [principal, ...others] = c.diagnoses.filter((d) => !/^[V-Y]/.test(d.code) || d.sequence === 1);
    const external = c.diagnoses.filter((d) => /^[V-Y]/.test(d.code) && d.sequence !== 1);
    if (principal) seg('HI', dx('ABK', principal.code, inpatient ? poaOf(principal.poa) : ''));
    if (c.admittingDiagnosis && inpatient) seg('HI', dx('ABJ', c.admittingDiagnosis));
    if (c.visitReasons?.length && !inpatient) seg('HI', ...c.visitReasons.slice(0, 3).map((r) => dx('APR', r)));
    hiSegments(seg, external.map((d) => dx('ABN', d.code, inpatient ? poaOf(d.poa) : '')), 12, 1);
    hiSegments(seg, others.map((d) => dx('ABF', d.code, inpatient ? poaOf(d.poa) : '')), 12, 2);
    if (inpatient && c.icd10pcs?.length) {
      const [p1, ...rest] = c.icd10pcs;
      const px = (q: string, p: NonNullable<ClaimRecord['icd10pcs']>[number]) => join(q, p.code, 'D8', ymd(p.date ?? c.admissionDate ?? service));
      seg('HI', px('BBR', p1!));
      hiSegments(seg, rest.map((p) => px('BBQ', p)), 12, 2);
    }
    if (c.providers.attendingNpi) provider('71', c.providers.attendingNpi);
  }
  c.lines.forEach((l, i) => {
    seg('LX', i + 1);
    const procedure = !l.code ? '' : l.modifiers.length === 0 ? `HC${comp}${l.code}` : join('HC', l.code, ...l.modifiers.slice(0, 4));
    if (kind === '837P') {
      seg('SV1', procedure, l.charge.toFixed(2), 'UN', l.units, '', '', (l.diagnosisPointers.length > 4 ? l.diagnosisPointers.slice(0, 4) : l.diagnosisPointers).join(comp));
    } else {
      seg('SV2', l.revenueCode ?? '', procedure, l.charge.toFixed(2), 'UN', l.units);
    }
    seg('DTP', '472', 'D8', ymd(l.serviceDate ?? service));
  });
}
