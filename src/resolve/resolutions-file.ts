import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { NightcodeError } from '../contract/errors.js';
import { EDIT_ACTIONS, parseEdit, readCode, type ClaimEdit, type EditAction } from './claim-edits.js';

/**
 * Answers to a payer's rejection or denial: resubmit sends the claim (as answered) again, a
 * replacement (frequency 7) of a denied claim or a new claim after a rejection; appeal and
 * write-off close the finding and record the step in the claim's lifecycle.
 */
export const PAYER_ACTIONS = ['resubmit', 'appeal', 'write-off'] as const;
export const RESOLUTION_ACTIONS = ['release', 'recode', 'hold', 'void', ...EDIT_ACTIONS, ...PAYER_ACTIONS] as const;
export type ResolutionAction = (typeof RESOLUTION_ACTIONS)[number];

/**
 * Columns of a resolutions CSV (README, "Resolving exceptions"). A row answers one finding
 * (exception_id) or a whole claim (source and encounter_id, as a worklist row does); every
 * column but action and user may be empty. The worklist file and the template use these
 * names, so either, filled in, is a resolutions file.
 */
export const RESOLUTIONS_CSV_COLUMNS = ['exception_id', 'source', 'encounter_id', 'action', 'target', 'codes', 'hold_reason', 'note', 'user', 'owner', 'team'] as const;

/** The columns resolve reads; any other column is context and ignored. */
export const ANSWER_COLUMNS = ['action', 'target', 'codes', 'hold_reason', 'note', 'user', 'owner', 'team'] as const;

/** A coder's codes for a claim: diagnoses in sequence, service-line codes by line, PCS procedures. */
export interface Recode {
  diagnoses: string[];
  lines: { code: string; modifiers: string[] }[];
  pcs: string[];
}

export interface ResolutionLine {
  line: number;
  /** The finding answered; absent when the row answers the whole claim. */
  exceptionId?: string;
  /** The claim answered (a worklist row): the encounter, and its source when the file gives it. */
  encounterId?: string;
  source?: string;
  /** assign: no answer, only the claim's owner, team, hold reason or note changed. */
  action: ResolutionAction | 'assign';
  recode?: Recode;
  edit?: ClaimEdit;
  /** The target and codes cells as written. */
  target?: string;
  codes?: string;
  holdReason?: string;
  note?: string;
  owner?: string;
  team?: string;
  /** Empty only on an assign row, which is then checked against what is stored. */
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

/**
 * The codes of a recode: tokens separated by spaces, commas, semicolons or bars. A token
 * may name its kind (`dx:E11.9`, `px:99213-25`, `pcs:0DTJ4ZZ`); without one, an ICD-10-CM
 * code is three characters or carries its dot (as the tabular writes it), a CPT or HCPCS
 * code is five characters with modifiers after hyphens, and an ICD-10-PCS code is seven
 * characters. Returns the recode or the problem.
 */
export function parseRecode(text: string): Recode | string {
  const out: Recode = { diagnoses: [], lines: [], pcs: [] };
  const tokens = text.split(/[\s,;|]+/).filter(Boolean);
  if (tokens.length === 0) return 'recode needs codes (for example "E11.9 I10 99213-25")';
  for (const token of tokens) {
    const c = readCode(token);
    if (typeof c === 'string') return c;
    if (c.kind === 'dx') out.diagnoses.push(c.code);
    else if (c.kind === 'pcs') out.pcs.push(c.code);
    else out.lines.push({ code: c.code, modifiers: c.modifiers });
  }
  return out;
}

/**
 * Reads a resolutions CSV: a header naming action and user and either exception_id (a
 * finding's row, as in exceptions.csv and `nightcode exceptions --template`) or
 * encounter_id (a claim's row, as in worklist.csv), then one answer per row. A row with no
 * action, codes, owner, team, hold reason or note is not answered yet and is skipped; one
 * with only owner, team, hold reason or note is an assignment, applied when it changes
 * what is stored. Columns resolve does not read are context. Rows are checked for form
 * here (the database checks come later); every problem names its line. A file that cannot
 * be parsed at all throws.
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
  const missing = ['action', 'user'].filter((c) => !header.includes(c));
  if (!header.includes('exception_id') && !header.includes('encounter_id')) missing.unshift('exception_id (or encounter_id)');
  if (missing.length > 0) {
    throw new NightcodeError('INPUT_COLUMNS_MISSING', `${file}: the first line is not a resolutions header: it lacks ${missing.join(', ')} (columns: ${RESOLUTIONS_CSV_COLUMNS.join(', ')}; nothing was applied)`);
  }
  const rows: ResolutionLine[] = [];
  const problems: string[] = [];
  let unanswered = 0;
  for (const { record, info } of records) {
    const line = info.lines;
    const problem = (m: string) => problems.push(`line ${line}: ${m}`);
    // A cell nightcode wrote with the spreadsheet formula guard (a leading ') reads as its value.
    const cell = (c: string) => (record[c] ?? '').trim().replace(/^'(?=[=+\-@])/, '');
    const exceptionId = cell('exception_id').toUpperCase();
    const encounterId = cell('encounter_id');
    const source = cell('source');
    const action = cell('action').toLowerCase();
    const user = cell('user');
    const codes = cell('codes');
    const target = cell('target');
    const context = {
      ...(cell('hold_reason') ? { holdReason: cell('hold_reason') } : {}), ...(cell('note') ? { note: cell('note') } : {}),
      ...(cell('owner') ? { owner: cell('owner') } : {}), ...(cell('team') ? { team: cell('team').toLowerCase() } : {}),
    };
    const assignment = Object.keys(context).length > 0;
    if (!action && !codes && !target && !assignment) {
      unanswered++;
      continue;
    }
    if (exceptionId && !/^EX[0-9A-F]{16}$/.test(exceptionId)) {
      problem(`"${record.exception_id ?? ''}" is not an exception id (EX and 16 hex digits, as in exceptions.csv)`);
      continue;
    }
    if (!exceptionId && !encounterId) {
      problem('the row names neither a finding (exception_id) nor a claim (encounter_id)');
      continue;
    }
    const key = { ...(exceptionId ? { exceptionId } : { encounterId, ...(source ? { source } : {}) }) };
    if (!action) {
      if (codes || target) {
        problem('codes or target are given without an action: say what to do with them (recode, add-code, set-field, …)');
        continue;
      }
      // Owner, team, hold reason or note only: an assignment, applied if it changes anything.
      rows.push({ line, ...key, action: 'assign', user, ...context });
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
    let edit: ClaimEdit | undefined;
    if (action === 'recode') {
      const parsed = parseRecode(codes);
      if (typeof parsed === 'string') {
        problem(parsed);
        continue;
      }
      recode = parsed;
    } else if ((EDIT_ACTIONS as readonly string[]).includes(action)) {
      const parsed = parseEdit(action as EditAction, target, codes);
      if (typeof parsed === 'string') {
        problem(parsed);
        continue;
      }
      edit = parsed;
    } else if (codes || target) {
      problem(`codes and target go with recode and the edit actions (${EDIT_ACTIONS.join(', ')}), not with ${action}`);
      continue;
    }
    rows.push({
      line, ...key, action: action as ResolutionAction, user, ...context,
      ...(recode ? { recode } : {}), ...(edit ? { edit } : {}), ...(codes ? { codes } : {}), ...(target ? { target } : {}),
    });
  }
  return { file, sha256, rows, problems, unanswered };
}
