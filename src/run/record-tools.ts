import Database from 'better-sqlite3';
import { lexiconFromLibrary, type LibraryLexicon } from '../abstract/lexicon/library-lexicon.js';
import { loadStarterLexicon, type Lexicon } from '../abstract/lexicon/lexicon.js';
import { ReferenceLibrary } from '../codesets/reference-library.js';
import type { RecordTools } from './process-record.js';

let cached: { database: string; runId: number; tools: RecordTools; db?: Database.Database } | undefined;
/** The last lexicon compiled: a new run with the same library and site lexicon reuses it. */
let compiled: LibraryLexicon | undefined;

/**
 * The lexicon and the reference library for this thread, loaded on first use: each
 * worker opens the run repository read-only, loads the code-set versions in force on the
 * business date (about 0.6 s for a full ICD-10-CM year) and compiles the abstraction
 * lexicon from them and the site lexicon (a few seconds with full code sets), once.
 */
export function recordTools(database: string, runId: number, businessDate?: string): RecordTools {
  if (cached?.database === database && cached.runId === runId) return cached.tools;
  // A new run may have new code-set versions: the previous connection is closed, not kept.
  cached?.db?.close();
  // An in-memory repository cannot be opened from another thread: starter lexicon, no code-set edits.
  const db = database === ':memory:' ? undefined : new Database(database, { readonly: true, fileMustExist: true });
  let lexicon: Lexicon;
  let codeSets: ReferenceLibrary | undefined;
  if (db) {
    codeSets = new ReferenceLibrary(db);
    compiled = lexiconFromLibrary(db, codeSets, { ...(businessDate ? { date: businessDate } : {}), ...(compiled ? { reuse: compiled } : {}) });
    lexicon = compiled.lexicon;
  } else {
    lexicon = compiled?.lexicon ?? loadStarterLexicon();
  }
  const tools: RecordTools = { lexicon, ...(codeSets ? { codeSets } : {}) };
  cached = { database, runId, tools, ...(db ? { db } : {}) };
  return tools;
}
