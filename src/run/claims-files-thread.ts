import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OutputFile } from '../emit/write-run-outputs.js';

export interface ClaimsFilesJob {
  database: string;
  runId: number;
  outDir: string;
  /** Also write exceptions.csv, released-warnings.csv and quarantine.csv: the night's (RunFindings.ofNight) of this pipeline and business date. */
  findings?: { pipeline: string; businessDate: string };
}

export interface ClaimsFilesThread {
  /** The files (claims.jsonl and claims.csv, then the findings files if asked), once the thread has ended; rejected when it failed (its temporary files are removed by the next writeRunOutputs). */
  files: Promise<OutputFile[]>;
  /** Settles when the thread has ended, whatever the outcome: a run that stops before reading `files` waits for it, so nothing writes to its output folder afterwards. */
  settled: () => Promise<void>;
}

export const CLAIMS_FILES_WORKER = fileURLToPath(new URL('./claims-files-worker.js', import.meta.url));

/**
 * Starts writing claims.jsonl and claims.csv, and if asked the findings files, on a thread of
 * their own (claims-files-worker.ts) so that the main thread writes the 837 files meanwhile:
 * the emit step is single-threaded otherwise, with the machine's other cores idle. On a
 * 100k-encounter night (cpu profile of an emit-only resume) the claims files take 3.5 s and
 * the findings files 1 s, against 7 s for the 837 files and their sent-claims records.
 *
 * Resolves once the thread has taken its snapshot of the run's results, so the files hold
 * the claims released and the findings stored when the emit step began, whatever the main
 * thread then changes (a claim file it refuses turns its claims into exceptions: the caller
 * then writes the files again). Undefined where the thread cannot run: an in-memory database
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
