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
  /** Names of rendering and attending providers by NPI (NM1*82, NM1*71). */
  providerName(npi: string): { last: string; first?: string };
  /** SBR09 claim filing indicator by payer id (CI commercial, MB Medicare Part B, MC Medicaid …). */
  claimFilingIndicator(payerId: string | undefined): string;
  /** 837I CL1 when the export does not give them: admission type, source, patient status. */
  institutional: { admissionType: string; admissionSource: string; patientStatus: string };
}

export const DEFAULT_SEPARATORS = { element: '*', component: ':', repetition: '^', segment: '~' } as const;
export const MAX_CLAIMS_PER_TRANSACTION = 5000;
const VERSION = { '837P': '005010X222A1', '837I': '005010X223A2' } as const;

const ymd = (iso: string | undefined) => (iso ?? '').replace(/-/g, '');
const pad = (s: string, n: number) => s.slice(0, n).padEnd(n, ' ');
const noDot = (code: string) => code.replace('.', '');

/** Transaction sets a group of this many claims takes (an empty group still has one). */
export function setsFor(claims: number): number {
  return Math.max(1, Math.ceil(claims / MAX_CLAIMS_PER_TRANSACTION));
}

/** One interchange with one functional group of one claim type. */
export function write837(kind: '837P' | '837I', claims: readonly ClaimRecord[], o: X12Options): string {
  return write837Interchange([{ kind, claims }], o);
}

/** One interchange with a functional group per claim type given (837P and 837I for one receiver). */
export function write837Interchange(groups: readonly { kind: '837P' | '837I'; claims: readonly ClaimRecord[] }[], o: X12Options): string {
  const sep = o.separators;
  // Values in the X12 basic character set: upper case, accents folded (MÜLLER → MULLER),
  // separators and anything else outside printable ASCII replaced by a space.
  const separators = new Set([sep.element, sep.component, sep.repetition, sep.segment]);
  const clean = (v: string | number | undefined) => String(v ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase()
    .replace(/[^\x20-\x7e]/g, ' ').split('').map((ch) => (separators.has(ch) ? ' ' : ch)).join('').replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  const seg = (...elements: (string | number | undefined)[]) => {
    let end = elements.length;
    while (end > 1 && (elements[end - 1] === undefined || elements[end - 1] === '')) end--;
    out.push(elements.slice(0, end).map((e) => (e === undefined ? '' : String(e))).join(sep.element) + sep.segment);
  };
  const date = o.now.toISOString();
  const d8 = date.slice(0, 10).replace(/-/g, '');
  const hm = date.slice(11, 16).replace(':', '');
  const isa = String(o.control.isa).padStart(9, '0');
  seg('ISA', '00', pad('', 10), '00', pad('', 10), o.sender.qualifier, pad(clean(o.sender.id), 15), o.receiver.qualifier, pad(clean(o.receiver.id), 15),
    d8.slice(2), hm, sep.repetition, '00501', isa, '0', o.usage, sep.component);
  let sets = 0;
  groups.forEach(({ kind, claims }, g) => {
    const gsControl = o.control.gs + g;
    const setsBefore = sets;
    seg('GS', 'HC', clean(o.sender.id), clean(o.receiver.id), d8, hm, gsControl, 'X', VERSION[kind]);

    const sorted = [...claims].sort((a, b) => (a.providers.billingNpi ?? '').localeCompare(b.providers.billingNpi ?? '')
      || (a.coverage.memberId ?? '').localeCompare(b.coverage.memberId ?? '') || a.claimId.localeCompare(b.claimId));
    for (let from = 0; from < sorted.length || (from === 0 && sorted.length === 0); from += MAX_CLAIMS_PER_TRANSACTION) {
      const batch = sorted.slice(from, from + MAX_CLAIMS_PER_TRANSACTION);
      const stControl = String(o.control.st + sets).padStart(4, '0');
      sets++;
      const first = out.length;
      seg('ST', '837', stControl, VERSION[kind]);
      seg('BHT', '0019', '00', `${gsControl}${stControl}`, d8, hm, 'CH');
      seg('NM1', '41', '2', clean(o.sender.name), '', '', '', '', '46', clean(o.sender.id));
      seg('PER', 'IC', clean(o.sender.contactName), 'TE', clean(o.sender.contactPhone));
      seg('NM1', '40', '2', clean(o.receiver.name), '', '', '', '', '46', clean(o.receiver.id));
      let hl = 0;
      let billingHl = 0;
      let billingNpi: string | undefined | null = null;
      let subscriberHl = 0;
      let subscriberKey: string | null = null;
      for (const c of batch) {
        if (c.providers.billingNpi !== billingNpi) {
          billingNpi = c.providers.billingNpi;
          const bp = o.billingProvider(billingNpi);
          billingHl = ++hl;
          seg('HL', billingHl, '', '20', '1');
          seg('NM1', '85', '2', clean(bp.name), '', '', '', '', 'XX', bp.npi);
          seg('N3', clean(bp.address.line1));
          seg('N4', clean(bp.address.city), clean(bp.address.state), clean(bp.address.zip));
          seg('REF', 'EI', clean(bp.taxId));
          subscriberKey = null;
        }
        const self = (c.coverage.relationship ?? '18') === '18';
        const key = `${c.coverage.payerId}|${c.coverage.memberId}|${self ? c.patient.id : 'dependent'}`;
        // A subscriber loop per subscriber; a dependent's claims each get their patient loop.
        if (key !== subscriberKey || !self) {
          subscriberKey = key;
          subscriberHl = ++hl;
          seg('HL', subscriberHl, billingHl, '22', self ? '0' : '1');
          seg('SBR', 'P', self ? '18' : '', '', '', '', '', '', '', o.claimFilingIndicator(c.coverage.payerId));
          const sub = self ? { lastName: c.patient.lastName, firstName: c.patient.firstName, birthDate: c.patient.birthDate, sex: c.patient.sex } : c.coverage.subscriber ?? {};
          seg('NM1', 'IL', '1', clean(sub.lastName ?? 'UNKNOWN'), clean(sub.firstName), '', '', '', 'MI', clean(c.coverage.memberId));
          if (self && c.patient.address?.line1) {
            seg('N3', clean(c.patient.address.line1));
            seg('N4', clean(c.patient.address.city), clean(c.patient.address.state), clean(c.patient.address.zip));
          }
          if (sub.birthDate || sub.sex) seg('DMG', 'D8', ymd(sub.birthDate), clean(sub.sex ?? 'U'));
          seg('NM1', 'PR', '2', clean(c.coverage.payerName ?? c.coverage.payerId), '', '', '', '', 'PI', clean(c.coverage.payerId));
          if (!self) {
            seg('HL', ++hl, subscriberHl, '23', '0');
            seg('PAT', clean(c.coverage.relationship));
            seg('NM1', 'QC', '1', clean(c.patient.lastName ?? 'UNKNOWN'), clean(c.patient.firstName));
            if (c.patient.address?.line1) {
              seg('N3', clean(c.patient.address.line1));
              seg('N4', clean(c.patient.address.city), clean(c.patient.address.state), clean(c.patient.address.zip));
            }
            seg('DMG', 'D8', ymd(c.patient.birthDate), clean(c.patient.sex ?? 'U'));
          }
        }
        writeClaim(kind, c, o, seg, clean);
      }
      seg('SE', out.length - first + 1, stControl);
    }
    seg('GE', sets - setsBefore, gsControl);
  });
  seg('IEA', groups.length, isa);
  return out.join('');
}

/** Loop 2300 and its 2400 lines. */
function writeClaim(kind: '837P' | '837I', c: ClaimRecord, o: X12Options, seg: (...e: (string | number | undefined)[]) => void, clean: (v: string | number | undefined) => string): void {
  const comp = o.separators.component;
  const total = c.lines.reduce((s, l) => s + Math.round(l.charge * 100), 0) / 100;
  const service = c.serviceDate ?? c.dischargeDate ?? c.admissionDate;
  if (kind === '837P') {
    seg('CLM', clean(c.claimId), total.toFixed(2), '', '', [c.placeOfService ?? '11', 'B', c.frequency].join(comp), 'Y', 'A', 'Y', 'Y');
  } else {
    seg('CLM', clean(c.claimId), total.toFixed(2), '', '', [(c.facilityType ?? '13').slice(0, 2), 'A', c.frequency].join(comp), '', 'A', 'Y', 'Y');
    seg('DTP', '434', 'RD8', `${ymd(c.admissionDate ?? service)}-${ymd(c.dischargeDate ?? service)}`);
    const inpatient = INPATIENT_BILL_TYPES.test(c.facilityType ?? '');
    if (inpatient && c.admissionDate) seg('DTP', '435', 'D8', ymd(c.admissionDate));
    if (inpatient) seg('CL1', o.institutional.admissionType, o.institutional.admissionSource, o.institutional.patientStatus);
  }
  if (c.originalClaimId) seg('REF', 'F8', clean(c.originalClaimId));
  // HI: principal (ABK), others (ABF), 12 per segment; 837I adds POA as the 9th component.
  const dx = c.diagnoses.map((d, i) => {
    const parts = [i === 0 ? 'ABK' : 'ABF', noDot(d.code)];
    if (kind === '837I' && d.poa) parts.push('', '', '', '', '', '', d.poa);
    return parts.join(comp);
  });
  for (let i = 0; i < dx.length; i += 12) seg('HI', ...dx.slice(i, i + 12));
  if (kind === '837I' && c.icd10pcs?.length) {
    const px = c.icd10pcs.map((p, i) => [i === 0 ? 'BBR' : 'BBQ', p.code, 'D8', ymd(service)].join(comp));
    for (let i = 0; i < px.length; i += 12) seg('HI', ...px.slice(i, i + 12));
  }
  if (kind === '837I' && c.providers.attendingNpi) {
    const name = o.providerName(c.providers.attendingNpi);
    seg('NM1', '71', '1', clean(name.last), clean(name.first), '', '', '', 'XX', c.providers.attendingNpi);
  }
  if (kind === '837P' && c.providers.renderingNpi && c.providers.renderingNpi !== c.providers.billingNpi) {
    const name = o.providerName(c.providers.renderingNpi);
    seg('NM1', '82', '1', clean(name.last), clean(name.first), '', '', '', 'XX', c.providers.renderingNpi);
  }
  c.lines.forEach((l, i) => {
    seg('LX', i + 1);
    const procedure = l.code ? ['HC', l.code, ...l.modifiers.slice(0, 4)].join(comp) : '';
    if (kind === '837P') {
      seg('SV1', procedure, l.charge.toFixed(2), 'UN', l.units, '', '', l.diagnosisPointers.slice(0, 4).join(comp));
    } else {
      seg('SV2', l.revenueCode ?? '', procedure, l.charge.toFixed(2), 'UN', l.units);
    }
    seg('DTP', '472', 'D8', ymd(l.serviceDate ?? service));
  });
}
