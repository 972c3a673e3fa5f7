/**
 * `npm run bench -- --queue`: the same export through the in-process pool and through BullMQ
 * with 1 and 2 `nightcode worker` processes (concurrency 1 each) on this machine, with its own
 * redis-server on a free loopback port; then the coordinator's CPU time per chunk against a
 * worker's processing time per chunk, and the speed-up Amdahl's law gives for 4, 16 and 64
 * workers from them.
 *
 *   node dist/bench/queue-bench.js [--encounters 100000] [--workers 1,2] [--chunk-size 500] [--official] [--json] [--out FILE]
 *
 * --official codes with the official library of ../shared (ICD-10-CM FY2021 tabular and order
 * file, MCE, POA-exempt list, HCPCS 2019), imported once and copied for each night, on an
 * export dated in FY2021: a worker's share of the work is then the size a site's would be.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSampleExport } from '../src/generate/sample-export.js';
import { PROJECT_ROOT } from '../src/paths.js';
import type { RunSummary } from '../src/run/run-summary.js';
import { flag } from './bench-args.js';
import { haveRedis, REDIS_SERVER, startRedis } from './redis-server.js';

const CLI = join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
let DATE = '2026-11-27';

interface Night {
  mode: string;
  workers: number;
  seconds: number;
  encountersPerSecond: number;
  processSeconds: number;
  chunks?: number;
  byWorker?: Record<string, number>;
  workerMsPerChunk?: number;
  coordinatorCpuMsPerChunk?: number;
  /** Coordinator CPU per chunk over a worker's time per chunk. */
  coordinatorShare?: number;
}

/** The official library of ../shared, imported once into a repository each night starts from a copy of. */
function importOfficial(work: string): string {
  const cs = resolve(PROJECT_ROOT, '..', 'shared', 'codesets');
  const files = [join(cs, 'icd10cm-2021', 'icd10cm_tabular_2021.xml'), join(cs, 'icd10cm-2021', 'icd10cm-order-Jan-2021.txt'),
    join(cs, 'mce-lists', 'MCE_Simple_Code_Edits_v37.txt'), join(cs, 'poa-exempt', 'POAexemptCodes2020.txt'), join(cs, 'hcpcs-2019', '2019-Alpha-Numeric-HCPCS-File.zip')];
  for (const f of files) if (!existsSync(f)) throw new Error(`--official needs ${f} (../shared)`);
  const template = join(work, 'official.db');
  const r = spawnSync(process.execPath, [CLI, 'codesets', 'import', '--db', template, ...files], { encoding: 'utf8', env: { ...process.env, NIGHTCODE_LOG_LEVEL: 'warn' } });
  if (r.status !== 0) throw new Error(`codesets import exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return template;
}

function runNight(work: string, exportDir: string, name: string, chunkSize: number, queue?: string, template?: string): RunSummary & { wallMs: number } {
  if (template) copyFileSync(template, join(work, `${name}.db`));
  const cfg = join(work, `${name}.json`);
  writeFileSync(cfg, JSON.stringify({ database: join(work, `${name}.db`), outDir: join(work, `out-${name}`), run: { workers: 'auto', chunkSize, maxQuarantinedRatio: 0.05, queueWaitSeconds: 300 } }));
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, '--config', cfg, 'run', '--date', DATE, '--input', exportDir, '--json', ...(queue ? ['--queue', queue] : [])],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NIGHTCODE_LOG_LEVEL: 'warn' } });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`run ${name} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  rmSync(join(work, `${name}.db`), { force: true });
  rmSync(join(work, `out-${name}`), { recursive: true, force: true });
  return { ...(JSON.parse(r.stdout.trim().split('\n').pop()!) as RunSummary), wallMs };
}

/** Amdahl: with serial share s of one worker's time, N workers run 1 / (s + (1 - s) / N) times as fast. */
const amdahl = (serial: number, n: number) => Math.round((1 / (serial + (1 - serial) / n)) * 10) / 10;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const encounters = Number(flag(argv, '--encounters', '100000'));
  const counts = flag(argv, '--workers', '1,2').split(',').map(Number);
  const chunkSize = Number(flag(argv, '--chunk-size', '500'));
  const json = argv.includes('--json');
  const official = argv.includes('--official');
  if (official) DATE = '2021-07-01';
  const out = resolve(flag(argv, '--out', join(PROJECT_ROOT, 'bench', 'results', 'latest-queue.json')));
  if (!haveRedis) throw new Error(`${REDIS_SERVER} is missing: bash scripts/install-redis.sh`);
  const work = mkdtempSync(join(tmpdir(), 'nightcode-queue-bench-'));
  const redis = await startRedis();
  const nights: Night[] = [];
  try {
    const exportDir = join(work, 'export');
    await generateSampleExport({ outDir: exportDir, encounters, seed: 2026, kind: 'mixed', businessDate: DATE, brokenRate: 0.001 });
    const template = official ? importOfficial(work) : undefined;
    const local = runNight(work, exportDir, 'in-process', chunkSize, undefined, template);
    nights.push({ mode: 'in-process', workers: 0, seconds: local.wallMs / 1000, encountersPerSecond: Math.round((encounters / local.wallMs) * 1000), processSeconds: (local.stagesMs?.process ?? 0) / 1000 });
    for (const n of counts) {
      const workers = Array.from({ length: n }, (_, i) => {
        const child = spawn(process.execPath, [CLI, 'worker', '--queue', redis.url, '--concurrency', '1', '--name', `bench-${i + 1}`, '--cache', join(work, `cache-${i + 1}`)],
          { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NIGHTCODE_LOG_LEVEL: 'warn' } });
        child.stderr.resume();
        return child;
      });
      try {
        const s = runNight(work, exportDir, `queue-${n}`, chunkSize, redis.url, template);
        const q = s.queue!;
        nights.push({
          mode: 'queue', workers: n, seconds: s.wallMs / 1000, encountersPerSecond: Math.round((encounters / s.wallMs) * 1000), processSeconds: (s.stagesMs?.process ?? 0) / 1000,
          chunks: q.chunks, byWorker: q.byWorker, workerMsPerChunk: q.workerMsPerChunk, coordinatorCpuMsPerChunk: q.coordinatorCpuMsPerChunk,
          coordinatorShare: Math.round((q.coordinatorCpuMsPerChunk / q.workerMsPerChunk) * 1000) / 1000,
        });
      } finally {
        await Promise.all(workers.map((w) => new Promise((r) => { w.once('exit', r); w.kill('SIGTERM'); })));
      }
    }
  } finally {
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
  // The process step's serial part is the coordinator's CPU per chunk; the workers' part divides.
  const one = nights.find((n) => n.mode === 'queue' && n.workers === 1) ?? nights.find((n) => n.mode === 'queue')!;
  const serial = one.coordinatorCpuMsPerChunk! / (one.coordinatorCpuMsPerChunk! + one.workerMsPerChunk!);
  const projection = {
    serialShareOfProcessing: Math.round(serial * 1000) / 1000,
    speedUp: Object.fromEntries([4, 16, 64].map((n) => [n, amdahl(serial, n)])),
    /** Workers one coordinator keeps busy before it is the bottleneck. */
    workersOneCoordinatorFeeds: Math.floor(one.workerMsPerChunk! / one.coordinatorCpuMsPerChunk!),
  };
  const result = { at: new Date().toISOString(), node: process.version, encounters, chunkSize, library: official ? 'official (../shared, FY2021)' : 'starter', nights, projection };
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const rows = nights.map((n) => `${n.mode === 'queue' ? `queue, ${n.workers} worker process(es)` : 'in-process pool'}: ${n.seconds.toFixed(1)} s, ${n.encountersPerSecond} encounters/s (process step ${n.processSeconds.toFixed(1)} s)${n.chunks ? `; ${n.chunks} chunks (${Object.entries(n.byWorker ?? {}).map(([w, c]) => `${w} ${c}`).join(', ')}), ${n.workerMsPerChunk} ms per chunk on a worker, coordinator CPU ${n.coordinatorCpuMsPerChunk} ms per chunk (${(n.coordinatorShare! * 100).toFixed(1)}%)` : ''}`);
  rows.push(`Amdahl (process step, serial share ${(projection.serialShareOfProcessing * 100).toFixed(1)}%): ${[4, 16, 64].map((n) => `${n} workers ${projection.speedUp[n]}x`).join(', ')}; one coordinator feeds about ${projection.workersOneCoordinatorFeeds} workers`);
  process.stdout.write(`nightcode queue bench (${encounters} encounters, chunks of ${chunkSize}, ${result.library} library, ${process.version})\n${rows.join('\n')}\nresults: ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`queue bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
