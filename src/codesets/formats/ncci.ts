import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { CodeFileFormatError, readLines } from './line-reader.js';

/**
 * CMS National Correct Coding Initiative tables, in the layouts CMS publishes:
 * - PTP (procedure-to-procedure) edits, tab-delimited text: Column 1, Column 2,
 *   "* = in existence prior to 1996", effective date (YYYYMMDD), deletion date
 *   (YYYYMMDD or "*" for none), modifier indicator (0 not allowed, 1 allowed,
 *   9 not applicable), PTP edit rationale; copyright and header lines come first.
 * - MUE (medically unlikely edits) tables, CSV: HCPCS/CPT code, MUE value, MUE
 *   adjudication indicator ("1 Line Edit", "2 Date of Service Edit: Policy",
 *   "3 Date of Service Edit: Clinical"), MUE rationale; header lines come first.
 * (CMS, "Medicare NCCI Procedure to Procedure (PTP) Edits" and "Medically Unlikely
 * Edits" pages; Medicaid NCCI Edit Design Manual, publication file formats.)
 */
export interface PtpRow {
  column1: string;
  column2: string;
  effectiveFrom: string;
  deletedOn?: string;
  modifierIndicator: '0' | '1' | '9';
  rationale?: string;
}

export interface MueRow {
  code: string;
  maxUnits: number;
  mai: '1' | '2' | '3';
  rationale?: string;
}

const HCPCS_CODE = /^[0-9A-Z]{5}$/;
const PTP_ROW = /^([0-9A-Z]{5})\t([0-9A-Z]{5})\t(\*?)\t(\d{8})\t(\d{8}|\*)\t([019])(?:\t(.*))?$/;

function isoDate(yyyymmdd: string): string {
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

export async function readPtpFile(file: string, fileName: string): Promise<PtpRow[]> {
  const rows: PtpRow[] = [];
  let seenData = false;
  for await (const { line, n } of readLines(file)) {
    const m = PTP_ROW.exec(line.replace(/\r$/, ''));
    if (!m) {
      // Copyright and column-header lines precede the data; after data starts, every line must be a row.
      if (seenData && line.trim() !== '') throw new CodeFileFormatError(`${fileName} line ${n}: not a PTP edit row (Column 1, Column 2, prior-1996 flag, effective date, deletion date, modifier indicator, rationale)`);
      continue;
    }
    seenData = true;
    rows.push({
      column1: m[1]!, column2: m[2]!, effectiveFrom: isoDate(m[4]!),
      ...(m[5] !== '*' ? { deletedOn: isoDate(m[5]!) } : {}),
      modifierIndicator: m[6] as PtpRow['modifierIndicator'],
      ...(m[7]?.trim() ? { rationale: m[7].trim() } : {}),
    });
  }
  if (rows.length === 0) throw new CodeFileFormatError(`${fileName}: no PTP edit rows found`);
  return rows;
}

export async function readMueFile(file: string, fileName: string): Promise<MueRow[]> {
  const rows: MueRow[] = [];
  let header = false;
  let n = 0;
  for await (const record of createReadStream(file).pipe(parse({ relax_column_count: true, bom: true, skip_empty_lines: true }))) {
    n++;
    const cells = (record as string[]).map((c) => c.trim());
    if (!header) {
      header = cells.some((c) => /MUE Values?/i.test(c)) && cells.some((c) => /Adjudication/i.test(c));
      continue; // copyright lines before the header
    }
    const [code, value, mai, rationale] = cells;
    const indicator = /^([123])\b/.exec(mai ?? '')?.[1];
    if (!code || !HCPCS_CODE.test(code) || !/^\d+$/.test(value ?? '') || !indicator) {
      throw new CodeFileFormatError(`${fileName} record ${n}: not an MUE row (HCPCS/CPT code, MUE value, adjudication indicator 1–3, rationale)`);
    }
    rows.push({ code, maxUnits: Number(value), mai: indicator as MueRow['mai'], ...(rationale ? { rationale } : {}) });
  }
  if (!header) throw new CodeFileFormatError(`${fileName}: no MUE header row ("… MUE Values", "MUE Adjudication Indicator")`);
  if (rows.length === 0) throw new CodeFileFormatError(`${fileName}: no MUE rows`);
  return rows;
}
