import { join } from 'node:path';
import { removeStaleTemporaries, writeFileAtomic, type WrittenFile } from './atomic-file.js';
import type { ClaimRecord } from './claims/claim-record.js';
import { claimsCsv, claimsJsonl } from './claims/claims-files.js';
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

function* parsed(json: Iterable<string>): Iterable<ClaimRecord> {
  for (const j of json) yield JSON.parse(j) as ClaimRecord;
}

/**
 * Writes a run's data files from its stored results, each atomically. Sources are
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
}): Promise<OutputFile[]> {
  removeStaleTemporaries(outDir);
  const out: OutputFile[] = [];
  const write = async (name: string, make: (counter: { n: number }) => Iterable<string>) => {
    const counter = { n: 0 };
    const file = await writeFileAtomic(join(outDir, name), make(counter));
    out.push({ ...file, name, records: counter.n });
  };
  await write(OUTPUT_FILES.claimsJsonl, (c) => claimsJsonl(counted(sources.claims(), c)));
  await write(OUTPUT_FILES.claimsCsv, (c) => claimsCsv(parsed(counted(sources.claims(), c))));
  await write(OUTPUT_FILES.worklistCsv, (c) => worklistCsv(counted(sources.worklist(), c)));
  await write(OUTPUT_FILES.exceptionsCsv, (c) => exceptionsCsv(counted(sources.findings.held(), c)));
  await write(OUTPUT_FILES.releasedWarningsCsv, (c) => exceptionsCsv(counted(sources.findings.warnings(), c)));
  await write(OUTPUT_FILES.quarantineCsv, (c) => quarantineCsv(counted(sources.quarantine(), c)));
  return out;
}

/** The operations report (HTML): the run's totals, every finding (tonight's and still open) and the quarantine. */
export async function writeReport(outDir: string, run: ReportRun, findings: ReportFindings, quarantine: () => Iterable<QuarantineRow>): Promise<OutputFile> {
  // Its records: the findings it tallies (held and warnings, counted on the first pass of each).
  const held = { n: 0 };
  const warnings = { n: 0 };
  let heldPasses = 0;
  let warningPasses = 0;
  const file = await writeFileAtomic(join(outDir, OUTPUT_FILES.report), reportHtml(run, {
    held: () => (heldPasses++ === 0 ? counted(findings.held(), held) : findings.held()),
    warnings: () => (warningPasses++ === 0 ? counted(findings.warnings(), warnings) : findings.warnings()),
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
