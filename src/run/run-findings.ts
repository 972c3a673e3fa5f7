import type { Statement } from 'better-sqlite3';
import type { ExceptionRow, QuarantineRow } from '../emit/exceptions/exceptions-csv.js';
import type { ReportFindings } from '../emit/report/report-html.js';
import type { Db } from '../store/database.js';
import { exceptionRow } from './exception-rows.js';

/**
 * What a run's files, report and status read of its stored findings and quarantine (the run
 * repository writes them, chunk by chunk): each stream in a stable order, a row at a time.
 */
export class RunFindings {
  private readonly s: Record<'exceptionsOfState' | 'countOfState' | 'carriedOver' | 'releasedFindingClaims' | 'quarantineInOrder' | 'exceptionCounts', Statement>;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      // exceptionsOfState and countOfState read the index exceptions_order (run_id, record_state, seq, exception_id):
      // rows in the order they were appended, no sort, and counts from the index alone.
      exceptionsOfState: p(`SELECT e.*, s.status AS work_status, s.first_seen, s.first_run_id FROM exceptions e
                            LEFT JOIN exception_status s ON s.exception_id = e.exception_id
                            WHERE e.run_id = ? AND e.record_state = ? ORDER BY e.seq, e.exception_id`),
      carriedOver: p(`SELECT e.*, s.status AS work_status, s.first_seen, s.first_run_id FROM exception_status s
                      JOIN runs r ON r.id = s.last_run_id AND r.pipeline = ?
                      JOIN exceptions e ON e.run_id = s.last_run_id AND e.exception_id = s.exception_id
                      WHERE s.status IN ('open', 'held') AND s.last_run_id <> ?
                      ORDER BY s.first_seen, e.source, e.encounter_id, e.seq, e.exception_id`),
      countOfState: p('SELECT count(*) AS n FROM exceptions WHERE run_id = ? AND record_state = ?'),
      releasedFindingClaims: p(`SELECT count(*) AS n FROM (SELECT DISTINCT source, encounter_id FROM exceptions WHERE run_id = ? AND record_state = 'released')`),
      quarantineInOrder: p('SELECT * FROM quarantine WHERE run_id = ? ORDER BY id'),
      exceptionCounts: p('SELECT code, severity, count(*) AS n FROM exceptions WHERE run_id = ? GROUP BY code, severity ORDER BY n DESC, code'),
    };
  }

  /** This run's findings of held (exception) or released claims, each with its work status and age. */
  *exceptionsInOrder(runId: number, businessDate: string, state: 'exception' | 'released'): Iterable<ExceptionRow> {
    for (const r of this.s.exceptionsOfState.iterate(runId, state) as Iterable<Record<string, unknown>>) yield exceptionRow(r, runId, businessDate);
  }

  /** How many findings `exceptionsInOrder(runId, …, state)` yields. */
  countOfState(runId: number, state: 'exception' | 'released'): number {
    return (this.s.countOfState.get(runId, state) as { n: number }).n;
  }

  /** The distinct claims (source and encounter) of a run's findings on released claims: those `exceptionsInOrder(runId, …, 'released')` yields. */
  releasedFindingClaims(runId: number): number {
    return (this.s.releasedFindingClaims.get(runId) as { n: number }).n;
  }

  /**
   * Findings of held claims raised by earlier runs of the pipeline and still open or held:
   * re-reported every night, aged from the business date they were first raised.
   */
  *carriedOverExceptions(pipeline: string, runId: number, businessDate: string): Iterable<ExceptionRow> {
    for (const r of this.s.carriedOver.iterate(pipeline, runId) as Iterable<Record<string, unknown>>) yield exceptionRow(r, runId, businessDate);
  }

  /**
   * A night's findings as its files and report show them: tonight's findings of held claims,
   * then those of earlier nights still open or held (aged, re-reported); and the warnings
   * that travelled with released claims, with their claims counted in the database.
   */
  ofNight(pipeline: string, runId: number, businessDate: string): ReportFindings {
    return {
      held: () => this.heldOfNight(pipeline, runId, businessDate),
      warnings: () => this.exceptionsInOrder(runId, businessDate, 'released'),
      warningCount: () => this.countOfState(runId, 'released'),
      warningClaims: () => this.releasedFindingClaims(runId),
    };
  }

  private *heldOfNight(pipeline: string, runId: number, businessDate: string): Iterable<ExceptionRow> {
    yield* this.exceptionsInOrder(runId, businessDate, 'exception');
    yield* this.carriedOverExceptions(pipeline, runId, businessDate);
  }

  *quarantineInOrder(runId: number): Iterable<QuarantineRow> {
    for (const r of this.s.quarantineInOrder.iterate(runId) as Iterable<Record<string, unknown>>) {
      yield {
        runId, role: r.role as string, file: r.file as string, code: r.code as string, message: r.message as string,
        ...(r.line != null ? { line: r.line as number } : {}), ...(r.encounter_id ? { encounterId: r.encounter_id as string } : {}),
      };
    }
  }

  exceptionCounts(runId: number): { code: string; severity: string; n: number }[] {
    return this.s.exceptionCounts.all(runId) as { code: string; severity: string; n: number }[];
  }
}
