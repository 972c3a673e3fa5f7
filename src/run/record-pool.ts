import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { processSlice, type RecordTask, type SliceResult } from './record-worker.js';

/**
 * The CPU-heavy part of a run (assemble, abstract, code, validate) on a small
 * worker_threads pool (piscina), so the main thread only reads staging and writes the
 * database. With `workers: 0`, or when running from TypeScript sources without a
 * build, it runs inline.
 */
export interface RecordPool {
  readonly threads: number;
  process(task: RecordTask): Promise<SliceResult>;
  close(): Promise<void>;
}

/** The threads' entry: CommonJS, loading record-worker.js with import() (see record-worker-entry.cts). */
export const WORKER_FILE = fileURLToPath(new URL('./record-worker-entry.cjs', import.meta.url));

export function createRecordPool(workers: number): RecordPool {
  if (workers > 0 && existsSync(WORKER_FILE)) {
    // Up to four slices queued in each worker: piscina hands a worker its next task from the
    // main thread's event loop, which is busy for tens of ms committing a chunk; with slices
    // queued, a worker goes on to its next one meanwhile (it runs them one after another).
    const pool = new Piscina({ filename: WORKER_FILE, minThreads: workers, maxThreads: workers, idleTimeout: 60_000, concurrentTasksPerWorker: 4 });
    return {
      threads: workers,
      process: async (task) => (await pool.run(task)) as SliceResult,
      close: () => pool.destroy(),
    };
  }
  return {
    threads: 0,
    process: async (task) => processSlice(task),
    close: async () => undefined,
  };
}
