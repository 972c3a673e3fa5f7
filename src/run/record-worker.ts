/**
 * worker_threads entry: processes slices of a chunk (assemble, abstract, code, validate are
 * pure and CPU-bound). Each worker loads the lexicon and the reference library once. The
 * in-process pool and `nightcode worker` (chunks from the queue) both run this.
 */
import type { StagedBundle } from '../ingest/staging.js';
import { processRecordSafely } from './process-record.js';
import type { RecordContext } from './record-context.js';
import { recordTools, type RecordTools } from './record-tools.js';
import type { LedgerRow, RecordOutcome } from './run-repository.js';

export interface RecordTask {
  ctx: RecordContext;
  bundles: StagedBundle[];
  /** What the ledger says was billed, per bundle (null when nothing). */
  bases: (LedgerRow | null)[];
  /**
   * The claim fingerprint each record asks the ledger about is returned (`lookups`) with no
   * claim found, and the coordinator, which holds the ledger, has the rare record whose
   * fingerprint was billed before processed again without deferral: the result is the one a
   * lookup here gives. Set by queue workers, whose reference snapshot holds no ledger, and by
   * the in-process pool on worker threads: the main thread's connection writes the ledger and
   * keeps its pages cached, where a worker's read connection finds its cache stale after every
   * commit and read each lookup's page again (25 µs a lookup, against 1.6 µs).
   */
  deferBilledLookups?: boolean;
}

export interface SliceResult {
  outcomes: RecordOutcome[];
  /** With deferBilledLookups: per record, the fingerprint it asked about (null when none). */
  lookups?: (string | null)[];
}

export function processSlice(task: RecordTask): SliceResult {
  const tools = recordTools(task.ctx.database, task.ctx.runId, task.ctx.businessDate);
  const snapshot = tools.snapshot ?? (<T>(work: () => T): T => work());
  return snapshot(() => processBundles(task, tools));
}

function processBundles(task: RecordTask, tools: RecordTools): SliceResult {
  if (!task.deferBilledLookups) {
    return { outcomes: task.bundles.map((b, i) => processRecordSafely(b, task.bases[i] ?? undefined, task.ctx, tools)) };
  }
  let asked: string | null = null;
  const deferred: RecordTools = { ...tools, billedClaims: (fingerprint) => { asked = fingerprint; return undefined; } };
  const lookups: (string | null)[] = [];
  const outcomes = task.bundles.map((b, i) => {
    asked = null;
    const outcome = processRecordSafely(b, task.bases[i] ?? undefined, task.ctx, deferred);
    lookups.push(asked);
    return outcome;
  });
  return { outcomes, lookups };
}

export default processSlice;
