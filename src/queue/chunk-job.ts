import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import type { RecordTask, SliceResult } from '../run/record-worker.js';

/**
 * The BullMQ queue chunks travel on: one per build, so a worker of another nightcode version
 * never takes (and fails) a chunk it would code differently. Beside it, nightcode's own keys.
 */
export const QUEUE_PREFIX = 'nightcode-chunks-';
export const queueName = (build: string) => `${QUEUE_PREFIX}${build}`;
export const KEY_PREFIX = 'nightcode';

/** One chunk of a run, as a job: the records, their ledger basis, and what to code them with. */
export interface ChunkJob {
  v: 1;
  /** The coordinator's build (code and team data files): a worker of another build refuses the job. */
  build: string;
  /** The reference snapshot to code with (SHA-256 of its bytes) and its schema version. */
  snapshot: string;
  schema: number;
  runId: number;
  /** Staging sequence numbers of the chunk's first and last record. */
  first: number;
  last: number;
  task: Omit<RecordTask, 'deferBilledLookups'>;
}

/** What the worker returns through BullMQ (no record data: that goes to the result key). */
export interface ChunkDone {
  worker: string;
  records: number;
  /** Wall time processing the chunk, and the CPU time of the thread that did it. */
  ms: number;
}

export type ChunkResult = SliceResult;

/**
 * The job id: run, chunk (its first and last staged record) and a digest of what else the
 * chunk is processed with (build, snapshot, context, the ledger rows it is decided against).
 * A run's staging store never changes, so its records are named by the run and the range
 * (hashing them cost the coordinator a sixth of its time per chunk). The same chunk enqueued
 * again by a resumed coordinator gets the same id, so BullMQ keeps one job and a result already
 * computed is used; a chunk decided against changed ledger rows, another library or another
 * build gets a new id, never a stale result. The execution number is left out on purpose: it
 * changes on every resume.
 */
export function chunkJobId(job: ChunkJob): string {
  const digest = createHash('sha256').update(JSON.stringify([job.build, job.snapshot, job.task.bundles.length, job.task.ctx, job.task.bases])).digest('hex').slice(0, 16);
  return `run${job.runId}-${job.first}-${job.last}-${digest}`;
}

export const resultKey = (jobId: string) => `${KEY_PREFIX}:result:${jobId}`;
export const snapshotMetaKey = (sha256: string) => `${KEY_PREFIX}:snapshot:${sha256}`;
export const snapshotPartKey = (sha256: string, part: number) => `${KEY_PREFIX}:snapshot:${sha256}:${part}`;

function* filesUnder(dir: string, ext: RegExp): Iterable<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* filesUnder(p, ext);
    else if (ext.test(e.name)) yield p;
  }
}

let build: string | undefined;
/**
 * This installation's build: SHA-256 over the compiled code (dist/src, else src) and the team's
 * data files that coding reads (data/lexicon, data/starter), by relative path. Two processes
 * with the same build process a record the same way, byte for byte.
 */
export function buildId(): string {
  if (build) return build;
  const hash = createHash('sha256');
  const code = existsSync(join(PROJECT_ROOT, 'dist', 'src')) ? join(PROJECT_ROOT, 'dist', 'src') : join(PROJECT_ROOT, 'src');
  const files = [
    ...filesUnder(code, /\.(js|ts)$/),
    ...['lexicon', 'starter'].flatMap((d) => (existsSync(join(PROJECT_ROOT, 'data', d)) ? [...filesUnder(join(PROJECT_ROOT, 'data', d), /./)] : [])),
  ].filter((f) => !f.endsWith('.d.ts')).sort();
  for (const f of files) hash.update(relative(PROJECT_ROOT, f)).update('\u0000').update(readFileSync(f)).update('\u0000');
  build = hash.digest('hex').slice(0, 16);
  return build;
}
