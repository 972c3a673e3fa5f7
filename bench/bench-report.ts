/**
 * What `npm run bench` prints, from what it saves: the table, or with --json one JSON object
 * with the same figures. run-bench prints a run it has just measured, or (with --from FILE)
 * one it saved before, through the same two functions.
 */
import { formatProfiles, type ProfileSummary } from './profile-summary.js';

/** One export size: the bare parse and the nightly run of it (medians). */
export interface SizeResult {
  encounters: number;
  exportMb: number;
  avgNoteBytes: number;
  repeat: number;
  workers: number;
  bareParse: { medianMs: number; records: number; mbPerSecond: number; peakRssMb: number };
  pipeline: { medianMs: number; encountersPerSecond: number; peakRssMb: number; counts: unknown; stagesMs: { stage: number; process: number; emit: number } };
  bytes: number;
  ratioPipelineToBareParse: number;
}

export interface AbstractionFigures {
  abstraction: { mbPerSecondPerCore: number };
  tokenizeOnly: { mbPerSecond: number };
  ratioAbstractionToTokenize: number;
  textMb: number;
  documents: number;
  coding: { encounters: number; encountersPerSecondPerCore: number; shareOfAbstraction: number };
}

export interface ValidationFigures {
  claims: number;
  ptp: { pairs: number };
  allEdits: { claimsPerSecondPerCore: number };
  claimDataAndCodeSetOnly: { claimsPerSecondPerCore: number };
  ratioAllToBaseline: number;
}

export interface EmitFigures {
  claims: number;
  x12WriteAndCheck: { claimsPerSecondPerCore: number };
  jsonLines: { claimsPerSecondPerCore: number };
  ratioX12ToJson: number;
}

export interface RecordFigures {
  records: number;
  oneThread: { recordsPerSecond: number };
  twoThreads: { recordsPerSecond: number };
  speedup: number;
}

export interface IngestFigures {
  format: string;
  inputMb: number;
  records: number;
  readerMbPerSecond: number;
  readerRecordsPerSecond: number;
  bareMbPerSecond: number;
  ratio: number;
  peakRssMb: number;
}

/** The bench's results file (`--out`). `repeat` and `workers` are absent from files saved before they were added. */
export interface SavedBench {
  at: string;
  node: string;
  repeat?: number;
  workers?: number;
  results: SizeResult[];
  abstraction: AbstractionFigures;
  validation: ValidationFigures;
  emit: EmitFigures;
  records: RecordFigures;
  ingest: IngestFigures[];
  profiles?: { encounters: number; run: number; threads: ProfileSummary[] }[];
}

/** The human-readable report: a row per size, then each sub-bench, then the profiles. */
export function benchTable(saved: SavedBench, resultsFile: string): string {
  const rows = saved.results.map((r) => `${String(r.encounters).padStart(8)}  ${String(r.exportMb).padStart(7)} MB  bare parse ${String(r.bareParse.medianMs).padStart(7)} ms  run ${String(r.pipeline.medianMs).padStart(8)} ms  ${String(r.pipeline.encountersPerSecond).padStart(6)} enc/s  ratio ${r.ratioPipelineToBareParse}x  peak RSS run ${r.pipeline.peakRssMb} MB (bare ${r.bareParse.peakRssMb} MB)  stages: stage ${r.pipeline.stagesMs.stage} ms, process ${r.pipeline.stagesMs.process} ms, emit ${r.pipeline.stagesMs.emit} ms`);
  const { abstraction: a, validation, emit, records } = saved;
  for (const r of saved.ingest) rows.push(`ingest ${r.format}: ${r.inputMb} MB, ${r.records} records, ${r.readerMbPerSecond} MB/s (${r.readerRecordsPerSecond} records/s), bare parser ${r.bareMbPerSecond} MB/s, ratio ${r.ratio}x, peak RSS ${r.peakRssMb} MB`);
  rows.push(`abstraction ${a.abstraction.mbPerSecondPerCore} MB/s per core on ${a.textMb} MB (${a.documents} CodiEsp documents; tokenize only ${a.tokenizeOnly.mbPerSecond} MB/s, ratio ${a.ratioAbstractionToTokenize}x)`);
  rows.push(`validation ${validation.allEdits.claimsPerSecondPerCore} claims/s per core with every edit (${validation.claims} claims, ${validation.ptp.pairs} PTP pairs); claim-data and code-set edits alone ${validation.claimDataAndCodeSetOnly.claimsPerSecondPerCore} claims/s, ratio ${validation.ratioAllToBaseline}x`);
  rows.push(`emit ${emit.x12WriteAndCheck.claimsPerSecondPerCore} claims/s per core as 837P with the self-check (${emit.claims} claims); JSON lines ${emit.jsonLines.claimsPerSecondPerCore} claims/s, ratio ${emit.ratioX12ToJson}x`);
  rows.push(`records ${records.oneThread.recordsPerSecond} records/s per core (${records.records} staged night records, assemble to validate); two threads ${records.twoThreads.recordsPerSecond} records/s, ${records.speedup}x one`);
  rows.push(`coding ${a.coding.encountersPerSecondPerCore} encounters/s per core (${a.coding.encounters} CodiEsp encounters, inpatient and office; ${Math.round(a.coding.shareOfAbstraction * 100)}% of abstraction time)`);
  for (const p of saved.profiles ?? []) rows.push(`cpu profile, ${p.encounters} encounters, run ${p.run} (self time per thread):\n${formatProfiles(p.threads)}`);
  const repeat = saved.repeat ?? saved.results[0]?.repeat ?? 1;
  const workers = saved.workers ?? saved.results[0]?.workers ?? 2;
  return `nightcode bench (medians of ${repeat}, ${workers} workers, ${saved.node})\n${rows.join('\n')}\nresults: ${resultsFile}\n`;
}

/**
 * The same figures as one JSON object on one line: those of the first size, and `sizes` with
 * the same object for every size when there are several; times in seconds.
 */
export function benchJson(saved: SavedBench): string {
  const seconds = (ms: number) => Math.round(ms) / 1000;
  // The sub-benches' figures, alone when only abstraction was measured (--abstraction-only).
  const base = { abstractionMBps: saved.abstraction.abstraction.mbPerSecondPerCore, emitClaimsPerSecond: saved.emit.x12WriteAndCheck.claimsPerSecondPerCore };
  const summary = (r: SizeResult) => ({
    encounters: r.encounters, bytes: r.bytes, seconds: seconds(r.pipeline.medianMs), bareParseSeconds: seconds(r.bareParse.medianMs), ratio: r.ratioPipelineToBareParse,
    encountersPerSecond: r.pipeline.encountersPerSecond, peakRssMb: r.pipeline.peakRssMb,
    stages: { stage: seconds(r.pipeline.stagesMs.stage), process: seconds(r.pipeline.stagesMs.process), emit: seconds(r.pipeline.stagesMs.emit) },
    ...base,
  });
  const first = saved.results[0];
  return `${JSON.stringify({ ...(first ? summary(first) : base), ...(saved.results.length > 1 ? { sizes: saved.results.map(summary) } : {}) })}\n`;
}
