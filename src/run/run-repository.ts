import type { Statement } from 'better-sqlite3';
import type { RecordState } from '../contract/types.js';
import type { ExceptionRow, QuarantineRow } from '../emit/exceptions/exceptions-csv.js';

export { ageInDays, type WorkStatus } from './exception-rows.js';
import type { Db } from '../store/database.js';
import { FingerprintFilter } from './fingerprint-filter.js';

export type RunStatus = 'running' | 'completed' | 'failed' | 'superseded';
export type StepName = 'stage' | 'process' | 'emit';

export interface RunRow {
  id: number;
  pipeline: string;
  business_date: string;
  status: RunStatus;
  executions: number;
  forced: number;
  input_dir: string;
  out_dir: string;
  staging_file: string | null;
  started_at: string;
  ended_at: string | null;
  counts: string | null;
  error_code: string | null;
  error_message: string | null;
}

export interface StepRow {
  run_id: number;
  step: StepName;
  status: 'running' | 'completed' | 'failed';
  started_at: string;
  ended_at: string | null;
  read_count: number;
  write_count: number;
  committed_seq: number;
  commits: number;
  details: string | null;
}

export interface LedgerRow {
  source: string;
  encounter_id: string;
  last_hash: string;
  /** The record's last end state, or voided when a resolution withdrew its claim. */
  last_state: RecordState | 'voided';
  last_run_id: number;
  billed_hash: string | null;
  billed_claim_id: string | null;
  billed_run_id: number | null;
  claim_version: number;
  prior: string | null;
  updated_at: string;
}

/** What one record of a chunk produced, written in the chunk's transaction. */
export interface RecordOutcome {
  seq: number;
  source: string;
  encounterId: string;
  contentHash?: string;
  state: RecordState;
  claimId?: string;
  frequency?: string;
  confidence?: number;
  /** Claim JSON for emit. */
  payload?: string;
  exceptions: ExceptionRow[];
  quarantine?: Omit<QuarantineRow, 'runId'>;
  /** The ledger row after this record, when it changes. */
  ledger?: Omit<LedgerRow, 'updated_at'>;
  audit?: { action: string; fromState: string | null; toState: string; detail?: string };
  /** Released claims: the fingerprint the duplicate-claim edit looks up on later claims. */
  fingerprint?: string;
  /** The encounter was held before: findings of that hold not raised again are superseded. */
  supersedesHold?: boolean;
}

/**
 * The job repository: runs keyed by (pipeline, business date), their steps with the
 * last committed chunk, per-record outcomes, exceptions, quarantine, the billing
 * ledger and the audit log. Statements are prepared once.
 */
export class RunRepository {
  private readonly s: Record<string, Statement>;
  /** The run whose fingerprints firstReleasedTonight filters (firstReleasedTonightLookup). */
  private tonight: { runId: number; filter: FingerprintFilter } | undefined;

  constructor(readonly db: Db, private readonly now: () => Date = () => new Date()) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      instance: p("SELECT * FROM runs WHERE pipeline = ? AND business_date = ? AND status <> 'superseded'"),
      byId: p('SELECT * FROM runs WHERE id = ?'),
      insertRun: p("INSERT INTO runs (pipeline, business_date, status, forced, input_dir, out_dir, started_at) VALUES (?, ?, 'running', ?, ?, ?, ?)"),
      resume: p("UPDATE runs SET status = 'running', executions = executions + 1, ended_at = NULL, error_code = NULL, error_message = NULL WHERE id = ?"),
      supersede: p("UPDATE runs SET status = 'superseded' WHERE id = ?"),
      finish: p('UPDATE runs SET status = ?, ended_at = ?, counts = ?, error_code = ?, error_message = ? WHERE id = ?'),
      setStaging: p('UPDATE runs SET staging_file = ? WHERE id = ?'),
      step: p('SELECT * FROM run_steps WHERE run_id = ? AND step = ?'),
      steps: p('SELECT * FROM run_steps WHERE run_id = ? ORDER BY started_at'),
      startStep: p(`INSERT INTO run_steps (run_id, step, status, started_at) VALUES (?, ?, 'running', ?)
                    ON CONFLICT (run_id, step) DO UPDATE SET status = 'running', ended_at = NULL`),
      endStep: p('UPDATE run_steps SET status = ?, ended_at = ?, read_count = ?, write_count = ?, details = ? WHERE run_id = ? AND step = ?'),
      resetStep: p('DELETE FROM run_steps WHERE run_id = ? AND step = ?'),
      advance: p('UPDATE run_steps SET committed_seq = ?, commits = commits + 1, read_count = read_count + ?, write_count = write_count + ? WHERE run_id = ? AND step = ?'),
      fingerprint: p('INSERT OR REPLACE INTO claim_fingerprints (fingerprint, source, encounter_id, claim_id, run_id) VALUES (?, ?, ?, ?, ?)'),
      firstReleasedTonight: p(`SELECT f.claim_id AS claimId, f.encounter_id AS encounterId FROM claim_fingerprints f
                               LEFT JOIN run_records r ON r.run_id = f.run_id AND r.source = f.source AND r.encounter_id = f.encounter_id
                               WHERE f.fingerprint = ? AND f.run_id = ? ORDER BY r.seq IS NOT NULL, r.seq, f.claim_id LIMIT 1`),
      // A run's fingerprints through its records and its resolved claims (the only two ways one is
      // stored for a run, each in the transaction that writes the other): claim_fingerprints has
      // no index on run_id, and a scan would read every night's. A new way to store one for a run
      // must be joined here too, or firstReleasedTonight's filter would miss its fingerprints.
      runFingerprints: p(`SELECT f.fingerprint FROM run_records r JOIN claim_fingerprints f ON f.source = r.source AND f.encounter_id = r.encounter_id
                          WHERE r.run_id = ? AND f.run_id = ?
                          UNION ALL SELECT f.fingerprint FROM resolved_claims c JOIN claim_fingerprints f ON f.source = c.source AND f.encounter_id = c.encounter_id
                          WHERE c.released_run_id = ? AND f.run_id = ?`).pluck(),
      forgetFingerprints: p('DELETE FROM claim_fingerprints WHERE source = ? AND encounter_id = ? AND (? IS NULL OR claim_id = ?)'),
      dropLedger: p('DELETE FROM ledger WHERE source = ? AND encounter_id = ?'),
      insertRecord: p('INSERT INTO run_records (run_id, seq, source, encounter_id, content_hash, state, claim_id, frequency, confidence, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      insertException: p(`INSERT OR REPLACE INTO exceptions (run_id, exception_id, seq, source, encounter_id, record_state, patient_id, billing_npi, code, severity, stage, message, codes, evidence, source_file, source_line, source_path, action, table_version)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertQuarantine: p('INSERT INTO quarantine (run_id, role, file, line, encounter_id, code, message, counts_as_record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      ledger: p('SELECT * FROM ledger WHERE source = ? AND encounter_id = ?'),
      upsertLedger: p(`INSERT INTO ledger (source, encounter_id, last_hash, last_state, last_run_id, billed_hash, billed_claim_id, billed_run_id, claim_version, prior, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (source, encounter_id) DO UPDATE SET last_hash = excluded.last_hash, last_state = excluded.last_state,
                         last_run_id = excluded.last_run_id, billed_hash = excluded.billed_hash, billed_claim_id = excluded.billed_claim_id,
                         billed_run_id = excluded.billed_run_id, claim_version = excluded.claim_version, prior = excluded.prior, updated_at = excluded.updated_at`),
      audit: p('INSERT INTO audit_log (at, actor, run_id, source, encounter_id, action, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      stateCounts: p('SELECT state, count(*) AS n FROM run_records WHERE run_id = ? GROUP BY state'),
      quarantinedRecords: p('SELECT count(*) AS n FROM quarantine WHERE run_id = ? AND counts_as_record = 1'),
      runDate: p('SELECT business_date FROM runs WHERE id = ?'),
      raise: p(`INSERT INTO exception_status (exception_id, source, encounter_id, severity, first_run_id, first_seen, last_run_id, last_seen, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')
                ON CONFLICT (exception_id) DO UPDATE SET last_run_id = excluded.last_run_id, last_seen = excluded.last_seen,
                  status = CASE WHEN status = 'superseded' THEN 'open' ELSE status END`),
      supersedeHold: p(`UPDATE exception_status SET status = 'superseded'
                        WHERE source = ? AND encounter_id = ? AND status IN ('open', 'held') AND last_run_id <> ?`),
      superseded: p("SELECT id FROM runs WHERE pipeline = ? AND business_date = ? AND status = 'superseded'"),
      processedCount: p('SELECT count(*) AS n FROM run_records WHERE run_id = ?'),
      recent: p('SELECT * FROM runs ORDER BY id DESC LIMIT ?'),
      lastCompleted: p("SELECT max(business_date) AS d FROM runs WHERE pipeline = ? AND status = 'completed'"),
    };
  }

  private at(): string {
    return this.now().toISOString();
  }

  /** The live run of a job instance (pipeline, business date), if any. */
  findInstance(pipeline: string, businessDate: string): RunRow | undefined {
    return this.s.instance!.get(pipeline, businessDate) as RunRow | undefined;
  }

  getRun(id: number): RunRow | undefined {
    return this.s.byId!.get(id) as RunRow | undefined;
  }

  createRun(pipeline: string, businessDate: string, inputDir: string, outDir: string, forced: boolean, supersede?: number): RunRow {
    const id = this.db.transaction(() => {
      if (supersede !== undefined) this.s.supersede!.run(supersede);
      return Number(this.s.insertRun!.run(pipeline, businessDate, forced ? 1 : 0, inputDir, outDir, this.at()).lastInsertRowid);
    }).immediate();
    return this.getRun(id)!;
  }

  resumeRun(id: number): RunRow {
    this.s.resume!.run(id);
    return this.getRun(id)!;
  }

  setStagingFile(id: number, file: string): void {
    this.s.setStaging!.run(file, id);
  }

  finishRun(id: number, status: 'completed' | 'failed', counts: unknown, error?: { code: string; message: string }): void {
    this.s.finish!.run(status, this.at(), counts === undefined ? null : JSON.stringify(counts), error?.code ?? null, error?.message ?? null, id);
  }

  step(runId: number, step: StepName): StepRow | undefined {
    return this.s.step!.get(runId, step) as StepRow | undefined;
  }

  steps(runId: number): StepRow[] {
    return this.s.steps!.all(runId) as StepRow[];
  }

  startStep(runId: number, step: StepName): StepRow {
    this.s.startStep!.run(runId, step, this.at());
    return this.step(runId, step)!;
  }

  endStep(runId: number, step: StepName, status: 'completed' | 'failed', read: number, written: number, details?: unknown): void {
    this.s.endStep!.run(status, this.at(), read, written, details === undefined ? null : JSON.stringify(details), runId, step);
  }

  /** Forget a step that must be redone from the start (an interrupted staging). */
  resetStep(runId: number, step: StepName): void {
    this.s.resetStep!.run(runId, step);
  }

  /** Stores what staging rejected and marks staging complete, atomically. */
  completeStaging(runId: number, rejects: Omit<QuarantineRow, 'runId'>[], read: number, staged: number, details: unknown): void {
    this.db.transaction(() => {
      for (const r of rejects) {
        this.s.insertQuarantine!.run(runId, r.role, r.file, r.line ?? null, r.encounterId ?? null, r.code, r.message, r.role === 'encounters' ? 1 : 0);
      }
      this.endStep(runId, 'stage', 'completed', read, staged, details);
    }).immediate();
  }

  ledgerFor(source: string, encounterId: string): LedgerRow | undefined {
    return this.s.ledger!.get(source, encounterId) as LedgerRow | undefined;
  }

  /** Writes an encounter's ledger row (inside the caller's transaction). */
  writeLedger(l: Omit<LedgerRow, 'updated_at'>): void {
    this.s.upsertLedger!.run(l.source, l.encounter_id, l.last_hash, l.last_state, l.last_run_id, l.billed_hash, l.billed_claim_id, l.billed_run_id, l.claim_version, l.prior, this.at());
  }

  dropLedger(source: string, encounterId: string): void {
    this.s.dropLedger!.run(source, encounterId);
  }

  /**
   * The first claim this run released with a fingerprint, among what is committed: claims
   * resolutions released tonight (before any chunk), then the night's records in processing
   * order (seq).
   */
  firstReleasedTonight(runId: number, fingerprint: string): { claimId: string; encounterId: string } | undefined {
    if (this.tonight?.runId === runId && !this.tonight.filter.mightHave(fingerprint)) return undefined;
    return this.s.firstReleasedTonight!.get(fingerprint, runId) as { claimId: string; encounterId: string } | undefined;
  }

  /**
   * firstReleasedTonight for a run's process step: from now on it asks the database only about
   * fingerprints a filter of the run's stored ones may hold (those stored so far, and every one
   * this repository stores for the run later). One run's filter at a time (4 MiB): the last made.
   */
  firstReleasedTonightLookup(runId: number): (fingerprint: string) => { claimId: string; encounterId: string } | undefined {
    const filter = new FingerprintFilter();
    for (const f of this.s.runFingerprints!.iterate(runId, runId, runId, runId) as Iterable<string>) filter.add(f);
    this.tonight = { runId, filter };
    return (fingerprint) => this.firstReleasedTonight(runId, fingerprint);
  }

  /** The fingerprint of a released claim, which the duplicate-claim edit looks up. */
  saveFingerprint(fingerprint: string, source: string, encounterId: string, claimId: string, runId: number): void {
    this.s.fingerprint!.run(fingerprint, source, encounterId, claimId, runId);
    if (this.tonight?.runId === runId) this.tonight.filter.add(fingerprint);
  }

  /** An encounter's fingerprints (one claim's, when given): a claim voided or not sent after all. */
  forgetFingerprints(source: string, encounterId: string, claimId?: string): void {
    this.s.forgetFingerprints!.run(source, encounterId, claimId ?? null, claimId ?? null);
  }

  audit(actor: string, runId: number | null, source: string, encounterId: string, action: string, fromState: string | null, toState: string, detail: string): void {
    this.s.audit!.run(this.at(), actor, runId, source, encounterId, action, fromState, toState, detail);
  }

  /**
   * Writes one chunk's outcomes, the ledger and audit changes and the step's new
   * committed position in one transaction: after a crash, a chunk is either wholly
   * there or wholly redone.
   */
  commitChunk(runId: number, outcomes: readonly RecordOutcome[], lastSeq: number, actor: string, onCommit?: () => void): void {
    const businessDate = (this.s.runDate!.get(runId) as { business_date: string }).business_date;
    this.db.transaction(() => {
      const at = this.at();
      let written = 0;
      for (const o of outcomes) {
        this.s.insertRecord!.run(runId, o.seq, o.source, o.encounterId, o.contentHash ?? null, o.state, o.claimId ?? null, o.frequency ?? null, o.confidence ?? null, o.payload ?? null);
        for (const x of o.exceptions) {
          this.s.insertException!.run(runId, x.exceptionId, o.seq, x.source, x.encounterId, x.recordState, x.patientId ?? null, x.billingNpi ?? null, x.code, x.severity, x.stage, x.message,
            x.codes ?? null, x.evidence ?? null, x.sourceFile ?? null, x.sourceLine ?? null, x.sourcePath ?? null, x.action ?? null, x.tableVersion ?? null);
        }
        if (o.state === 'exception') {
          for (const x of o.exceptions) this.s.raise!.run(x.exceptionId, x.source, x.encounterId, x.severity, runId, businessDate, runId, businessDate);
        }
        if (o.supersedesHold) this.s.supersedeHold!.run(o.source, o.encounterId, runId);
        if (o.quarantine) {
          const q = o.quarantine;
          // Counted through run_records already (state quarantined), so not a record of its own here.
          this.s.insertQuarantine!.run(runId, q.role, q.file, q.line ?? null, q.encounterId ?? null, q.code, q.message, 0);
        }
        if (o.ledger) {
          const l = o.ledger;
          this.s.upsertLedger!.run(l.source, l.encounter_id, l.last_hash, l.last_state, l.last_run_id, l.billed_hash, l.billed_claim_id, l.billed_run_id, l.claim_version, l.prior, at);
        }
        if (o.fingerprint && o.claimId) this.saveFingerprint(o.fingerprint, o.source, o.encounterId, o.claimId, runId);
        if (o.audit) {
          this.s.audit!.run(at, actor, runId, o.source, o.encounterId, o.audit.action, o.audit.fromState, o.audit.toState, o.audit.detail ?? null);
        }
        if (o.state === 'released' || o.state === 'exception') written++;
      }
      this.s.advance!.run(lastSeq, outcomes.length, written, runId, 'process');
      onCommit?.();
    }).immediate();
  }

  /**
   * Claims of this run whose claim file failed its self-check: each becomes an exception
   * with the reason (record state, finding, work queue), its ledger row returns to what
   * it was before the run with the hold recorded, and its fingerprint goes. A claim a
   * resolution released goes back to waiting for the next run. One transaction.
   */
  demoteUnreleased(runId: number, claimIds: ReadonlySet<string>, finding: (r: { source: string; encounterId: string; contentHash: string; payload: string }) => ExceptionRow, actor: string): number {
    const db = this.db;
    const businessDate = (this.s.runDate!.get(runId) as { business_date: string }).business_date;
    const q = {
      released: db.prepare("SELECT seq, source, encounter_id, content_hash, payload, state, claim_id FROM run_records WHERE run_id = ? AND state = 'released' ORDER BY seq"),
      sentAgain: db.prepare("SELECT seq, source, encounter_id, content_hash, payload, state FROM run_records WHERE run_id = ? AND source = ? AND encounter_id = ? AND state = 'unchanged'"),
      demote: db.prepare("UPDATE run_records SET state = 'exception' WHERE run_id = ? AND seq = ?"),
      held: db.prepare("UPDATE exceptions SET record_state = 'exception' WHERE run_id = ? AND seq = ?"),
      findings: db.prepare('SELECT exception_id, severity FROM exceptions WHERE run_id = ? AND seq = ? ORDER BY exception_id'),
      resolved: db.prepare("SELECT id, source, encounter_id, payload, json_extract(released_claim, '$.claimId') AS claim_id FROM resolved_claims WHERE released_run_id = ?"),
      unrelease: db.prepare('UPDATE resolved_claims SET released_run_id = NULL, released_claim = NULL WHERE id = ?'),
    };
    // The ledger row as it stood before this run changed it (a row can change twice in a run).
    const beforeRun = (source: string, encounterId: string): LedgerRow | undefined => {
      let row = this.ledgerFor(source, encounterId);
      while (row && row.last_run_id === runId) row = row.prior ? (JSON.parse(row.prior) as LedgerRow) : undefined;
      return row;
    };
    type Rec = { seq: number; source: string; encounter_id: string; content_hash: string; payload: string | null; state: string };
    // A record of this run held after all: the finding, the work queue, the ledger as before the run with the hold.
    const hold = (r: Rec, payload: string) => {
      q.demote.run(runId, r.seq);
      q.held.run(runId, r.seq);
      const x = finding({ source: r.source, encounterId: r.encounter_id, contentHash: r.content_hash, payload });
      this.s.insertException!.run(runId, x.exceptionId, r.seq, x.source, x.encounterId, 'exception', x.patientId ?? null, x.billingNpi ?? null, x.code, x.severity, x.stage, x.message,
        x.codes ?? null, x.evidence ?? null, null, null, null, x.action ?? null, x.tableVersion ?? null);
      for (const e of q.findings.all(runId, r.seq) as { exception_id: string; severity: string }[]) {
        this.s.raise!.run(e.exception_id, r.source, r.encounter_id, e.severity, runId, businessDate, runId, businessDate);
      }
      const before = beforeRun(r.source, r.encounter_id);
      this.writeLedger({
        source: r.source, encounter_id: r.encounter_id, last_hash: r.content_hash, last_state: 'exception', last_run_id: runId,
        billed_hash: before?.billed_hash ?? null, billed_claim_id: before?.billed_claim_id ?? null, billed_run_id: before?.billed_run_id ?? null,
        claim_version: before?.claim_version ?? 0, prior: before ? JSON.stringify(before) : null,
      });
      this.audit(actor, runId, r.source, r.encounter_id, 'emit-self-check-failed', r.state, 'exception', 'held: its claim file failed the self-check');
    };
    // One pass over the run's released records and resolved claims (claim ids are not indexed).
    const records = (q.released.all(runId) as (Rec & { claim_id: string })[]).filter((r) => claimIds.has(r.claim_id));
    const decided = (q.resolved.all(runId) as { id: number; source: string; encounter_id: string; payload: string; claim_id: string }[]).filter((d) => claimIds.has(d.claim_id));
    let n = 0;
    this.db.transaction(() => {
      for (const r of records) {
        this.forgetFingerprints(r.source, r.encounter_id, r.claim_id);
        hold(r, r.payload ?? '{}');
        n++;
      }
      for (const d of decided) {
        // A claim a resolution released waits for the next run again. The same visit sent again
        // tonight was "unchanged" only because of it: it is held instead.
        q.unrelease.run(d.id);
        this.forgetFingerprints(d.source, d.encounter_id, d.claim_id);
        const again = q.sentAgain.get(runId, d.source, d.encounter_id) as Rec | undefined;
        if (again) hold(again, d.payload);
        else {
          const before = beforeRun(d.source, d.encounter_id);
          if (before) this.writeLedger(before);
          else this.dropLedger(d.source, d.encounter_id);
        }
        this.audit(actor, runId, d.source, d.encounter_id, 'emit-self-check-failed', 'released', 'resolved', `${d.claim_id} not sent: its claim file failed the self-check; it waits for the next run`);
        n++;
      }
    }).immediate();
    return n;
  }

  /** End-state counts of a run: processed records plus encounter rows quarantined at staging. */
  stateCounts(runId: number): Record<RecordState, number> {
    const counts: Record<RecordState, number> = { released: 0, exception: 0, quarantined: 0, unchanged: 0 };
    for (const r of this.s.stateCounts!.all(runId) as { state: RecordState; n: number }[]) counts[r.state] = r.n;
    counts.quarantined += (this.s.quarantinedRecords!.get(runId) as { n: number }).n;
    return counts;
  }

  supersededRunIds(pipeline: string, businessDate: string): Set<number> {
    return new Set((this.s.superseded!.all(pipeline, businessDate) as { id: number }[]).map((r) => r.id));
  }

  processedCount(runId: number): number {
    return (this.s.processedCount!.get(runId) as { n: number }).n;
  }

  recentRuns(limit: number): RunRow[] {
    return this.s.recent!.all(limit) as RunRow[];
  }

  lastCompletedDate(pipeline: string): string | undefined {
    return (this.s.lastCompleted!.get(pipeline) as { d: string | null }).d ?? undefined;
  }
}
