import { CodeFileFormatError, readLines } from './line-reader.js';

/**
 * ICD-10-PCS (CMS): the codes file "icd10pcs_codes_YYYY.txt" — a 7-character code,
 * spaces, the long title — and the addenda "codes_addenda_YYYY.txt" (lines "Add:",
 * "Delete:", "Revise from:"/"Revise to:" before a code and its title).
 * Every PCS code is 7 characters from digits and letters other than I and O.
 */
export const PCS_CODE = /^[0-9A-HJ-NP-Z]{7}$/;

export interface PcsEntry {
  key: string;
  title: string;
}

export async function readIcd10pcsCodes(file: string, fileName: string): Promise<PcsEntry[]> {
  const out: PcsEntry[] = [];
  for await (const { line, n } of readLines(file)) {
    if (line.trim() === '') continue;
    const m = /^(\S{7})\s+(\S.*)$/.exec(line);
    if (!m || !PCS_CODE.test(m[1]!)) throw new CodeFileFormatError(`${fileName} line ${n}: not "CODE title" with a 7-character ICD-10-PCS code`);
    out.push({ key: m[1]!, title: m[2]!.trim() });
  }
  if (out.length === 0) throw new CodeFileFormatError(`${fileName}: empty codes file`);
  return out;
}

export interface PcsAddendum {
  action: 'add' | 'delete' | 'revise';
  key: string;
  title: string;
}

export async function readIcd10pcsAddenda(file: string, fileName: string): Promise<PcsAddendum[]> {
  const out: PcsAddendum[] = [];
  for await (const { line, n } of readLines(file)) {
    const m = /^(Add|Delete|Revise to|Revise from):\s+(\S{7})\s+(.*)$/.exec(line.trim());
    // Other lines are headings and the closing totals ("78948 codes", "371 additions").
    if (!m) continue;
    if (m[1] === 'Revise from') continue; // the old title: "Revise to" carries the new one
    if (!PCS_CODE.test(m[2]!)) throw new CodeFileFormatError(`${fileName} line ${n}: "${m[2]}" is not an ICD-10-PCS code`);
    out.push({ action: m[1] === 'Add' ? 'add' : m[1] === 'Delete' ? 'delete' : 'revise', key: m[2]!, title: m[3]!.trim() });
  }
  if (out.length === 0) throw new CodeFileFormatError(`${fileName}: no "Add:", "Delete:" or "Revise to:" lines; not an ICD-10-PCS addenda file`);
  return out;
}
