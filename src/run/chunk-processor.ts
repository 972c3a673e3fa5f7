import type pLimit from 'p-limit';
import type { QueueStats } from './queue-stats.js';
import type { StagedBundle } from '../ingest/staging.js';
import type { RecordContext } from './record-context.js';
import type { RecordPool } from './record-pool.js';
import { billedBefore, type RecordTools } from './record-tools.js';
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

/** The ledger's billed-claims lookup (record-tools.ts billedClaims) on the main thread's connection. */
export type BilledClaimsLookup = NonNullable<RecordTools['billedClaims']>;

/**
 * The in-process pool: a chunk in slices small enough to spread it over the threads, large
 * enough that messaging stays cheap: two per thread (a 500-record chunk on 2 threads, 125
 * records a slice). Four per thread made the 100k night's process step 7% longer (medians
 * of 4 alternating runs, 43.7 against 40.5 s); one per thread was no faster than two.
 *
 * On worker threads the next chunk is already queued while the runner waits for this one:
 * a chunk ends on its slowest slice, and with one chunk in flight the other thread waited
 * for it and then for the next chunk to be read (a quarter of the process step on 2
 * threads, cpu profile at 100k encounters).
 *
 * With worker threads and the ledger's lookup on the main thread's connection, the workers
 * defer their billed-claims lookups (RecordTask.deferBilledLookups): each is made here, and
 * the rare record whose fingerprint another encounter billed before is processed again
 * without deferral. The outcomes are those of lookups made in the workers.
 */
export function inProcessChunks(pool: RecordPool, limit: ReturnType<typeof pLimit>, ctx: RecordContext, chunkSize: number, billed?: BilledClaimsLookup): ChunkProcessor {
  const sliceSize = Math.max(1, Math.ceil(chunkSize / Math.max(2, pool.threads * 2)));
  const ledger = pool.threads > 0 ? billed : undefined;
  const processSlice = async (bundles: StagedBundle[], bases: (LedgerRow | null)[]): Promise<RecordOutcome[]> => {
    if (!ledger) return (await pool.process({ ctx, bundles, bases })).outcomes;
    const { outcomes, lookups } = await pool.process({ ctx, bundles, bases, deferBilledLookups: true });
    for (const k of billedBefore(ledger, ctx, bundles, lookups)) {
      outcomes[k] = (await pool.process({ ctx, bundles: [bundles[k]!], bases: [bases[k]!] })).outcomes[0]!;
    }
    return outcomes;
  };
  return {
    ahead: pool.threads > 0 ? 1 : 0,
    label: pool.threads > 0 ? `${pool.threads} worker thread(s)` : 'the main thread',
    async process(chunk, bases) {
      const slices: number[] = [];
      for (let i = 0; i < chunk.length; i += sliceSize) slices.push(i);
      const results = await Promise.all(slices.map((i) => limit(() => processSlice(chunk.slice(i, i + sliceSize), bases.slice(i, i + sliceSize)))));
      return results.flat();
    },
    close: () => pool.close(),
  };
}
