import { CSV_BOM, csvLine } from '../csv-cells.js';

/** One finding of a claim that needs a person, as stored and as written. */
export interface ExceptionRow {
  exceptionId: string;
  runId: number;
  businessDate: string;
  source: string;
  encounterId: string;
  /** The record's end state: exception (claim held) or released (a warning travelled with it). */
  recordState: string;
  patientId?: string;
  billingNpi?: string;
  severity: string;
  code: string;
  stage: string;
  message: string;
  codes?: string;
  evidence?: string;
  sourceFile?: string;
  sourceLine?: number;
  sourcePath?: string;
  action?: string;
  tableVersion?: string;
  /**
   * Work status: new (raised first tonight), open or held (raised earlier, still
   * unanswered), resolved, or info (a warning that travelled with a released claim).
   */
  status?: string;
  /** Business date the finding was first raised, and its age in days on this report's date. */
  firstSeen?: string;
  ageDays?: number;
}

/** Stable, documented column order of exceptions.csv (README, "Outputs"). */
export const EXCEPTIONS_CSV_COLUMNS = [
  'exception_id', 'run_id', 'business_date', 'source', 'encounter_id', 'record_state', 'patient_id', 'billing_npi',
  'severity', 'code', 'stage', 'message', 'codes', 'evidence', 'source_file', 'source_line', 'source_path', 'action', 'table_version',
  'status', 'first_seen', 'age_days',
] as const;

export function* exceptionsCsv(rows: Iterable<ExceptionRow>): Iterable<string> {
  yield CSV_BOM + csvLine(EXCEPTIONS_CSV_COLUMNS);
  for (const r of rows) {
    yield csvLine([
      r.exceptionId, r.runId, r.businessDate, r.source, r.encounterId, r.recordState, r.patientId, r.billingNpi,
      r.severity, r.code, r.stage, r.message, r.codes, r.evidence, r.sourceFile, r.sourceLine, r.sourcePath, r.action, r.tableVersion,
      r.status, r.firstSeen, r.ageDays,
    ]);
  }
}

export interface QuarantineRow {
  runId: number;
  role: string;
  file: string;
  line?: number;
  encounterId?: string;
  code: string;
  message: string;
}

export const QUARANTINE_CSV_COLUMNS = ['run_id', 'role', 'file', 'line', 'encounter_id', 'code', 'message'] as const;

export function* quarantineCsv(rows: Iterable<QuarantineRow>): Iterable<string> {
  yield CSV_BOM + csvLine(QUARANTINE_CSV_COLUMNS);
  for (const r of rows) yield csvLine([r.runId, r.role, r.file, r.line, r.encounterId, r.code, r.message]);
}
