import type { Encounter } from './types.js';

/**
 * Inpatient rules (principal diagnosis, uncertain diagnoses at discharge, POA, ICD-10-PCS,
 * 837I CL1 and admission date) apply to institutional claims for an inpatient stay: type of
 * bill 11x/12x/18x/21x, or an admission date when no type of bill was exported. Hospital
 * outpatient claims (13x…) follow the outpatient guidelines (ICD-10-CM Guidelines Section IV).
 */
export function isInpatient(e: Pick<Encounter, 'kind' | 'facilityType' | 'admissionDate'>): boolean {
  if (e.kind !== 'institutional') return false;
  if (e.facilityType) return INPATIENT_BILL_TYPES.test(e.facilityType);
  return e.admissionDate !== undefined;
}

export const INPATIENT_BILL_TYPES = /^(11|12|18|21)/;

/** Whole years between two ISO dates (a patient's age on a date of service). */
export function ageInYears(birth: string, on: string): number {
  let age = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  if (on.slice(5) < birth.slice(5)) age--;
  return age;
}
