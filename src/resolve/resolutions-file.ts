import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { NightcodeError } from '../contract/errors.js';

export const RESOLUTION_ACTIONS = ['release', 'recode', 'hold', 'void'] as const;
export type ResolutionAction = (typeof RESOLUTION_ACTIONS)[number];

/** Columns of a resolutions CSV (README, "Resolving exceptions"); codes and note may be empty. */
export const RESOLUTIONS_CSV_COLUMNS = ['exception_id', 'action', 'codes', 'note', 'user'] as const;

/** A coder's codes for a claim: diagnoses in sequence, service-line codes by line, PCS procedures. */
export interface Recode {
  diagnoses: string[];
  lines: { code: string; modifiers: string[] }[];
  pcs: string[];
}

export interface ResolutionLine {
  line: number;
  exceptionId: string;
  action: ResolutionAction;
  recode?: Recode;
  /** The codes cell as written. */
  codes?: string;
  note?: string;
  user: string;
}

export interface ResolutionsFile {
  file: string;
  sha256: string;
  rows: ResolutionLine[];
  /** "line N: problem" for every row that cannot be applied. */
  problems: string[];
  /** Rows with an empty action: not answered yet (a template's untouched rows). */
  unanswered: number;
}

const ICD10CM = /^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/;
const CPT = /^\d{4}[0-9A-Z]$/;
const HCPCS = /^[A-V]\d{4}$/;
const PCS = /^[0-9A-HJ-NP-Z]{7}$/;
const MODIFIER = /^[0-9A-Z]{2}$/;

/**
 * The codes of a recode: tokens separated by spaces, commas, semicolons or bars. A token
 * may name its kind (`dx:E11.9`, `px:99213-25`, `pcs:0DTJ4ZZ`); without one, an ICD-10-CM
 * code is three characters or carries its dot (as the tabular writes it), a CPT or HCPCS
 * code is five characters with modifiers after hyphens, and an ICD-10-PCS code is seven
 * characters. Returns the recode or the problem.
 */
export function parseRecode(text: string): Recode | string {
  const out: Recode = { diagnoses: [], lines: [], pcs: [] };
  const tokens = text.toUpperCase().split(/[\s,;|]+/).filter(Boolean);
  if (tokens.length === 0) return 'recode needs codes (for example "E11.9 I10 99213-25")';
  for (const token of tokens) {
    const m = /^(DX|PX|PCS):(.+)$/.exec(token);
    const kind = m?.[1];
    const body = m?.[2] ?? token;
    if ((kind === 'DX' || (!kind && (body.includes('.') || body.length === 3))) && ICD10CM.test(body)) {
      out.diagnoses.push(body);
      continue;
    }
    if (kind === 'DX') return `"${token}" is not an ICD-10-CM code (write it with its dot, as in E11.9)`;
    if (kind === 'PCS' || (!kind && body.length === 7)) {
      if (!PCS.test(body)) return `"${token}" is not an ICD-10-PCS code (seven characters, no I or O)`;
      out.pcs.push(body);
      continue;
    }
    const [code, ...modifiers] = body.split('-');
    if (code && (CPT.test(code) || HCPCS.test(code)) && modifiers.every((x) => MODIFIER.test(x))) {
      out.lines.push({ code, modifiers });
      continue;
    }
    return `"${token}" is not a code nightcode can read: ICD-10-CM with its dot (E11.9), CPT or HCPCS with modifiers after hyphens (99213-25), or ICD-10-PCS (0DTJ4ZZ)`;
  }
  return out;
}

/**
 * Reads a resolutions CSV: a header naming at least exception_id, action and user, then
 * one answer per row; a row with neither action nor codes is not answered yet and is
 * skipped (columns after the five are context, as in `nightcode exceptions --template`).
 * Rows are checked for form here (the database checks come later); every problem names
 * its line. A file that cannot be parsed at all throws.
 */
export function readResolutionsFile(file: string): ResolutionsFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new NightcodeError('INPUT_MISSING', `cannot read resolutions file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(bytes, { bom: true, columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, info: true, relax_column_count: false }) as typeof records;
  } catch (err) {
    throw new NightcodeError('INPUT_UNREADABLE', `${file} is not a readable CSV: ${(err as Error).message}`, { cause: err });
  }
  // The header is read on its own: a file of one answer row without a header must be refused
  // (its row would be taken for the header and nothing applied, silently).
  const header = ((parse(bytes, { bom: true, to_line: 1, skip_empty_lines: true }) as string[][])[0] ?? []).map((c) => c.trim().toLowerCase());
  if (header.length === 0) throw new NightcodeError('RESOLUTIONS_INVALID', `${file} is empty: a resolutions file starts with the header ${RESOLUTIONS_CSV_COLUMNS.join(',')}`);
  const missing = ['exception_id', 'action', 'user'].filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new NightcodeError('INPUT_COLUMNS_MISSING', `${file}: the first line is not a resolutions header: it lacks ${missing.join(', ')} (columns: ${RESOLUTIONS_CSV_COLUMNS.join(', ')}; nothing was applied)`);
  }
  const rows: ResolutionLine[] = [];
  const problems: string[] = [];
  let unanswered = 0;
  for (const { record, info } of records) {
    const line = info.lines;
    const problem = (m: string) => problems.push(`line ${line}: ${m}`);
    const exceptionId = (record.exception_id ?? '').toUpperCase();
    const action = (record.action ?? '').toLowerCase();
    const user = record.user ?? '';
    const codes = record.codes ?? '';
    if (!action && !codes) {
      unanswered++;
      continue;
    }
    if (!/^EX[0-9A-F]{16}$/.test(exceptionId)) {
      problem(`"${record.exception_id ?? ''}" is not an exception id (EX and 16 hex digits, as in exceptions.csv)`);
      continue;
    }
    if (!(RESOLUTION_ACTIONS as readonly string[]).includes(action)) {
      problem(`action "${record.action ?? ''}" must be one of ${RESOLUTION_ACTIONS.join(', ')}`);
      continue;
    }
    if (!user) {
      problem('user is empty: every answer names who gave it');
      continue;
    }
    let recode: Recode | undefined;
    if (action === 'recode') {
      const parsed = parseRecode(codes);
      if (typeof parsed === 'string') {
        problem(parsed);
        continue;
      }
      recode = parsed;
    } else if (codes) {
      problem(`codes are given only with recode (action is ${action})`);
      continue;
    }
    rows.push({
      line, exceptionId, action: action as ResolutionAction, user,
      ...(recode ? { recode, codes } : {}), ...(record.note ? { note: record.note } : {}),
    });
  }
  return { file, sha256, rows, problems, unanswered };
}
