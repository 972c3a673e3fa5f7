import type { Config } from '../config/schema.js';
import type { TeamRouting } from '../resolve/claim-work.js';
import { providerNamesFrom } from '../resolve/worklist-rows.js';
import type { Worklist } from '../resolve/worklist-summary.js';
import type { Db } from '../store/database.js';
import { nightTrend, recordNightMetrics, type NightMetrics } from './night-metrics.js';
import { storedWorklist } from './stored-worklist.js';

/** What the morning's files show beyond the run itself: the worklist, the trend, provider names. */
export interface MorningWork {
  worklist: Worklist;
  trend: NightMetrics[];
  providerNames: Record<string, string>;
  replacements: number;
  voids: number;
}

/** Config `worklist` as team routing. */
export function routingFrom(config: Config): TeamRouting {
  return { teams: config.worklist.teams, teamsByCode: config.worklist.teamsByCode };
}

/**
 * The worklist after a run (claims held tonight or carried over), the night's figures
 * stored for the trend, and the last 30 nights of them.
 */
export function morningWork(db: Db, config: Config, run: {
  runId: number; pipeline: string; businessDate: string; released: number; held: number; autoReleaseRate: number; resolvedClaims: number;
}): MorningWork {
  const providerNames = providerNamesFrom(config.x12);
  const worklist = storedWorklist(db, { reportDate: run.businessDate, runId: run.runId, pipeline: run.pipeline, routing: routingFrom(config), providerNames });
  const s = worklist.summary;
  // Replacement (7) and void (8) claims in the run's files: tonight's released records and the
  // claims resolutions decided, both counted in one read of the run's records.
  type Sent = { replacements: number; voids: number };
  const records = db.prepare(`SELECT count(*) FILTER (WHERE frequency = '7') AS replacements, count(*) FILTER (WHERE frequency = '8') AS voids
    FROM run_records WHERE run_id = ? AND state = 'released'`).get(run.runId) as Sent;
  const decided = db.prepare(`SELECT count(*) FILTER (WHERE f = '7') AS replacements, count(*) FILTER (WHERE f = '8') AS voids
    FROM (SELECT json_extract(released_claim, '$.frequency') AS f FROM resolved_claims WHERE released_run_id = ? AND released_claim IS NOT NULL)`).get(run.runId) as Sent;
  const replacements = records.replacements + decided.replacements;
  const voids = records.voids + decided.voids;
  recordNightMetrics(db, {
    runId: run.runId, pipeline: run.pipeline, businessDate: run.businessDate, released: run.released, held: run.held, autoReleaseRate: run.autoReleaseRate,
    needingPerson: s.claims, newClaims: s.newClaims, resolvedClaims: run.resolvedClaims,
    heldDollars: s.heldCents / 100, replacements, voids, edits: Object.fromEntries(s.byEdit),
  });
  return { worklist, trend: nightTrend(db, run.pipeline, 30, run.runId), providerNames, replacements, voids };
}
