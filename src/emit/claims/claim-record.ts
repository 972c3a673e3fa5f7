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
  facilityType?: string;
  diagnoses: { sequence: number; code: string; poa?: string; confidence: number; rulePath: string }[];
  lines: {
    line: number; code?: string; system: string; modifiers: string[]; units: number; charge: number;
    serviceDate?: string; revenueCode?: string; diagnosisPointers: number[];
  }[];
  /** Inpatient ICD-10-PCS procedures, principal first (837I HI BBR/BBQ). */
  icd10pcs?: { sequence: number; code: string; confidence: number; rulePath: string }[];
  totalCharge: number;
  confidence: number;
  /** Warning codes that travelled with the released claim. */
  warnings: string[];
}

export function toClaimRecord(v: ValidatedClaim): ClaimRecord {
  const e = v.coded.encounter;
  const p = e.patient;
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
    ...(e.facilityType ? { facilityType: e.facilityType } : {}),
    diagnoses: v.coded.diagnoses.map((d) => ({ sequence: d.sequence, code: d.code, ...(d.poa ? { poa: d.poa } : {}), confidence: d.confidence, rulePath: d.rulePath })),
    lines: v.coded.procedures.map((l) => ({
      line: l.line, ...(l.code ? { code: l.code } : {}), system: l.system, modifiers: l.modifiers, units: l.units, charge: l.charge,
      ...(l.serviceDate ? { serviceDate: l.serviceDate } : {}), ...(l.revenueCode ? { revenueCode: l.revenueCode } : {}),
      diagnosisPointers: l.diagnosisPointers,
    })),
    ...(v.coded.pcsProcedures.length > 0 ? { icd10pcs: v.coded.pcsProcedures.map((p) => ({ sequence: p.sequence, code: p.code, confidence: p.confidence, rulePath: p.rulePath })) } : {}),
    totalCharge: v.totalCharge,
    confidence: Math.round(v.coded.confidence * 1000) / 1000,
    warnings: [...new Set(v.issues.filter((i) => i.severity === 'warning').map((i) => i.code))],
  };
}
