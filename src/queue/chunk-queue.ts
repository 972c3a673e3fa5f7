import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { NightcodeError } from '../contract/errors.js';
import { buildId, chunkJobId, KEY_PREFIX, QUEUE_PREFIX, queueName, resultKey, snapshotMetaKey, snapshotPartKey, type ChunkDone, type ChunkJob, type ChunkResult } from './chunk-job.js';
import { connectFailFast, unreachable, type QueueUrl } from './queue-url.js';
import type { SnapshotFile } from './snapshot.js';

/** Snapshot bytes go to Redis in parts of this size (a Redis string may be larger, a network write should not). */
const PART_BYTES = 4 * 1024 * 1024;
/** A snapshot stays in Redis a week after the last run that used it (reference data, no patient data). */
const SNAPSHOT_TTL_SECONDS = 7 * 86_400;

export type ChunkOutcome =
  | { kind: 'done'; result: ChunkResult; done: ChunkDone; attemptsStarted: number }
  | { kind: 'failed'; reason: string; attemptsStarted: number };

export interface QueueOptions {
  attempts: number;
  ttlSeconds: number;
  waitSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The coordinator's side of the queue: chunks in as BullMQ jobs with deterministic ids,
 * results out in the order asked. Every Redis failure becomes QUEUE_UNREACHABLE (the run
 * stops, and resumes after its last committed chunk).
 */
export class ChunkQueue {
  /** When a chunk last finished (or the wait began): the QUEUE_STALLED clock. */
  private lastProgress = Date.now();

  private constructor(readonly url: QueueUrl, private readonly redis: Redis, private readonly queue: Queue, private readonly options: QueueOptions) {}

  static async open(url: QueueUrl, options: QueueOptions): Promise<ChunkQueue> {
    const redis = await connectFailFast(url);
    const queue = new Queue(queueName(buildId()), { connection: redis, streams: { events: { maxLen: 1000 } } });
    queue.on('error', () => undefined); // surfaced by the command that fails
    return new ChunkQueue(url, redis, queue, options);
  }

  private async call<T>(what: () => Promise<T>): Promise<T> {
    try {
      return await what();
    } catch (err) {
      if (err instanceof NightcodeError) throw err;
      throw unreachable(this.url, err);
    }
  }

  /** Makes the snapshot fetchable by workers (uploaded once per content; its expiry refreshed). */
  async publishSnapshot(s: SnapshotFile): Promise<void> {
    await this.call(async () => {
      const meta = snapshotMetaKey(s.sha256);
      const parts = Math.max(1, Math.ceil(s.bytes / PART_BYTES));
      if (await this.redis.exists(meta)) {
        const refresh = this.redis.multi().expire(meta, SNAPSHOT_TTL_SECONDS);
        for (let i = 0; i < parts; i++) refresh.expire(snapshotPartKey(s.sha256, i), SNAPSHOT_TTL_SECONDS);
        await refresh.exec();
        return;
      }
      const bytes = readFileSync(s.file);
      for (let i = 0; i < parts; i++) {
        await this.redis.set(snapshotPartKey(s.sha256, i), bytes.subarray(i * PART_BYTES, (i + 1) * PART_BYTES), 'EX', SNAPSHOT_TTL_SECONDS);
      }
      // The description last: a worker never sees a snapshot whose parts are not all there.
      await this.redis.set(meta, JSON.stringify({ sha256: s.sha256, bytes: s.bytes, parts, schema: s.schema }), 'EX', SNAPSHOT_TTL_SECONDS);
    });
  }

  /**
   * Enqueues a chunk. A job of the same id already waiting, running or done is kept (a resumed
   * coordinator re-uses its result); one that failed every attempt in an earlier execution,
   * or whose result has expired, is enqueued again with fresh attempts.
   */
  async submit(job: ChunkJob): Promise<{ id: string; reused: boolean }> {
    const id = chunkJobId(job);
    return this.call(async () => {
      const state = await this.queue.getJobState(id);
      const lost = state === 'completed' && !(await this.redis.exists(resultKey(id)));
      if (state === 'failed' || lost) await this.queue.remove(id);
      else if (state !== 'unknown') return { id, reused: state === 'completed' };
      await this.queue.add('chunk', { ...job, ttl: this.options.ttlSeconds }, {
        jobId: id, attempts: this.options.attempts, backoff: { type: 'fixed', delay: 500 },
        removeOnComplete: { age: this.options.ttlSeconds }, removeOnFail: { age: this.options.ttlSeconds },
      });
      return { id, reused: false };
    });
  }

  /** Waits for a chunk's job to finish (polling: the coordinator needs the head chunk only). */
  async outcome(id: string): Promise<ChunkOutcome | { kind: 'lost' }> {
    let delay = 5;
    for (;;) {
      const state = await this.call(() => this.queue.getJobState(id));
      if (state === 'completed' || state === 'failed') {
        // The job's own fields, not Job.fromId: that would read (and parse) the chunk's records back.
        const [text, fields] = await this.call(() => Promise.all([
          state === 'completed' ? this.redis.get(resultKey(id)) : Promise.resolve(null),
          this.redis.hmget(this.queue.toKey(id), 'returnvalue', 'ats', 'failedReason'),
        ]));
        const [returnvalue, ats, failedReason] = fields;
        this.lastProgress = Date.now();
        const attemptsStarted = Number(ats ?? 0);
        if (state === 'failed') return { kind: 'failed', reason: failedReason ?? 'failed', attemptsStarted };
        if (text === null || !returnvalue) return { kind: 'lost' };
        return { kind: 'done', result: JSON.parse(text) as ChunkResult, done: JSON.parse(returnvalue) as ChunkDone, attemptsStarted };
      }
      if (state === 'unknown') return { kind: 'lost' };
      if (Date.now() - this.lastProgress > this.options.waitSeconds * 1000) {
        const workers = await this.call(() => workersByBuild(this.redis));
        const mine = workers.filter((w) => w.build === buildId()).length;
        const others = workers.filter((w) => w.build !== buildId());
        throw new NightcodeError('QUEUE_STALLED',
          `no chunk finished for ${this.options.waitSeconds} s (run.queueWaitSeconds) on ${this.url.redacted}: ${mine} worker(s) of this build (${buildId()}) connected${others.length ? `, ${others.length} of other builds (${[...new Set(others.map((w) => w.build))].join(', ')}) that do not take its chunks` : ''}, chunk ${id} ${state}; start workers of this version (nightcode worker --queue ${this.url.redacted}); the night resumes after its last committed chunk when run again`);
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 100);
    }
  }

  /** A committed chunk's job and result leave Redis at once: no record data stays behind. */
  async forget(id: string): Promise<void> {
    await this.call(async () => {
      await this.redis.del(resultKey(id));
      await this.queue.remove(id);
    });
  }

  /** At the end of a run: whatever of the run is still in Redis (chunks of earlier executions) goes. */
  async sweepRun(runId: number): Promise<number> {
    return this.call(async () => {
      let removed = 0;
      const jobs = await this.queue.getJobs(['waiting', 'delayed', 'prioritized', 'completed', 'failed'], 0, -1);
      for (const j of jobs) {
        if (j?.id?.startsWith(`run${runId}-`)) removed += await this.queue.remove(j.id);
      }
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${KEY_PREFIX}:result:run${runId}-*`, 'COUNT', 500);
        if (keys.length > 0) await this.redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      return removed;
    });
  }

  async close(): Promise<void> {
    try {
      await this.queue.close();
    } finally {
      this.redis.disconnect();
    }
  }
}

export interface WorkerSeen {
  name: string;
  build: string;
  addr: string;
  ageSeconds: number;
}

/**
 * Workers connected to any nightcode queue, by the connection names BullMQ gives them
 * (`bull:<base64 queue name>:w:<worker name>`), one entry per worker (each has several connections).
 */
export async function workersByBuild(redis: Redis): Promise<WorkerSeen[]> {
  const list = String(await redis.client('LIST'));
  const byName = new Map<string, WorkerSeen>();
  for (const line of list.split(/\r?\n/)) {
    const fields = new Map(line.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const));
    const m = /^bull:([A-Za-z0-9+/=]+):w:(.+)$/.exec(fields.get('name') ?? '');
    if (!m) continue;
    const queue = Buffer.from(m[1]!, 'base64').toString('utf8');
    if (!queue.startsWith(QUEUE_PREFIX)) continue;
    const seen: WorkerSeen = { name: m[2]!, build: queue.slice(QUEUE_PREFIX.length), addr: fields.get('addr') ?? '', ageSeconds: Number(fields.get('age') ?? 0) };
    const key = `${seen.build}\u0000${seen.name}`;
    if (!byName.has(key) || byName.get(key)!.ageSeconds < seen.ageSeconds) byName.set(key, seen);
  }
  return [...byName.values()].sort((a, b) => a.build.localeCompare(b.build) || a.name.localeCompare(b.name));
}

/** What `nightcode status` shows of a queue: this build's chunks by state, and every worker connected with its build. */
export async function queueStatus(url: QueueUrl): Promise<{ url: string; build: string; workers: (WorkerSeen & { sameBuild: boolean })[]; jobs: Record<string, number> }> {
  const redis = await connectFailFast(url, 3000);
  const queue = new Queue(queueName(buildId()), { connection: redis });
  queue.on('error', () => undefined);
  try {
    const workers = (await workersByBuild(redis)).map((w) => ({ ...w, sameBuild: w.build === buildId() }));
    const jobs = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    return { url: url.redacted, build: buildId(), workers, jobs };
  } catch (err) {
    throw unreachable(url, err);
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}
