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
