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
    // A night commits a chunk every few hundred ms; checkpointing the WAL into the database every
    // 1,000 pages (SQLite's default) put a checkpoint on every second or third commit. Every
    // 8,192 pages (32 MiB) a page rewritten by several chunks is copied once: the process step
    // took about 5% less time, in-process and as the queue's coordinator (20k encounters, medians).
    // The WAL file is cut back to 64 MiB after a checkpoint. https://www.sqlite.org/wal.html#ckpt
    db.pragma('wal_autocheckpoint = 8192');
    db.pragma('journal_size_limit = 67108864');
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
