/**
 * The vocabulary of the reference library, shared by the importer, the library and the
 * edit tables that read it: which systems and lists there are, and how release dates map
 * to the dates of service a version serves. Nothing here reads the database.
 */
export type CodeSystemName = 'ICD-10-CM' | 'ICD-10-PCS' | 'CPT' | 'HCPCS';

/** How the index family is named in listings (its "codes" count is its terms). */
export const INDEX_SYSTEMS = {
  index: 'ICD-10-CM Index',
  eindex: 'ICD-10-CM External Cause Index',
  drug: 'ICD-10-CM Table of Drugs',
  neoplasm: 'ICD-10-CM Neoplasm Table',
} as const;

/** The version label of the team-written demo tables (data/starter). */
export const STARTER_VERSION = 'starter';

export type ProviderType = 'practitioner' | 'hospital' | 'dme';

/**
 * Medicare Code Editor lists (CMS "Definitions of Medicare Code Edits", chapter 1): age
 * groups (section 4), sex (section 5, diagnoses and, `-procedure`, ICD-10-PCS procedures),
 * manifestation as principal (6), questionable admission (8), unacceptable principal (9).
 */
export const MCE_LISTS = [
  'newborn', 'pediatric', 'maternity', 'adult', 'female', 'male', 'female-procedure', 'male-procedure',
  'manifestation', 'unacceptable-principal', 'questionable-admission',
] as const;
export type MceList = (typeof MCE_LISTS)[number];

/**
 * Age ranges of the MCE age groups (Definitions of Medicare Code Edits v33 and later,
 * section 4: newborn 0, pediatric 0–17, maternity 12–55, adult 15–124).
 */
export const MCE_AGE_RANGES: Partial<Record<MceList, [number, number]>> = {
  newborn: [0, 0],
  pediatric: [0, 17],
  maternity: [12, 55],
  adult: [15, 124],
};

/** ICD-10-CM and -PCS fiscal year N runs from October 1 of N-1 to September 30 of N. */
export function fiscalYearRange(year: number): { from: string; to: string } {
  return { from: `${year - 1}-10-01`, to: `${year}-09-30` };
}

/** The fiscal year a date of service falls in (2020-10-01 → 2021). */
export function fiscalYearOf(date: string): number {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m >= 10 ? y + 1 : y;
}

/** NCCI and MUE tables are quarterly: the quarter a date falls in, as "2026Q4" from its first day. */
export function quarterOf(date: string): { label: string; from: string } {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const q = Math.floor((m - 1) / 3) + 1;
  return { label: `${y}Q${q}`, from: `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01` };
}
