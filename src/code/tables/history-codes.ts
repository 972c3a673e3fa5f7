import type { CodeSpec } from './code-ranges.js';

/**
 * History codes (ICD-10-CM Official Guidelines, Section I.C.21.c.4): a personal history
 * code (Z85–Z87) for a condition that no longer exists and is not treated, a family
 * history code (Z80–Z84) for a relative's condition. Team-written tables from the
 * tabular titles of FY2021; first matching row wins, so specific rows come first. Two
 * rows follow their own guideline: an old myocardial infarction is I25.2 (I.C.9.e.4) and a
 * past stroke without residual deficits Z86.73 (I.C.9.d.2).
 */
export interface HistoryRow {
  when: readonly CodeSpec[];
  code: string;
  why: string;
}

export const PERSONAL_HISTORY = [
  { when: ['C50'], code: 'Z85.3', why: 'malignant neoplasm of breast' },
  { when: ['C18', 'C19'], code: 'Z85.038', why: 'malignant neoplasm of large intestine' },
  { when: ['C20', 'C21'], code: 'Z85.048', why: 'malignant neoplasm of rectum and anus' },
  { when: ['C33', 'C34'], code: 'Z85.118', why: 'malignant neoplasm of bronchus and lung' },
  { when: ['C61'], code: 'Z85.46', why: 'malignant neoplasm of prostate' },
  { when: ['C64', 'C65'], code: 'Z85.528', why: 'malignant neoplasm of kidney' },
  { when: ['C67'], code: 'Z85.51', why: 'malignant neoplasm of bladder' },
  { when: ['C43'], code: 'Z85.820', why: 'melanoma of skin' },
  { when: ['C56'], code: 'Z85.43', why: 'malignant neoplasm of ovary' },
  { when: ['C53'], code: 'Z85.41', why: 'malignant neoplasm of cervix uteri' },
  { when: ['C54', 'C55'], code: 'Z85.42', why: 'malignant neoplasm of uterus' },
  { when: ['C73'], code: 'Z85.850', why: 'malignant neoplasm of thyroid' },
  { when: ['C40', 'C41'], code: 'Z85.830', why: 'malignant neoplasm of bone' },
  { when: ['C15-C17', 'C22-C26'], code: 'Z85.00', why: 'malignant neoplasm of a digestive organ' },
  { when: ['C91-C95'], code: 'Z85.6', why: 'leukemia' },
  { when: ['C81'], code: 'Z85.71', why: 'Hodgkin lymphoma' },
  { when: ['C82-C85'], code: 'Z85.72', why: 'non-Hodgkin lymphoma' },
  { when: ['C00-C96'], code: 'Z85.9', why: 'malignant neoplasm' },
  { when: ['I21', 'I22'], code: 'I25.2', why: 'old myocardial infarction (Guideline I.C.9.e.4)' },
  { when: ['I63', 'I64', 'G45'], code: 'Z86.73', why: 'cerebral infarction or TIA without residual deficits (Guideline I.C.9.d.2)' },
  { when: ['I26'], code: 'Z86.711', why: 'pulmonary embolism' },
  { when: ['I80-I82'], code: 'Z86.718', why: 'venous thrombosis and embolism' },
  { when: ['D12'], code: 'Z86.010', why: 'colonic polyps' },
  { when: ['D33'], code: 'Z86.011', why: 'benign neoplasm of the brain' },
  { when: ['D37-D44', 'D48'], code: 'Z86.03', why: 'neoplasm of uncertain behavior' },
  { when: ['I46'], code: 'Z86.74', why: 'sudden cardiac arrest' },
  { when: ['G00-G09'], code: 'Z86.61', why: 'infection of the central nervous system' },
  { when: ['J12-J18'], code: 'Z87.01', why: 'pneumonia' },
  { when: ['N39.0', 'N30', 'N10'], code: 'Z87.440', why: 'urinary tract infection' },
  { when: ['N20-N23'], code: 'Z87.442', why: 'urinary calculi' },
  { when: ['K25-K28'], code: 'Z87.11', why: 'peptic ulcer disease' },
  { when: ['F17'], code: 'Z87.891', why: 'nicotine dependence' },
  { when: ['S02', 'S12', 'S22', 'S32', 'S42', 'S52', 'S62', 'S72', 'S82', 'S92'], code: 'Z87.81', why: 'healed traumatic fracture' },
  { when: ['A15-A19'], code: 'Z86.11', why: 'tuberculosis' },
  { when: ['A80', 'B91'], code: 'Z86.12', why: 'poliomyelitis' },
  { when: ['B50-B54'], code: 'Z86.13', why: 'malaria' },
  { when: ['A00-B99'], code: 'Z86.19', why: 'infectious disease' },
] as const satisfies readonly HistoryRow[];

export const FAMILY_HISTORY = [
  { when: ['C50'], code: 'Z80.3', why: 'malignant neoplasm of breast' },
  { when: ['C15-C26'], code: 'Z80.0', why: 'malignant neoplasm of digestive organs' },
  { when: ['C33', 'C34'], code: 'Z80.1', why: 'malignant neoplasm of trachea, bronchus and lung' },
  { when: ['C56'], code: 'Z80.41', why: 'malignant neoplasm of ovary' },
  { when: ['C61'], code: 'Z80.42', why: 'malignant neoplasm of prostate' },
  { when: ['C51-C60', 'C62', 'C63'], code: 'Z80.49', why: 'malignant neoplasm of genital organs' },
  { when: ['C64', 'C65'], code: 'Z80.51', why: 'malignant neoplasm of kidney' },
  { when: ['C67'], code: 'Z80.52', why: 'malignant neoplasm of bladder' },
  { when: ['C91-C95'], code: 'Z80.6', why: 'leukemia' },
  { when: ['C81-C90', 'C96'], code: 'Z80.7', why: 'lymphoid and hematopoietic malignancy' },
  { when: ['C80'], code: 'Z80.9', why: 'malignant neoplasm, site not stated' },
  { when: ['C00-C96'], code: 'Z80.8', why: 'malignant neoplasm of other organs' },
  { when: ['E08-E13'], code: 'Z83.3', why: 'diabetes mellitus' },
  { when: ['I46'], code: 'Z82.41', why: 'sudden cardiac death' },
  { when: ['I60-I64'], code: 'Z82.3', why: 'stroke' },
  { when: ['I00-I99'], code: 'Z82.49', why: 'ischemic heart disease and other circulatory diseases' },
  { when: ['J40-J47'], code: 'Z82.5', why: 'asthma and chronic lower respiratory disease' },
  { when: ['G00-G99'], code: 'Z82.0', why: 'epilepsy and other diseases of the nervous system' },
  { when: ['D12'], code: 'Z83.71', why: 'colonic polyps' },
  { when: ['M80', 'M81'], code: 'Z82.62', why: 'osteoporosis' },
  { when: ['M05-M19'], code: 'Z82.61', why: 'arthritis' },
  { when: ['N00-N29'], code: 'Z84.1', why: 'disorders of kidney and ureter' },
] as const satisfies readonly HistoryRow[];

/**
 * Chronic conditions a "history of" phrase in a note usually means the patient still has
 * ("history of hypertension on lisinopril"): coded as current conditions that affect care
 * (Guidelines Section IV.J; I.C.21.c.4 reserves history codes for conditions that no
 * longer exist). Team-written list.
 */
export const CHRONIC_CONDITIONS = [
  'I10-I16', 'E08-E13', 'E78', 'E03', 'E66', 'J44', 'J45', 'I25', 'I48', 'I50', 'N18', 'F32', 'F33', 'F41', 'G20', 'G30',
  'G35', 'G40', 'M05', 'M06', 'M15-M19', 'M81', 'K21', 'K50', 'K51', 'B20', 'F17', 'E05', 'D63', 'D64', 'I73', 'G47.33',
  // Conditions that do not stop existing once diagnosed (I.C.21.c.4 history codes are for
  // conditions that "no longer exist"): inherited and congenital disorders, and chronic
  // diseases that are managed rather than cured. "History of migraine", "history of glaucoma"
  // mean the patient has them. No personal-history code exists for most of them either.
  'Q00-Q99', 'D56-D58', 'D66-D68', 'E84', 'E83.0', 'E83.11', 'K90.0', 'G10', 'G71', 'G80', 'F70-F79', 'F84',
  'G43', 'G24', 'G25.0', 'H40', 'H54', 'H90', 'H91', 'J43', 'J47', 'J84', 'I05-I09', 'I27', 'I34-I37', 'I42', 'I71',
  'K44', 'K70', 'K74', 'B18', 'N40', 'E79.0', 'M10', 'M32', 'M34', 'M45', 'L40', 'F20', 'F25', 'F31', 'E23', 'E27',
] as const satisfies readonly CodeSpec[];

/**
 * Codes that are themselves a status or a history (Z77–Z99: a transplant, a device, an
 * acquired absence, a past procedure, a personal or family history). A "history of a heart
 * transplant" is Z94.1 as it stands (Guidelines I.C.21.c.3 status, I.C.21.c.4 history).
 */
export const STATUS_OR_HISTORY_CODES = ['Z77-Z99'] as const satisfies readonly CodeSpec[];
