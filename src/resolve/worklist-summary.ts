import type { WorklistRow } from './worklist-rows.js';

/**
 * The worklist's figures, gathered as its rows go by: the morning's tiles, filters, charts
 * and metrics read these, and only the worklist table and file read the rows themselves.
 */
export interface WorklistSummary {
  claims: number;
  newClaims: number;
  /**
   * Dollars held, in cents: each claim's amount is whole cents, so the sum is exact whatever
   * the order the claims came in.
   */
  heldCents: number;
  oldestDays: number;
  byStatus: Map<string, number>;
  byTeam: Map<string, number>;
  /** Claims and cents held per payer (its name, else its id, else "(none)"). */
  byPayer: Map<string, { claims: number; cents: number }>;
  /** Claims per edit: a claim counts once for each edit it carries. */
  byEdit: Map<string, number>;
  /** Cents held per age in days. */
  centsByAge: Map<number, number>;
}

/** The worklist a night's files read: its figures, and its rows in work order (read again on each call). */
export interface Worklist {
  summary: WorklistSummary;
  rows(): Iterable<WorklistRow>;
  /** Lets go of stored rows, once they are no longer read. */
  close(): void;
}

/** The payer a worklist row is filed under. */
export const payerOf = (w: Pick<WorklistRow, 'payerName' | 'payerId'>): string => w.payerName ?? w.payerId ?? '(none)';

export function emptySummary(): WorklistSummary {
  return { claims: 0, newClaims: 0, heldCents: 0, oldestDays: 0, byStatus: new Map(), byTeam: new Map(), byPayer: new Map(), byEdit: new Map(), centsByAge: new Map() };
}

const bump = <K>(m: Map<K, number>, key: K, n = 1) => m.set(key, (m.get(key) ?? 0) + n);

/** Adds one row's claim to the figures. */
export function addToSummary(s: WorklistSummary, w: WorklistRow): void {
  const cents = Math.round(w.amount * 100);
  s.claims++;
  if (w.status === 'new') s.newClaims++;
  s.heldCents += cents;
  s.oldestDays = Math.max(s.oldestDays, w.ageDays);
  bump(s.byStatus, w.status);
  bump(s.byTeam, w.team);
  const payer = payerOf(w);
  const held = s.byPayer.get(payer) ?? { claims: 0, cents: 0 };
  s.byPayer.set(payer, { claims: held.claims + 1, cents: held.cents + cents });
  for (const code of new Set(w.findings.map((f) => f.code))) bump(s.byEdit, code);
  bump(s.centsByAge, w.ageDays, cents);
}

/** A worklist held in memory, its rows in the order given (worklistRows gives work order; a night stores its rows instead). */
export function worklistOf(rows: readonly WorklistRow[]): Worklist {
  const summary = emptySummary();
  for (const w of rows) addToSummary(summary, w);
  return { summary, rows: () => rows, close: () => undefined };
}
