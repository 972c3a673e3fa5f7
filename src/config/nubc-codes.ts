/**
 * Code lists of the institutional claim (NUBC UB-04 Data Specifications Manual; X12 837I
 * 2300 CL1 and X12 code list 1032), as team-written tables. An export may carry these
 * codes directly or words a mapping's value table turns into them.
 */

/** A code of a NUBC table as written, or a two-digit one written without its leading zero ("1" for 01). */
export function nubcCode(codes: Record<string, string>, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (Object.hasOwn(codes, value)) return value;
  return /^\d$/.test(value) && Object.hasOwn(codes, `0${value}`) ? `0${value}` : undefined;
}

/** UB-04 FL14 priority (type) of admission or visit: CL101. */
export const ADMISSION_TYPES = {
  '1': 'Emergency', '2': 'Urgent', '3': 'Elective', '4': 'Newborn', '5': 'Trauma', '9': 'Information not available',
} as const;

/** UB-04 FL15 point of origin for admission or visit: CL102 (codes 3 and 7 are discontinued). */
export const ADMISSION_SOURCES = {
  '1': 'Non-health care facility point of origin', '2': 'Clinic or physician office', '4': 'Transfer from a hospital (different facility)',
  '5': 'Transfer from a SNF, ICF or ALF', '6': 'Transfer from another health care facility', '8': 'Court/law enforcement',
  '9': 'Information not available', D: 'Transfer from one unit to another in the same hospital', E: 'Transfer from ambulatory surgery center',
  F: 'Transfer from hospice', G: 'Transfer from a designated disaster alternate care site',
} as const;

/** UB-04 FL17 patient discharge status: CL103. */
export const DISCHARGE_STATUSES = {
  '01': 'Discharged to home or self care', '02': 'Discharged to a short-term general hospital', '03': 'Discharged to a skilled nursing facility',
  '04': 'Discharged to a facility providing custodial or supportive care', '05': 'Discharged to a designated cancer center or children\'s hospital',
  '06': 'Discharged to home under care of a home health service', '07': 'Left against medical advice', '09': 'Admitted as an inpatient to this hospital',
  '20': 'Expired', '21': 'Discharged to court/law enforcement', '30': 'Still patient', '40': 'Expired at home (hospice)', '41': 'Expired in a medical facility (hospice)',
  '42': 'Expired, place unknown (hospice)', '43': 'Discharged to a federal health care facility', '50': 'Hospice - home', '51': 'Hospice - medical facility',
  '61': 'Discharged to a hospital-based Medicare approved swing bed', '62': 'Discharged to an inpatient rehabilitation facility', '63': 'Discharged to a long term care hospital',
  '64': 'Discharged to a nursing facility certified under Medicaid but not Medicare', '65': 'Discharged to a psychiatric hospital or distinct part unit',
  '66': 'Discharged to a critical access hospital', '69': 'Discharged to a designated disaster alternative care site', '70': 'Discharged to another type of health care institution',
  '81': 'Home or self care with a planned acute care readmission', '82': 'Short-term hospital with a planned readmission', '83': 'SNF with a planned readmission',
  '84': 'Custodial care facility with a planned readmission', '85': 'Cancer center or children\'s hospital with a planned readmission', '86': 'Home health with a planned readmission',
  '87': 'Court/law enforcement with a planned readmission', '88': 'Federal health care facility with a planned readmission', '89': 'Swing bed with a planned readmission',
  '90': 'Inpatient rehabilitation facility with a planned readmission', '91': 'Long term care hospital with a planned readmission',
  '92': 'Medicaid-only nursing facility with a planned readmission', '93': 'Psychiatric hospital with a planned readmission', '94': 'Critical access hospital with a planned readmission',
  '95': 'Another type of institution with a planned readmission',
} as const;

/**
 * X12 code list 1032, claim filing indicator (2000B SBR09); `medicare` stands for Medicare
 * Part A on institutional claims (MA) and Part B on professional ones (MB).
 */
export const CLAIM_FILING_INDICATORS = [
  '11', '12', '13', '14', '15', '16', '17', 'AM', 'BL', 'CH', 'CI', 'DS', 'FI', 'HM', 'LM', 'MA', 'MB', 'MC', 'OF', 'TV', 'VA', 'WC', 'ZZ', 'medicare',
] as const;
export type ClaimFilingIndicator = (typeof CLAIM_FILING_INDICATORS)[number];

/** The codes themselves pass through every value table: a site whose export writes "20" needs no table row. */
export const isNubcCode = (table: Record<string, string>, value: string): boolean => Object.prototype.hasOwnProperty.call(table, value);
