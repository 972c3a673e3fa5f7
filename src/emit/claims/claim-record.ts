import { icd10cmDisplay, icd10cmKey } from '../../codesets/icd10cm-code.js';
import type { ValidatedClaim } from '../../contract/types.js';

/** The claim as billing receives it in JSONL and CSV (and, later, as X12). */
export interface ClaimRecord {
  claimId: string;
  /** 837 CLM05-3 claim frequency: 1 original, 7 replacement, 8 void (with REF*F8 naming the claim it replaces or voids). */
  frequency: '1' | '7' | '8';
  originalClaimId?: string;
  claimType: '837P' | '837I';
  source: string;
  encounterId: string;
  contentHash: string;
  patient: { id: string; firstName?: string; lastName?: string; birthDate?: string; sex?: string; address?: { line1?: string; city?: string; state?: string; zip?: string } };
  coverage: { payerId?: string; payerName?: string; memberId?: string; relationship?: string; subscriber?: { firstName?: string; lastName?: string; birthDate?: string; sex?: string } };
  providers: { billingNpi?: string; renderingNpi?: string; attendingNpi?: string };
  serviceDate?: string;
  admissionDate?: string;
  dischargeDate?: string;
  placeOfService?: string;
  /** A telehealth visit (video or audio-only), as the export or the note said: the edits read it again after an answer. */
  telehealth?: { mode: 'video' | 'audio' | 'none'; from: 'export' | 'note'; where?: 'home' | 'other' };
  /** Type of bill, three digits (CLM05-1 facility type code is the first two). */
  facilityType?: string;
  /** 837I CL1 as exported (NUBC codes); the writer uses the configured defaults where absent. */
  institutional?: { admissionType?: string; admissionSource?: string; dischargeStatus?: string };
  /** SBR09 claim filing indicator as exported (X12 1032, or `medicare`). */
  claimFilingIndicator?: string;
  /** Inpatient diagnoses carry a POA indicator: Y, N, U, W, or 1 for a code on the exempt list (blank in the 837I). */
  diagnoses: { sequence: number; code: string; poa?: string; confidence: number; rulePath: string }[];
  /** 837I HI ABJ: the admitting diagnosis, as exported. */
  admittingDiagnosis?: string;
  /** 837I HI APR: the patient's reasons for visit (up to 3), as exported. */
  visitReasons?: string[];
  lines: {
    line: number; code?: string; system: string; modifiers: string[]; units: number; charge: number;
    serviceDate?: string; revenueCode?: string; diagnosisPointers: number[];
  }[];
  /** Inpatient ICD-10-PCS procedures, principal first, each with its date (837I HI BBR/BBQ). */
  icd10pcs?: { sequence: number; code: string; date?: string; confidence: number; rulePath: string }[];
  totalCharge: number;
  confidence: number;
  /** Warning codes that travelled with the released claim. */
  warnings: string[];
}

export function toClaimRecord(v: ValidatedClaim): ClaimRecord {
  const e = v.coded.encounter;
  const p = e.patient;
  const admitting = e.diagnoses.find((d) => d.type === 'admitting' && d.system === 'ICD-10-CM');
  const reasons = e.diagnoses.filter((d) => d.type === 'reason-for-visit' && d.system === 'ICD-10-CM').slice(0, 3);
  return {
    claimId: v.billing.claimId,
    frequency: v.billing.frequency,
    ...(v.billing.originalClaimId ? { originalClaimId: v.billing.originalClaimId } : {}),
    claimType: e.kind === 'institutional' ? '837I' : '837P',
    source: e.key.source,
    encounterId: e.key.encounterId,
    contentHash: e.contentHash,
    patient: { id: p.id, ...(p.firstName ? { firstName: p.firstName } : {}), ...(p.lastName ? { lastName: p.lastName } : {}), ...(p.birthDate ? { birthDate: p.birthDate } : {}), ...(p.sex ? { sex: p.sex } : {}), ...(p.address ? { address: p.address } : {}) },
    coverage: e.coverage,
    providers: e.providers,
    ...(e.serviceDate ? { serviceDate: e.serviceDate } : {}),
    ...(e.admissionDate ? { admissionDate: e.admissionDate } : {}),
    ...(e.dischargeDate ? { dischargeDate: e.dischargeDate } : {}),
    ...(e.placeOfService ? { placeOfService: e.placeOfService } : {}),
    ...(e.telehealth ? { telehealth: { mode: e.telehealth.mode, from: e.telehealth.from, ...(e.telehealth.where ? { where: e.telehealth.where } : {}) } } : {}),
    ...(e.facilityType ? { facilityType: e.facilityType } : {}),
    ...(e.institutional ? { institutional: e.institutional } : {}),
    ...(e.claimFilingIndicator ? { claimFilingIndicator: e.claimFilingIndicator } : {}),
    diagnoses: v.coded.diagnoses.map((d) => ({ sequence: d.sequence, code: d.code, ...(d.poa ? { poa: d.poa } : {}), confidence: d.confidence, rulePath: d.rulePath })),
    ...(admitting ? { admittingDiagnosis: icd10cmDisplay(icd10cmKey(admitting.code) ?? admitting.code) } : {}),
    ...(reasons.length > 0 ? { visitReasons: reasons.map((r) => icd10cmDisplay(icd10cmKey(r.code) ?? r.code)) } : {}),
    lines: v.coded.procedures.map((l) => ({
      line: l.line, ...(l.code ? { code: l.code } : {}), system: l.system, modifiers: l.modifiers, units: l.units, charge: l.charge,
      ...(l.serviceDate ? { serviceDate: l.serviceDate } : {}), ...(l.revenueCode ? { revenueCode: l.revenueCode } : {}),
      diagnosisPointers: l.diagnosisPointers,
    })),
    ...(v.coded.pcsProcedures.length > 0 ? { icd10pcs: v.coded.pcsProcedures.map((p) => ({ sequence: p.sequence, code: p.code, ...(p.date ? { date: p.date } : {}), confidence: p.confidence, rulePath: p.rulePath })) } : {}),
    totalCharge: v.totalCharge,
    confidence: Math.round(v.coded.confidence * 1000) / 1000,
    warnings: [...new Set(v.issues.filter((i) => i.severity === 'warning').map((i) => i.code))],
  };
}
