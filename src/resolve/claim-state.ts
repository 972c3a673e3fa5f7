import type { ClaimRecord } from '../emit/claims/claim-record.js';
import type { Db } from '../store/database.js';
import { CODE_ACTIONS } from './answer-claim.js';
import type { ClaimWorkChange } from './claim-work.js';
import { recodeFindings, type RecodeEditOptions } from './recode-edits.js';
import type { ResolutionLine } from './resolutions-file.js';

export { CODE_ACTIONS } from './answer-claim.js';

/** A finding of a held claim as the work queue stores it, with its code, stage and suggested action. */
export interface FindingRow {
  exception_id: string;
  source: string;
  encounter_id: string;
  severity: string;
  last_run_id: number;
  status: 'open' | 'held' | 'resolved' | 'superseded';
  resolution_id: number | null;
  /** The finding's issue code and the stage that raised it. */
  code: string | null;
  stage: string | null;
  /** The finding's suggested action (routes it to a team). */
  action: string | null;
}

/** A held claim as answered so far: the stored claim with earlier files' edits, then this file's. */
export interface ClaimState {
  source: string;
  encounterId: string;
  runId: number;
  businessDate: string;
  contentHash: string;
  /** Before this file's answers. */
  before: ClaimRecord;
  claim: ClaimRecord;
  /** Open or held findings when the file was read. */
  findings: FindingRow[];
  /** The claim has code or field changes (stored or in this file) that must pass the edits. */
  edited: boolean;
  setField: boolean;
  /** The team the claim's first error finding routes to (the worklist's team when none is assigned). */
  routedTeam: string;
  answers: { row: ResolutionLine; finding?: FindingRow }[];
}

/** Stages whose findings an edit to the codes or fields cannot answer: only release (or void) does. */
export const NOT_FIXED_BY_EDITS: ReadonlySet<string> = new Set(['ingest', 'run', 'emit']);

/** The owner, team, hold reason and note a row carries. */
export const contextOf = (row: ResolutionLine): ClaimWorkChange => ({
  ...(row.owner !== undefined ? { owner: row.owner } : {}), ...(row.team !== undefined ? { team: row.team } : {}),
  ...(row.holdReason !== undefined ? { holdReason: row.holdReason } : {}), ...(row.note !== undefined ? { note: row.note } : {}),
});


/**
 * An edited claim through the edits, as the file leaves it: the coding edits and, when a
 * claim's row answered it or a field was set, the claim-data edits. Refused (the problem,
 * naming the lines) when the claim fails an edit it did not fail before or, on a finding's
 * row, the edit that finding was; otherwise the errors still raised (their findings stay open).
 */
export function checkEditedClaim(db: Db, state: ClaimState, edits: RecodeEditOptions, releasedCodes: readonly string[]): { problem?: string; stillFailing: Set<string>; warnings: string[] } {
  // An edit whose finding a person released on this claim stays overridden.
  const overridden = new Set([...releasedCodes, ...state.answers.filter((a) => a.row.action === 'release' && a.finding?.code).map((a) => a.finding!.code!)]);
  const claimLevel = state.answers.some((a) => !a.finding && a.row.action !== 'assign');
  const found = recodeFindings(db, state.claim, edits, claimLevel || state.setField ? {
    businessDate: state.businessDate, payerIds: new Set(edits.payerIds ?? []),
    ...(edits.limits ? { limits: edits.limits } : {}), ...(edits.patientStatusDefault ? { patientStatusDefault: edits.patientStatusDefault } : {}),
  } : undefined);
  const had = new Set(state.findings.map((f) => f.code ?? ''));
  const errors = found.filter((i) => i.severity === 'error' && !overridden.has(i.code));
  const lines = state.answers.filter((a) => CODE_ACTIONS.has(a.row.action)).map((a) => a.row.line);
  const where = lines.length > 1 ? `lines ${lines.join(', ')}` : `line ${lines[0] ?? state.answers[0]!.row.line}`;
  // Refused: an error the claim did not have before, or (a finding's row) one the edits were the answer to.
  const answered = new Set(state.answers.filter((a) => a.finding?.code && CODE_ACTIONS.has(a.row.action)).map((a) => a.finding!.code!));
  const refused = errors.filter((i) => !had.has(i.code) || (!claimLevel && answered.has(i.code)));
  const warnings = found.filter((w) => w.severity === 'warning' && w.code !== 'EDIT_CODE_UNVERIFIED' && !had.has(w.code)).map((w) => `${where}: ${w.code}: ${w.message}`);
  if (refused.length > 0) {
    return { problem: `${where}: the ${claimLevel ? 'edited' : 'recoded'} claim of encounter ${state.encounterId} fails ${refused.map((i) => `${i.code} (${i.message})`).join('; ')}`, stillFailing: new Set(), warnings };
  }
  return { stillFailing: new Set(errors.map((i) => i.code)), warnings };
}
