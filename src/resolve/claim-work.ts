import type { SuggestedAction } from '../contract/vocabulary.js';
import type { Db } from '../store/database.js';

/** Who works a held claim and why it waits, kept across nights (table claim_work). */
export interface ClaimWork {
  owner?: string;
  team?: string;
  holdReason?: string;
  note?: string;
  updatedBy: string;
  updatedAt: string;
}

export type ClaimWorkChange = Partial<Pick<ClaimWork, 'owner' | 'team' | 'holdReason' | 'note'>>;

/** How findings reach teams (config `worklist`): by suggested action, and by finding code over that. */
export interface TeamRouting {
  teams: Partial<Record<SuggestedAction, string>>;
  teamsByCode: Readonly<Record<string, string>>;
}

/**
 * The team each suggested action goes to when the config says nothing: coders answer
 * coding questions and query physicians; registration fixes demographics and coverage;
 * provider enrollment fixes NPIs and provider set-up; billing fixes charges and exports.
 */
export const DEFAULT_TEAMS: Record<SuggestedAction, string> = {
  'query-physician': 'coding',
  'add-modifier': 'coding',
  review: 'coding',
  'correct-demographics': 'registration',
  'correct-coverage': 'registration',
  'correct-provider': 'provider-enrollment',
  'correct-export': 'billing',
  // Payers' rejections and denials: the people who talk to payers.
  resubmit: 'billing',
  appeal: 'billing',
  'write-off': 'billing',
};

/** Findings whose suggested action is review but whose work is billing's (charges, duplicates, files, withdrawn visits). */
const DEFAULT_TEAMS_BY_CODE: Record<string, string> = {
  CODE_PROCEDURE_UNPRICED: 'billing',
  EDIT_DUPLICATE_CLAIM: 'billing',
  EMIT_X12_SELF_CHECK: 'billing',
  INGEST_ENCOUNTER_WITHDRAWN: 'billing',
};

export const NO_ROUTING: TeamRouting = { teams: {}, teamsByCode: {} };

/** The team a finding goes to: the config's team for its code, else for its suggested action, else the default. */
export function routeTeam(code: string, action: string | undefined, routing: TeamRouting = NO_ROUTING): string {
  return routing.teamsByCode[code]
    ?? DEFAULT_TEAMS_BY_CODE[code]
    ?? (action ? routing.teams[action as SuggestedAction] ?? DEFAULT_TEAMS[action as SuggestedAction] : undefined)
    ?? 'coding';
}

interface WorkRow {
  owner: string | null;
  team: string | null;
  hold_reason: string | null;
  note: string | null;
  updated_by: string;
  updated_at: string;
}

function fromRow(r: WorkRow): ClaimWork {
  return {
    ...(r.owner ? { owner: r.owner } : {}), ...(r.team ? { team: r.team } : {}), ...(r.hold_reason ? { holdReason: r.hold_reason } : {}),
    ...(r.note ? { note: r.note } : {}), updatedBy: r.updated_by, updatedAt: r.updated_at,
  };
}

export function claimWorkOf(db: Db, source: string, encounterId: string): ClaimWork | undefined {
  const r = db.prepare('SELECT * FROM claim_work WHERE source = ? AND encounter_id = ?').get(source, encounterId) as WorkRow | undefined;
  return r ? fromRow(r) : undefined;
}

/** A reader of claims' work records (one prepared statement; the table keeps every claim ever worked). */
export function claimWorkReader(db: Db): (source: string, encounterId: string) => ClaimWork | undefined {
  const stmt = db.prepare('SELECT * FROM claim_work WHERE source = ? AND encounter_id = ?');
  return (source, encounterId) => {
    const r = stmt.get(source, encounterId) as WorkRow | undefined;
    return r ? fromRow(r) : undefined;
  };
}

/** The fields of a change that differ from what is stored (an untouched worklist row changes nothing). */
export function changedWork(current: ClaimWork | undefined, change: ClaimWorkChange): ClaimWorkChange {
  const out: ClaimWorkChange = {};
  for (const k of ['owner', 'team', 'holdReason', 'note'] as const) {
    const v = change[k];
    if (v !== undefined && v !== (current?.[k] ?? '')) out[k] = v;
  }
  return out;
}

/** Stores a change (empty strings clear a field); returns the record as stored. */
export function saveClaimWork(db: Db, source: string, encounterId: string, change: ClaimWorkChange, user: string, at: string): ClaimWork {
  const current = claimWorkOf(db, source, encounterId);
  const next = { ...current, ...change };
  const v = (x: string | undefined) => (x ? x : null);
  db.prepare(`INSERT INTO claim_work (source, encounter_id, owner, team, hold_reason, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT (source, encounter_id) DO UPDATE SET owner = excluded.owner, team = excluded.team, hold_reason = excluded.hold_reason,
                note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
    .run(source, encounterId, v(next.owner), v(next.team), v(next.holdReason), v(next.note), user, at);
  return claimWorkOf(db, source, encounterId)!;
}
