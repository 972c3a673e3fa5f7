import type { Command } from 'commander';
import { runScheduledTrigger, startScheduler } from '../run/scheduler.js';
import { configFrom, inZone, loggerFor, pipelineFrom, printJson, type CommonFlags } from './common.js';

/** The next trigger in the configured zone, with UTC beside it for logs and other machines. */
export function nextRunText(next: Date | null | undefined, timeZone: string): string {
  return next ? `${inZone(next, timeZone)}, ${next.toISOString()}` : 'unknown';
}

interface ScheduleFlags extends CommonFlags {
  pipeline?: string[];
  once?: boolean;
}

export function registerScheduleCommand(program: Command): void {
  program
    .command('schedule')
    .description('run nightly per config (node-cron expression and time zone), catching up missed dates; never overlaps itself')
    .option('-p, --pipeline <file...>', 'pipeline definitions (default: config schedule.pipelines)')
    .option('--db <file>', 'SQLite run repository')
    .option('-o, --out <dir>', 'output root')
    .option('--once', 'do what one trigger does now (due and missed dates), then exit')
    .addHelpText('after', `
Config: schedule.cron (e.g. "30 1 * * *"), timezone (IANA), schedule.catchUp {enabled, maxDays}.
Examples:
  nightcode schedule                  keep running; trigger nightly
  nightcode schedule --once --json    one trigger now, e.g. from an external scheduler`)
    .option('--json', 'with --once: print the results as JSON')
    .action(async (flags: ScheduleFlags & { json?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<CommonFlags>();
      const config = configFrom({ ...global, ...flags });
      const log = loggerFor(global);
      const pipelines = (flags.pipeline ?? config.schedule.pipelines).map((p) => pipelineFrom(config, p));
      if (flags.once) {
        const results = await runScheduledTrigger({ config, pipelines, log });
        if (flags.json) printJson(results);
        else for (const r of results) process.stdout.write(`${r.pipeline}: ${r.summaries.map((s) => `${s.businessDate} run ${s.runId} ${s.noop ? 'already done' : s.status}`).join(', ') || 'nothing run'}${r.error ? `; FAILED ${r.error.businessDate}: ${r.error.code} ${r.error.message}` : ''}\n`);
        if (results.some((r) => r.error)) process.exitCode = 1;
        return;
      }
      const task = startScheduler({ config, pipelines, log });
      process.stdout.write(`nightcode scheduler: "${config.schedule.cron}" (${config.timezone}); next run ${nextRunText(task.getNextRun(), config.timezone)}. Ctrl-C to stop.\n`);
      await new Promise<void>((resolveStop) => {
        const stop = () => {
          void Promise.resolve(task.stop()).then(() => resolveStop());
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
