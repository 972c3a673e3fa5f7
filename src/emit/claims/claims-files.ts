import { csvLine } from '../csv-cells.js';
import type { ClaimRecord } from './claim-record.js';

/** Stable column order of claims.csv: one row per service line, claim fields repeated. */
export const CLAIMS_CSV_COLUMNS = [
  'claim_id', 'frequency', 'original_claim_id', 'claim_type', 'source', 'encounter_id', 'patient_id',
  'patient_last_name', 'patient_first_name', 'birth_date', 'sex', 'payer_id', 'member_id',
  'billing_npi', 'rendering_npi', 'service_date', 'admission_date', 'discharge_date',
  'place_of_service', 'facility_type', 'diagnoses', 'line', 'procedure_code', 'code_system',
  'modifiers', 'units', 'line_charge', 'diagnosis_pointers', 'revenue_code', 'claim_total',
  // Added later, at the end so positional readers keep working: POA by diagnosis, 837I CL1, the PCS procedures with dates.
  'poa', 'admission_type', 'admission_source', 'discharge_status', 'icd10pcs',
] as const;

/** claims.csv's header line; each claim then gives a row per service line (claims.jsonl: its stored JSON as it is). */
export function claimsCsvHeader(): string {
  return csvLine(CLAIMS_CSV_COLUMNS);
}

/** A claim's rows of claims.csv: one per service line. */
export function* claimsCsvRows(c: ClaimRecord): Iterable<string> {
  const dx = c.diagnoses.map((d) => d.code).join('|');
  const poa = c.claimType === '837I' && c.diagnoses.some((d) => d.poa) ? c.diagnoses.map((d) => d.poa ?? '').join('|') : '';
  const pcs = (c.icd10pcs ?? []).map((p) => `${p.code}${p.date ? `@${p.date}` : ''}`).join('|');
  const cl = c.institutional ?? {};
  for (const l of c.lines) {
    yield csvLine([
      c.claimId, c.frequency, c.originalClaimId, c.claimType, c.source, c.encounterId, c.patient.id,
      c.patient.lastName, c.patient.firstName, c.patient.birthDate, c.patient.sex, c.coverage.payerId, c.coverage.memberId,
      c.providers.billingNpi, c.providers.renderingNpi, c.serviceDate, c.admissionDate, c.dischargeDate,
      c.placeOfService, c.facilityType, dx, l.line, l.code, l.system,
      l.modifiers.join('|'), l.units, l.charge.toFixed(2), l.diagnosisPointers.join('|'), l.revenueCode, c.totalCharge.toFixed(2),
      poa, cl.admissionType, cl.admissionSource, cl.dischargeStatus, pcs,
    ]);
  }
}
