import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { asRunError, NightcodeError } from '../contract/errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { ownerOnlyFile } from './private-file.js';

export type Db = Database.Database;

/** Opens (creating if needed) the run repository: WAL, foreign keys, migrations applied. */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  let db: Db;
  try {
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      ownerOnlyFile(file);
    }
    db = new Database(file);
  } catch (err) {
    const classified = asRunError(err);
    if (classified.code !== 'INTERNAL') throw classified;
    throw new NightcodeError('DATABASE', `Cannot open database ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Another process (a second `nightcode run`) waits for the write lock instead of failing at once.
    db.pragma('busy_timeout = 10000');
    migrate(db, migrations);
  } catch (err) {
    db.close();
    // A file that is not a database (corrupt, or another file) fails here, at its first read.
    throw asRunError(err);
  }
  return db;
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new NightcodeError('DATABASE', `Database schema version ${newest} is newer than this nightcode (${known}); upgrade nightcode`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      // Re-checked under the write lock: two processes may start on a new database together.
      if (isApplied.get(m.version)) return;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
}
