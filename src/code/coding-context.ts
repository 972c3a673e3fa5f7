import type { CodeSet } from '../codesets/reference-library.js';
import type { Encounter, Issue, SourceLocation } from '../contract/types.js';
import { ISSUE_CODES, type IssueCode } from '../contract/issue-codes.js';

/**
 * The reference data coding reads, for the encounter's date of service: the ICD-10-CM
 * and ICD-10-PCS versions in force then (absent: coding falls back to the candidates as
 * abstracted, and validation reports what it cannot verify), and the price of CPT/HCPCS
 * codes for service lines added from the documentation (the chargemaster).
 */
export interface CodingContext {
  icd10cm?: CodeSet;
  pcs?: CodeSet;
  prices?: ReadonlyMap<string, number>;
}

/**
 * Inpatient rules (principal diagnosis, uncertain diagnoses at discharge, POA, ICD-10-PCS)
 * apply to institutional claims for an inpatient stay: type of bill 11x/12x/18x/21x, or an
 * admission date when no type of bill was exported. Hospital outpatient claims (13x…)
 * follow the outpatient guidelines (ICD-10-CM Guidelines Section IV).
 */
export function isInpatient(e: Pick<Encounter, 'kind' | 'facilityType' | 'admissionDate'>): boolean {
  if (e.kind !== 'institutional') return false;
  if (e.facilityType) return /^(11|12|18|21)/.test(e.facilityType);
  return e.admissionDate !== undefined;
}

export interface Evidence {
  text: string;
  source: SourceLocation;
}

export function codingIssue(code: IssueCode, message: string, extra: Partial<Issue> = {}): Issue {
  const def = ISSUE_CODES[code];
  return { code, severity: def.severity, stage: 'code', message, action: def.action, ...extra };
}
