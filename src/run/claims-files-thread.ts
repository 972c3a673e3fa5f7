import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OutputFile } from '../emit/write-run-outputs.js';

export interface ClaimsFilesJob {
  database: string;
  runId: number;
  outDir: string;
}

export interface ClaimsFilesThread {
  /** The two files, once the thread has ended; rejected when it failed (its temporary files are removed by the next writeRunOutputs). */
  files: Promise<OutputFile[]>;
  /** Settles when the thread has ended, whatever the outcome: a run that stops before reading `files` waits for it, so nothing writes to its output folder afterwards. */
  settled: () => Promise<void>;
}

export const CLAIMS_FILES_WORKER = fileURLToPath(new URL('./claims-files-worker.js', import.meta.url));

/**
 * Starts writing claims.jsonl and claims.csv on a thread of their own (claims-files-worker.ts)
 * so that the main thread writes the 837 files meanwhile: the emit step is single-threaded
 * otherwise, with the machine's other cores idle. A 100k-encounter night's two files take
 * about 5 s, about half as long as its 837 files and their sent-claims records.
 *
 * Resolves once the thread has taken its snapshot of the run's released claims, so the
 * files hold the claims released when the emit step began, whatever the main thread then
 * changes (a claim file it refuses turns its claims into exceptions: the caller then writes
 * the two files again). Undefined where the thread cannot run: an in-memory database
 * (another connection would not see it) or sources run without a build (no worker file).
 * Rejects when the thread fails before its snapshot (the database cannot be opened).
 */
export async function startClaimsFiles(job: ClaimsFilesJob): Promise<ClaimsFilesThread | undefined> {
  if (job.database === ':memory:' || job.database === '' || !existsSync(CLAIMS_FILES_WORKER)) return undefined;
  const worker = new Worker(CLAIMS_FILES_WORKER, { workerData: job });
  let snapshotTaken!: () => void;
  const snapshot = new Promise<void>((resolve) => (snapshotTaken = resolve));
  const files = new Promise<OutputFile[]>((resolve, reject) => {
    let written: OutputFile[] | undefined;
    worker.on('message', (m: { snapshot: true } | { files: OutputFile[] }) => {
      if ('files' in m) written = m.files;
      else snapshotTaken();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (written ? resolve(written) : reject(new Error(`the claims files thread ended (exit code ${code}) before writing claims.jsonl and claims.csv`))));
  });
  // Read (or waited for) later: not an unhandled rejection meanwhile.
  files.catch(() => undefined);
  await Promise.race([snapshot, files]);
  return { files, settled: () => files.then(() => undefined, () => undefined) };
}
