import { readFileSync } from 'node:fs';
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { NightcodeError } from '../contract/errors.js';
import { chunkJobId, KEY_PREFIX, QUEUE_NAME, resultKey, snapshotMetaKey, snapshotPartKey, type ChunkDone, type ChunkJob, type ChunkResult } from './chunk-job.js';
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
    const queue = new Queue(QUEUE_NAME, { connection: redis, streams: { events: { maxLen: 1000 } } });
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
      if (state === 'completed') {
        const [text, job] = await this.call(() => Promise.all([this.redis.get(resultKey(id)), Job.fromId(this.queue, id)]));
        if (text === null || !job) return { kind: 'lost' };
        this.lastProgress = Date.now();
        return { kind: 'done', result: JSON.parse(text) as ChunkResult, done: job.returnvalue as ChunkDone, attemptsStarted: job.attemptsStarted };
      }
      if (state === 'failed') {
        const job = await this.call(() => Job.fromId(this.queue, id));
        this.lastProgress = Date.now();
        return { kind: 'failed', reason: job?.failedReason ?? 'failed', attemptsStarted: job?.attemptsStarted ?? 0 };
      }
      if (state === 'unknown') return { kind: 'lost' };
      if (Date.now() - this.lastProgress > this.options.waitSeconds * 1000) {
        const workers = await this.call(() => this.queue.getWorkersCount());
        throw new NightcodeError('QUEUE_STALLED',
          `no chunk finished for ${this.options.waitSeconds} s (run.queueWaitSeconds) on ${this.url.redacted}, ${workers} worker(s) connected, chunk ${id} ${state}: start workers (nightcode worker --queue ${this.url.redacted}); the night resumes after its last committed chunk when run again`);
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

/** What `nightcode status` shows of a queue: the workers connected and the jobs by state. */
export async function queueStatus(url: QueueUrl): Promise<{ url: string; workers: { name: string; addr: string; ageSeconds: number }[]; jobs: Record<string, number> }> {
  const redis = await connectFailFast(url, 3000);
  const queue = new Queue(QUEUE_NAME, { connection: redis });
  queue.on('error', () => undefined);
  try {
    // A worker holds more than one connection, each named `bull:<queue>:w:<worker name>`: one entry per name.
    const byName = new Map<string, { name: string; addr: string; ageSeconds: number }>();
    for (const w of await queue.getWorkers()) {
      const raw = String(w.rawname ?? w.name ?? '');
      const name = raw.includes(':w:') ? raw.slice(raw.indexOf(':w:') + 3) : raw;
      const age = Number(w.age ?? 0);
      if (!byName.has(name) || byName.get(name)!.ageSeconds < age) byName.set(name, { name, addr: String(w.addr ?? ''), ageSeconds: age });
    }
    const workers = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    const jobs = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    return { url: url.redacted, workers, jobs };
  } catch (err) {
    throw unreachable(url, err);
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}
