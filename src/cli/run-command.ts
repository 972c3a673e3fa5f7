import type { Command } from 'commander';
import { asRunError } from '../contract/errors.js';
import { createProgress } from '../log/progress.js';
import { assertIsoDate, defaultBusinessDate } from '../run/business-date.js';
import { runPipeline, type RunSummary } from '../run/runner.js';
import { summarizePlaceholders } from '../emit/x12/x12-files.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { configFrom, loggerFor, markReported, pipelineFrom, printJson, type CommonFlags } from './common.js';

interface RunFlags extends CommonFlags {
  pipeline?: string;
  date?: string;
  input?: string;
  force?: boolean;
  json?: boolean;
  queue?: string;
}

export function printRunSummary(s: RunSummary): void {
  const c = s.counts;
  const lines = [
    s.noop
      ? `run ${s.runId} (${s.pipeline} ${s.businessDate}) had already completed; nothing done. Use --force to run it again.`
      : `run ${s.runId} (${s.pipeline} ${s.businessDate}) ${s.status}${s.resumed ? ' (resumed)' : ''}${s.forced ? ' (forced)' : ''} in ${(s.durationMs / 1000).toFixed(1)} s, ${s.recordsPerSecond} records/s`,
    `  input ${c.input} = released ${c.released} + exception ${c.exception} + quarantined ${c.quarantined} + unchanged ${c.unchanged}${s.reconciled ? '  (reconciled)' : '  (DOES NOT RECONCILE)'}`,
  ];
  lines.push(`  auto-release rate ${(s.autoReleaseRate * 100).toFixed(1)}%${s.resolved.released + s.resolved.voided > 0 ? `; from resolutions: ${s.resolved.released} released, ${s.resolved.voided} voided (${s.resolved.voidClaims} void claims sent)` : ''}`);
  if (s.worklist) {
    const w = s.worklist;
    lines.push(`  worklist: ${w.claims} claim(s) need a person (${w.new} new tonight), $${w.heldDollars.toFixed(2)} held; ${w.replacements} replacement and ${w.voids} void claim(s) sent`);
  }
  for (const f of s.notReleased) {
    lines.push(f.reason === 'not-configured'
      ? `  NOT RELEASED: ${f.name} is a production file with placeholders; its ${f.claims} claim(s) are exceptions (EMIT_X12_NOT_CONFIGURED): ${f.problems.slice(0, 3).join('; ')}`
      : `  NOT RELEASED: ${f.name} failed its self-check; its ${f.claims} claim(s) are exceptions (EMIT_X12_SELF_CHECK): ${f.problems.slice(0, 3).join('; ')}`);
  }
  for (const f of s.notReady) lines.push(`  NOT READY TO SEND: ${f.name} carries placeholders for ${summarizePlaceholders(f.placeholders)}: configure them before sending`);
  for (const f of s.resolutionFiles.filter((x) => x.status === 'refused')) lines.push(`  REFUSED resolutions file ${f.file}: ${f.problems.slice(0, 3).join('; ')}${f.problems.length > 3 ? ' …' : ''}`);
  if (s.findingsByCode.length > 0) {
    lines.push(`  findings: ${s.findingsByCode.slice(0, 8).map((f) => `${f.code} ${f.n}`).join(', ')}${s.findingsByCode.length > 8 ? ', …' : ''}`);
  }
  if (s.queue) {
    const q = s.queue;
    lines.push(`  queue ${q.url}: ${q.chunks} chunk(s) on ${Object.keys(q.byWorker).length} worker(s) (${Object.entries(q.byWorker).map(([w, n]) => `${w} ${n}`).join(', ')})${q.retried ? `, ${q.retried} retried` : ''}${q.reused ? `, ${q.reused} re-used` : ''}${q.failed ? `, ${q.failed} FAILED (RUN_CHUNK_FAILED)` : ''}; per chunk ${q.workerMsPerChunk} ms on a worker, ${q.coordinatorCpuMsPerChunk} ms coordinator CPU`);
  }
  for (const o of s.outputs) lines.push(`  ${o.path}  (${o.records} records)`);
  if (!s.noop) lines.push(`  ${s.outDir}/run-summary.json`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the nightly pipeline once for a business date (resumes a crashed run; a completed one is a no-op without --force)')
    .option('-p, --pipeline <file>', 'pipeline definition (default: config defaultPipeline)')
    .option('-d, --date <YYYY-MM-DD>', 'business date (default: yesterday in the configured time zone)')
    .option('-i, --input <dir>', 'export folder (default: the pipeline input, {date} filled in)')
    .option('-o, --out <dir>', 'output root; files go to <out>/<pipeline>/<date>/ (default: config outDir, ./out)')
    .option('--db <file>', 'SQLite run repository (default: config database, ./nightcode.db)')
    .option('-f, --force', 'run again even if this business date completed (supersedes that run)')
    .option('--json', 'print the run summary as one JSON object on stdout')
    .option('--queue <url>', 'process chunks on nightcode worker processes through BullMQ on this Redis: redis://HOST:PORT[/DB] (default: config run.queue; without either, the in-process pool)')
    .addHelpText('after', `
Examples:
  nightcode run --date 2026-11-27
  nightcode run --date 2026-11-27 --queue redis://10.0.0.5:6379/0   (workers: nightcode worker --queue …)
  nightcode run --pipeline pipelines/nightly-csv.json --input /exports/2026-11-27 --json
  nightcode run --date 2026-11-27 --force

Exit codes: 0 completed, 1 the run failed (or another run holds the lock), 2 bad usage or configuration.`)
    .action(async (flags: RunFlags, cmd: Command) => {
      const global = cmd.optsWithGlobals<CommonFlags>();
      const config = configFrom({ ...global, ...flags });
      const log = loggerFor(global);
      const pipeline = pipelineFrom(config, flags.pipeline);
      const businessDate = flags.date ? assertIsoDate(flags.date, '--date') : defaultBusinessDate(new Date(), config.timezone);
      try {
        const summary = await runPipeline({
          config, pipeline, businessDate, log,
          ...(flags.input ? { inputDir: flags.input } : {}),
          force: Boolean(flags.force),
          ...(flags.queue ? { queue: parseQueueUrl(flags.queue).url } : {}),
          progress: flags.json ? createProgress(log, false) : createProgress(log),
        });
        if (flags.json) printJson(summary);
        else printRunSummary(summary);
      } catch (err) {
        const error = asRunError(err);
        if (flags.json) {
          printJson({ pipeline: pipeline.def.name, businessDate, status: 'failed', error: { code: error.code, message: error.message } });
          markReported(error);
        }
        throw error;
      }
    });
}
