import { NightcodeError } from '../../contract/errors.js';
import type { Db } from '../../store/database.js';

export interface Allocation {
  isa: number;
  gs: number;
  /** First ST02 of the file; the file's transaction sets take `sets` consecutive numbers. */
  st: number;
  sets: number;
  /** Functional groups: GS06 runs from `gs` for this many. */
  groups: number;
  /** When the interchange was first allocated: its ISA/GS date and time, the same on a redo. */
  createdAt: string;
}

/** ISA13 is nine digits and GS06 at most nine: numbers run to 999,999,999. */
const MAX = 999_999_999;

/**
 * Interchange (ISA13), group (GS06) and transaction set (ST02) control numbers, kept per
 * sender in the run repository and never reused. A run's file for a receiver keeps the
 * numbers it was first given: an emit redone after a crash (the file was never released
 * under its final name) writes the same interchange; a new run gets new numbers.
 */
export function allocateControlNumbers(db: Db, key: { runId: number; sender: string; receiver: string; claimType: string; sets: number; groups?: number }, now: () => Date): Allocation {
  const groups = key.groups ?? 1;
  return db.transaction(() => {
    const existing = db.prepare('SELECT isa, gs, st, sets, groups, created_at AS createdAt FROM x12_files WHERE run_id = ? AND sender = ? AND receiver = ? AND claim_type = ?')
      .get(key.runId, key.sender, key.receiver, key.claimType) as Allocation | undefined;
    if (existing && existing.sets >= key.sets && existing.groups >= groups) return existing;
    const last = (db.prepare('SELECT isa, gs, st FROM x12_control WHERE sender = ?').get(key.sender) as { isa: number; gs: number; st: number } | undefined) ?? { isa: 0, gs: 0, st: 0 };
    if (last.isa >= MAX || last.gs + groups > MAX || last.st + key.sets > MAX) {
      throw new NightcodeError('X12_CONTROL_EXHAUSTED', `X12 control numbers of sender ${key.sender} are exhausted (ISA ${last.isa}, GS ${last.gs}, ST ${last.st})`);
    }
    const next: Allocation = { isa: last.isa + 1, gs: last.gs + 1, st: last.st + 1, sets: key.sets, groups, createdAt: existing?.createdAt ?? now().toISOString() };
    db.prepare('INSERT INTO x12_control (sender, isa, gs, st) VALUES (?, ?, ?, ?) ON CONFLICT (sender) DO UPDATE SET isa = excluded.isa, gs = excluded.gs, st = excluded.st')
      .run(key.sender, next.isa, next.gs + groups - 1, next.st + key.sets - 1);
    db.prepare('INSERT OR REPLACE INTO x12_files (run_id, receiver, claim_type, sender, isa, gs, st, sets, groups, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(key.runId, key.receiver, key.claimType, key.sender, next.isa, next.gs, next.st, key.sets, groups, next.createdAt);
    return next;
  }).immediate();
}
