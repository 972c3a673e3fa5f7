import type { Command } from 'commander';
import { assertIsoDate, dateRange } from '../run/business-date.js';
import { runPipeline, type RunSummary } from '../run/runner.js';
import { createProgress } from '../log/progress.js';
import { configFrom, loggerFor, pipelineFrom, printJson, type CommonFlags } from './common.js';
import { printRunSummary } from './run-command.js';

interface BackfillFlags extends CommonFlags {
  from: string;
  to: string;
  pipeline?: string;
  input?: string;
  force?: boolean;
  json?: boolean;
}

export function registerBackfillCommand(program: Command): void {
  program
    .command('backfill')
    .description('one run per business date from --from to --to, oldest first; stops at the first failure')
    .requiredOption('--from <YYYY-MM-DD>', 'first business date')
    .requiredOption('--to <YYYY-MM-DD>', 'last business date (inclusive)')
    .option('-p, --pipeline <file>', 'pipeline definition')
    .option('-i, --input <dir>', 'export folder for every date (default: the pipeline input with {date})')
    .option('-o, --out <dir>', 'output root')
    .option('--db <file>', 'SQLite run repository')
    .option('-f, --force', 'run again dates that completed')
    .option('--json', 'print one JSON summary per date, one per line')
    .addHelpText('after', '\nExample:\n  nightcode backfill --from 2026-11-01 --to 2026-11-07')
    .action(async (flags: BackfillFlags, cmd: Command) => {
      const global = cmd.optsWithGlobals<CommonFlags>();
      const config = configFrom({ ...global, ...flags });
      const log = loggerFor(global);
      const pipeline = pipelineFrom(config, flags.pipeline);
      const dates = dateRange(assertIsoDate(flags.from, '--from'), assertIsoDate(flags.to, '--to'));
      for (const businessDate of dates) {
        const summary: RunSummary = await runPipeline({
          config, pipeline, businessDate, log, force: Boolean(flags.force),
          ...(flags.input ? { inputDir: flags.input } : {}),
          progress: createProgress(log, !flags.json && Boolean(process.stderr.isTTY)),
        });
        if (flags.json) printJson(summary);
        else printRunSummary(summary);
      }
    });
}
