import { CSV_BOM, csvLine } from '../csv-cells.js';
import type { WorklistRow } from '../../resolve/worklist-rows.js';

/**
 * Stable, documented column order of worklist.csv (README, "The morning worklist"): the
 * claim, what is open on it and who has it, then the columns to answer in. Filled in, the
 * file is a resolutions file: `nightcode resolve worklist.csv` reads source, encounter_id,
 * action, target, codes, hold_reason, note, user, owner and team (the same names as the
 * template of `nightcode exceptions --template`); the rest is context.
 */
export const WORKLIST_CSV_COLUMNS = [
  'source', 'encounter_id', 'patient_id', 'claim_type', 'payer_id', 'payer', 'service_from', 'service_to', 'amount', 'claim_codes',
  'billing_npi', 'provider', 'status', 'first_seen', 'age_days', 'team', 'teams', 'errors', 'warnings', 'findings', 'evidence', 'exception_ids',
  'owner', 'hold_reason', 'note', 'action', 'target', 'codes', 'user',
] as const;

/** The claims that need a person, one row each; answer columns empty, owner, team, hold reason and note as they stand. */
export function* worklistCsv(rows: Iterable<WorklistRow>): Iterable<string> {
  yield CSV_BOM + csvLine(WORKLIST_CSV_COLUMNS);
  for (const r of rows) {
    yield csvLine([
      r.source, r.encounterId, r.patientId, r.claimType, r.payerId, r.payerName, r.serviceFrom, r.serviceTo, r.amount.toFixed(2), r.claimCodes,
      r.billingNpi, r.providerName, r.status, r.firstSeen, r.ageDays, r.team, r.teams.join(' '),
      r.findings.filter((f) => f.severity === 'error').length, r.findings.filter((f) => f.severity !== 'error').length,
      r.findings.map((f) => `${f.code} (${f.severity}${f.status === 'held' ? ', held' : ''}): ${f.message}`).join(' | '),
      r.findings.filter((f) => f.evidence).map((f) => `${f.code}: ${f.evidence}`).join(' | '),
      r.findings.map((f) => f.exceptionId).join(' '),
      r.owner, r.holdReason, r.note, '', '', '', '',
    ]);
  }
}
