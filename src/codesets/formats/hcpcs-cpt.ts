import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { CodeFileFormatError, readLines } from './line-reader.js';

/**
 * HCPCS Level II annual/quarterly file (CMS "HCPCyyyy_<MON>_ANWEB" record layout,
 * fixed width): 1–5 HCPCS code (modifier records: 4–5 the modifier), 6–10 sequence
 * number, 11 record identification (3 first line of a procedure, 4 its continuation,
 * 7 first line of a modifier, 8 its continuation), 12–91 long description, 92–119
 * short description (first lines only). Fields after column 119 (pricing, coverage,
 * dates) are not read yet.
 */
export interface HcpcsEntry {
  code: string;
  title: string;
  shortTitle: string;
}

export interface HcpcsFile {
  codes: HcpcsEntry[];
  modifiers: HcpcsEntry[];
}

export const HCPCS_RECORD = /^([A-Z0-9]{5}|   [A-Z0-9]{2})(\d{5})([3478])/;
/** Lines of disclaimer a file may carry before its first record. */
export const HCPCS_PREAMBLE_LINES = 40;

export async function readHcpcsFile(file: string, fileName: string): Promise<HcpcsFile> {
  const codes = new Map<string, HcpcsEntry>();
  const modifiers = new Map<string, HcpcsEntry>();
  // The "CONTR" file opens with a few lines of disclaimers before the first record; the
  // file is Windows text (a non-breaking space in them), read as Latin-1.
  let started = false;
  for await (const { line, n } of readLines(file, 'latin1')) {
    if (line.trim() === '') continue;
    const m = HCPCS_RECORD.exec(line);
    if (!m && !started && n <= HCPCS_PREAMBLE_LINES) continue;
    if (!m) throw new CodeFileFormatError(`${fileName} line ${n}: not an HCPCS record (code 1–5, sequence 6–10, record id 3/4/7/8 in 11)`);
    started = true;
    const isModifier = m[3] === '7' || m[3] === '8';
    const code = m[1]!.trim();
    const target = isModifier ? modifiers : codes;
    const long = line.slice(11, 91).trim();
    const first = m[3] === '3' || m[3] === '7';
    const existing = target.get(code);
    if (first || !existing) target.set(code, { code, title: existing && !first ? `${existing.title} ${long}` : long, shortTitle: line.slice(91, 119).trim() });
    else existing.title = `${existing.title} ${long}`.trim();
  }
  if (codes.size === 0) throw new CodeFileFormatError(`${fileName}: no HCPCS procedure records`);
  return { codes: [...codes.values()], modifiers: [...modifiers.values()] };
}

/**
 * A CPT file the user supplies under their AMA licence, in a documented simple layout:
 * CSV or tab-separated with a header row naming at least `code` and `description`
 * (other columns are ignored). Codes are five characters: four digits and a digit or
 * F/T/U (Category II/III).
 */
export const CPT_CODE = /^\d{4}[0-9FTU]$/;

export async function readCptFile(file: string, fileName: string, delimiter: ',' | '\t'): Promise<HcpcsEntry[]> {
  const out: HcpcsEntry[] = [];
  let n = 1;
  const parser = createReadStream(file).pipe(parse({ columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), bom: true, delimiter, skip_empty_lines: true, relax_quotes: true }));
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    n++;
    const code = (record.code ?? '').trim().toUpperCase();
    const title = (record.description ?? record.descriptor ?? record.title ?? '').trim();
    if (!CPT_CODE.test(code) || title === '') throw new CodeFileFormatError(`${fileName} row ${n}: needs a CPT code (4 digits and a digit, F, T or U) and a description`);
    out.push({ code, title, shortTitle: (record.short_description ?? '').trim() });
  }
  if (out.length === 0) throw new CodeFileFormatError(`${fileName}: no CPT rows`);
  return out;
}
