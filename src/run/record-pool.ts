import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { processRecordSafely } from './process-record.js';
import { recordTools } from './record-tools.js';
import type { RecordTask } from './record-worker.js';
import type { RecordOutcome } from './run-repository.js';

/**
 * The CPU-heavy part of a run (assemble, abstract, code, validate) on a small
 * worker_threads pool (piscina), so the main thread only reads staging and writes the
 * database. With `workers: 0`, or when running from TypeScript sources without a
 * build, it runs inline.
 */
export interface RecordPool {
  readonly threads: number;
  process(task: RecordTask): Promise<RecordOutcome[]>;
  close(): Promise<void>;
}

const WORKER_FILE = fileURLToPath(new URL('./record-worker.js', import.meta.url));

export function createRecordPool(workers: number): RecordPool {
  if (workers > 0 && existsSync(WORKER_FILE)) {
    const pool = new Piscina({ filename: WORKER_FILE, minThreads: workers, maxThreads: workers, idleTimeout: 60_000 });
    return {
      threads: workers,
      process: (task) => pool.run(task) as Promise<RecordOutcome[]>,
      close: () => pool.destroy(),
    };
  }
  return {
    threads: 0,
    process: async (task) => {
      const tools = recordTools(task.ctx.database, task.ctx.runId, task.ctx.businessDate);
      return task.bundles.map((b, i) => processRecordSafely(b, task.bases[i] ?? undefined, task.ctx, tools));
    },
    close: async () => undefined,
  };
}
