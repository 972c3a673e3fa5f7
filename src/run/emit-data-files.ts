import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReportFindings } from '../emit/report/report-html.js';
import { writeClaimAndFindingFiles, type OutputFile } from '../emit/write-run-outputs.js';
import type { Db } from '../store/database.js';
import { RunRepository } from './run-repository.js';
import { storedReleasedClaims } from './stored-claims.js';

/** Which run's files, where: what the worker thread is told (plain data). */
export interface DataFilesJob {
  database: string;
  runId: number;
  pipeline: string;
  businessDate: string;
  outDir: string;
}

/** Tonight's findings, then those of earlier nights still open or held (aged, re-reported); and the warnings released claims carried. */
export function runFindings(repo: RunRepository, job: Pick<DataFilesJob, 'runId' | 'pipeline' | 'businessDate'>): ReportFindings {
  return {
    held: () => (function* () {
      yield* repo.exceptionsInOrder(job.runId, job.businessDate, 'exception');
      yield* repo.carriedOverExceptions(job.pipeline, job.runId, job.businessDate);
    })(),
    warnings: () => repo.exceptionsInOrder(job.runId, job.businessDate, 'released'),
  };
}

/** The claims and findings files of a run, read on this connection. */
export function writeDataFiles(db: Db, job: DataFilesJob): Promise<OutputFile[]> {
  const repo = new RunRepository(db);
  return writeClaimAndFindingFiles(job.outDir, {
    claims: () => storedReleasedClaims(db, job.runId).all(),
    findings: runFindings(repo, job),
    quarantine: () => repo.quarantineInOrder(job.runId),
  });
}

/** What the worker posts back: the files, or the error with the code the run classifies it by. */
export type DataFilesReply = { files: OutputFile[] } | { error: { name: string; message: string; code?: string } };

export const DATA_FILES_WORKER = fileURLToPath(new URL('./emit-data-worker.js', import.meta.url));

/**
 * The claims and findings files, written while the caller goes on with the worklist and the
 * report: on a worker thread with its own read-only connection, which sees what the run has
 * committed (WAL readers see the last commit; the caller writes none of what these files
 * read meanwhile). The emit step used one core while the other waited: on a 20k-encounter
 * night these files are about a third of it. Inline on the caller's connection for an
 * in-memory repository (another thread cannot open it) or when running from TypeScript
 * sources without a build.
 */
export function writeDataFilesAside(db: Db, job: DataFilesJob): Promise<OutputFile[]> {
  if (job.database === ':memory:' || !existsSync(DATA_FILES_WORKER)) return writeDataFiles(db, job);
  return new Promise((resolveFiles, reject) => {
    const worker = new Worker(DATA_FILES_WORKER, { workerData: job });
    let settled = false;
    worker.once('message', (reply: DataFilesReply) => {
      settled = true;
      if ('files' in reply) resolveFiles(reply.files);
      else reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }, reply.error.code ? { code: reply.error.code } : {}));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the data files' worker thread exited with code ${code} before it answered`));
    });
  });
}
