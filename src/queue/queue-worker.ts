import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { Piscina } from 'piscina';
import { NightcodeError } from '../contract/errors.js';
import type { Logger } from '../log/logger.js';
import { WORKER_FILE } from '../run/record-pool.js';
import type { RecordTask, SliceResult } from '../run/record-worker.js';
import { MIGRATIONS } from '../store/migrations.js';
import { buildId, queueName, resultKey, snapshotMetaKey, snapshotPartKey, type ChunkDone, type ChunkJob } from './chunk-job.js';
import type { QueueUrl } from './queue-url.js';

/** The schema this build reads: a snapshot of another schema is refused. */
const SCHEMA = Math.max(...MIGRATIONS.map((m) => m.version));

/**
 * Reference snapshots on this machine, by hash: fetched from Redis once, checked against their
 * SHA-256 before first use in this process, and kept for the next nights.
 */
export class SnapshotCache {
  private readonly verified = new Set<string>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly redis: Redis, private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** The local path of a verified copy of the snapshot; throws when it cannot be verified. */
  path(sha256: string, schema: number): Promise<string> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return Promise.reject(new Error(`the job names no valid reference snapshot ("${String(sha256).slice(0, 70)}")`));
    if (schema !== SCHEMA) return Promise.reject(new Error(`the job's reference snapshot has schema ${schema}; this worker reads schema ${SCHEMA}: run the coordinator's nightcode version`));
    const file = join(this.dir, `${sha256}.db`);
    if (this.verified.has(sha256)) return Promise.resolve(file);
    let p = this.pending.get(sha256);
    if (!p) {
      p = this.fetch(sha256, file).finally(() => this.pending.delete(sha256));
      this.pending.set(sha256, p);
    }
    return p;
  }

  private async fetch(sha256: string, file: string): Promise<string> {
    if (existsSync(file)) {
      if (createHash('sha256').update(readFileSync(file)).digest('hex') === sha256) {
        this.verified.add(sha256);
        return file;
      }
      rmSync(file, { force: true }); // damaged on disk: fetched again
    }
    const metaText = await this.redis.get(snapshotMetaKey(sha256));
    if (!metaText) throw new Error(`reference snapshot ${sha256.slice(0, 12)} is not on the queue (expired, or published to another Redis): run the coordinator again`);
    const meta = JSON.parse(metaText) as { bytes: number; parts: number };
    const parts: Buffer[] = [];
    for (let i = 0; i < meta.parts; i++) {
      const part = await this.redis.getBuffer(snapshotPartKey(sha256, i));
      if (!part) throw new Error(`reference snapshot ${sha256.slice(0, 12)} is incomplete on the queue (part ${i + 1} of ${meta.parts} missing)`);
      parts.push(part);
    }
    const bytes = Buffer.concat(parts);
    const got = createHash('sha256').update(bytes).digest('hex');
    if (bytes.length !== meta.bytes || got !== sha256) {
      throw new Error(`reference snapshot ${sha256.slice(0, 12)} failed verification (${bytes.length} bytes, SHA-256 ${got.slice(0, 12)}): refusing to code with it`);
    }
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes, { mode: 0o600 });
    renameSync(tmp, file);
    this.verified.add(sha256);
    return file;
  }
}

export interface WorkerOptions {
  queue: QueueUrl;
  /** Chunks processed at once, one worker thread each. */
  concurrency: number;
  cacheDir: string;
  name?: string;
  /** BullMQ lock: a chunk whose worker stops renewing it for this long is handed to another worker. */
  lockMs: number;
  log: Logger;
}

export interface RunningWorker {
  name: string;
  /** Finishes the chunks in hand, then disconnects (SIGTERM). */
  close(): Promise<void>;
  readonly closed: Promise<void>;
}

/**
 * `nightcode worker`: takes chunks from the queue and processes them with the same code as
 * the in-process pool (record-worker.js on worker threads, so the event loop stays free to
 * renew the job locks), coding with the coordinator's reference snapshot. Logs carry job ids
 * and counts, never record data.
 */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  if (!existsSync(WORKER_FILE)) throw new NightcodeError('USAGE', `nightcode worker runs the built code: ${WORKER_FILE} is missing (npm run build)`);
  const name = o.name ?? `${hostname()}-${process.pid}`;
  const build = buildId();
  // Workers reconnect for as long as it takes: a Redis restart pauses them, it does not stop them.
  const redis = new Redis(o.queue.url, { maxRetriesPerRequest: null });
  redis.on('error', (err) => o.log.warn({ queue: o.queue.redacted, err: err.message }, 'queue connection problem; retrying'));
  const snapshots = new SnapshotCache(redis, o.cacheDir);
  const pool = new Piscina({ filename: WORKER_FILE, minThreads: o.concurrency, maxThreads: o.concurrency, idleTimeout: 60_000 });

  const processChunk = async (job: Job<ChunkJob & { ttl?: number }>): Promise<ChunkDone> => {
    const data = job.data;
    if (data.v !== 1) throw new Error(`job ${job.id} has format ${String(data.v)}; this worker reads format 1`);
    if (data.build !== build) throw new Error(`job ${job.id} needs nightcode build ${data.build}; this worker runs ${build}: deploy the coordinator's version`);
    const database = await snapshots.path(data.snapshot, data.schema);
    o.log.info({ job: job.id, runId: data.runId, records: data.task.bundles.length, attempt: job.attemptsStarted }, 'chunk taken');
    const started = performance.now();
    const task: RecordTask = { ...data.task, ctx: { ...data.task.ctx, database }, deferBilledLookups: true };
    const result = (await pool.run(task)) as SliceResult;
    const ms = Math.round(performance.now() - started);
    await redis.set(resultKey(job.id!), JSON.stringify(result), 'EX', data.ttl ?? 86_400);
    o.log.info({ job: job.id, runId: data.runId, records: result.outcomes.length, ms, attempt: job.attemptsStarted }, 'chunk processed');
    return { worker: name, records: result.outcomes.length, ms };
  };

  const worker = new Worker<ChunkJob & { ttl?: number }, ChunkDone>(queueName(build), processChunk, {
    connection: redis, concurrency: o.concurrency, name,
    lockDuration: o.lockMs, stalledInterval: o.lockMs, maxStalledCount: 2,
    // Jobs are removed by the coordinator once committed; these only bound what a vanished coordinator leaves.
    removeOnComplete: { age: 86_400 }, removeOnFail: { age: 86_400 },
  });
  worker.on('failed', (job, err) => o.log.warn({ job: job?.id, attempt: job?.attemptsStarted, err: err.message }, 'chunk failed on this worker'));
  worker.on('error', (err) => o.log.warn({ err: err.message }, 'worker error'));
  await worker.waitUntilReady();
  o.log.info({ worker: name, queue: o.queue.redacted, concurrency: o.concurrency, build }, 'worker ready');

  let closing: Promise<void> | undefined;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  const close = () => {
    closing ??= (async () => {
      if (redis.status === 'ready') {
        o.log.info({ worker: name }, 'stopping: finishing the chunks in hand');
        await worker.close();
      } else {
        // BullMQ cannot finish a chunk (nor close) without Redis: the chunks in hand are left to
        // other workers once their locks run out, and the worker stops now instead of hanging.
        o.log.warn({ worker: name, queue: o.queue.redacted }, 'stopping while the queue cannot be reached: the chunks in hand go to other workers when their locks run out');
        void worker.close(true).catch(() => undefined);
      }
      await pool.destroy();
      redis.disconnect();
      o.log.info({ worker: name }, 'worker stopped');
      resolveClosed();
    })();
    return closing;
  };
  return { name, close, closed };
}
