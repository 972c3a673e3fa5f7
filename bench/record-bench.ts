/**
 * The night's record work, in process: a generated export staged once, then every staged
 * record through assemble → abstract → code → validate (processSlice, in the slices the
 * pool sends) on this thread, and the same records split over two worker threads at once
 * (each warmed up by a pass over its half first, as this thread is by a pass over all).
 * Records per second per core, and what a second thread adds: without the run's commits,
 * SQLite writes and messaging, so a change to the record path shows here at a few percent
 * where whole nights on a shared machine vary by more.
 *
 *   node dist/bench/record-bench.js [--encounters 6000] [--repeat 3] [--out FILE] [--json]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { configSchema } from '../src/config/schema.js';
import { loadPipeline } from '../src/config/load.js';
import { generateSampleExport } from '../src/generate/sample-export.js';
import { stageExport } from '../src/ingest/stage-export.js';
import { StagingStore, type StagedBundle } from '../src/ingest/staging.js';
import { PROJECT_ROOT } from '../src/paths.js';
import type { RecordContext } from '../src/run/record-context.js';
import { recordContext } from '../src/run/record-context.js';
import { processSlice } from '../src/run/record-worker.js';
import { openDatabase } from '../src/store/database.js';
import { flag, median } from './bench-args.js';

/** Records per slice, as the in-process pool cuts a 500-record chunk for two threads. */
const SLICE = 63;
const PIPELINE = join(PROJECT_ROOT, 'pipelines', 'nightly-csv.json');
const BUSINESS_DATE = '2026-11-27';

interface Job {
  staging: string;
  database: string;
  from: number;
  count: number;
}

/** The context a night's first run gives its records (default config, the bundled CSV pipeline). */
function context(database: string): RecordContext {
  const config = configSchema.parse({ database, outDir: join(database, '..', 'out') });
  return recordContext(config, loadPipeline(PIPELINE), { runId: 1, businessDate: BUSINESS_DATE });
}

function records(job: Job): StagedBundle[] {
  const store = new StagingStore(job.staging, { create: false });
  try {
    return store.readChunk(job.from, job.count);
  } finally {
    store.close();
  }
}

/** Every record once through processSlice, slice by slice: milliseconds. */
function pass(bundles: readonly StagedBundle[], ctx: RecordContext): number {
  const started = performance.now();
  for (let i = 0; i < bundles.length; i += SLICE) {
    const slice = bundles.slice(i, i + SLICE);
    processSlice({ ctx, bundles: slice, bases: slice.map(() => null) });
  }
  return performance.now() - started;
}

/** A worker thread's share: one pass to warm up, then `repeat` timed passes (ms each). */
function workerMain(job: Job & { repeat: number }): void {
  const ctx = context(job.database);
  const bundles = records(job);
  pass(bundles, ctx);
  parentPort!.postMessage(Array.from({ length: job.repeat }, () => pass(bundles, ctx)));
}

/** The threads' passes side by side: each pass's time is its slower thread's. */
async function onThreads(jobs: Job[], repeat: number): Promise<number[]> {
  const each = await Promise.all(jobs.map((job) => new Promise<number[]>((done, fail) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { ...job, repeat } });
    w.once('message', done);
    w.once('error', fail);
  })));
  return Array.from({ length: repeat }, (_, r) => Math.max(...each.map((ms) => ms[r]!)));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const encounters = Number(flag(argv, '--encounters', '6000'));
  const repeat = Number(flag(argv, '--repeat', '3'));
  const out = resolve(flag(argv, '--out', join(PROJECT_ROOT, 'bench', 'results', 'records.json')));
  if (!Number.isInteger(encounters) || encounters <= 0 || !Number.isInteger(repeat) || repeat <= 0) throw new Error(`bad number in ${argv.join(' ')}`);
  const work = mkdtempSync(join(tmpdir(), 'nightcode-record-bench-'));
  try {
    const exportDir = join(work, 'export');
    await generateSampleExport({ outDir: exportDir, encounters, seed: 2026, kind: 'mixed', businessDate: BUSINESS_DATE, brokenRate: 0.001 });
    const staging = join(work, 'staging.db');
    const store = new StagingStore(staging, { create: true });
    await stageExport({ dir: exportDir, pipeline: loadPipeline(PIPELINE), businessDate: BUSINESS_DATE, store });
    store.close();
    // The run repository the workers read (starter tables, no ledger): as a night's first run.
    const database = join(work, 'repo.db');
    openDatabase(database).close();
    const all: Job = { staging, database, from: 0, count: encounters * 2 };
    const ctx = context(database);
    const bundles = records(all);
    // Warmed up as the threads are: one whole pass first.
    pass(bundles, ctx);
    const one = median(Array.from({ length: repeat }, () => pass(bundles, ctx)));
    const half = Math.ceil(bundles.length / 2);
    const two = median(await onThreads([
      { staging, database, from: bundles[0]!.staged.seq - 1, count: half },
      { staging, database, from: bundles[half - 1]!.staged.seq, count: bundles.length - half },
    ], repeat));
    const result = {
      encounters, records: bundles.length, repeat,
      oneThread: { ms: Math.round(one), recordsPerSecond: Math.round((bundles.length / one) * 1000) },
      twoThreads: { ms: Math.round(two), recordsPerSecond: Math.round((bundles.length / two) * 1000) },
      speedup: Math.round((one / two) * 100) / 100,
    };
    mkdirSync(resolve(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, ...result }, null, 2)}\n`);
    process.stdout.write(argv.includes('--json') ? `${JSON.stringify(result)}\n`
      : `records ${result.oneThread.recordsPerSecond} records/s per core (${result.records} staged night records, medians of ${repeat}); two threads ${result.twoThreads.recordsPerSecond} records/s, ${result.speedup}x one\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().catch((err: unknown) => {
    process.stderr.write(`record bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
} else {
  workerMain(workerData as Job & { repeat: number });
}
