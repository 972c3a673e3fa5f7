/**
 * worker_threads entry: a run's claims and findings files (emit-data-files.ts), on a
 * read-only connection of its own. Posts the files written, or the error with its code
 * (the file system's or SQLite's), which the run classifies as it would have inline.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { writeDataFiles, type DataFilesJob, type DataFilesReply } from './emit-data-files.js';

async function main(job: DataFilesJob): Promise<DataFilesReply> {
  const db = new Database(job.database, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    return { files: await writeDataFiles(db, job) };
  } finally {
    db.close();
  }
}

main(workerData as DataFilesJob).then(
  (reply) => parentPort!.postMessage(reply),
  (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    const code = (e as { code?: unknown }).code;
    parentPort!.postMessage({ error: { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) } } satisfies DataFilesReply);
  },
);
