import { createHash } from 'node:crypto';
import type { ClaimRecord } from '../../emit/claims/claim-record.js';
import type { IssueCode } from '../../contract/issue-codes.js';
import { edit } from './edit-issue.js';
import type { CodedEncounter, Issue } from '../../contract/types.js';
import { npiProblem } from './npi.js';
import { isInpatient } from '../../contract/setting.js';
import { isWellFormedCode, isWellFormedModifier } from './code-format.js';

export interface ClaimEditContext {
  /** The run's business date: no service can be later. */
  businessDate: string;
  /** Payer ids the site bills; empty accepts any. */
  payerIds: ReadonlySet<string>;
  /** A claim already billed with this fingerprint under another encounter (the ledger), if any. */
  billedClaim?: (fingerprint: string) => { claimId: string; encounterId: string } | undefined;
  /** The site's 837I discharge status for claims whose export gives none (config x12.institutional.patientStatus). */
  patientStatusDefault?: string;
  /** Ceilings (config edits): line charge, claim total, units on a line. */
  limits?: { maxLineCharge: number; maxClaimTotal: number; maxUnits: number };
}

export const DEFAULT_CLAIM_LIMITS = { maxLineCharge: 999_999.99, maxClaimTotal: 9_999_999.99, maxUnits: 999 } as const;

/**
 * What makes two claims the same bill: patient, payer, dates of service and the services
 * (codes, modifiers, units), whatever the encounter id. Order-independent.
 */
export function claimFingerprint(coded: CodedEncounter): string {
  const e = coded.encounter;
  return fingerprintOf(e.patient.id, e.coverage.payerId, [e.serviceDate, e.admissionDate, e.dischargeDate], coded.procedures);
}

/** The same fingerprint from a claim as emitted (a claim released by a resolution). */
export function claimRecordFingerprint(c: ClaimRecord): string {
  return fingerprintOf(c.patient.id, c.coverage.payerId, [c.serviceDate, c.admissionDate, c.dischargeDate], c.lines);
}

type FingerprintLine = { code?: string | undefined; revenueCode?: string | undefined; modifiers: readonly string[]; units: number; serviceDate?: string | undefined };

function fingerprintOf(patientId: string, payerId: string | undefined, dates: (string | undefined)[], procedures: readonly FingerprintLine[]): string {
  const lines = procedures.map((p) => `${p.code ?? p.revenueCode ?? ''}:${[...p.modifiers].sort().join('+')}:${p.units}:${p.serviceDate ?? ''}`).sort();
  const basis = [patientId, payerId ?? '', ...dates.map((d) => d ?? ''), ...lines].join('\u0000');
  return createHash('sha256').update(basis).digest('base64url').slice(0, 22);
}

/**
 * Claim-level edits: required data, NPI check digits, date logic, charges, code and
 * modifier shapes, pointers and duplicate diagnoses. Pure: everything comes in as arguments.
 */
export function claimDataEdits(coded: CodedEncounter, ctx: ClaimEditContext): Issue[] {
  const e = coded.encounter;
  const at = e.source;
  const out: Issue[] = [];
  const limits = ctx.limits ?? DEFAULT_CLAIM_LIMITS;
  const add = (code: IssueCode, message: string, extra: Partial<Issue> = {}) => out.push(edit(code, message, { source: at, ...extra }));

  if (!e.coverage.memberId) add('EDIT_MEMBER_ID_MISSING', 'subscriber member ID is empty', { path: 'coverage.memberId' });
  if (!e.coverage.payerId) add('EDIT_PAYER_MISSING', 'payer id is empty', { path: 'coverage.payerId' });
  else if (ctx.payerIds.size > 0 && !ctx.payerIds.has(e.coverage.payerId)) {
    add('EDIT_PAYER_MISSING', `payer ${e.coverage.payerId} is not one of the configured payers`, { path: 'coverage.payerId' });
  }
  if (!e.patient.birthDate) add('EDIT_BIRTH_DATE_MISSING', 'patient birth date is empty', { path: 'patient.birthDate' });
  if (!e.patient.sex || e.patient.sex === 'U') add('EDIT_SEX_MISSING', 'patient sex is missing or unknown', { path: 'patient.sex' });
  const address = e.patient.address;
  const missingAddress = (['line1', 'city', 'state', 'zip'] as const).filter((f) => !address?.[f]);
  if (missingAddress.length > 0) add('EDIT_PATIENT_ADDRESS_MISSING', `patient address has no ${missingAddress.map((f) => (f === 'line1' ? 'street line' : f)).join(', ')}`, { path: `patient.address.${missingAddress[0]}` });

  // Billing NPI always; the rendering provider on a professional claim (2310B, else the billing
  // provider renders) and the attending on an institutional one (837I 2310A).
  const required = e.kind === 'institutional' ? 'attending' : 'rendering';
  const npis: ['billing' | 'rendering' | 'attending', string | undefined][] = [['billing', e.providers.billingNpi], ['rendering', e.providers.renderingNpi], ['attending', e.providers.attendingNpi]];
  for (const [role, npi] of npis) {
    const path = `providers.${role}Npi`;
    if (!npi) {
      const fallback = role === 'rendering' && e.kind === 'professional' ? e.providers.attendingNpi : undefined;
      if ((role === 'billing' || role === required) && !fallback) add('EDIT_NPI_MISSING', `${role} NPI is empty`, { path });
      continue;
    }
    const problem = npiProblem(npi);
    if (problem) add('EDIT_NPI_INVALID', `${role} NPI ${npi} ${problem}`, { path, codes: [npi] });
  }

  if (e.kind === 'professional' && !e.placeOfService) add('EDIT_PLACE_OF_SERVICE_MISSING', 'professional claim without place of service', { path: 'placeOfService' });
  if (e.kind === 'institutional' && !e.facilityType) add('EDIT_PLACE_OF_SERVICE_MISSING', 'institutional claim without facility type', { path: 'facilityType' });

  const serviceDate = e.serviceDate ?? e.dischargeDate ?? e.admissionDate;
  if (!serviceDate) add('EDIT_SERVICE_DATE_MISSING', 'no date of service', { path: 'serviceDate' });
  else {
    if (serviceDate > ctx.businessDate) add('EDIT_SERVICE_DATE_FUTURE', `date of service ${serviceDate} is after the business date ${ctx.businessDate}`, { path: 'serviceDate' });
    if (e.patient.birthDate && serviceDate < e.patient.birthDate) {
      add('EDIT_SERVICE_BEFORE_BIRTH', `date of service ${serviceDate} is before birth date ${e.patient.birthDate}`, { path: 'serviceDate' });
    }
  }
  if (e.kind === 'institutional') {
    if (!e.admissionDate || !e.dischargeDate) add('EDIT_ADMISSION_DATE_MISSING', 'institutional claim needs admission and discharge dates', { path: 'admissionDate' });
    else if (e.admissionDate > e.dischargeDate) add('EDIT_ADMISSION_AFTER_DISCHARGE', `admitted ${e.admissionDate} after discharge ${e.dischargeDate}`, { path: 'admissionDate' });
    // CL103 is what the payer prices a transfer or a death by: never assumed (NUBC UB-04 FL17).
    if (isInpatient(e) && !e.institutional?.dischargeStatus && !ctx.patientStatusDefault) {
      add('EDIT_PATIENT_STATUS_MISSING', 'the export gives no discharge status for this inpatient stay (map dischargeStatus, or set x12.institutional.patientStatus)', { path: 'dischargeStatus' });
    }
    if (e.dischargeDate && e.dischargeDate > ctx.businessDate) {
      add('EDIT_SERVICE_DATE_FUTURE', `discharge date ${e.dischargeDate} is after the business date ${ctx.businessDate}`, { path: 'dischargeDate' });
    }
  }

  const seen = new Set<string>();
  for (const d of coded.diagnoses) {
    if (!isWellFormedCode('ICD-10-CM', d.code)) add('EDIT_CODE_FORMAT', `diagnosis ${d.code} is not an ICD-10-CM code`, { codes: [d.code], ...(d.evidence[0] ? { source: d.evidence[0].source } : {}) });
    if (seen.has(d.code)) add('EDIT_DUPLICATE_DIAGNOSIS', `diagnosis ${d.code} listed twice`, { codes: [d.code] });
    seen.add(d.code);
  }
  for (const p of coded.procedures) {
    const codes = p.code ? [p.code] : [];
    const where = { source: p.source, codes };
    const label = p.code ?? `revenue ${p.revenueCode ?? '?'}`;
    if (!p.code) {
      // 837P SV101 needs a procedure code; 837I SV2 lines may carry a revenue code alone.
      if (e.kind === 'professional') add('EDIT_CODE_FORMAT', `line ${p.line}: professional service line without a CPT/HCPCS code`, where);
    } else if (!isWellFormedCode(p.system, p.code)) {
      add('EDIT_CODE_FORMAT', `line ${p.line}: ${p.code} is not a ${p.system} code`, where);
    }
    if (e.kind === 'institutional' && !p.revenueCode) add('EDIT_CODE_FORMAT', `line ${p.line}: institutional line without a revenue code`, where);
    for (const m of p.modifiers) {
      if (!isWellFormedModifier(m)) add('EDIT_CODE_FORMAT', `line ${p.line}: modifier "${m}" is not two letters or digits`, where);
    }
    if (!(p.charge > 0)) add('EDIT_CHARGE_INVALID', `line ${p.line} (${label}): charge ${p.charge} is not positive`, where);
    else if (p.charge > limits.maxLineCharge) add('EDIT_CHARGE_OUT_OF_RANGE', `line ${p.line} (${label}): charge ${p.charge.toFixed(2)} is above the ${limits.maxLineCharge.toFixed(2)} a line may carry (edits.maxLineCharge); check the export`, where);
    if (!(p.units > 0)) add('EDIT_UNITS_INVALID', `line ${p.line} (${label}): units ${p.units} is not positive`, where);
    else if (p.units > limits.maxUnits) add('EDIT_UNITS_INVALID', `line ${p.line} (${label}): ${p.units} units is above the ceiling of ${limits.maxUnits} (edits.maxUnits); check the export`, where);
    for (const ptr of p.diagnosisPointers) {
      if (ptr < 1 || ptr > coded.diagnoses.length) add('EDIT_DX_POINTER_RANGE', `line ${p.line}: pointer ${ptr} with ${coded.diagnoses.length} diagnoses`, where);
    }
  }
  const total = coded.procedures.reduce((sum, p) => sum + Math.round(p.charge * 100), 0) / 100;
  if (total > limits.maxClaimTotal) add('EDIT_CHARGE_OUT_OF_RANGE', `the claim total ${total.toFixed(2)} is above the ${limits.maxClaimTotal.toFixed(2)} a claim may carry (edits.maxClaimTotal); check the export`, { path: 'totalCharge' });
  if (e.declaredTotal !== undefined) {
    const cents = coded.procedures.reduce((sum, p) => sum + Math.round(p.charge * 100), 0);
    if (Math.round(e.declaredTotal * 100) !== cents) {
      add('EDIT_CLAIM_TOTAL', `the exported total ${e.declaredTotal.toFixed(2)} differs from the sum of the lines ${(cents / 100).toFixed(2)}`, { path: 'totalCharge' });
    }
  }
  const prior = ctx.billedClaim?.(claimFingerprint(coded));
  if (prior) {
    add('EDIT_DUPLICATE_CLAIM', `same patient, payer, dates and services as claim ${prior.claimId} already billed for encounter ${prior.encounterId}`, { codes: [prior.claimId] });
  }
  return out;
}
