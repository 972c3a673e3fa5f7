/**
 * worker_threads entry: processes slices of a chunk (assemble, abstract, code,
 * validate are pure and CPU-bound). Each worker loads the lexicon once.
 */
import { loadStarterLexicon } from '../abstract/lexicon/lexicon.js';
import type { StagedBundle } from '../ingest/staging.js';
import { processRecord, type RecordContext } from './process-record.js';
import type { LedgerRow, RecordOutcome } from './run-repository.js';

const lexicon = loadStarterLexicon();

export interface RecordTask {
  ctx: RecordContext;
  bundles: StagedBundle[];
  /** What the ledger says was billed, per bundle (null when nothing). */
  bases: (LedgerRow | null)[];
}

export default function processSlice(task: RecordTask): RecordOutcome[] {
  return task.bundles.map((b, i) => processRecord(b, task.bases[i] ?? undefined, task.ctx, lexicon));
}
