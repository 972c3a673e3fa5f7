/**
 * The words every record and issue uses: the stage that raised it, its severity and the
 * action that fixes it. Kept apart from the record types and the issue-code registry so
 * that both can use them without importing each other.
 */
export type StageName = 'ingest' | 'abstract' | 'code' | 'validate' | 'emit' | 'run';
export type Severity = 'error' | 'warning';

/** What fixes a finding: query-physician | add-modifier | correct-demographics | correct-export | review … */
export type SuggestedAction =
  | 'query-physician'
  | 'add-modifier'
  | 'correct-demographics'
  | 'correct-coverage'
  | 'correct-provider'
  | 'correct-export'
  | 'review';

/** Every suggested action, for configuration that routes findings by them (config worklist.teams). */
export const SUGGESTED_ACTIONS = ['query-physician', 'add-modifier', 'correct-demographics', 'correct-coverage', 'correct-provider', 'correct-export', 'review'] as const satisfies readonly SuggestedAction[];
