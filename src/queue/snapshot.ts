import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

/**
 * The reference library a queue worker codes with: a SQLite file holding only the
 * reference tables of the coordinator's run repository (code sets, index, edit tables, MCE,
 * POA-exempt and SNOMED map lists, the site lexicon learned from coded history), never a
 * run's records, ledger, findings or answers. It is named by the SHA-256 of its bytes:
 * a worker that fetched it checks the hash before it codes a single record, so it codes with
 * the coordinator's library byte for byte.
 */
export const REFERENCE_TABLES = [
  'schema_migrations',
  'codeset_versions', 'codeset_codes', 'codeset_notes', 'codeset_seventh', 'codeset_indexes', 'codeset_index_terms', 'codeset_pcs_axes',
  'edit_tables', 'ptp_pairs', 'mue_values', 'mce_lists', 'mce_entries',
  'poa_exempt_lists', 'poa_exempt_codes', 'snomed_maps', 'snomed_map_rows', 'payer_reason_codes',
  // Aggregates learned from coded history (terms, codes, counts and precisions), no record-level data.
  'site_learning', 'site_lexicon', 'site_code_stats',
] as const;

/** Tables that hold runs, patients' records, the ledger and staff answers: never in a snapshot. */
export const RUN_DATA_TABLES = [
  'runs', 'run_steps', 'run_records', 'quarantine', 'exceptions', 'ledger', 'audit_log', 'locks', 'claim_fingerprints',
  'x12_control', 'x12_files', 'exception_status', 'resolutions', 'resolved_claims', 'claim_work', 'night_metrics',
  'claim_lifecycle', 'payer_files', 'payer_responses', 'payer_rules',
] as const;

export interface SnapshotFile {
  file: string;
  sha256: string;
  bytes: number;
  /** The schema version of the tables in it (a worker of another schema refuses it). */
  schema: number;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** `CREATE TABLE x` / `CREATE INDEX i ON x` as stored in sqlite_master, retargeted to the attached schema. */
function inSchema(sql: string, schema: string): string {
  const m = /^CREATE\s+(UNIQUE\s+)?(TABLE|INDEX)\s+(?:IF\s+NOT\s+EXISTS\s+)?("[^"]+"|\w+)/i.exec(sql);
  if (!m) throw new Error(`unexpected schema statement: ${sql.slice(0, 60)}`);
  return `CREATE ${m[1] ?? ''}${m[2]} ${schema}.${m[3]}${sql.slice(m[0].length)}`;
}

/**
 * Builds the snapshot of `db`'s reference tables in `dir` (same definitions and indexes,
 * rows in rowid order). The same library gives the same bytes, hence the same name, night
 * after night, so workers keep their cached copy. Returns the file named `<sha256>.db`.
 */
export function buildSnapshot(db: Database.Database, dir: string): SnapshotFile {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.building-${process.pid}-${Date.now()}.db`);
  rmSync(tmp, { force: true });
  db.prepare('ATTACH DATABASE ? AS snap').run(tmp);
  try {
    db.exec('PRAGMA snap.journal_mode = OFF; PRAGMA snap.synchronous = OFF; PRAGMA snap.page_size = 4096');
    const ddl = db.prepare("SELECT type, name, sql FROM main.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC, name");
    db.exec('BEGIN');
    for (const table of REFERENCE_TABLES) {
      const statements = ddl.all(table) as { type: string; name: string; sql: string }[];
      const create = statements.find((s) => s.type === 'table');
      if (!create) continue;
      db.exec(inSchema(create.sql, 'snap'));
      // A WITHOUT ROWID table is read in its primary key's order, which is as deterministic.
      db.exec(`INSERT INTO snap."${table}" SELECT * FROM main."${table}"${/WITHOUT\s+ROWID/i.test(create.sql) ? '' : ' ORDER BY rowid'}`);
      for (const index of statements.filter((s) => s.type === 'index')) db.exec(inSchema(index.sql, 'snap'));
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.exec('DETACH DATABASE snap');
    rmSync(tmp, { force: true });
    throw err;
  }
  db.exec('DETACH DATABASE snap');
  const sha256 = sha256File(tmp);
  const file = join(dir, `${sha256}.db`);
  if (existsSync(file)) rmSync(tmp, { force: true });
  else renameSync(tmp, file);
  const schema = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  return { file, sha256, bytes: statSync(file).size, schema };
}
