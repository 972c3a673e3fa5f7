import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { haveRedis } from '../helpers/redis.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-bench-smoke-');

const BENCH = resolve('dist/bench/run-bench.js');
const results = join(dir, 'bench.json');

test('npm run bench -- --json (smoke): measures a small run against the bare parse, profiles it, writes its results and prints one JSON object', () => {
  const r = spawnSync(process.execPath, [BENCH, '--encounters', '300', '--repeat', '1', '--workers', '1', '--abstraction-docs', '40', '--out', results,
    '--profile', join(dir, 'profiles'), '--json'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const j = JSON.parse(lines[0]!) as Record<string, unknown> & { stages: { stage: number; process: number; emit: number } };
  expect(Object.keys(j)).toEqual(['encounters', 'bytes', 'seconds', 'bareParseSeconds', 'ratio', 'encountersPerSecond', 'peakRssMb', 'stages', 'abstractionMBps', 'emitClaimsPerSecond']);
  expect(j.encounters).toBe(300);
  expect(Object.keys(j.stages)).toEqual(['stage', 'process', 'emit']);
  for (const v of [j.bytes, j.seconds, j.bareParseSeconds, j.ratio, j.encountersPerSecond, j.peakRssMb, j.abstractionMBps, j.emitClaimsPerSecond, ...Object.values(j.stages)]) expect(v).toBeGreaterThan(0);
  // The stages happen within the run.
  expect(j.stages.stage + j.stages.process + j.stages.emit).toBeLessThanOrEqual((j.seconds as number) + 0.001);
  // --profile: the main thread's, the worker's and the claims files thread's profile, each
  // with its top self-time functions.
  const saved = JSON.parse(readFileSync(results, 'utf8')) as {
    results: { encounters: number; ratioPipelineToBareParse: number; bareParse: { records: number; medianMs: number }; pipeline: { encountersPerSecond: number; peakRssMb: number; counts: Record<string, number> } }[];
    profiles: { threads: { seconds: number; top: { fn: string; seconds: number }[] }[] }[];
  };
  expect(saved.profiles[0]!.threads).toHaveLength(3);
  for (const t of saved.profiles[0]!.threads) {
    expect(t.seconds).toBeGreaterThan(0);
    expect(t.top.length).toBeGreaterThan(5);
  }
  const [r300] = saved.results;
  expect(r300!.encounters).toBe(300);
  expect(r300!.bareParse.records).toBeGreaterThan(300);
  expect(r300!.ratioPipelineToBareParse).toBe(j.ratio);
  expect(r300!.pipeline.peakRssMb).toBe(j.peakRssMb);
  const c = r300!.pipeline.counts;
  expect(c.released! + c.exception! + c.quarantined! + c.unchanged!).toBe(c.input);
  // The abstraction bench's own results (bench/abstraction-bench.ts, run by run-bench next to
  // its output): MB/s per core against bare tokenization, with the official lexicon, and the
  // coding stage on the same documents, inpatient and office: each coded, most with diagnoses.
  const abstraction = JSON.parse(readFileSync(join(dir, 'bench-abstraction.json'), 'utf8')) as {
    documents: number; lexicon: { terms: number }; abstraction: { mbPerSecondPerCore: number; findings: number }; ratioAbstractionToTokenize: number;
    coding: { encounters: number; diagnoses: number; encountersPerSecondPerCore: number };
  };
  expect(abstraction.documents).toBe(40);
  expect(abstraction.lexicon.terms).toBeGreaterThan(100_000);
  expect(abstraction.abstraction.mbPerSecondPerCore).toBe(j.abstractionMBps);
  expect(abstraction.abstraction.findings).toBeGreaterThan(100);
  expect(abstraction.ratioAbstractionToTokenize).toBeGreaterThan(1);
  expect(abstraction.coding.encounters).toBe(80);
  expect(abstraction.coding.diagnoses).toBeGreaterThan(80);
  expect(abstraction.coding.encountersPerSecondPerCore).toBeGreaterThan(0);
});

test('npm run bench prints the same figures as a table: the smoke run\'s results printed again with --from, measuring nothing', () => {
  // The table and --json print through the same two functions (bench/bench-report.ts), of a
  // run just measured or of its saved results, so one bench run serves both tests.
  const r = spawnSync(process.execPath, [BENCH, '--from', results], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/ratio [\d.]+x/);
  expect(r.stdout).toMatch(/abstraction [\d.]+ MB\/s per core/);
  expect(r.stdout).toMatch(/coding \d+ encounters\/s per core/);
  expect(r.stdout).toMatch(/validation \d+ claims\/s per core with every edit \(500 claims, 20000 PTP pairs\)/);
  expect(r.stdout).toMatch(/emit \d+ claims\/s per core as 837P with the self-check \(2000 claims\)/);
  expect(r.stdout).toMatch(/records \d+ records\/s per core \(\d+ staged night records, assemble to validate\); two threads \d+ records\/s, [\d.]+x one/);
  expect(r.stdout).toMatch(/ingest ccda: .* records, [\d.]+ MB\/s/);
  expect(r.stdout).toMatch(/ingest hl7v2: .* 500 records/);
  expect(r.stdout).toMatch(/ingest fhir: .*peak RSS \d+ MB/);
  expect(r.stdout).toMatch(/cpu profile, 300 encounters, run 1/);
  expect(r.stdout).toMatch(/^nightcode bench \(medians of 1, 1 workers, v\d+/);
  // Row for row, the figures --json gives.
  const j = JSON.parse(spawnSync(process.execPath, [BENCH, '--from', results, '--json'], { encoding: 'utf8' }).stdout) as { seconds: number; encountersPerSecond: number; ratio: number; peakRssMb: number; stages: { stage: number; process: number; emit: number }; abstractionMBps: number; emitClaimsPerSecond: number };
  expect(r.stdout).toContain(`run ${String(Math.round(j.seconds * 1000)).padStart(8)} ms  ${String(j.encountersPerSecond).padStart(6)} enc/s  ratio ${j.ratio}x  peak RSS run ${j.peakRssMb} MB`);
  expect(r.stdout).toContain(`stages: stage ${Math.round(j.stages.stage * 1000)} ms, process ${Math.round(j.stages.process * 1000)} ms, emit ${Math.round(j.stages.emit * 1000)} ms`);
  expect(r.stdout).toContain(`abstraction ${j.abstractionMBps} MB/s per core`);
  expect(r.stdout).toContain(`emit ${j.emitClaimsPerSecond} claims/s per core as 837P`);
});

test('npm run bench:codesets (smoke): import, load and lookup figures from the official files', () => {
  const out = join(dir, 'codesets.json');
  const r = spawnSync(process.execPath, [resolve('dist/bench/codesets-bench.js'), '--repeat', '1', '--ptp-pairs', '2000', '--out', out], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const result = JSON.parse(readFileSync(out, 'utf8')) as { icd10cmImportMs: { median: number }; referenceLoadMs: { codes: number }; billableLookupsPerSecond: number; ptp: { pairs: number; lookupsPerSecond: number } };
  expect(result.referenceLoadMs.codes).toBeGreaterThan(95_000);
  expect(result.icd10cmImportMs.median).toBeGreaterThan(0);
  expect(result.billableLookupsPerSecond).toBeGreaterThan(0);
  expect(result.ptp).toMatchObject({ pairs: 2000 });
});

test.skipIf(!haveRedis)('npm run bench -- --queue (smoke): in-process and 1 worker process, coordinator CPU against worker time per chunk, Amdahl', () => {
  const out = join(dir, 'queue-bench.json');
  const r = spawnSync(process.execPath, [resolve('dist/bench/run-bench.js'), '--queue', '--encounters', '600', '--workers', '1', '--chunk-size', '200', '--out', out, '--json'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    encounters: number; nights: { mode: string; workers: number; encountersPerSecond: number; chunks?: number; byWorker?: Record<string, number>; workerMsPerChunk?: number; coordinatorCpuMsPerChunk?: number }[];
    projection: { serialShareOfProcessing: number; speedUp: Record<string, number>; workersOneCoordinatorFeeds: number };
  };
  expect(j.encounters).toBe(600);
  expect(j.nights.map((n) => [n.mode, n.workers])).toEqual([['in-process', 0], ['queue', 1]]);
  const queued = j.nights[1]!;
  expect(queued).toMatchObject({ chunks: 3, byWorker: { 'bench-1': 3 } });
  expect(queued.workerMsPerChunk).toBeGreaterThan(0);
  expect(queued.coordinatorCpuMsPerChunk).toBeGreaterThan(0);
  expect(j.projection.serialShareOfProcessing).toBeGreaterThan(0);
  expect(j.projection.serialShareOfProcessing).toBeLessThan(1);
  // Amdahl: more workers never slower, never past 1 / serial share.
  expect(j.projection.speedUp['4']).toBeLessThanOrEqual(j.projection.speedUp['16']!);
  expect(j.projection.speedUp['64']).toBeLessThanOrEqual(1 / j.projection.serialShareOfProcessing + 0.1);
  expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ encounters: 600, chunkSize: 200 });
}, 120_000);
