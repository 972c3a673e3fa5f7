import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import { NightcodeError } from '../contract/errors.js';
import type { StagedBundle } from '../ingest/staging.js';
import type { Logger } from '../log/logger.js';
import type { ChunkProcessor } from '../run/chunk-processor.js';
import type { QueueStats } from '../run/queue-stats.js';
import { heldByTheRun, processRecordSafely } from '../run/process-record.js';
import type { RecordContext } from '../run/record-context.js';
import { billedBefore, billedClaims, recordTools } from '../run/record-tools.js';
import type { RecordOutcome } from '../run/run-repository.js';
import { buildId, chunkJobId, type ChunkJob } from './chunk-job.js';
import { ChunkQueue } from './chunk-queue.js';
import { parseQueueUrl } from './queue-url.js';
import { buildSnapshot, type SnapshotFile } from './snapshot.js';

const median = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * The night's chunks on BullMQ: each chunk is a job the workers process with the reference
 * snapshot; results come back in the runner's order. Workers have no ledger, so a record
 * whose claim fingerprint they looked up is checked here, and in the rare case it was billed
 * in an earlier night, processed again here with the ledger: the outcome is the in-process one.
 */
export function queuedChunks(q: ChunkQueue, snapshot: SnapshotFile, ctx: RecordContext, db: Database.Database, options: { ahead: number; attempts: number; log: Logger }): ChunkProcessor {
  const build = buildId();
  const lookup = billedClaims(db);
  const ids = new Map<StagedBundle, string>();
  const workerMs: number[] = [];
  const stats = { chunks: 0, byWorker: {} as Record<string, number>, retried: 0, failed: 0, reused: 0, recheckedHere: 0 };
  const cpuAtStart = process.cpuUsage();
  return {
    ahead: options.ahead,
    label: `the queue ${q.url.redacted}`,
    async process(chunk, bases) {
      const job: ChunkJob = {
        v: 1, build, snapshot: snapshot.sha256, schema: snapshot.schema, runId: ctx.runId,
        first: chunk[0]!.staged.seq, last: chunk[chunk.length - 1]!.staged.seq,
        // Workers put their own snapshot's path here.
        task: { ctx: { ...ctx, database: '' }, bundles: chunk, bases },
      };
      const id = chunkJobId(job);
      ids.set(chunk[0]!, id);
      const submitted = await q.submit(job);
      if (submitted.reused) stats.reused += 1;
      let outcome = await q.outcome(submitted.id);
      // A job removed or whose result expired meanwhile is enqueued once more.
      for (let again = 0; outcome.kind === 'lost' && again < 2; again++) outcome = await q.outcome((await q.submit(job)).id);
      stats.chunks += 1;
      if (outcome.kind !== 'done') {
        stats.failed += 1;
        const reason = outcome.kind === 'failed' ? outcome.reason.split('\n')[0]!.slice(0, 300) : 'its job disappeared from the queue three times';
        options.log.error({ runId: ctx.runId, job: id, records: chunk.length, reason }, 'chunk failed every attempt on the workers: its records are held (RUN_CHUNK_FAILED)');
        return chunk.map((b, i) => heldByTheRun(b, bases[i] ?? undefined, ctx, {
          code: 'RUN_CHUNK_FAILED', audit: 'chunk-failed', what: reason,
          message: `fix what stopped the queue's workers, then run the night again to code this record (nightcode run --date ${ctx.businessDate} --force): the chunk holding it failed ${options.attempts} attempt(s) (${reason}), so it was not coded; job ${id}`,
        }));
      }
      const { result, done } = outcome;
      if (outcome.attemptsStarted > 1) stats.retried += 1;
      if (done.worker) stats.byWorker[done.worker] = (stats.byWorker[done.worker] ?? 0) + 1;
      workerMs.push(done.ms);
      const outcomes: RecordOutcome[] = result.outcomes;
      for (const i of billedBefore(lookup, ctx, chunk, result.lookups)) {
        stats.recheckedHere += 1;
        outcomes[i] = processRecordSafely(chunk[i]!, bases[i] ?? undefined, ctx, recordTools(ctx.database, ctx.runId, ctx.businessDate));
      }
      return outcomes;
    },
    async committed(chunk) {
      const id = ids.get(chunk[0]!);
      ids.delete(chunk[0]!);
      if (id) await q.forget(id);
    },
    close: () => q.close(),
    async finish(): Promise<QueueStats> {
      const cpu = process.cpuUsage(cpuAtStart);
      const swept = await q.sweepRun(ctx.runId);
      if (swept > 0) options.log.info({ runId: ctx.runId, jobs: swept }, 'removed the run\'s leftover jobs from the queue');
      return {
        url: q.url.redacted, snapshot: { sha256: snapshot.sha256, bytes: snapshot.bytes }, ...stats,
        workerMsPerChunk: median(workerMs),
        coordinatorCpuMsPerChunk: stats.chunks ? Math.round(((cpu.user + cpu.system) / 1000 / stats.chunks) * 10) / 10 : 0,
      };
    },
  };
}

/**
 * Connects to the queue named by `--queue` or run.queue, publishes the reference snapshot of
 * this repository for the workers, and returns the processor (QUEUE_UNREACHABLE when Redis
 * cannot be reached: nothing was processed, the run resumes when started again).
 */
export async function openQueuedChunks(url: string, from: string, db: Database.Database, ctx: RecordContext, run: Config['run'], log: Logger): Promise<ChunkProcessor> {
  if (ctx.database === ':memory:') throw new NightcodeError('USAGE', `${from}: queue workers code with a snapshot of the run repository, and an in-memory database has none to share: use a database file`);
  const q = await ChunkQueue.open(parseQueueUrl(url, from), { attempts: run.queueAttempts, ttlSeconds: run.queueTtlSeconds, waitSeconds: run.queueWaitSeconds });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'nightcode-snapshot-'));
    try {
      const started = performance.now();
      const snapshot = buildSnapshot(db, dir);
      await q.publishSnapshot(snapshot);
      log.info({ runId: ctx.runId, queue: q.url.redacted, snapshot: snapshot.sha256.slice(0, 12), bytes: snapshot.bytes, ms: Math.round(performance.now() - started) }, 'reference snapshot published for the workers');
      return queuedChunks(q, snapshot, ctx, db, { ahead: run.queueAhead, attempts: run.queueAttempts, log });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } catch (err) {
    await q.close().catch(() => undefined);
    throw err;
  }
}
