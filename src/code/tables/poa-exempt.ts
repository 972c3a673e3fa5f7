import type { CodeSpec } from './code-ranges.js';

/**
 * Categories exempt from present-on-admission reporting (the POA field is left blank;
 * ICD-10-CM Official Guidelines, Appendix I, "Categories and codes exempt from diagnosis
 * present on admission requirement"). This is the part of that list our coding assigns;
 * codes outside it get Y, N, U or W.
 */
export const POA_EXEMPT = [
  'B90-B94', 'E64', 'I25.2', 'O09', 'O66.5', 'O80', 'P00', 'Q00-Q99', 'V00-Y99',
  'Z00-Z13', 'Z14', 'Z15', 'Z17', 'Z18', 'Z20', 'Z22', 'Z28', 'Z30-Z39', 'Z41', 'Z42', 'Z51', 'Z63', 'Z64', 'Z65',
  'Z66', 'Z67', 'Z68', 'Z72', 'Z74', 'Z75', 'Z76', 'Z77', 'Z78', 'Z79', 'Z80-Z87', 'Z88', 'Z89', 'Z90', 'Z91.1',
  'Z91.4', 'Z91.5', 'Z91.8', 'Z92', 'Z93', 'Z94', 'Z95', 'Z97', 'Z98', 'Z99',
] as const satisfies readonly CodeSpec[];
