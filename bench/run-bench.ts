/**
 * `npm run bench`: throughput and memory of a whole nightly run against the bare
 * csv-parse time of the same files, measured in the same session (the machine is
 * noisy: compare ratios, not absolute numbers).
 *
 *   node dist/bench/run-bench.js [--encounters 100000] [--also 400000] [--repeat 1] [--workers 2] [--keep] [--abstraction-only] [--abstraction-docs N] [--profile DIR] [--json]
 *   node dist/bench/run-bench.js --from FILE [--json]   (prints a results file saved before, measuring nothing)
 *   node dist/bench/run-bench.js --queue [--encounters 100000] [--workers 1,2] [--json]   (bench/queue-bench.ts)
 *
 * With --json it prints one JSON object instead of the table, the same figures for the first
 * size: {encounters, bytes, seconds, bareParseSeconds, ratio, encountersPerSecond, peakRssMb,
 * stages: {stage, process, emit} (seconds, medians), abstractionMBps, emitClaimsPerSecond},
 * and `sizes` with the same object for every size when --also adds one.
 *
 * Then abstraction throughput per core (bench/abstraction-bench.ts) on the CodiEsp texts, the
 * night's record work in process on one and two threads (bench/record-bench.ts), and ingest
 * throughput per document format (bench/ingest-bench.ts). --abstraction-docs (the smoke test)
 * also shrinks the record and ingest inputs.
 * For each size it generates a seeded export (~1.5 KB notes), then runs, each in a
 * fresh process: the bare parse, then `nightcode run --json` on a new database.
 * --profile DIR runs each night under `node --cpu-prof` (a profile per thread: the main
 * thread, each worker and the claims files thread) into DIR/<encounters>-<run>/ and prints each thread's top
 * self-time functions (bench/profile-summary.ts); the figures are then those of a profiled run.
 * Prints a table and writes bench/results/latest.json. --from FILE prints a results file saved
 * before (table, or --json) without measuring: both print through bench/bench-report.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSampleExport } from '../src/generate/sample-export.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { median } from './bench-args.js';
import { benchJson, benchTable, type AbstractionFigures, type EmitFigures, type IngestFigures, type RecordFigures, type SavedBench, type SizeResult, type ValidationFigures } from './bench-report.js';
import { summarizeProfiles, type ProfileSummary } from './profile-summary.js';

interface Args {
  /** Only the abstraction throughput (no nightly runs). */
  abstractionOnly: boolean;
  /** Documents of the abstraction bench (default: all CodiEsp train and dev). */
  abstractionDocs?: number;
  sizes: number[];
  repeat: number;
  workers: number;
  keep: boolean;
  json: boolean;
  out: string;
  /** Folder for the nights' CPU profiles. */
  profile?: string;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = [Number(get('--encounters') ?? 100_000)];
  if (get('--also')) sizes.push(Number(get('--also')));
  const args = {
    abstractionOnly: argv.includes('--abstraction-only'),
    ...(get('--abstraction-docs') ? { abstractionDocs: Number(get('--abstraction-docs')) } : {}),
    sizes, repeat: Number(get('--repeat') ?? 1), workers: Number(get('--workers') ?? 2), keep: argv.includes('--keep'), json: argv.includes('--json'),
    out: resolve(get('--out') ?? join(PROJECT_ROOT, 'bench', 'results', 'latest.json')),
    ...(get('--profile') ? { profile: resolve(get('--profile')!) } : {}),
  };
  for (const n of [...args.sizes, args.repeat]) if (!Number.isInteger(n) || n <= 0) throw new Error(`bad number in ${argv.join(' ')}`);
  return args;
}

function node(script: string, args: string[], execArgv: string[] = []): { json: Record<string, unknown>; ms: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [...execArgv, script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NIGHTCODE_LOG_LEVEL: 'warn' } });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return { json: JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>, ms };
}

async function main(): Promise<void> {
  // `npm run bench -- --queue`: the BullMQ scale-out bench, its own script.
  if (process.argv.includes('--queue')) {
    const r = spawnSync(process.execPath, [join(fileURLToPath(new URL('.', import.meta.url)), 'queue-bench.js'), ...process.argv.slice(2).filter((a) => a !== '--queue')], { stdio: 'inherit' });
    process.exitCode = r.status ?? 1;
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const from = process.argv.indexOf('--from');
  if (from >= 0) {
    const given = process.argv[from + 1];
    if (!given || given.startsWith('--')) throw new Error('--from needs a results file, such as bench/results/latest.json');
    const file = resolve(given);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedBench;
    process.stdout.write(args.json ? benchJson(saved) : benchTable(saved, file));
    return;
  }
  const here = fileURLToPath(new URL('.', import.meta.url));
  const cli = join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
  const bare = join(here, 'bare-parse.js');
  const work = mkdtempSync(join(tmpdir(), 'nightcode-bench-'));
  const results: SizeResult[] = [];
  const profiles: { encounters: number; run: number; threads: ProfileSummary[] }[] = [];
  try {
    for (const n of args.abstractionOnly ? [] : args.sizes) {
      const dir = join(work, `export-${n}`);
      const gen = await generateSampleExport({ outDir: dir, encounters: n, seed: 2026, kind: 'mixed', businessDate: '2026-11-27', brokenRate: 0.001 });
      const bareRuns: { ms: number; peakRssMb: number; records: number }[] = [];
      const runs: { ms: number; peakRssMb: number; recordsPerSecond: number; counts: unknown; stagesMs: { stage: number; process: number; emit: number } }[] = [];
      for (let i = 0; i < args.repeat; i++) {
        const b = node(bare, [dir]).json as { ms: number; peakRssMb: number; records: number };
        bareRuns.push(b);
        const cfg = join(work, `config-${n}-${i}.json`);
        writeFileSync(cfg, JSON.stringify({ database: join(work, `db-${n}-${i}.sqlite`), outDir: join(work, `out-${n}-${i}`), run: { workers: args.workers, maxQuarantinedRatio: 0.05 } }));
        const profileDir = args.profile ? join(args.profile, `${n}-${i + 1}`) : undefined;
        if (profileDir) rmSync(profileDir, { recursive: true, force: true });
        const r = node(cli, ['--config', cfg, 'run', '--date', '2026-11-27', '--input', dir, '--pipeline', join(PROJECT_ROOT, 'pipelines', 'nightly-csv.json'), '--json'],
          profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
        if (profileDir) profiles.push({ encounters: n, run: i + 1, threads: summarizeProfiles(profileDir) });
        const s = r.json as { durationMs: number; peakRssMb: number; counts: { input: number }; stagesMs: { stage: number; process: number; emit: number } };
        runs.push({ ms: Math.round(r.ms), peakRssMb: s.peakRssMb, recordsPerSecond: Math.round((s.counts.input / r.ms) * 1000), counts: s.counts, stagesMs: s.stagesMs });
        rmSync(join(work, `db-${n}-${i}.sqlite`), { force: true });
      }
      const bareMs = median(bareRuns.map((b) => b.ms));
      const runMs = median(runs.map((r) => r.ms));
      results.push({
        encounters: n,
        exportMb: Math.round((gen.bytes / 1e6) * 10) / 10,
        avgNoteBytes: Math.round(gen.bytes / n),
        repeat: args.repeat,
        workers: args.workers,
        bareParse: { medianMs: bareMs, records: bareRuns[0]!.records, mbPerSecond: Math.round((gen.bytes / 1e6 / (bareMs / 1000)) * 10) / 10, peakRssMb: median(bareRuns.map((b) => b.peakRssMb)) },
        pipeline: {
          medianMs: runMs, encountersPerSecond: Math.round((n / runMs) * 1000), peakRssMb: median(runs.map((r) => r.peakRssMb)), counts: runs[0]!.counts,
          stagesMs: { stage: median(runs.map((r) => r.stagesMs.stage)), process: median(runs.map((r) => r.stagesMs.process)), emit: median(runs.map((r) => r.stagesMs.emit)) },
        },
        bytes: gen.bytes,
        ratioPipelineToBareParse: Math.round((runMs / bareMs) * 10) / 10,
      });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    if (!args.keep) rmSync(work, { recursive: true, force: true });
  }
  // Abstraction throughput per core, in its own process (it loads the official code sets).
  const abstractionOut = join(resolve(args.out, '..'), `${basename(args.out, '.json')}-abstraction.json`);
  const abstraction = node(join(here, 'abstraction-bench.js'), [
    '--repeat', String(Math.max(3, args.repeat)), '--out', abstractionOut, '--json', ...(args.abstractionDocs ? ['--docs', String(args.abstractionDocs)] : []),
  ]).json as unknown as AbstractionFigures;
  // Validation claims/s per core with a full-size synthetic PTP table, in its own process.
  const validationOut = join(resolve(args.out, '..'), `${basename(args.out, '.json')}-validation.json`);
  const validation = node(join(here, 'validation-bench.js'), [
    '--repeat', String(Math.max(3, args.repeat)), '--out', validationOut, '--json', ...(args.abstractionDocs ? ['--claims', '500', '--ptp-pairs', '20000'] : []),
  ]).json as unknown as ValidationFigures;
  // Emit: claims written as X12 837P and self-checked, against JSON lines.
  const emitOut = join(resolve(args.out, '..'), `${basename(args.out, '.json')}-emit.json`);
  const emit = node(join(here, 'emit-bench.js'), ['--repeat', String(Math.max(3, args.repeat)), '--out', emitOut, '--json', ...(args.abstractionDocs ? ['--claims', '2000'] : [])]).json as unknown as EmitFigures;
  // The record work in process, on one thread and on two at once.
  const recordsOut = join(resolve(args.out, '..'), `${basename(args.out, '.json')}-records.json`);
  const records = node(join(here, 'record-bench.js'), ['--repeat', String(Math.max(3, args.repeat)), '--out', recordsOut, '--json', ...(args.abstractionDocs ? ['--encounters', '200'] : [])]).json as unknown as RecordFigures;
  // Ingest per document format (C-CDA, HL7 v2, FHIR NDJSON), each in its own process.
  const ingestOut = join(resolve(args.out, '..'), `${basename(args.out, '.json')}-ingest.json`);
  const ingest = node(join(here, 'ingest-bench.js'), [...(args.abstractionDocs ? ['--ccda-copies', '1', '--hl7-visits', '500', '--fhir-mb', '2'] : []), '--out', ingestOut, '--json']).json as unknown as { results: IngestFigures[] };
  mkdirSync(resolve(args.out, '..'), { recursive: true });
  const saved: SavedBench = {
    at: new Date().toISOString(), node: process.version, repeat: args.repeat, workers: args.workers,
    results, abstraction, validation, emit, records, ingest: ingest.results, ...(profiles.length > 0 ? { profiles } : {}),
  };
  writeFileSync(args.out, `${JSON.stringify(saved, null, 2)}\n`);
  process.stdout.write(args.json ? benchJson(saved) : benchTable(saved, args.out));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
