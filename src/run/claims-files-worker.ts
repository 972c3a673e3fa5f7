/**
 * worker_threads entry: writes claims.jsonl and claims.csv of a run from its stored released
 * claims, and when the job asks, its findings files (claims-files-thread.ts starts it), on a
 * read-only connection of its own. All files read one snapshot, taken before the main thread
 * is told to go on: the run's results when the emit step began. Posts `{ snapshot: true }`,
 * then `{ files }`.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { writeClaimsFiles, writeFindingsFiles } from '../emit/write-run-outputs.js';
import type { ClaimsFilesJob } from './claims-files-thread.js';
import { RunFindings } from './run-findings.js';
import { storedReleasedClaims } from './stored-claims.js';

const job = workerData as ClaimsFilesJob;
const db = new Database(job.database, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 10000');
  // One pass in key order reads each page once: SQLite's small default cache (2 MB), not
  // better-sqlite3's 16 MB, which this thread would fill and hold beside the main thread's
  // (14 MB of RSS on a 100k-encounter night).
  db.pragma('cache_size = -2000');
  const files = db.transaction(() => {
    // A read transaction's snapshot is taken at its first read (https://www.sqlite.org/isolation.html):
    // one row is enough (a count would walk the whole run's key).
    db.prepare('SELECT 1 FROM run_records WHERE run_id = ? LIMIT 1').get(job.runId);
    parentPort!.postMessage({ snapshot: true });
    const claims = writeClaimsFiles(job.outDir, storedReleasedClaims(db, job.runId).all());
    if (!job.findings) return claims;
    const stored = new RunFindings(db);
    const findings = stored.ofNight(job.findings.pipeline, job.runId, job.findings.businessDate);
    return [...claims, ...writeFindingsFiles(job.outDir, findings, () => stored.quarantineInOrder(job.runId))];
  })();
  parentPort!.postMessage({ files });
} finally {
  db.close();
}
