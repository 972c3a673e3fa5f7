import Database from 'better-sqlite3';
import { lexiconFromLibrary, type LibraryLexicon } from '../abstract/lexicon/library-lexicon.js';
import type { Lexicon } from '../abstract/lexicon/lexicon.js';
import { loadStarterLexicon } from '../abstract/lexicon/starter-lexicon.js';
import { ReferenceLibrary } from '../codesets/reference-library.js';
import { EditTables } from '../codesets/edit-tables.js';
import { MedicareCodeEditor } from '../codesets/medicare-code-editor.js';
import { listLabel, listVersionFor, loadPoaExempt, type ListTable, type ListVersion, type PoaExemptLookup } from '../codesets/official-lists.js';
import type { CodeSet } from '../codesets/reference-library.js';
import { snomedMapFor, type SnomedMapLookup } from '../codesets/snomed-map.js';
import type { CodeSetLookup } from '../validate/edits/code-set.js';
import type { EditTableLookup } from '../validate/edits/procedure-edits.js';
import type { StagedBundle } from '../ingest/staging.js';
import type { RecordContext } from './record-context.js';

/** What a record needs that is loaded once per thread. */
export interface RecordTools {
  lexicon: Lexicon;
  codeSets?: CodeSetLookup;
  /** NCCI PTP and MUE tables (prepared statements on the thread's read-only connection). */
  edits?: EditTableLookup;
  /** The Medicare Code Editor for an ICD-10-CM version on a date. */
  mceFor?: (cs: CodeSet, date: string) => MedicareCodeEditor;
  /** The imported CMS POA exempt list serving a date, if any (else the team table). */
  poaExemptFor?: (date: string) => PoaExemptLookup | undefined;
  /** The site's SNOMED CT to ICD-10-CM map in force on a date, if one is imported. */
  snomedMapFor?: (date: string) => SnomedMapLookup | undefined;
  /**
   * A claim already billed with this fingerprint under another encounter, by a run other than
   * those listed (superseded runs, and tonight's: the night's own duplicates are found in
   * processing order by holdDuplicatesOfTheNight, whatever chunks were committed meanwhile).
   */
  billedClaims?: (fingerprint: string, source: string, encounterId: string, excludedRunIds: readonly number[]) => { claimId: string; encounterId: string } | undefined;
  /**
   * Runs `work` inside one read transaction on the thread's connection, so the many small
   * lookups of a slice (code sets, edit tables, fingerprints) share one snapshot instead of
   * each opening and closing its own, and after one of the main thread's commits only the
   * slice's first read finds the page cache stale. Measured: the fingerprint lookup took
   * 4.7 µs alone and 1.1–1.7 µs inside a transaction on a quiet database, and its self time
   * in a 30k night's worker profile fell from 954 to 578 ms. Nothing a night reads through
   * this connection changes during the night (reference tables, earlier runs' fingerprints).
   */
  snapshot?: <T>(work: () => T) => T;
}

/** The list version serving each date, looked up once per date (a night's dates repeat; the lists do not change during a run). */
function listVersionsByDate(db: Database.Database, table: ListTable): (date: string) => ListVersion | undefined {
  const byDate = new Map<string, ListVersion | undefined>();
  return (date) => {
    if (!byDate.has(date)) byDate.set(date, listVersionFor(db, table, date));
    return byDate.get(date);
  };
}

/** One Medicare Code Editor per ICD-10-CM version and date's MCE list (loaded once per thread). */
function mceCache(db: Database.Database): (cs: CodeSet, date: string) => MedicareCodeEditor {
  const cache = new Map<string, MedicareCodeEditor>();
  const versionFor = listVersionsByDate(db, 'mce_lists');
  return (cs, date) => {
    const list = versionFor(date)?.id ?? 0;
    const key = `${cs.version.id}|${list}`;
    let mce = cache.get(key);
    if (!mce) {
      mce = new MedicareCodeEditor(cs, db, date);
      cache.set(key, mce);
    }
    return mce;
  };
}

/** The CMS POA exempt list serving a date (the latest published by then), loaded once per version. */
function poaExemptCache(db: Database.Database): (date: string) => PoaExemptLookup | undefined {
  const cache = new Map<number, PoaExemptLookup>();
  const versionFor = listVersionsByDate(db, 'poa_exempt_lists');
  return (date) => {
    const v = versionFor(date);
    if (!v) return undefined;
    let list = cache.get(v.id);
    if (!list) {
      const keys = loadPoaExempt(db, v.id);
      list = { label: listLabel(v), has: (key) => keys.has(key) };
      cache.set(v.id, list);
    }
    return list;
  };
}

/** The site's SNOMED CT to ICD-10-CM map in force on a date, one lookup per date. */
function snomedMapCache(db: Database.Database): (date: string) => SnomedMapLookup | undefined {
  const cache = new Map<string, SnomedMapLookup | undefined>();
  return (date) => {
    if (!cache.has(date)) cache.set(date, snomedMapFor(db, date));
    return cache.get(date);
  };
}

/**
 * Released claims by fingerprint, other than this encounter's and those of superseded runs.
 * The statements are prepared on the first lookup: a queue worker's reference snapshot holds
 * no ledger, and its records defer their lookups (record-worker.ts), so it never asks.
 */
export function billedClaims(db: Database.Database): NonNullable<RecordTools['billedClaims']> {
  let statements: { one: Database.Statement; any: Database.Statement } | undefined;
  const prepare = () => {
    const sql = 'SELECT claim_id AS claimId, encounter_id AS encounterId FROM claim_fingerprints WHERE fingerprint = ? AND NOT (source = ? AND encounter_id = ?)';
    return {
      any: db.prepare(`${sql} AND run_id NOT IN (SELECT value FROM json_each(?)) ORDER BY run_id, claim_id LIMIT 1`),
      // Most nights exclude only their own run: the same query without a JSON list per record.
      one: db.prepare(`${sql} AND run_id <> ? ORDER BY run_id, claim_id LIMIT 1`),
    };
  };
  return (fingerprint, source, encounterId, excluded) => {
    const { one, any } = (statements ??= prepare());
    return (excluded.length === 1
      ? one.get(fingerprint, source, encounterId, excluded[0])
      : any.get(fingerprint, source, encounterId, JSON.stringify(excluded))) as { claimId: string; encounterId: string } | undefined;
  };
}

/** The runs whose claims are not duplicates of a night's: those a forced re-run replaces, and the night's own. */
export function runsNotDuplicated(ctx: RecordContext): number[] {
  return [...(ctx.validate.supersededRunIds ?? []), ctx.runId];
}

/**
 * The records of a slice processed with deferred lookups (RecordTask.deferBilledLookups)
 * whose fingerprint another encounter billed before, by index: each is to be processed again
 * with the lookup, so its outcome is the one a lookup in the record gives.
 */
export function billedBefore(lookup: NonNullable<RecordTools['billedClaims']>, ctx: RecordContext, bundles: readonly StagedBundle[], lookups: readonly (string | null)[] | undefined): number[] {
  const excluded = runsNotDuplicated(ctx);
  const again: number[] = [];
  lookups?.forEach((fingerprint, i) => {
    if (fingerprint && lookup(fingerprint, ctx.sourceSystem, bundles[i]!.staged.encounterId, excluded)) again.push(i);
  });
  return again;
}

/** One read transaction around `work` (nested calls join the open one). */
function readSnapshot(db: Database.Database): NonNullable<RecordTools['snapshot']> {
  return <T>(work: () => T): T => {
    if (db.inTransaction) return work();
    db.exec('BEGIN');
    try {
      return work();
    } finally {
      db.exec('COMMIT');
    }
  };
}

let cached: { key: string; tools: RecordTools; db?: Database.Database } | undefined;
/** The last lexicon compiled: a new run with the same library and site lexicon reuses it. */
let compiled: LibraryLexicon | undefined;

/**
 * The lexicon and the reference library for this thread, loaded on first use: each
 * worker opens the run repository read-only, loads the code-set versions in force on the
 * business date (about 0.6 s for a full ICD-10-CM year) and compiles the abstraction
 * lexicon from them and the site lexicon (a few seconds with full code sets), once.
 */
export function recordTools(database: string, runId: number, businessDate?: string): RecordTools {
  const key = `${database}\u0000${runId}`;
  if (cached?.key === key) return cached.tools;
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
  const tools: RecordTools = {
    lexicon, ...(codeSets ? { codeSets } : {}),
    ...(db ? { edits: new EditTables(db), mceFor: mceCache(db), poaExemptFor: poaExemptCache(db), snomedMapFor: snomedMapCache(db) } : {}),
    ...(db ? { billedClaims: billedClaims(db) } : {}),
    ...(db ? { snapshot: readSnapshot(db) } : {}),
  };
  cached = { key, tools, ...(db ? { db } : {}) };
  return tools;
}
