import type { Migration } from './migration.js';
import { EARLY_MIGRATIONS } from './migrations-early.js';
import { LATER_MIGRATIONS } from './migrations-later.js';
import { PAYER_MIGRATIONS } from './migrations-payer.js';

/**
 * Versioned schema migrations of the run repository, in order. Append only: a released
 * migration is never edited, a change is a new entry (at the end of migrations-later.ts).
 */
export type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [...EARLY_MIGRATIONS, ...LATER_MIGRATIONS, ...PAYER_MIGRATIONS];
