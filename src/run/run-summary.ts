import type { QueueStats } from './queue-stats.js';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import type { Config } from '../config/schema.js';
import { NightcodeError } from '../contract/errors.js';
import type { RecordState } from '../contract/types.js';
import type { StagedFileReport } from '../ingest/csv/stage-csv.js';
import type { ImportSummary } from '../payer/import-responses.js';
import type { InboxFileResult } from '../resolve/inbox.js';
import { ownerOnlyFolder } from '../store/private-file.js';
import type { RunRepository, RunRow } from './run-repository.js';

/** What a run reports (run-summary.json, `nightcode run --json`), and the helpers that compute it. */
export type Counts = Record<RecordState, number> & { input: number };

export interface RunSummary {
  runId: number;
  pipeline: string;
  businessDate: string;
  status: 'completed' | 'failed';
  /** True when the run had already completed and nothing was done (no `--force`). */
  noop: boolean;
  resumed: boolean;
  forced: boolean;
  executions: number;
  counts: Counts;
  /** input = released + exception + quarantined + unchanged */
  reconciled: boolean;
  /**
   * Claims decided by resolutions that this run's claim files carry, outside the input
   * counts: released as answered, voided (void claims sent for those billed before).
   */
  resolved: { released: number; voided: number; voidClaims: number };
  /**
   * Wall time of each step, ms: staging the export, processing the records (assemble,
   * abstract, code, validate, commit), emitting the files. A resumed run's step counts from
   * when it was first started.
   */
  stagesMs?: { stage: number; process: number; emit: number };
  /** `--queue`: how the chunks went on the workers (chunks per worker, retries, failures, time per chunk). */
  queue?: QueueStats;
  /** Released claims of the input over the input that could be coded (released + exception). */
  autoReleaseRate: number;
  /** Resolutions files this run applied from the inbox (config `resolutions.inbox`), or refused. */
  resolutionFiles: InboxFileResult[];
  /** Payers' answers this run read from its inbox (config `remit.inbox`): 999, 277CA and 835 files. */
  payerFiles?: Omit<ImportSummary, 'results'> & { results: ImportSummary['results'] };
  /** The morning's worklist: claims needing a person (new tonight), their total charge, replacement and void claims sent. */
  worklist?: { claims: number; new: number; heldDollars: number; replacements: number; voids: number };
  /** Claim files that failed their self-check and were not written; their claims are exceptions. */
  notReleased: { name: string; receiver: string; claimTypes: string[]; claims: number; problems: string[]; reason: 'self-check' | 'not-configured' }[];
  /** Claim files written with placeholders for what the site has not configured: not to be sent (x12.usage T only). */
  notReady: { name: string; receiver: string; placeholders: string[] }[];
  rows: StagedFileReport[];
  findingsByCode: { code: string; severity: string; n: number }[];
  outDir: string;
  outputs: { name: string; path: string; bytes: number; sha256: string; records: number }[];
  startedAt: string;
  endedAt: string;
  durationMs: number;
  recordsPerSecond: number;
  /** Peak resident memory of this process so far (all threads), in MB. */
  peakRssMb: number;
  /** Reference versions the run's dates of service use. */
  codeSets: { system: string; version: string }[];
  /** Dates no ICD-10-CM version covers, lists and code sets older than the dates they serve. */
  codeSetWarnings: string[];
  error?: { code: string; message: string };
}

export function stagingFileFor(database: string, runId: number): string {
  const base = database === ':memory:' ? join(tmpdir(), `nightcode-${process.pid}`) : `${resolve(database)}-staging`;
  ownerOnlyFolder(base);
  return join(base, `run-${runId}.sqlite`);
}

/** Rows of the export's other files (notes, diagnoses, charges …): read and set aside. */
export interface ChildRows {
  rows: number;
  rejected: number;
}

/**
 * The skip limit: quarantined encounter records, and the rows of the other files set aside
 * (unreadable, orphaned: a stray quote or a wrong join can lose children as surely as records).
 */
export function checkSkipLimit(config: Config, quarantined: number, input: number, children: ChildRows): void {
  const { maxQuarantined, maxQuarantinedRatio } = config.run;
  const ratio = input > 0 ? quarantined / input : 0;
  const childRatio = children.rows > 0 ? children.rejected / children.rows : 0;
  if (quarantined + children.rejected > maxQuarantined || ratio > maxQuarantinedRatio || childRatio > maxQuarantinedRatio) {
    throw new NightcodeError(
      'SKIP_LIMIT_EXCEEDED',
      `${quarantined} of ${input} input records and ${children.rejected} of ${children.rows} rows of the other files are set aside (limit ${maxQuarantined} in all, or ${(maxQuarantinedRatio * 100).toFixed(1)}% of either); ` +
        'the export looks broken, so the run stops rather than bill a partial night. See quarantine in `nightcode status`, fix the export, then re-run with --force',
    );
  }
}

export function childRowsOf(files: readonly StagedFileReport[]): ChildRows {
  const children = files.filter((f) => f.role !== 'encounters');
  return { rows: children.reduce((n, f) => n + f.rows, 0), rejected: children.reduce((n, f) => n + f.rejected, 0) };
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function stageDurations(repo: RunRepository, runId: number, now: Date): { stage: number; process: number; emit: number } {
  const ms = (step: 'stage' | 'process' | 'emit') => {
    const r = repo.step(runId, step);
    return r ? Math.max(0, (r.ended_at ? Date.parse(r.ended_at) : now.getTime()) - Date.parse(r.started_at)) : 0;
  };
  return { stage: ms('stage'), process: ms('process'), emit: ms('emit') };
}

/** Share of the codable input (released + exception) that went out without a person. */
export function releaseRate(c: Counts): number {
  const codable = c.released + c.exception;
  return codable > 0 ? Math.round((c.released / codable) * 1000) / 1000 : 0;
}

export function parseCounts(run: RunRow): Counts {
  const empty: Counts = { input: 0, released: 0, exception: 0, quarantined: 0, unchanged: 0 };
  return run.counts ? { ...empty, ...(JSON.parse(run.counts) as Partial<Counts>) } : empty;
}

