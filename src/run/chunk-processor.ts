import type pLimit from 'p-limit';
import type { QueueStats } from './queue-stats.js';
import type { StagedBundle } from '../ingest/staging.js';
import type { RecordContext } from './process-record.js';
import type { RecordPool } from './record-pool.js';
import type { LedgerRow, RecordOutcome } from './run-repository.js';

/**
 * Where a run's chunks are processed: the in-process pool, or workers on a queue. Either way
 * the runner commits results in chunk order, one transaction per chunk.
 */
export interface ChunkProcessor {
  /** Chunks started beyond the one whose results the runner waits for. */
  readonly ahead: number;
  /** What the log and the summary call it. */
  readonly label: string;
  /** Processes one chunk: outcomes in the chunk's order. */
  process(chunk: StagedBundle[], bases: (LedgerRow | null)[]): Promise<RecordOutcome[]>;
  /** The chunk's results are committed (a queue forgets its job). */
  committed?(chunk: StagedBundle[]): Promise<void>;
  /** Every chunk is committed: what the processor has to report (a queue also clears the run from Redis). */
  finish?(): Promise<QueueStats>;
  close(): Promise<void>;
}

/**
 * The in-process pool: a chunk in slices small enough to spread it over the threads, large
 * enough that messaging stays cheap. The next chunk starts when the runner commits this one.
 */
export function inProcessChunks(pool: RecordPool, limit: ReturnType<typeof pLimit>, ctx: RecordContext, chunkSize: number): ChunkProcessor {
  const sliceSize = Math.max(1, Math.ceil(chunkSize / Math.max(2, pool.threads * 4)));
  return {
    ahead: 0,
    label: pool.threads > 0 ? `${pool.threads} worker thread(s)` : 'the main thread',
    async process(chunk, bases) {
      const slices: number[] = [];
      for (let i = 0; i < chunk.length; i += sliceSize) slices.push(i);
      const results = await Promise.all(slices.map((i) => limit(() => pool.process({ ctx, bundles: chunk.slice(i, i + sliceSize), bases: bases.slice(i, i + sliceSize) }))));
      return results.flat();
    },
    close: () => pool.close(),
  };
}
