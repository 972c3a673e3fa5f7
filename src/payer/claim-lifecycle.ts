import type { Statement } from 'better-sqlite3';
import type { ClaimRecord } from '../emit/claims/claim-record.js';
import type { SentClaimsSink, X12File } from '../emit/x12/x12-files.js';
import type { Db } from '../store/database.js';

/**
 * Where each claim we sent stands with its payer:
 *   sent → accepted (277CA) | rejected (999 set or 277CA)
 *        → paid | partially-paid | denied | reversed (835)
 *        → resubmitted (a later claim of the encounter went out: a corrected replacement,
 *          or a new original after a rejection) | appealed | written-off | voided.
 * Every step is written to the audit log with who or what made it.
 */
export type LifecycleStatus = 'sent' | 'accepted' | 'rejected' | 'paid' | 'partially-paid' | 'denied' | 'reversed' | 'resubmitted' | 'appealed' | 'written-off' | 'voided';

export interface LifecycleRow {
  claim_id: string;
  source: string;
  encounter_id: string;
  run_id: number;
  seq: number | null;
  resolved_id: number | null;
  content_hash: string;
  frequency: string;
  original_claim_id: string | null;
  claim_type: string;
  payer_id: string | null;
  sender: string;
  receiver: string;
  file: string;
  isa: number;
  gs: number;
  st: number;
  billed: number;
  allowed: number | null;
  paid: number | null;
  patient_resp: number | null;
  adjusted: number | null;
  payer_claim_id: string | null;
  status: LifecycleStatus;
  sent_date: string;
  status_date: string;
  updated_at: string;
}

/** Statuses after which the claim is closed: nothing a payer or a person does changes it again but a new payment. */
export const CLOSED_STATUSES: ReadonlySet<LifecycleStatus> = new Set(['resubmitted', 'written-off', 'voided']);

/** Released records read per page by recordSentClaims. */
const PAGE = 5000;

/**
 * Where tonight's claims travelled (file, group, set), kept in a temporary table of the run
 * repository's connection while the 837 files are written, a batch of rows at a time: memory
 * holds a batch, not a row per claim of the night (at a million encounters the per-file
 * lists and the map built from them held ~150 MB). Temporary: gone with the connection, and
 * made anew by the next emit.
 */
export class SentClaims implements SentClaimsSink {
  /** The table, qualified (`temp.…`). */
  readonly table: string;
  private pending: [string, string, number, number, string | null, string | null, string | null, number | null][] = [];
  private readonly insert: Statement;

  constructor(private readonly db: Db, runId: number) {
    this.table = `temp.nightcode_sent_${runId}`;
    db.exec(`DROP TABLE IF EXISTS ${this.table}`);
    // With what the lifecycle keeps of each claim, taken from the claim as it is written:
    // read back out of the stored JSON (json_extract, four per claim), every claim was parsed
    // again (at 100k claims the read took 0.73-0.88 s, against 0.39 s without).
    db.exec(`CREATE TABLE ${this.table} (claim_id TEXT PRIMARY KEY, file TEXT NOT NULL, gs INTEGER NOT NULL, st INTEGER NOT NULL,
      claim_type TEXT, payer_id TEXT, original TEXT, total REAL)`);
    // A claim id twice (never expected): the later file's row stands.
    this.insert = db.prepare(`INSERT OR REPLACE INTO ${this.table} (claim_id, file, gs, st, claim_type, payer_id, original, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  add(file: string, claim: ClaimRecord, gs: number, st: number): void {
    this.pending.push([claim.claimId, file, gs, st, claim.claimType ?? null, claim.coverage?.payerId ?? null, claim.originalClaimId ?? null, claim.totalCharge ?? null]);
    if (this.pending.length >= PAGE) this.flush();
  }

  drop(file: string): void {
    this.flush();
    this.db.prepare(`DELETE FROM ${this.table} WHERE file = ?`).run(file);
  }

  /** Writes the rows told since the last batch. */
  flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const r of rows) this.insert.run(...r);
    })();
  }

  close(): void {
    this.pending = [];
    this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}

/**
 * Records the claims tonight's 837 files carried, with the group and set each travelled in
 * (a 999 answers per set), in one transaction; earlier claims of the same encounter are
 * marked resubmitted (or voided, under a void). Idempotent: an emit redone after a crash
 * records the same rows again.
 */
export function recordSentClaims(db: Db, o: { runId: number; businessDate: string; sender: string; files: readonly X12File[]; sent: SentClaims; now: () => Date; actor: string }): number {
  // The run's released records and resolved claims are read once, each joined to where it
  // travelled (no per-claim lookup of run_records, which has no claim index).
  o.sent.flush();
  if (o.files.length === 0) return 0;
  const files = new Map(o.files.map((f) => [f.name, f]));
  const fromRecords = db.prepare(`SELECT r.claim_id, r.seq, NULL AS resolved_id, r.source, r.encounter_id, r.content_hash, r.frequency,
                                         s.original, s.claim_type, s.payer_id, s.total, s.file AS file, s.gs AS gs, s.st AS st
                                  FROM run_records r JOIN ${o.sent.table} s ON s.claim_id = r.claim_id
                                  WHERE r.run_id = ? AND r.state = 'released' AND r.claim_id IS NOT NULL AND r.seq > ? ORDER BY r.seq LIMIT ${PAGE}`);
  const fromResolved = db.prepare(`SELECT c.claim_id, NULL AS seq, c.id AS resolved_id, c.source, c.encounter_id, c.content_hash, c.frequency, s.original,
                                          s.claim_type, s.payer_id, s.total, s.file AS file, s.gs AS gs, s.st AS st
                                   FROM (SELECT json_extract(released_claim, '$.claimId') AS claim_id, id, source, encounter_id, content_hash,
                                                json_extract(released_claim, '$.frequency') AS frequency
                                         FROM resolved_claims WHERE released_run_id = ? AND released_claim IS NOT NULL) c
                                   JOIN ${o.sent.table} s ON s.claim_id = c.claim_id ORDER BY c.id`);
  const upsert = db.prepare(`INSERT INTO claim_lifecycle (claim_id, source, encounter_id, run_id, seq, resolved_id, content_hash, frequency, original_claim_id, claim_type, payer_id,
                                                          sender, receiver, file, isa, gs, st, billed, status, sent_date, status_date, updated_at)
                             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?)
                             ON CONFLICT (claim_id) DO UPDATE SET receiver = excluded.receiver, file = excluded.file, isa = excluded.isa, gs = excluded.gs, st = excluded.st`);
  const earlier = db.prepare(`SELECT claim_id, status FROM claim_lifecycle WHERE source = ? AND encounter_id = ? AND claim_id <> ? AND status NOT IN ('resubmitted', 'written-off', 'voided')`);
  const close = db.prepare('UPDATE claim_lifecycle SET status = ?, status_date = ?, updated_at = ? WHERE claim_id = ?');
  const audit = db.prepare('INSERT INTO audit_log (at, actor, run_id, source, encounter_id, action, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const at = o.now().toISOString();
  let n = 0;
  type Row = {
    claim_id: string; seq: number | null; resolved_id: number | null; source: string; encounter_id: string; content_hash: string; frequency: string; original: string | null;
    claim_type: string; payer_id: string | null; total: number; file: string; gs: number; st: number;
  };
  // The night's released records a page at a time (keyset on seq: the writes below cannot run
  // while a query is being iterated on the connection), so memory holds a page, not the night.
  const pages = function* (): Iterable<Row[]> {
    for (let after = Number.MIN_SAFE_INTEGER; ;) {
      const page = fromRecords.all(o.runId, after) as Row[];
      if (page.length === 0) break;
      yield page;
      after = page[page.length - 1]!.seq!;
    }
    yield fromResolved.all(o.runId) as Row[];
  };
  db.transaction(() => {
    for (const rows of pages()) {
      for (const r of rows) {
        const file = files.get(r.file);
        if (!file) continue;
        upsert.run(r.claim_id, r.source, r.encounter_id, o.runId, r.seq, r.resolved_id, r.content_hash, r.frequency, r.original, r.claim_type, r.payer_id,
          o.sender, file.receiver, file.name, file.control.isa, r.gs, r.st, Math.round(Number(r.total) * 100), o.businessDate, o.businessDate, at);
        n++;
        for (const e of earlier.all(r.source, r.encounter_id, r.claim_id) as { claim_id: string; status: LifecycleStatus }[]) {
          const to = r.frequency === '8' ? 'voided' : 'resubmitted';
          close.run(to, o.businessDate, at, e.claim_id);
          audit.run(at, o.actor, o.runId, r.source, r.encounter_id, `claim-${to}`, e.status, to, `${e.claim_id} ${to === 'voided' ? 'voided by' : 'followed by'} ${r.claim_id} (frequency ${r.frequency})`);
        }
      }
    }
  }).immediate();
  return n;
}

/** The payer's claim control number for a claim we sent, when a 277CA or 835 gave it. */
export function payerClaimNumberLookup(db: Db): (claimId: string) => string | undefined {
  const q = db.prepare('SELECT payer_claim_id FROM claim_lifecycle WHERE claim_id = ?');
  return (claimId) => ((q.get(claimId) as { payer_claim_id: string | null } | undefined)?.payer_claim_id ?? undefined) || undefined;
}

/** A person's decision on a claim a payer rejected or denied (appeal, write-off): the lifecycle step, audited. */
export function decideClaim(db: Db, o: { claimId: string; to: 'appealed' | 'written-off'; actor: string; date: string; at: string; runId: number; detail: string }): boolean {
  const row = db.prepare('SELECT source, encounter_id, status, billed, paid FROM claim_lifecycle WHERE claim_id = ?').get(o.claimId) as
    { source: string; encounter_id: string; status: LifecycleStatus; billed: number; paid: number | null } | undefined;
  if (!row) return false;
  db.prepare('UPDATE claim_lifecycle SET status = ?, status_date = ?, updated_at = ? WHERE claim_id = ?').run(o.to, o.date, o.at, o.claimId);
  const balance = o.to === 'written-off' ? `; balance written off ${((row.billed - (row.paid ?? 0)) / 100).toFixed(2)}` : '';
  db.prepare('INSERT INTO audit_log (at, actor, run_id, source, encounter_id, action, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(o.at, o.actor, o.runId, row.source, row.encounter_id, `claim-${o.to}`, row.status, o.to, `${o.claimId} ${o.detail}${balance}`);
  return true;
}
