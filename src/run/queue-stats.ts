/** What the run summary says of a night processed on the queue. */
export interface QueueStats {
  url: string;
  snapshot: { sha256: string; bytes: number };
  chunks: number;
  /** Chunks each worker processed (by the name it registered with). */
  byWorker: Record<string, number>;
  /** Chunks a worker started more than once (its worker died or it failed an attempt). */
  retried: number;
  /** Chunks that failed every attempt: their records are held as RUN_CHUNK_FAILED. */
  failed: number;
  /** Chunks whose result an earlier execution's workers had already computed. */
  reused: number;
  /** Records re-processed here because their claim matched one billed in an earlier night. */
  recheckedHere: number;
  /** Medians per chunk: the workers' processing time, and this coordinator's CPU time. */
  workerMsPerChunk: number;
  coordinatorCpuMsPerChunk: number;
}

