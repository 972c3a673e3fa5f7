import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Command } from 'commander';
import fc from 'fast-check';
import { baseExports, caseArb, type FuzzCase, type FuzzOutcome } from './fuzz-case.js';

/**
 * The fuzz runner: `npm run fuzz -- --runs 10000 --seed 7`. fast-check draws the cases from
 * the seed (the same seed gives the same cases), worker threads run them, and a watchdog
 * terminates a case that outlives the time limit and counts it as a hang. Every case is
 * judged by the oracle in fuzz-case.ts; the summary counts crashes, hangs and losses (counts
 * that do not reconcile, input records in no output) and lists the failing cases so that
 * `--replay` can run one again.
 */
export interface FuzzOptions {
  runs: number;
  seed: number;
  timeoutMs: number;
  workers: number;
  progress?: (done: number) => void;
}

export interface FuzzFailure { index: number; kind: 'crash' | 'hang' | 'loss'; case: FuzzCase; result: string; problems: string[] }

export interface FuzzSummary {
  runs: number;
  seed: number;
  seconds: number;
  crashes: number;
  hangs: number;
  losses: number;
  /** How each night ended: completed, or the run error's code. */
  results: Record<string, number>;
  formats: Record<string, number>;
  medianMs: number;
  maxMs: number;
  failures: FuzzFailure[];
}

const WORKER = fileURLToPath(new URL('./fuzz-worker.js', import.meta.url));

function kindOf(o: FuzzOutcome): FuzzFailure['kind'] {
  return o.result === 'CRASH' || o.problems.some((p) => p.startsWith('crash')) ? 'crash' : 'loss';
}

/** Runs the cases on a pool of worker threads; a case past the time limit is a hang. */
export async function runCases(cases: readonly FuzzCase[], opts: Pick<FuzzOptions, 'timeoutMs' | 'workers' | 'progress'>): Promise<FuzzOutcome[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'nightcode-fuzz-'));
  try {
    const base = await baseExports(join(scratch, 'base'));
    const outcomes: FuzzOutcome[] = new Array(cases.length);
    let next = 0;
    let done = 0;
    const lane = () => new Promise<void>((finish) => {
      let worker: Worker;
      let running: { id: number; timer: NodeJS.Timeout; started: number } | undefined;
      const settle = (id: number, o: FuzzOutcome) => {
        if (outcomes[id]) return;
        outcomes[id] = o;
        done++;
        opts.progress?.(done);
      };
      const start = () => {
        const w = new Worker(WORKER, { workerData: { base, scratch } });
        worker = w;
        // A terminated worker's late events belong to no case of this lane any more.
        w.on('message', (m: { id: number; outcome: FuzzOutcome }) => {
          if (w !== worker || !running || m.id !== running.id) return;
          clearTimeout(running.timer);
          settle(m.id, m.outcome);
          running = undefined;
          feed();
        });
        w.on('error', (err) => {
          if (w === worker && running) settle(running.id, { ok: false, result: 'CRASH', problems: [`crash: worker error ${err.message}`], ms: Math.round(performance.now() - running.started) });
        });
        w.on('exit', () => {
          if (w !== worker || !running) return;
          clearTimeout(running.timer);
          settle(running.id, { ok: false, result: 'CRASH', problems: ['crash: the worker exited mid-case'], ms: Math.round(performance.now() - running.started) });
          running = undefined;
          start();
          feed();
        });
      };
      const feed = () => {
        if (running) return;
        if (next >= cases.length) { void worker.terminate().then(() => finish()); return; }
        const id = next++;
        const started = performance.now();
        const timer = setTimeout(() => {
          settle(id, { ok: false, result: 'HANG', problems: [`hang: still running after ${opts.timeoutMs} ms`], ms: opts.timeoutMs });
          running = undefined;
          void worker.terminate();
          // The exit handler sees no running case; start a fresh worker for the rest.
          start();
          feed();
        }, opts.timeoutMs);
        running = { id, timer, started };
        worker.postMessage({ id, case: cases[id] });
      };
      start();
      feed();
    });
    await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, lane));
    return outcomes;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function fuzz(opts: FuzzOptions): Promise<FuzzSummary> {
  const started = performance.now();
  const cases = fc.sample(caseArb, { seed: opts.seed, numRuns: opts.runs });
  const outcomes = await runCases(cases, opts);
  const summary: FuzzSummary = { runs: cases.length, seed: opts.seed, seconds: 0, crashes: 0, hangs: 0, losses: 0, results: {}, formats: {}, medianMs: 0, maxMs: 0, failures: [] };
  outcomes.forEach((o, index) => {
    const c = cases[index]!;
    summary.results[o.result] = (summary.results[o.result] ?? 0) + 1;
    summary.formats[c.format] = (summary.formats[c.format] ?? 0) + 1;
    if (o.ok) return;
    const kind = o.result === 'HANG' ? 'hang' : kindOf(o);
    summary[kind === 'crash' ? 'crashes' : kind === 'hang' ? 'hangs' : 'losses']++;
    summary.failures.push({ index, kind, case: c, result: o.result, problems: o.problems });
  });
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  summary.medianMs = ms[Math.floor((ms.length - 1) / 2)] ?? 0;
  summary.maxMs = ms.at(-1) ?? 0;
  summary.seconds = Math.round((performance.now() - started) / 1000);
  return summary;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('fuzz')
    .description('Mutate generated exports and documents of every format and check each night: no crash, no hang, counts reconcile, no input record lost')
    .option('--runs <n>', 'number of cases', '200')
    .option('--seed <n>', 'fast-check seed (the same seed draws the same cases)', '20261130')
    .option('--timeout-ms <n>', 'a case running longer than this is a hang', '60000')
    .option('--workers <n>', 'worker threads', '2')
    .option('--out <file>', 'write the summary as JSON here')
    .option('--replay <file>', 'run the failing cases of a summary file again')
    .option('--quiet', 'no progress on stderr');
  program.parse(argv, { from: 'user' });
  const o = program.opts<{ runs: string; seed: string; timeoutMs: string; workers: string; out?: string; replay?: string; quiet?: boolean }>();
  const num = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${v}`);
    return n;
  };
  const timeoutMs = num('timeout-ms', o.timeoutMs);
  const workers = num('workers', o.workers);
  if (o.replay) {
    const failures = (JSON.parse(readFileSync(o.replay, 'utf8')) as FuzzSummary).failures;
    const outcomes = await runCases(failures.map((f) => f.case), { timeoutMs, workers });
    outcomes.forEach((out, i) => process.stdout.write(`${JSON.stringify({ index: failures[i]!.index, case: failures[i]!.case, ...out })}\n`));
    return outcomes.every((x) => x.ok) ? 0 : 1;
  }
  const runs = num('runs', o.runs);
  const progress = o.quiet ? undefined : (done: number) => { if (done % 100 === 0 || done === runs) process.stderr.write(`fuzz: ${done}/${runs}\n`); };
  const summary = await fuzz({ runs, seed: num('seed', o.seed), timeoutMs, workers, ...(progress ? { progress } : {}) });
  const text = JSON.stringify(summary, null, 2);
  if (o.out) { mkdirSync(join(o.out, '..'), { recursive: true }); writeFileSync(o.out, `${text}\n`); }
  process.stdout.write(`${JSON.stringify({ ...summary, failures: summary.failures.slice(0, 10) }, null, 2)}\n`);
  return summary.crashes + summary.hangs + summary.losses === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: Error) => { process.stderr.write(`fuzz: ${err.message}\n`); process.exitCode = 2; });
}
