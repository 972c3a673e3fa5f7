import type { CodeSystem } from '../../contract/types.js';

/**
 * Shape of a code in its system, before any code-set lookup:
 * - ICD-10-CM: letter, digit, alphanumeric, then optionally a dot and 1–4 more
 *   (ICD-10-CM Official Guidelines, Section I.A); U is reserved but used (U07.1).
 * - ICD-10-PCS: exactly 7 characters from digits and letters other than O and I.
 * - CPT: five characters, four digits and a digit or F/T (Category II/III) letter.
 * - HCPCS Level II: a letter A–V then four digits.
 */
const CODE_SHAPES: Partial<Record<CodeSystem, RegExp>> = {
  'ICD-10-CM': /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$/,
  'ICD-10-PCS': /^[0-9A-HJ-NP-Z]{7}$/,
  CPT: /^\d{4}[0-9FTU]$/,
  HCPCS: /^[A-V]\d{4}$/,
};

export function isWellFormedCode(system: CodeSystem, code: string): boolean {
  const shape = CODE_SHAPES[system];
  return shape ? shape.test(code) : true;
}

/** Two-character modifiers (CPT Appendix A / HCPCS modifiers). */
export function isWellFormedModifier(modifier: string): boolean {
  return /^[0-9A-Z]{2}$/.test(modifier);
}
