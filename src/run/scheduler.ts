import cron, { type ScheduledTask } from 'node-cron';
import type { LoadedPipeline } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { NightcodeError } from '../contract/errors.js';
import type { Logger } from '../log/logger.js';
import { openDatabase } from '../store/database.js';
import { addDays, defaultBusinessDate } from './business-date.js';
import { RunRepository } from './run-repository.js';
import { runPipeline, type RunSummary } from './runner.js';

export interface CatchUpPolicy {
  enabled: boolean;
  maxDays: number;
}

/**
 * Business dates a trigger should run, oldest first: every date after the last
 * completed one up to the latest due date (missed nights), at most `maxDays` of them;
 * only the latest when catch-up is off or nothing ever completed.
 */
export function datesToRun(lastCompleted: string | undefined, latestDue: string, policy: CatchUpPolicy): string[] {
  if (!policy.enabled || !lastCompleted) return [latestDue];
  if (lastCompleted >= latestDue) return [latestDue]; // a completed date is a no-op run: says so in the log
  const earliest = addDays(latestDue, -(Math.max(1, policy.maxDays) - 1));
  const from = addDays(lastCompleted, 1) < earliest ? earliest : addDays(lastCompleted, 1);
  const dates: string[] = [];
  for (let d = from; d <= latestDue; d = addDays(d, 1)) dates.push(d);
  return dates;
}

export interface TriggerResult {
  pipeline: string;
  summaries: RunSummary[];
  error?: { code: string; message: string; businessDate: string };
}

/**
 * What one scheduled trigger does: for each pipeline, run the due business dates in
 * order; a failure stops that pipeline's catch-up (later dates wait for the next night)
 * and is reported, and the next pipeline still runs.
 */
export async function runScheduledTrigger(options: {
  config: Config;
  pipelines: LoadedPipeline[];
  log: Logger;
  now?: Date;
}): Promise<TriggerResult[]> {
  const { config, log } = options;
  const now = options.now ?? new Date();
  const latestDue = defaultBusinessDate(now, config.timezone);
  const results: TriggerResult[] = [];
  for (const pipeline of options.pipelines) {
    const db = openDatabase(config.database);
    let last: string | undefined;
    try {
      last = new RunRepository(db).lastCompletedDate(pipeline.def.name);
    } finally {
      db.close();
    }
    const dates = datesToRun(last, latestDue, config.schedule.catchUp);
    if (dates.length > 1) log.warn({ pipeline: pipeline.def.name, missed: dates.slice(0, -1) }, 'catching up missed business dates');
    const result: TriggerResult = { pipeline: pipeline.def.name, summaries: [] };
    for (const businessDate of dates) {
      try {
        result.summaries.push(await runPipeline({ config, pipeline, businessDate, log, actor: 'scheduler' }));
      } catch (err) {
        const e = err instanceof NightcodeError ? err : new NightcodeError('INTERNAL', String(err), { cause: err });
        result.error = { code: e.code, message: e.message, businessDate };
        log.error({ pipeline: pipeline.def.name, businessDate, code: e.code }, `scheduled run failed: ${e.message}`);
        break;
      }
    }
    results.push(result);
  }
  return results;
}

/** Starts the nightly schedule; node-cron's noOverlap and the database lock keep runs from overlapping. */
export function startScheduler(options: { config: Config; pipelines: LoadedPipeline[]; log: Logger }): ScheduledTask {
  const { config, log } = options;
  const task = cron.schedule(
    config.schedule.cron,
    async () => {
      const results = await runScheduledTrigger(options);
      const failed = results.filter((r) => r.error);
      if (failed.length > 0) log.error({ failed: failed.map((f) => ({ pipeline: f.pipeline, ...f.error })) }, 'nightly trigger finished with failures');
      else log.info({ runs: results.flatMap((r) => r.summaries.map((s) => ({ runId: s.runId, businessDate: s.businessDate, counts: s.counts }))) }, 'nightly trigger finished');
    },
    { timezone: config.timezone, noOverlap: true, name: 'nightcode-nightly' },
  );
  log.info({ cron: config.schedule.cron, timezone: config.timezone, next: task.getNextRun()?.toISOString() }, 'scheduler started');
  return task;
}
