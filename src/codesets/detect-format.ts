import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { HCPCS_RECORD } from './formats/hcpcs-cpt.js';

export type CodeFileFormat =
  | 'icd10cm-tabular' | 'icd10cm-order' | 'icd10pcs-codes' | 'icd10pcs-addenda' | 'icd10cm-index' | 'icd10pcs-tables'
  | 'ncci-ptp' | 'mue' | 'hcpcs' | 'cpt-csv' | 'cpt-tsv'
  | 'mce-lists' | 'mce-simple-edits' | 'poa-exempt' | 'poa-exempt-changes' | 'snomed-icd10cm-map';

/**
 * The header of the CMS POA exempt list (tab-separated: order number, POAexemptCode,
 * Description), naming the fiscal year: "OrdFY25", "Order2020".
 */
export const POA_EXEMPT_HEADER = /^Ord(?:er)?(?:FY)?(\d{2}|\d{4})\tPOAexemptCode\tDescription\s*$/i;

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
  // ICD-10-PCS codes: a 7-character code (section 0-9, B-D, F-H, X) and its title, on the first lines alike
  // (a README's "CENTERS FOR …" line alone is not enough).
  const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length > 0 && lines.slice(0, 3).every((l, i) => /^[0-9BCDFGHX][0-9A-HJ-NP-Z]{6}\s+\S/.test(l) || (i > 0 && i === lines.length - 1))) return 'icd10pcs-codes';
  if (/^(Add|Delete|Revise (to|from)):\s+[0-9A-HJ-NP-Z]{7}\s/m.test(head)) return 'icd10pcs-addenda';
  if (/^[0-9A-Z]{5}\t[0-9A-Z]{5}\t\*?\t\d{8}\t(\d{8}|\*)\t[019]/m.test(head)) return 'ncci-ptp';
  if (/MUE Values?/i.test(head) && /Adjudication Indicator/i.test(head)) return 'mue';
  // HCPCS Level II fixed-width records, possibly after a few lines of disclaimers.
  const record = head.split(/\r?\n/).slice(0, 40).find((l) => HCPCS_RECORD.test(l));
  if (record && record.length >= 91 && (record === first || /^\*+\s*Disclaimer/i.test(first))) return 'hcpcs';
  if (/^"?list"?\s*,\s*"?code"?\s*$/i.test(first.trim())) return 'mce-lists';
  if (/^MCE_Version\tICD_Version\tMCE_Section\t/.test(first)) return 'mce-simple-edits';
  // The CMS POA exempt package: the full list, and lists of what was added, deleted or
  // revised since last year (same layout as the list for additions: told apart by name).
  if (POA_EXEMPT_HEADER.test(first)) return /(?:Add|Delete|Revise)Codes/i.test(basename(file)) ? 'poa-exempt-changes' : 'poa-exempt';
  if (/^(?:Order\w*\t)?(?:Action\t)?POAexemptCode\tDescription/i.test(first)) return 'poa-exempt-changes';
  // The NLM SNOMED CT to ICD-10-CM map: RF2 Extended Map refset, or its human-readable TSV.
  const columns = first.split('\t').map((c) => c.trim());
  if (['referencedComponentId', 'mapGroup', 'mapPriority', 'mapRule', 'mapTarget'].every((c) => columns.includes(c))) return 'snomed-icd10cm-map';
  if (/^"?code"?,/i.test(first) && /(^|,)"?(description|descriptor)"?(,|$)/i.test(first)) return 'cpt-csv';
  if (/^code\t/i.test(first) && /(^|\t)(description|descriptor)(\t|$)/i.test(first)) return 'cpt-tsv';
  return undefined;
}

/** The fiscal year a release file names ("icd10cm-order-Jan-2021.txt" → 2021). */
export function yearInName(file: string): number | undefined {
  const years = basename(file).match(/20\d\d/g);
  return years ? Number(years[years.length - 1]) : undefined;
}
