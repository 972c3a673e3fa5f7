import type { CodeSpec } from './code-ranges.js';

/**
 * Which diagnoses go when a claim has more than it can carry (837P: 12; 837I: a principal,
 * 24 others and 12 external causes). The principal is always kept. Team-written from the
 * UHDDS "other diagnoses" definition and the Guidelines (III, I.C.21): codes that change
 * care or payment stay; history, family history and descriptive status codes go first.
 * When a site imports CC/MCC lists they will rank the middle tier.
 */
export const KEEP_OVER_LIMIT = [
  'Z66', // do not resuscitate (Guidelines I.C.21.c.3: reported at any time during the stay)
  'Z99.11', 'Z99.2', 'Z94', 'Z21', 'Z93', 'Z51.5', 'Z99.81', 'Z79.4',
] as const satisfies readonly CodeSpec[];

export const DROP_FIRST_OVER_LIMIT = [
  'Z80-Z84', 'Z85-Z87', 'Z88', 'Z91', 'Z92', 'Z77', 'Z72', 'Z73', 'Z74', 'Z75', 'Z76', 'Z55-Z65', 'Z68', 'Z79', 'Z90', 'Z96', 'Z97', 'Z98',
] as const satisfies readonly CodeSpec[];

/**
 * Conditions present before admission even when diagnosed during the stay (ICD-10-CM
 * Official Guidelines Appendix I: "assign Y for conditions diagnosed during the admission
 * that were clearly present but not diagnosed until after admission", chronic conditions,
 * malignancies); added to the chronic conditions of history-codes.ts for POA only.
 */
export const PRESENT_BEFORE_ADMISSION = [
  'C00-C96', 'D00-D09', 'D37-D49', 'F01-F03', 'F10.2', 'F11.2', 'F20', 'F25', 'F31', 'F84', 'G10', 'G12.2', 'G31', 'G35', 'G43',
  'G47.3', 'G62', 'G80', 'E10-E13', 'E03', 'E21', 'E27', 'E55', 'E84', 'E85', 'D50', 'D56', 'D57', 'D61', 'D68.5', 'D68.6', 'D69.6',
  'I05-I09', 'I27', 'I34-I37', 'I42', 'I65', 'I67.2', 'I70', 'I71', 'I87.2', 'J41-J43', 'J47', 'J84', 'K50', 'K51', 'K70', 'K74', 'K86.1',
  'M05', 'M06', 'M10', 'M32', 'M34', 'M35', 'M45', 'M47', 'M48.0', 'N18', 'N40', 'H35.3', 'H40', 'H54', 'G89.2', 'G89.4', 'E66', 'I48', 'I25',
] as const satisfies readonly CodeSpec[];
