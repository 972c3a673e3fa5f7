import { nubcCode } from '../config/nubc-codes.js';
import type { Mapping } from '../config/schema.js';

/**
 * How assembly reads an export's values: dates in the mapping's format, amounts and counts,
 * words through the mapping's tables (any case), NUBC and X12 codes, type of bill, codes.
 */

/** Each format's pattern and where its year, month and day groups are. */
const DATE_PATTERNS: Record<Mapping['dateFormat'], { re: RegExp; y: number; m: number; d: number }> = {
  'YYYY-MM-DD': { re: /^(\d{4})-(\d{2})-(\d{2})$/, y: 1, m: 2, d: 3 },
  'MM/DD/YYYY': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, y: 3, m: 1, d: 2 },
  YYYYMMDD: { re: /^(\d{4})(\d{2})(\d{2})$/, y: 1, m: 2, d: 3 },
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses a date in the mapping's format to YYYY-MM-DD; undefined when it is not a real date
 * (proleptic Gregorian calendar, as JavaScript's Date: 2000-02-29 is one, 1900-02-29 is not).
 * Checked by arithmetic: a Date and its ISO string per value were most of assembling's dates.
 */
export function parseDate(value: string, format: Mapping['dateFormat']): string | undefined {
  const f = DATE_PATTERNS[format];
  const g = f.re.exec(value);
  if (!g) return undefined;
  const y = g[f.y]!;
  const year = Number(y);
  const month = Number(g[f.m]);
  const day = Number(g[f.d]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  return `${y}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** Parses a money amount or a count written with optional thousands separators. */
export function parseNumber(value: string): number | undefined {
  const cleaned = value.replace(/^\$/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

export function lookup<T extends string>(table: Record<string, T>, value: string): T | undefined {
  return table[value] ?? table[value.toLowerCase()] ?? table[value.toUpperCase()] ?? caseless(table, value);
}

/** A table row written in another case than the export ("EW EMER." against "ew emer."). */
function caseless<T extends string>(table: Record<string, T>, value: string): T | undefined {
  const v = value.toLowerCase();
  for (const [k, t] of Object.entries(table)) if (k.toLowerCase() === v) return t;
  return undefined;
}

/** A NUBC or X12 code as exported passes through; a word goes through the mapping's table. */
export function codeOrWord(codes: Record<string, string>, table: Record<string, string>, value: string): string | undefined {
  return nubcCode(codes, value) ?? lookup(table, value);
}

/**
 * Type of bill as written on the UB-04 (FL4) has a leading zero ("0111"); the 837I
 * carries the three digits after it (CLM05-1 facility type code is the first two).
 */
export function normalizeTypeOfBill(value: string): string {
  return /^0\d{3}$/.test(value) ? value.slice(1) : value;
}

/** Normalizes a billing code as exported: upper case, ICD-10 dots kept where written. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}
