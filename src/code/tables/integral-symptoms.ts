import type { CodeSpec } from './code-ranges.js';

/**
 * Signs and symptoms routinely associated with a disease process are not coded when that
 * disease is confirmed (ICD-10-CM Official Guidelines I.B.5, and IV.D for outpatient
 * encounters); symptoms not routinely part of it are coded (I.B.6). Which symptom is
 * integral to which diagnoses is a coder's judgement: this team-written table states
 * ours, by symptom code and the diagnosis ranges it is part of.
 */
export interface IntegralRow {
  symptom: readonly CodeSpec[];
  integralTo: readonly CodeSpec[];
}

/**
 * Infectious diseases. B95–B97 are left out: they name the organism of a disease classified
 * elsewhere and are only used as additional codes (tabular note at B95–B97), so a fever is
 * integral to the disease they qualify, not to them.
 */
const INFECTIONS = ['A00-B94', 'B99', 'J00-J22', 'J85', 'J86', 'N10', 'N30', 'N39.0', 'N41', 'K35-K37', 'K57', 'K65', 'K81', 'L02', 'L03', 'M00', 'M86', 'G00-G04', 'H66', 'H70', 'J01', 'J02', 'J03', 'R65.2'];

export const INTEGRAL_SYMPTOMS = [
  { symptom: ['R50', 'R68.83'], integralTo: INFECTIONS },
  { symptom: ['R05', 'R09.3', 'R04.2'], integralTo: ['J00-J99', 'A15', 'I50', 'U07.1'] },
  { symptom: ['R06.0', 'R06.2', 'R06.8', 'R09.02'], integralTo: ['J00-J99', 'I50', 'I26', 'I21', 'I22', 'I11.0', 'I13', 'D50-D64', 'U07.1'] },
  { symptom: ['R07.1', 'R07.2', 'R07.8', 'R07.9'], integralTo: ['I20-I25', 'I26', 'I30', 'I31', 'I71', 'J12-J18', 'J93', 'K21', 'M94.0'] },
  { symptom: ['R07.0'], integralTo: ['J02', 'J03', 'J06', 'J35', 'J36', 'B27'] },
  // Abdominal pain is part of the inflammatory, obstructive and colicky diseases of the abdomen,
  // not of every digestive or genitourinary code (oral and liver disease, hernias, anal
  // disorders, kidney failure, prolapse): there it is coded (I.B.6).
  { symptom: ['R10'], integralTo: ['K25-K31', 'K35-K38', 'K50-K52', 'K55-K58', 'K65', 'K80-K87', 'N10', 'N13', 'N20-N23', 'N30', 'N39.0', 'N70-N77', 'N80', 'N83', 'O00-O08', 'A00-A09', 'C15-C26'] },
  { symptom: ['R11'], integralTo: ['K25-K31', 'K35-K38', 'K52', 'K56', 'K65', 'K80-K87', 'A00-A09', 'O21', 'G43', 'N20', 'E10.1', 'E11.1'] },
  { symptom: ['R19.7'], integralTo: ['A00-A09', 'K50-K52', 'K58', 'K90'] },
  { symptom: ['R51', 'G44.1'], integralTo: ['G43', 'G44', 'I60-I62', 'G00-G04', 'J01', 'S06'] },
  { symptom: ['R31'], integralTo: ['N20-N23', 'N30', 'N39.0', 'C64-C68', 'N02'] },
  { symptom: ['R30', 'R35', 'R39.1'], integralTo: ['N30', 'N39.0', 'N34', 'N40', 'N41', 'N20-N23'] },
  { symptom: ['R60'], integralTo: ['I50', 'I11.0', 'I13', 'N04', 'I87', 'I80-I82', 'K70.3', 'K74'] },
  { symptom: ['R00.0', 'R00.2'], integralTo: ['I47', 'I48', 'I49', 'E05'] },
  { symptom: ['R42'], integralTo: ['H81', 'H83', 'I95', 'I63'] },
  // A rash is the eruptive skin diseases themselves, not pruritus, ulcers or disorders of hair and nails.
  { symptom: ['R21'], integralTo: ['L00-L08', 'L20-L28', 'L30', 'L40-L45', 'L49-L59', 'B00-B09', 'T78.4'] },
  { symptom: ['R09.81', 'J34.89'], integralTo: ['J00', 'J01', 'J30', 'J32', 'J06'] },
  { symptom: ['M25.5', 'M79.6'], integralTo: ['M00-M25', 'M60-M79', 'S00-T14'] },
  { symptom: ['M54'], integralTo: ['M40-M53', 'S32', 'S33', 'N20'] },
  { symptom: ['R73.9', 'R73.09'], integralTo: ['E08-E13'] },
  // Not cancer: the tabular asks for neoplastic fatigue (R53.0 "code first associated
  // neoplasm") and cachexia (R64 "code first underlying condition") beside the neoplasm, and
  // weight loss is not routinely part of one (I.B.6).
  { symptom: ['R63.4', 'R53'], integralTo: ['E05', 'B20'] },
  { symptom: ['R40.2', 'R41.82'], integralTo: ['I60-I64', 'S06', 'F01-F03', 'G30'] },
  { symptom: ['R55'], integralTo: ['I44-I49', 'I95'] },
  { symptom: ['R56'], integralTo: ['G40', 'R56.0'] },
] as const satisfies readonly IntegralRow[];
