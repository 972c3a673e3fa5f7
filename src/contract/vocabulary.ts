/**
 * The words every record and issue uses: the stage that raised it, its severity and the
 * action that fixes it. Kept apart from the record types and the issue-code registry so
 * that both can use them without importing each other.
 */
/** payer: what a payer or clearinghouse answered about a claim we sent (999, 277CA, 835). */
export type StageName = 'ingest' | 'abstract' | 'code' | 'validate' | 'emit' | 'run' | 'payer';
export type Severity = 'error' | 'warning';

/** What fixes a finding: query-physician | add-modifier | correct-demographics | correct-export | review … */
export type SuggestedAction =
  | 'query-physician'
  | 'add-modifier'
  | 'correct-demographics'
  | 'correct-coverage'
  | 'correct-provider'
  | 'correct-export'
  | 'review'
  /** A payer rejected or denied the claim: correct it (or not) and send it again. */
  | 'resubmit'
  /** A payer denied what the documentation supports: appeal with the records. */
  | 'appeal'
  /** Nothing will be paid (filing limit passed, benefit exhausted): write the balance off. */
  | 'write-off';

/** Every suggested action, for configuration that routes findings by them (config worklist.teams). */
export const SUGGESTED_ACTIONS = ['query-physician', 'add-modifier', 'correct-demographics', 'correct-coverage', 'correct-provider', 'correct-export', 'review', 'resubmit', 'appeal', 'write-off'] as const satisfies readonly SuggestedAction[];
