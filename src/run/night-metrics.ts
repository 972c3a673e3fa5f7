import type { Db } from '../store/database.js';

/** The figures of one night the report draws its trends from (table night_metrics). */
export interface NightMetrics {
  runId: number;
  pipeline: string;
  businessDate: string;
  released: number;
  held: number;
  autoReleaseRate: number;
  /** Claims needing a person after the run (held tonight or carried over). */
  needingPerson: number;
  /** Of those, claims first held tonight. */
  newClaims: number;
  /** Claims people's answers released or voided into this run's files. */
  resolvedClaims: number;
  /** Total charge of the claims needing a person. */
  heldDollars: number;
  /** Replacement (frequency 7) and void (frequency 8) claims in this run's files. */
  replacements: number;
  voids: number;
  /** Claims needing a person, by finding code. */
  edits: Record<string, number>;
}

/** Stores a completed run's figures (a forced re-run of the night replaces its own row only). */
export function recordNightMetrics(db: Db, m: NightMetrics): void {
  db.prepare(`INSERT OR REPLACE INTO night_metrics (run_id, pipeline, business_date, released, held, auto_release_rate, needing_person, new_claims, resolved_claims,
              held_dollars, replacements, voids, edits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(m.runId, m.pipeline, m.businessDate, m.released, m.held, m.autoReleaseRate, m.needingPerson, m.newClaims, m.resolvedClaims,
      Math.round(m.heldDollars * 100) / 100, m.replacements, m.voids, JSON.stringify(m.edits));
}

interface MetricsRow {
  run_id: number; pipeline: string; business_date: string; released: number; held: number; auto_release_rate: number; needing_person: number;
  new_claims: number; resolved_claims: number; held_dollars: number; replacements: number; voids: number; edits: string;
}

/**
 * The pipeline's last `nights` business dates, oldest first, one figure set per date (the
 * latest completed run of each date, or the run writing the report: a forced re-run counts once).
 */
export function nightTrend(db: Db, pipeline: string, nights = 30, currentRun = -1): NightMetrics[] {
  const rows = db.prepare(`SELECT m.* FROM night_metrics m JOIN runs r ON r.id = m.run_id
                           WHERE m.pipeline = ? AND (r.status = 'completed' OR m.run_id = ?)
                             AND m.run_id = (SELECT max(m2.run_id) FROM night_metrics m2 JOIN runs r2 ON r2.id = m2.run_id
                                             WHERE m2.pipeline = m.pipeline AND m2.business_date = m.business_date AND (r2.status = 'completed' OR m2.run_id = ?))
                           ORDER BY m.business_date DESC LIMIT ?`).all(pipeline, currentRun, currentRun, nights) as MetricsRow[];
  return rows.reverse().map((r) => ({
    runId: r.run_id, pipeline: r.pipeline, businessDate: r.business_date, released: r.released, held: r.held, autoReleaseRate: r.auto_release_rate,
    needingPerson: r.needing_person, newClaims: r.new_claims, resolvedClaims: r.resolved_claims, heldDollars: r.held_dollars,
    replacements: r.replacements, voids: r.voids, edits: JSON.parse(r.edits) as Record<string, number>,
  }));
}
