import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Worker as BullWorker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { queueName } from '../../src/queue/chunk-job.js';
import { buildSnapshot } from '../../src/queue/snapshot.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli, startCli, writeTestConfig, type CliResult } from '../helpers/cli.js';
import { nightFiles } from '../helpers/night-files.js';
import { freePort, haveRedis, startRedis, type TestRedis } from '../helpers/redis.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Scale-out through BullMQ (issue 20): the same export processed in-process and by `nightcode
 * worker` processes gives the same files; workers and the coordinator killed mid-night lose
 * and double nothing; a chunk failing every attempt is held, the night goes on; Redis gone is
 * a clear, resumable failure. Each test file starts its own redis-server on a free port.
 */
const DATE = '2026-11-27';
const dir = tempDir('nightcode-queue-');
const exportDir = join(dir, 'export');
let redis: TestRedis;
let baseline: Map<string, string>;

const outputs = (outRoot: string) => nightFiles(join(outRoot, 'nightly-csv', DATE));

function expectSameOutputs(outRoot: string): void {
  const got = outputs(outRoot);
  expect([...got.keys()]).toEqual([...baseline.keys()]);
  for (const [name, text] of baseline) expect(got.get(name), name).toBe(text);
}

interface Worker {
  name: string;
  child: ReturnType<typeof startCli>['child'];
  done: Promise<CliResult>;
  log: () => string;
  /** Resolves with the first log line matching. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
}

function startWorker(name: string, cache: string, extra: string[] = []): Worker {
  const w = startCli(['worker', '--queue', redis.url, '--concurrency', '1', '--name', name, '--cache', cache, '--lock-seconds', '2', '--log-level', 'info', ...extra]);
  let log = '';
  w.child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) => new Promise<string>((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const line = log.split('\n').find((l) => pattern.test(l));
      if (line) return resolve(line);
      if (Date.now() - started > timeoutMs) return reject(new Error(`worker ${name}: no log line ${pattern} in ${timeoutMs} ms:\n${log.slice(-2000)}`));
      setTimeout(tick, 10);
    };
    tick();
  });
  return { name, child: w.child, done: w.done, log: () => log, waitFor };
}

async function stopWorkers(...workers: Worker[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.done));
}

function configIn(name: string, run: Record<string, unknown> = {}): { config: string; out: string; db: string } {
  const d = join(dir, name);
  const config = writeTestConfig(d, { run: { chunkSize: 100, queueWaitSeconds: 60, ...run } });
  return { config, out: join(d, 'out'), db: join(d, 'nightcode.db') };
}

const runArgs = (config: string, ...extra: string[]) => ['--config', config, 'run', '--date', DATE, '--input', exportDir, '--json', ...extra];
const summaryOf = (r: CliResult) => JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, any>;

async function redisKeys(pattern: string): Promise<string[]> {
  const client = new Redis(redis.url);
  try {
    return await client.keys(pattern);
  } finally {
    client.disconnect();
  }
}

describe.skipIf(!haveRedis)('nightcode run --queue with nightcode worker processes', () => {
  beforeAll(async () => {
    redis = await startRedis();
    const g = runCli(['generate', '--encounters', '600', '--seed', '20', '--date', DATE, '--kind', 'mixed', '--broken-rate', '0.03', '--out', exportDir]);
    expect(g.code, g.stderr).toBe(0);
    const inProcess = configIn('in-process');
    const r = runCli(runArgs(inProcess.config));
    expect(r.code, r.stderr).toBe(0);
    baseline = outputs(inProcess.out);
    expect(baseline.size).toBeGreaterThan(5);
  }, 120_000);
  afterAll(async () => {
    await redis?.stop();
  });

  test('two workers: the same files as the in-process pool, chunks counted per worker, nothing left in Redis', async () => {
    const cache = join(dir, 'cache-a');
    const w1 = startWorker('w1', cache);
    const w2 = startWorker('w2', cache);
    // A worker of another nightcode build listens on its own build's queue: it takes none of these chunks.
    const staleConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const stale = new BullWorker(queueName('0123456789abcdef'), async () => { throw new Error('must not be called'); }, { connection: staleConnection, name: 'old-build' });
    try {
      await Promise.all([w1.waitFor(/worker ready/), w2.waitFor(/worker ready/), stale.waitUntilReady()]);
      const status = runCli(['--config', configIn('status').config, 'status', '--queue', redis.url, '--json']);
      expect(status.code, status.stderr).toBe(0);
      const seen = (JSON.parse(status.stdout) as { queue: { workers: { name: string; sameBuild: boolean; build: string }[] } }).queue.workers;
      expect(seen.filter((w) => w.sameBuild).map((w) => w.name)).toEqual(['w1', 'w2']);
      expect(seen.filter((w) => !w.sameBuild)).toMatchObject([{ name: 'old-build', build: '0123456789abcdef' }]);

      const queued = configIn('queued');
      const r = await startCli(runArgs(queued.config, '--queue', redis.url)).done;
      expect(r.code, r.stderr).toBe(0);
      const s = summaryOf(r);
      expect(s.reconciled).toBe(true);
      expect(s.queue).toMatchObject({ url: redis.url, chunks: 6, failed: 0 });
      expect(Object.values(s.queue.byWorker as Record<string, number>).reduce((a, n) => a + n, 0)).toBe(6);
      expect(Object.keys(s.queue.byWorker).every((n) => n === 'w1' || n === 'w2')).toBe(true);
      expectSameOutputs(queued.out);
      // Committed chunks leave Redis at once: no records or results stay behind.
      expect(await redisKeys('nightcode:result:*')).toEqual([]);
      expect((await redisKeys('bull:nightcode-chunks-*:run*')).filter((k) => !k.endsWith(':logs'))).toEqual([]);
      // Logs name jobs and counts, never record data.
      expect(w1.log() + w2.log()).not.toMatch(/"(text|name|firstName|lastName|note)"\s*:/);
    } finally {
      await stale.close();
      staleConnection.disconnect();
      await stopWorkers(w1, w2);
    }
  }, 120_000);

  test('a worker killed mid-chunk and the coordinator killed mid-night: the re-run gives the same files, nothing lost or doubled', async () => {
    const cache = join(dir, 'cache-b');
    const w1 = startWorker('k1', cache);
    const w2 = startWorker('k2', cache);
    try {
      await Promise.all([w1.waitFor(/worker ready/), w2.waitFor(/worker ready/)]);
      const night = configIn('killed');
      const coordinator = startCli(runArgs(night.config, '--queue', redis.url, '--log-level', 'debug'));
      let coordinatorLog = '';
      coordinator.child.stderr!.on('data', (d: Buffer) => (coordinatorLog += d.toString()));
      // The first chunk k1 takes: SIGKILL while it is processing it.
      const taken = JSON.parse(await w1.waitFor(/chunk taken/)) as { job: string };
      w1.child.kill('SIGKILL');
      // Its lock runs out (2 s) and k2 processes the chunk; once a chunk is committed, the coordinator dies too.
      await new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          if (coordinatorLog.includes('chunk committed')) { clearInterval(t); resolve(); }
          if (coordinator.child.exitCode !== null) { clearInterval(t); reject(new Error(`coordinator ended before a commit: ${coordinatorLog.slice(-1500)}`)); }
        }, 5);
      });
      coordinator.child.kill('SIGKILL');
      await coordinator.done;

      const again = await startCli(runArgs(night.config, '--queue', redis.url)).done;
      expect(again.code, again.stderr).toBe(0);
      const s = summaryOf(again);
      expect(s.resumed).toBe(true);
      expect(s.reconciled).toBe(true);
      expectSameOutputs(night.out);
      // The chunk k1 died on was processed by k2 (unless k1 had finished it before the kill landed).
      if (!w1.log().includes(`"job":"${taken.job}","runId":1,"records":100,"ms"`)) {
        expect(w2.log()).toMatch(new RegExp(`"job":"${taken.job}"[^\\n]*"msg":"chunk processed"`));
      }
      // Each encounter in the ledger once, and one claim per released encounter.
      const db = new Database(night.db, { readonly: true });
      try {
        const counts = db.prepare('SELECT count(*) AS n, count(DISTINCT encounter_id) AS d FROM run_records WHERE run_id = 1').get() as { n: number; d: number };
        expect(counts.n).toBe(counts.d);
      } finally {
        db.close();
      }
      expect(await redisKeys('nightcode:result:*')).toEqual([]);
    } finally {
      await stopWorkers(w1, w2);
    }
  }, 180_000);

  test('claims billed in an earlier night under other encounters: workers defer the ledger look-up, the coordinator holds them as the in-process pool does', async () => {
    // Night 2 sends every encounter of night 1 again under a new id: each claim duplicates one billed last night.
    const again = join(dir, 'export-renamed');
    mkdirSync(again, { recursive: true });
    for (const f of readdirSync(exportDir)) writeFileSync(join(again, f), readFileSync(join(exportDir, f), 'utf8').replace(/\bE(\d{7})\b/g, 'X$1'));
    const NEXT = '2026-11-28';
    const nightTwo = (config: string, ...extra: string[]) => startCli(['--config', config, 'run', '--date', NEXT, '--input', again, '--json', ...extra]).done;
    const inProcess = configIn('in-process');
    const a = await nightTwo(inProcess.config);
    expect(a.code, a.stderr).toBe(0);
    expect(summaryOf(a).findingsByCode.map((f: { code: string }) => f.code)).toContain('EDIT_DUPLICATE_CLAIM');

    const queued = configIn('duplicates');
    const first = runCli(runArgs(queued.config));
    expect(first.code, first.stderr).toBe(0);
    const w1 = startWorker('d1', join(dir, 'cache-d'));
    try {
      const b = await nightTwo(queued.config, '--queue', redis.url);
      expect(b.code, b.stderr).toBe(0);
      const s = summaryOf(b);
      expect(s.queue.recheckedHere).toBeGreaterThan(100);
      expect(s.counts).toEqual(summaryOf(a).counts);
      const want = nightFiles(join(inProcess.out, 'nightly-csv', NEXT));
      const got = nightFiles(join(queued.out, 'nightly-csv', NEXT));
      expect([...got.keys()]).toEqual([...want.keys()]);
      for (const [name, text] of want) expect(got.get(name), name).toBe(text);
    } finally {
      await stopWorkers(w1);
    }
  }, 180_000);

  test('SIGTERM: the worker finishes the chunk in hand, then stops; another worker finishes the night', async () => {
    const cache = join(dir, 'cache-c');
    const w1 = startWorker('t1', cache);
    await w1.waitFor(/worker ready/);
    const night = configIn('sigterm');
    const coordinator = startCli(runArgs(night.config, '--queue', redis.url));
    const taken = JSON.parse(await w1.waitFor(/chunk taken/)) as { job: string };
    w1.child.kill('SIGTERM');
    const ended = await w1.done;
    expect(ended.code).toBe(0);
    expect(w1.log()).toMatch(new RegExp(`"job":"${taken.job}"[^\\n]*"msg":"chunk processed"`));
    expect(w1.log()).toMatch(/worker stopped/);
    const w2 = startWorker('t2', cache);
    try {
      const r = await coordinator.done;
      expect(r.code, r.stderr).toBe(0);
      expect(summaryOf(r).queue.byWorker.t1).toBeGreaterThanOrEqual(1);
      expectSameOutputs(night.out);
    } finally {
      await stopWorkers(w2);
    }
  }, 120_000);

  test('a chunk that fails every attempt (a snapshot that fails verification): its records are held as RUN_CHUNK_FAILED, the night completes', async () => {
    const night = configIn('failing', { queueAttempts: 2 });
    // A night before, in-process, sets the repository up (the starter library registers itself).
    const before = runCli(['--config', night.config, 'run', '--date', '2026-11-26', '--input', exportDir]);
    expect(before.code, before.stderr).toBe(0);
    // The snapshot this repository will publish, put on the queue first with damaged bytes:
    // the coordinator finds it there, and every worker refuses to code with it.
    const db = openDatabase(night.db);
    const snap = buildSnapshot(db, join(dir, 'snap-failing'));
    db.close();
    const client = new Redis(redis.url);
    const bytes = readFileSync(snap.file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await client.set(`nightcode:snapshot:${snap.sha256}:0`, bytes);
    await client.set(`nightcode:snapshot:${snap.sha256}`, JSON.stringify({ sha256: snap.sha256, bytes: snap.bytes, parts: 1, schema: snap.schema }));
    client.disconnect();
    const w1 = startWorker('f1', join(dir, 'cache-f'));
    try {
      const r = await startCli(runArgs(night.config, '--queue', redis.url)).done;
      expect(r.code, r.stderr).toBe(0);
      const s = summaryOf(r);
      expect(s.reconciled).toBe(true);
      expect(s.queue).toMatchObject({ chunks: 6, failed: 6 });
      expect(s.counts.released).toBe(0);
      // Rows refused while staging stay quarantined; every staged encounter is held.
      expect(s.counts.exception + s.counts.quarantined).toBe(s.counts.input);
      expect(s.counts.exception).toBeGreaterThan(550);
      expect(s.findingsByCode).toEqual([{ code: 'RUN_CHUNK_FAILED', severity: 'error', n: s.counts.exception }]);
      expect(w1.log()).toMatch(/failed verification/);
      const exceptions = readFileSync(join(night.out, 'nightly-csv', DATE, 'exceptions.csv'), 'utf8');
      expect(exceptions).toMatch(/RUN_CHUNK_FAILED/);
      expect(await redisKeys('bull:nightcode-chunks-*:run*')).toEqual([]);
    } finally {
      await stopWorkers(w1);
    }
  }, 120_000);

  test('Redis gone mid-night: QUEUE_UNREACHABLE after the committed chunks; Redis back (empty), the workers reconnect and the re-run resumes to the same files', async () => {
    const own = await startRedis();
    const w1 = startCli(['worker', '--queue', own.url, '--concurrency', '1', '--name', 'r1', '--cache', join(dir, 'cache-r'), '--lock-seconds', '2', '--log-level', 'info']);
    let workerLog = '';
    w1.child.stderr!.on('data', (d: Buffer) => (workerLog += d.toString()));
    let log = '';
    // Each step has its own deadline: a step that hangs says which, with the logs.
    const within = <T>(ms: number, step: string, p: Promise<T>) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(
      () => reject(new Error(`${step}: nothing after ${ms} ms\ncoordinator: ${log.slice(-1500)}\nworker: ${workerLog.slice(-1500)}`)), ms).unref())]);
    let restarted: TestRedis | undefined;
    try {
      const night = configIn('redis-restart');
      const coordinator = startCli(runArgs(night.config, '--queue', own.url, '--log-level', 'debug'));
      coordinator.child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      await within(30_000, 'the first commit', new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          if (log.includes('chunk committed')) { clearInterval(t); resolve(); }
          if (coordinator.child.exitCode !== null) { clearInterval(t); reject(new Error(`coordinator ended before a commit: ${log.slice(-1500)}`)); }
        }, 5);
      }));
      await within(10_000, 'Redis stopping', own.stop());
      const failed = await within(20_000, 'the coordinator failing', coordinator.done);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`QUEUE_UNREACHABLE: the queue at ${own.url} cannot be reached (the connection was lost)`);
      restarted = await within(10_000, 'Redis starting again', startRedis(own.port));
      log = '';
      const rerun = startCli(runArgs(night.config, '--queue', own.url, '--log-level', 'debug'));
      rerun.child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      const again = await within(60_000, 'the re-run', rerun.done);
      expect(again.code, again.stderr).toBe(0);
      expect(summaryOf(again)).toMatchObject({ resumed: true, reconciled: true, queue: { byWorker: { r1: expect.any(Number) } } });
      expectSameOutputs(night.out);
      expect(workerLog).toMatch(/queue connection problem; retrying/);
    } finally {
      w1.child.kill('SIGTERM');
      await within(20_000, 'the worker stopping on SIGTERM', w1.done).finally(() => w1.child.kill('SIGKILL'));
      await restarted?.stop();
    }
  }, 150_000);

  test('SIGTERM while Redis is gone: the worker stops at once instead of waiting for a queue that does not answer', async () => {
    const own = await startRedis();
    const w1 = startWorker('g1', join(dir, 'cache-g'), ['--queue', own.url]);
    try {
      await w1.waitFor(/worker ready/);
      await own.stop();
      await w1.waitFor(/queue connection problem; retrying/);
      w1.child.kill('SIGTERM');
      const ended = await Promise.race([w1.done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 15_000).unref())]);
      expect(ended?.code, w1.log().slice(-1500)).toBe(0);
      expect(w1.log()).toMatch(/stopping while the queue cannot be reached/);
    } finally {
      w1.child.kill('SIGKILL');
    }
  }, 60_000);

  test('no worker of this build: QUEUE_STALLED after run.queueWaitSeconds, and the night resumes when one runs', async () => {
    const night = configIn('stalled', { queueWaitSeconds: 5 });
    const r = await startCli(runArgs(night.config, '--queue', redis.url)).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/QUEUE_STALLED: no chunk finished for 5 s \(run\.queueWaitSeconds\) on redis:\/\/127\.0\.0\.1:\d+: 0 worker\(s\) of this build/);
    const w1 = startWorker('s1', join(dir, 'cache-s'));
    try {
      const again = await startCli(runArgs(night.config, '--queue', redis.url)).done;
      expect(again.code, again.stderr).toBe(0);
      // The chunks the stalled execution enqueued keep their ids: the worker takes each once.
      expect(summaryOf(again)).toMatchObject({ resumed: true, queue: { chunks: 6, failed: 0 } });
      expectSameOutputs(night.out);
    } finally {
      await stopWorkers(w1);
    }
  }, 120_000);

  test('Redis unreachable: the run fails with QUEUE_UNREACHABLE naming the queue, and resumes later', async () => {
    const night = configIn('unreachable');
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const r = runCli(['--config', night.config, 'run', '--date', DATE, '--input', exportDir, '--queue', closed]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`QUEUE_UNREACHABLE: the queue at ${closed} cannot be reached (connect ECONNREFUSED`);
    const bad = runCli(['--config', night.config, 'run', '--date', DATE, '--queue', 'http://example.org']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--queue must be a redis:// or rediss:// URL');
    // The staged night resumes, here on the in-process pool.
    const resumed = runCli(runArgs(night.config));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(summaryOf(resumed)).toMatchObject({ resumed: true, reconciled: true });
    expectSameOutputs(night.out);
    expect(existsSync(night.db)).toBe(true);
  }, 120_000);
});
