/** One versioned schema change of the run repository. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
