import { join } from 'node:path';
import { AtomicFileWriter, removeStaleTemporaries, writeFileAtomic, writeFileAtomicSync, type WrittenFile } from './atomic-file.js';
import type { ClaimRecord } from './claims/claim-record.js';
import { claimsCsvHeader, claimsCsvRows } from './claims/claims-files.js';
import { reportHtml, type ReportFindings, type ReportRun } from './report/report-html.js';
import { exceptionsCsv, quarantineCsv, type QuarantineRow } from './exceptions/exceptions-csv.js';
import { worklistCsv } from './worklist/worklist-csv.js';
import type { WorklistRow } from '../resolve/worklist-rows.js';

export const OUTPUT_FILES = {
  claimsJsonl: 'claims.jsonl',
  claimsCsv: 'claims.csv',
  worklistCsv: 'worklist.csv',
  exceptionsCsv: 'exceptions.csv',
  releasedWarningsCsv: 'released-warnings.csv',
  quarantineCsv: 'quarantine.csv',
  report: 'report.html',
  summary: 'run-summary.json',
  manifest: 'manifest.json',
} as const;

export interface OutputFile extends WrittenFile {
  name: string;
  records: number;
}

function counted<T>(rows: Iterable<T>, counter: { n: number }): Iterable<T> {
  return (function* () {
    for (const r of rows) {
      counter.n++;
      yield r;
    }
  })();
}

/** claims.jsonl and claims.csv from one pass over the released claims (in order, as stored), each parsed once. */
export function writeClaimsFiles(outDir: string, claims: Iterable<string>): OutputFile[] {
  const jsonl = new AtomicFileWriter(join(outDir, OUTPUT_FILES.claimsJsonl));
  const csv = new AtomicFileWriter(join(outDir, OUTPUT_FILES.claimsCsv));
  let n = 0;
  try {
    csv.write(claimsCsvHeader());
    for (const json of claims) {
      n++;
      jsonl.write(`${json}\n`);
      for (const row of claimsCsvRows(JSON.parse(json) as ClaimRecord)) csv.write(row);
    }
  } catch (err) {
    jsonl.abort();
    csv.abort();
    throw err;
  }
  return [{ ...jsonl.commit(), name: OUTPUT_FILES.claimsJsonl, records: n }, { ...csv.commit(), name: OUTPUT_FILES.claimsCsv, records: n }];
}

/**
 * exceptions.csv (findings of held claims), released-warnings.csv (the warnings that travelled
 * with released claims) and quarantine.csv, each atomically, in that order.
 */
export function writeFindingsFiles(outDir: string, findings: Pick<ReportFindings, 'held' | 'warnings'>, quarantine: () => Iterable<QuarantineRow>): OutputFile[] {
  return [
    writeCounted(outDir, OUTPUT_FILES.exceptionsCsv, (c) => exceptionsCsv(counted(findings.held(), c))),
    writeCounted(outDir, OUTPUT_FILES.releasedWarningsCsv, (c) => exceptionsCsv(counted(findings.warnings(), c))),
    writeCounted(outDir, OUTPUT_FILES.quarantineCsv, (c) => quarantineCsv(counted(quarantine(), c))),
  ];
}

/** A data file written atomically from rows that count themselves as they are read (`counted`): their count is its records. */
function writeCounted(outDir: string, name: string, make: (counter: { n: number }) => Iterable<string>): OutputFile {
  const counter = { n: 0 };
  const file = writeFileAtomicSync(join(outDir, name), make(counter));
  return { ...file, name, records: counter.n };
}

/**
 * Writes a run's data files from its stored results, each atomically, except those written
 * meanwhile on the data files thread (`written`: claims-files-thread.ts). Sources are
 * factories because each file reads the stored results again (streamed, not held).
 * The summary is written last by the caller, once these succeeded.
 */
export async function writeRunOutputs(outDir: string, sources: {
  /** Released claims in order, as the ClaimRecord JSON stored with each record. */
  claims: () => Iterable<string>;
  /** Findings of held claims (exceptions.csv) and the warnings that travelled with released claims (released-warnings.csv). */
  findings: ReportFindings;
  quarantine: () => Iterable<QuarantineRow>;
  /** The claims that need a person (worklist.csv). */
  worklist: () => Iterable<WorklistRow>;
  /** Files already written from the same stored results: claims.jsonl and claims.csv, and maybe the three findings files. */
  written?: readonly OutputFile[];
}): Promise<OutputFile[]> {
  removeStaleTemporaries(outDir);
  const written = new Map((sources.written ?? []).map((f) => [f.name, f]));
  const already = (names: string[]) => (names.every((n) => written.has(n)) ? names.map((n) => written.get(n)!) : undefined);
  const claims = already([OUTPUT_FILES.claimsJsonl, OUTPUT_FILES.claimsCsv]) ?? writeClaimsFiles(outDir, sources.claims());
  const worklist = writeCounted(outDir, OUTPUT_FILES.worklistCsv, (c) => worklistCsv(counted(sources.worklist(), c)));
  const findings = already([OUTPUT_FILES.exceptionsCsv, OUTPUT_FILES.releasedWarningsCsv, OUTPUT_FILES.quarantineCsv])
    ?? writeFindingsFiles(outDir, sources.findings, sources.quarantine);
  return [...claims, worklist, ...findings];
}

/** The operations report (HTML): the run's totals, every finding (tonight's and still open) and the quarantine. */
export async function writeReport(outDir: string, run: ReportRun, findings: ReportFindings, quarantine: () => Iterable<QuarantineRow>): Promise<OutputFile> {
  // Its records: the findings it tallies (held and warnings, counted on the first pass of
  // each, or the warnings where they are stored: then no pass reads them all).
  const held = { n: 0 };
  const warnings = { n: 0 };
  let heldPasses = 0;
  let warningPasses = 0;
  const { warningCount, warningClaims } = findings;
  const file = await writeFileAtomic(join(outDir, OUTPUT_FILES.report), reportHtml(run, {
    held: () => (heldPasses++ === 0 ? counted(findings.held(), held) : findings.held()),
    warnings: () => (warningPasses++ === 0 && !warningCount ? counted(findings.warnings(), warnings) : findings.warnings()),
    ...(warningCount ? { warningCount: () => (warnings.n = warningCount()) } : {}),
    ...(warningClaims ? { warningClaims } : {}),
  }, quarantine()));
  return { ...file, name: OUTPUT_FILES.report, records: held.n + warnings.n };
}

export async function writeSummary(outDir: string, summary: unknown): Promise<WrittenFile> {
  return writeFileAtomic(join(outDir, OUTPUT_FILES.summary), [`${JSON.stringify(summary, null, 2)}\n`]);
}

/**
 * The per-run manifest: every claim file with its receiver, claim count, total charges,
 * control numbers and SHA-256, and the data files. Written last, after every file it lists.
 */
export async function writeManifest(outDir: string, manifest: unknown): Promise<WrittenFile> {
  return writeFileAtomic(join(outDir, OUTPUT_FILES.manifest), [`${JSON.stringify(manifest, null, 2)}\n`]);
}
