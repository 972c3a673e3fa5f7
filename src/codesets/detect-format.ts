import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';

export type CodeFileFormat = 'icd10cm-tabular' | 'icd10cm-order' | 'icd10pcs-codes' | 'icd10pcs-addenda' | 'icd10cm-index' | 'ncci-ptp' | 'mue' | 'hcpcs' | 'cpt-csv' | 'cpt-tsv' | 'mce-lists' | 'icd10pcs-tables';

/** The first `bytes` of a file as text (enough to recognize a format or read its header). */
export function readHead(file: string, bytes = 8192): string {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(bytes);
  let n: number;
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
}

/** Recognizes an official release file by its content (the first few KB), not its name. */
export function detectFormat(file: string): CodeFileFormat | undefined {
  const head = readHead(file);
  if (/<ICD10CM\.tabular[\s>]/.test(head)) return 'icd10cm-tabular';
  if (/<ICD10CM\.index[\s>]/.test(head)) return 'icd10cm-index';
  if (/<ICD10PCS\.tabular[\s>]/.test(head)) return 'icd10pcs-tables';
  const first = head.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  if (/^\d{5} [A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}\s* [01] /.test(first)) return 'icd10cm-order';
  if (/^[0-9A-HJ-NP-Z]{7}\s+\S/.test(first)) return 'icd10pcs-codes';
  if (/^(Add|Delete|Revise (to|from)):\s+[0-9A-HJ-NP-Z]{7}\s/m.test(head)) return 'icd10pcs-addenda';
  if (/^[0-9A-Z]{5}\t[0-9A-Z]{5}\t\*?\t\d{8}\t(\d{8}|\*)\t[019]/m.test(head)) return 'ncci-ptp';
  if (/MUE Values?/i.test(head) && /Adjudication Indicator/i.test(head)) return 'mue';
  if (/^([A-Z0-9]{5}|   [A-Z0-9]{2})\d{5}[3478]/.test(first) && first.length >= 91) return 'hcpcs';
  if (/^"?list"?\s*,\s*"?code"?\s*$/i.test(first.trim())) return 'mce-lists';
  if (/^"?code"?,/i.test(first) && /(^|,)"?(description|descriptor)"?(,|$)/i.test(first)) return 'cpt-csv';
  if (/^code\t/i.test(first) && /(^|\t)(description|descriptor)(\t|$)/i.test(first)) return 'cpt-tsv';
  return undefined;
}

/** The fiscal year a release file names ("icd10cm-order-Jan-2021.txt" → 2021). */
export function yearInName(file: string): number | undefined {
  const years = basename(file).match(/20\d\d/g);
  return years ? Number(years[years.length - 1]) : undefined;
}
