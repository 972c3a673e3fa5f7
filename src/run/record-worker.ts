/**
 * worker_threads entry: processes slices of a chunk (assemble, abstract, code,
 * validate are pure and CPU-bound). Each worker loads the lexicon and the reference library once.
 */
import type { StagedBundle } from '../ingest/staging.js';
import { processRecordSafely, type RecordContext } from './process-record.js';
import { recordTools } from './record-tools.js';
import type { LedgerRow, RecordOutcome } from './run-repository.js';

export interface RecordTask {
  ctx: RecordContext;
  bundles: StagedBundle[];
  /** What the ledger says was billed, per bundle (null when nothing). */
  bases: (LedgerRow | null)[];
}

export default function processSlice(task: RecordTask): RecordOutcome[] {
  const tools = recordTools(task.ctx.database, task.ctx.runId, task.ctx.businessDate);
  return task.bundles.map((b, i) => processRecordSafely(b, task.bases[i] ?? undefined, task.ctx, tools));
}
