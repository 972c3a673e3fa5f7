import type { ExceptionRow } from '../emit/exceptions/exceptions-csv.js';
import type { Db } from '../store/database.js';

/** A finding's work status as the files print it (status and age beside each finding). */
export type WorkStatus = 'new' | 'open' | 'held' | 'resolved' | 'info';

const DAY_MS = 86_400_000;

/** Whole days between two ISO dates (business dates), never negative. */
export function ageInDays(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS));
}

function workStatus(r: Record<string, unknown>, runId: number): WorkStatus {
  if (r.record_state !== 'exception' || !r.work_status) return 'info';
  const s = r.work_status as string;
  if (s === 'open') return r.first_run_id === runId ? 'new' : 'open';
  return s === 'superseded' ? 'open' : (s as WorkStatus);
}

/** A stored finding with its work status and its age on the report's date. */
export function exceptionRow(r: Record<string, unknown>, runId: number, reportDate: string): ExceptionRow {
  const status = workStatus(r, runId);
  const firstSeen = (r.first_seen as string | null) ?? undefined;
  return {
    exceptionId: r.exception_id as string, runId: r.run_id as number, businessDate: reportDate, source: r.source as string, encounterId: r.encounter_id as string,
    recordState: r.record_state as string,
    ...(r.patient_id ? { patientId: r.patient_id as string } : {}), ...(r.billing_npi ? { billingNpi: r.billing_npi as string } : {}),
    severity: r.severity as string, code: r.code as string, stage: r.stage as string, message: r.message as string,
    ...(r.codes ? { codes: r.codes as string } : {}), ...(r.evidence ? { evidence: r.evidence as string } : {}),
    ...(r.source_file ? { sourceFile: r.source_file as string } : {}), ...(r.source_line != null ? { sourceLine: r.source_line as number } : {}),
    ...(r.source_path ? { sourcePath: r.source_path as string } : {}), ...(r.action ? { action: r.action as string } : {}),
    ...(r.table_version ? { tableVersion: r.table_version as string } : {}),
    status,
    ...(firstSeen && status !== 'info' ? { firstSeen, ageDays: ageInDays(firstSeen, reportDate) } : {}),
  };
}

/** The latest completed run of each pipeline: an open finding it raised first is "new" (the morning's queue). */
export function latestCompletedRuns(db: Db): Map<string, number> {
  const rows = db.prepare("SELECT pipeline, max(id) AS id FROM runs WHERE status = 'completed' GROUP BY pipeline").all() as { pipeline: string; id: number }[];
  return new Map(rows.map((r) => [r.pipeline, r.id]));
}
