import Database from 'better-sqlite3';
import { loadStarterLexicon } from '../abstract/lexicon/lexicon.js';
import { ReferenceLibrary } from '../codesets/reference-library.js';
import type { RecordTools } from './process-record.js';

let cached: { database: string; runId: number; tools: RecordTools; db?: Database.Database } | undefined;

/**
 * The lexicon and the reference library for this thread, loaded on first use: each
 * worker opens the run repository read-only and loads the code-set versions it is
 * asked for (about 0.6 s for a full ICD-10-CM year), once.
 */
export function recordTools(database: string, runId: number): RecordTools {
  if (cached?.database === database && cached.runId === runId) return cached.tools;
  const lexicon = cached?.tools.lexicon ?? loadStarterLexicon();
  // A new run may have new code-set versions: the previous connection is closed, not kept.
  cached?.db?.close();
  // An in-memory repository cannot be opened from another thread: no code-set edits then.
  const db = database === ':memory:' ? undefined : new Database(database, { readonly: true, fileMustExist: true });
  const tools: RecordTools = { lexicon, ...(db ? { codeSets: new ReferenceLibrary(db) } : {}) };
  cached = { database, runId, tools, ...(db ? { db } : {}) };
  return tools;
}
