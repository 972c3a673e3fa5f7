import type { CodeSystemName } from '../codesets/systems.js';
import type { ReferenceLibrary } from '../codesets/reference-library.js';
import type { ClaimRecord } from '../emit/claims/claim-record.js';
import type { CodeRef } from './claim-edits.js';
import type { Recode } from './resolutions-file.js';

/** The date the claim's codes must be valid on: the date of service, else discharge, else admission. */
export function claimDate(c: ClaimRecord): string | undefined {
  return c.serviceDate ?? c.dischargeDate ?? c.admissionDate;
}

const systemOf = (ref: CodeRef): CodeSystemName => (ref.kind === 'dx' ? 'ICD-10-CM' : ref.kind === 'pcs' ? 'ICD-10-PCS' : /^\d/.test(ref.code) ? 'CPT' : 'HCPCS');

/**
 * A code answered by a person must be valid in the version in force on the claim's date:
 * in the code set, billable, and verifiable (a code the loaded tables do not hold is refused,
 * even when only the starter tables are loaded: nothing unverified reaches a claim by hand).
 */
export function codeProblem(ref: CodeRef, claim: ClaimRecord, library: ReferenceLibrary): string | undefined {
  const system = systemOf(ref);
  const date = claimDate(claim);
  if (!date) return `${ref.code}: the claim has no date of service, so no version can be chosen; set service_date first`;
  const cs = library.codeSetFor(system, date);
  if (!cs) return `${ref.code}: no ${system} version in force on ${date} is loaded; import it (nightcode codesets import) to answer with ${system} codes`;
  const info = cs.get(ref.code);
  if (library.isStarterOnly(system)) {
    if (!info) return `${ref.code} is not in the starter ${system} table and cannot be verified; import the official ${system} release (nightcode codesets import) to answer with it`;
  } else if (!info) {
    return `${ref.code} is not a code in ${system} ${cs.version.version} (in force on ${date})`;
  }
  if (info && !info.billable) return `${ref.code} is not billable in ${system} ${cs.version.version}: code to the highest specificity`;
  return undefined;
}

/** Every code of a recode, by kind. */
export function recodeRefs(recode: Recode): CodeRef[] {
  return [
    ...recode.diagnoses.map((code): CodeRef => ({ kind: 'dx', code, modifiers: [] })),
    ...recode.lines.map((l): CodeRef => ({ kind: 'px', code: l.code, modifiers: l.modifiers })),
    ...recode.pcs.map((code): CodeRef => ({ kind: 'pcs', code, modifiers: [] })),
  ];
}

/** A recode's shape against the claim: one procedure code per service line, PCS only on an 837I. */
export function recodeShapeProblem(recode: Recode, claim: ClaimRecord): string | undefined {
  if (recode.lines.length > 0 && recode.lines.length !== claim.lines.length) {
    return `recode lists ${recode.lines.length} procedure code(s) for a claim with ${claim.lines.length} service line(s): give one per line, in line order`;
  }
  if (recode.pcs.length > 0 && claim.claimType !== '837I') return 'ICD-10-PCS codes belong on institutional (837I) claims only';
  return undefined;
}
