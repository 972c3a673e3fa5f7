import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { NightcodeError } from '../contract/errors.js';
import type { Db } from '../store/database.js';

export const RUNNER_LOCK = 'runner';

interface LockRow {
  name: string;
  owner: string;
  pid: number;
  host: string;
  run_label: string | null;
  acquired_at: string;
  heartbeat_at: string;
}

export interface LockHandle {
  readonly owner: string;
  /** Set when an abandoned lock was taken over: who held it. */
  readonly recoveredFrom?: { pid: number; host: string; runLabel: string | null; heartbeatAt: string };
  heartbeat(): void;
  setLabel(label: string): void;
  release(): void;
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One lock row per name in the run repository, so overlapping runs are stopped across
 * processes and machines sharing the database. A holder that died (its pid is gone on
 * this host, or its heartbeat is older than `staleSeconds`) is taken over.
 */
export function acquireLock(
  db: Db,
  options: { name?: string; label?: string; staleSeconds: number; now?: () => Date },
): LockHandle {
  const name = options.name ?? RUNNER_LOCK;
  const now = options.now ?? (() => new Date());
  const owner = randomUUID();
  const host = hostname();
  let recoveredFrom: LockHandle['recoveredFrom'];

  const take = db.transaction(() => {
    const row = db.prepare('SELECT * FROM locks WHERE name = ?').get(name) as LockRow | undefined;
    if (row) {
      const ageSeconds = (now().getTime() - Date.parse(row.heartbeat_at)) / 1000;
      const holderAlive = row.host === host ? isPidAlive(row.pid) && ageSeconds < options.staleSeconds : ageSeconds < options.staleSeconds;
      if (holderAlive) {
        throw new NightcodeError(
          'LOCK_HELD',
          `Another nightcode process holds the ${name} lock (pid ${row.pid} on ${row.host}, ${row.run_label ?? 'starting'}, since ${row.acquired_at}); not starting an overlapping run`,
        );
      }
      recoveredFrom = { pid: row.pid, host: row.host, runLabel: row.run_label, heartbeatAt: row.heartbeat_at };
      db.prepare('DELETE FROM locks WHERE name = ?').run(name);
    }
    const at = now().toISOString();
    db.prepare('INSERT INTO locks (name, owner, pid, host, run_label, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      name, owner, process.pid, host, options.label ?? null, at, at,
    );
  });
  take.immediate();

  const beat = db.prepare('UPDATE locks SET heartbeat_at = ? WHERE name = ? AND owner = ?');
  const label = db.prepare('UPDATE locks SET run_label = ? WHERE name = ? AND owner = ?');
  const free = db.prepare('DELETE FROM locks WHERE name = ? AND owner = ?');
  return {
    owner,
    ...(recoveredFrom ? { recoveredFrom } : {}),
    heartbeat() {
      const changed = beat.run(now().toISOString(), name, owner).changes;
      if (changed === 0) {
        throw new NightcodeError('LOCK_HELD', `The ${name} lock was taken over by another process; stopping this run`);
      }
    },
    setLabel(text: string) {
      label.run(text, name, owner);
    },
    release() {
      free.run(name, owner);
    },
  };
}

export function readLocks(db: Db): LockRow[] {
  return db.prepare('SELECT * FROM locks ORDER BY name').all() as LockRow[];
}
