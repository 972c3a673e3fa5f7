import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ISSUE_CODES } from '../contract/issue-codes.js';
import type { SuggestedAction } from '../contract/vocabulary.js';
import type { Db } from '../store/database.js';
import { CLOSED_STATUSES, type LifecycleRow, type LifecycleStatus } from './claim-lifecycle.js';
import { describeAdjustment, describeRemark, describeStatus, isOrdinaryAdjustment, suggestedAction } from './reason-codes.js';
import { readResponseFile, type PayerResponse, type ResponseFile } from './read-responses.js';
import { RemitProblem } from './x12-interchange.js';
import { reasonCodeLookup } from './reason-code-lists.js';

/** What one response file came to. */
export interface PayerFileResult {
  file: string;
  status: 'read' | 'quarantined' | 'already-read';
  kind?: '999' | '277CA' | '835';
  responses: number;
  matched: number;
  unmatched: number;
  /** Responses read before (in another file): not applied again. */
  duplicates: number;
  /** A quarantined file's problem: stable code, segment number and message. */
  code?: string;
  segment?: number;
  message?: string;
}

/** `remit import --json` and the night's summary: `{files, responses, matched, unmatched, quarantined, byStatus}` and more. */
export interface ImportSummary {
  files: number;
  /** responses = matched + unmatched + duplicates. */
  responses: number;
  /** Responses applied to at least one claim we sent (a 999 set answers each claim in it). */
  matched: number;
  unmatched: number;
  quarantined: number;
  duplicates: number;
  alreadyRead: number;
  /** The claims these responses were about, by the status they stand at now. */
  byStatus: Record<string, number>;
  /** Claims these responses were about. */
  claims: number;
  /** Responses that named no claim we sent: reported, never dropped. */
  unmatchedResponses: { file: string; segment: number; kind: string; reference: string; status: string }[];
  results: PayerFileResult[];
}

export interface ImportOptions {
  /** The night reading its inbox (findings are "new" in it); undefined for `remit import`. */
  runId?: number;
  /** The business date the findings are first seen on. */
  businessDate: string;
  now: () => Date;
  actor?: string;
}

const KIND_ORDER = { '999': 0, '277CA': 1, '835': 2 } as const;
const dollars = (cents: number | null | undefined) => ((cents ?? 0) / 100).toFixed(2);

/**
 * Reads 999, 277CA and 835 files and applies them to the claims we sent: each file once
 * (by content), each response once (by its identity, across files), acknowledgments before
 * remittances. A file that cannot be read is quarantined whole with its code and segment;
 * the others are read. A response that matches no claim is kept and reported.
 */
export function importPayerFiles(db: Db, paths: readonly string[], o: ImportOptions): ImportSummary {
  const summary: ImportSummary = { files: paths.length, responses: 0, matched: 0, unmatched: 0, quarantined: 0, duplicates: 0, alreadyRead: 0, byStatus: {}, claims: 0, unmatchedResponses: [], results: [] };
  const touched = new Set<string>();
  const known = db.prepare('SELECT status FROM payer_files WHERE sha256 = ?');
  const insertFile = db.prepare(`INSERT INTO payer_files (sha256, name, kind, status, code, segment, message, run_id, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const fileCounts = db.prepare('UPDATE payer_files SET responses = ?, matched = ?, unmatched = ?, duplicates = ? WHERE id = ?');
  const at = o.now().toISOString();
  const readable: { path: string; sha256: string; file: ResponseFile }[] = [];
  for (const path of paths) {
    const bytes = readFileSync(path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const name = basename(path);
    if (known.get(sha256)) {
      summary.alreadyRead++;
      summary.results.push({ file: path, status: 'already-read', responses: 0, matched: 0, unmatched: 0, duplicates: 0 });
      continue;
    }
    try {
      readable.push({ path, sha256, file: readResponseFile(bytes.toString('latin1')) });
    } catch (err) {
      if (!(err instanceof RemitProblem)) throw err;
      insertFile.run(sha256, name, null, 'quarantined', err.code, err.segment, err.message, o.runId ?? null, at);
      summary.quarantined++;
      summary.results.push({ file: path, status: 'quarantined', responses: 0, matched: 0, unmatched: 0, duplicates: 0, code: err.code, segment: err.segment, message: err.message });
    }
  }
  readable.sort((a, b) => KIND_ORDER[a.file.kind] - KIND_ORDER[b.file.kind] || a.path.localeCompare(b.path));
  const apply = new ResponseApplier(db, o, at);
  for (const r of readable) {
    const result = db.transaction(() => {
      const fileId = Number(insertFile.run(r.sha256, basename(r.path), r.file.kind, 'read', null, null, null, o.runId ?? null, at).lastInsertRowid);
      const res: PayerFileResult = { file: r.path, status: 'read', kind: r.file.kind, responses: r.file.responses.length, matched: 0, unmatched: 0, duplicates: 0 };
      for (const resp of r.file.responses) {
        const outcome = apply.apply(resp, fileId, basename(r.path));
        res.matched += outcome.matched;
        res.duplicates += outcome.duplicates;
        if (outcome.unmatched) {
          res.unmatched++;
          summary.unmatchedResponses.push({ file: r.path, segment: resp.segment, kind: resp.kind, reference: outcome.unmatched, status: resp.status });
        }
        for (const c of outcome.claims) touched.add(c);
      }
      fileCounts.run(res.responses, res.matched, res.unmatched, res.duplicates, fileId);
      return res;
    }).immediate();
    summary.responses += result.responses;
    summary.matched += result.matched;
    summary.unmatched += result.unmatched;
    summary.duplicates += result.duplicates;
    summary.results.push(result);
  }
  const statusOf = db.prepare('SELECT status FROM claim_lifecycle WHERE claim_id = ?');
  for (const c of touched) {
    const s = (statusOf.get(c) as { status: string }).status;
    summary.byStatus[s] = (summary.byStatus[s] ?? 0) + 1;
  }
  summary.claims = touched.size;
  return summary;
}

const FINDING_OF: Partial<Record<LifecycleStatus, keyof typeof ISSUE_CODES>> = {
  rejected: 'PAYER_CLAIM_REJECTED',
  denied: 'PAYER_CLAIM_DENIED',
  'partially-paid': 'PAYER_CLAIM_PARTIALLY_PAID',
  reversed: 'PAYER_PAYMENT_REVERSED',
};

const ACTION_OF = { 'correct-resubmit': 'resubmit', appeal: 'appeal', 'write-off': 'write-off', 'correct-coverage': 'correct-coverage', 'correct-provider': 'correct-provider', none: 'review' } as const satisfies Record<string, SuggestedAction>;

/** The status a response moves a claim to, or undefined when it does not move it (recorded all the same). */
export function nextStatus(current: LifecycleStatus, r: PayerResponse): LifecycleStatus | undefined {
  if (current === 'voided') return undefined;
  if (r.kind === '999') return r.status === 'rejected' && current === 'sent' ? 'rejected' : undefined;
  if (r.kind === '277CA') {
    if (r.status === 'accepted') return current === 'sent' ? 'accepted' : undefined;
    return current === 'sent' || current === 'accepted' ? 'rejected' : undefined;
  }
  // 835: what the payer decided stands over any earlier step, except a claim already followed by another.
  if (CLOSED_STATUSES.has(current)) return undefined;
  return r.status as LifecycleStatus;
}

class ResponseApplier {
  private readonly q;
  private readonly words;

  constructor(db: Db, private readonly o: ImportOptions, private readonly at: string) {
    this.words = reasonCodeLookup(db);
    this.q = {
      byClaim: db.prepare('SELECT * FROM claim_lifecycle WHERE claim_id = ?'),
      bySet: db.prepare('SELECT * FROM claim_lifecycle WHERE gs = ? AND st = ? ORDER BY claim_id'),
      insert: db.prepare(`INSERT OR IGNORE INTO payer_responses (file_id, segment, kind, response_key, reference, claim_id, status, payer_id, payer_claim_id, response_date,
                            billed, paid, patient_resp, allowed, adjusted, adjustments, remarks, status_codes, trace, applied)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      setStatus: db.prepare('UPDATE claim_lifecycle SET status = ?, status_date = ?, updated_at = ?, payer_claim_id = coalesce(?, payer_claim_id) WHERE claim_id = ?'),
      setAmounts: db.prepare('UPDATE claim_lifecycle SET allowed = ?, paid = ?, patient_resp = ?, adjusted = ?, payer_claim_id = coalesce(?, payer_claim_id), updated_at = ? WHERE claim_id = ?'),
      audit: db.prepare('INSERT INTO audit_log (at, actor, run_id, source, encounter_id, action, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      ledger: db.prepare('SELECT billed_claim_id FROM ledger WHERE source = ? AND encounter_id = ?'),
      unbill: db.prepare("UPDATE ledger SET billed_claim_id = NULL, billed_run_id = NULL, last_state = 'rejected', updated_at = ? WHERE source = ? AND encounter_id = ? AND billed_claim_id = ?"),
      forget: db.prepare('DELETE FROM claim_fingerprints WHERE claim_id = ?'),
      payload: db.prepare(`SELECT coalesce(rr.payload, rc.released_claim) AS payload FROM claim_lifecycle l
                           LEFT JOIN run_records rr ON rr.run_id = l.run_id AND rr.seq = l.seq
                           LEFT JOIN resolved_claims rc ON rc.id = l.resolved_id WHERE l.claim_id = ?`),
      exception: db.prepare(`INSERT OR IGNORE INTO exceptions (run_id, exception_id, seq, source, encounter_id, record_state, patient_id, billing_npi, code, severity, stage, message, codes, evidence, source_file, action)
                             VALUES (?, ?, ?, ?, ?, 'exception', ?, ?, ?, ?, 'payer', ?, ?, ?, ?, ?)`),
      raise: db.prepare(`INSERT OR IGNORE INTO exception_status (exception_id, source, encounter_id, severity, first_run_id, first_seen, last_run_id, last_seen, status)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')`),
      closePayerFindings: db.prepare(`UPDATE exception_status SET status = 'superseded' WHERE status IN ('open', 'held') AND exception_id IN
                                      (SELECT exception_id FROM exceptions WHERE run_id = ? AND seq = ? AND stage = 'payer')`),
    };
  }

  /** Applies one response: matched (1 when it was applied to a claim), a duplicate (1 when every claim it names had it already), or unmatched. */
  apply(r: PayerResponse, fileId: number, fileName: string): { matched: number; duplicates: number; unmatched?: string; claims: string[] } {
    const claims = r.kind === '999'
      ? (this.q.bySet.all(Number(r.set!.gs), Number(r.set!.st)) as LifecycleRow[]).filter((c) => c.sender.trim().toUpperCase() === r.set!.sender.trim().toUpperCase())
      : ([this.q.byClaim.get(r.claimId)].filter(Boolean) as LifecycleRow[]);
    const reference = r.kind === '999' ? `GS ${r.set!.gs} ST ${r.set!.st}` : r.claimId!;
    const insert = (claimId: string | null, ref: string, applied: boolean) => this.q.insert.run(
      fileId, r.segment, r.kind, r.key, ref, claimId, r.status, r.payerId ?? null, r.payerClaimId ?? null, r.date,
      r.amounts?.billed ?? null, r.amounts?.paid ?? null, r.amounts?.patient ?? null, r.amounts?.allowed ?? null, r.amounts?.adjusted ?? null,
      r.adjustments ? JSON.stringify(r.adjustments) : null, r.remarks?.length ? r.remarks.join(' ') : null, r.statusCodes?.length ? JSON.stringify(r.statusCodes) : null, r.trace, applied ? 1 : 0,
    ).changes;
    if (claims.length === 0) {
      return insert(null, reference, false) === 0 ? { matched: 0, duplicates: 1, claims: [] } : { matched: 0, duplicates: 0, unmatched: reference, claims: [] };
    }
    const applied: string[] = [];
    for (const c of claims) {
      const to = nextStatus(c.status, r);
      if (insert(c.claim_id, c.claim_id, to !== undefined) === 0) continue;
      applied.push(c.claim_id);
      this.step(c, r, to, fileName);
    }
    return applied.length > 0 ? { matched: 1, duplicates: 0, claims: applied } : { matched: 0, duplicates: 1, claims: [] };
  }

  private step(c: LifecycleRow, r: PayerResponse, to: LifecycleStatus | undefined, fileName: string): void {
    const actor = this.o.actor ?? 'payer';
    if (r.amounts) {
      const a = r.amounts;
      // A reversal takes back what was paid: its amounts are negative and add to the claim's.
      const add = r.status === 'reversed';
      const sum = (old: number | null, v: number) => (add ? (old ?? 0) + v : v);
      this.q.setAmounts.run(sum(c.allowed, a.allowed), sum(c.paid, a.paid), sum(c.patient_resp, a.patient), sum(c.adjusted, a.adjusted), r.payerClaimId || null, this.at, c.claim_id);
    }
    const detail = `${r.kind} ${fileName} segment ${r.segment}: ${this.describe(c, r)}`;
    if (!to) {
      this.q.audit.run(this.at, actor, this.o.runId ?? null, c.source, c.encounter_id, `payer-${r.kind.toLowerCase()}`, c.status, c.status, `${c.claim_id} ${detail} (status stays ${c.status})`);
      return;
    }
    this.q.setStatus.run(to, r.date || this.o.businessDate, this.at, r.payerClaimId || null, c.claim_id);
    this.q.audit.run(this.at, actor, this.o.runId ?? null, c.source, c.encounter_id, `payer-${r.kind.toLowerCase()}`, c.status, to, `${c.claim_id} ${detail}`);
    const seq = c.seq ?? -(c.resolved_id ?? 0);
    if (to === 'rejected') {
      // Never adjudicated: the encounter is not billed. Its correction goes out as a new claim
      // (frequency 1), not a replacement; the fingerprint goes, so it is no one's duplicate.
      const ledger = this.q.ledger.get(c.source, c.encounter_id) as { billed_claim_id: string | null } | undefined;
      if (ledger?.billed_claim_id === c.claim_id) this.q.unbill.run(this.at, c.source, c.encounter_id, c.claim_id);
      this.q.forget.run(c.claim_id);
    }
    if (to === 'paid' || to === 'accepted') this.q.closePayerFindings.run(c.run_id, seq);
    const code = FINDING_OF[to];
    if (code) this.raise(c, r, code, seq, fileName);
  }

  private describe(c: LifecycleRow, r: PayerResponse): string {
    if (r.kind === '999') return `${r.status} transaction set ${r.set!.st} of group ${r.set!.gs}${r.statusCodes?.length ? ` (${r.statusCodes.join('; ')})` : ''}`;
    if (r.kind === '277CA') return `${r.status}: ${(r.statusCodes ?? []).map(describeStatus).join('; ')}`;
    const a = r.amounts!;
    return `${r.status}: charge ${dollars(a.billed)}, paid ${dollars(a.paid)}, patient ${dollars(a.patient)}${r.payerClaimId ? `, payer claim ${r.payerClaimId}` : ''}, trace ${r.trace}` + (c.payer_id ? `, payer ${c.payer_id}` : '');
  }

  private raise(c: LifecycleRow, r: PayerResponse, code: keyof typeof ISSUE_CODES, seq: number, fileName: string): void {
    const def = ISSUE_CODES[code];
    const claim = JSON.parse((this.q.payload.get(c.claim_id) as { payload: string | null } | undefined)?.payload ?? '{}') as { patient?: { id?: string }; providers?: { billingNpi?: string } };
    const denials = (r.adjustments ?? []).filter((j) => !isOrdinaryAdjustment(j.group, j.carc) && j.amount > 0);
    const reasons = [...new Map(denials.map((j) => [`${j.group}-${j.carc}`, j])).values()];
    const action: SuggestedAction = code === 'PAYER_PAYMENT_REVERSED' ? 'review' : ACTION_OF[suggestedAction(reasons, code === 'PAYER_CLAIM_REJECTED')];
    const payer = c.payer_id ?? r.payerId ?? 'the payer';
    const what = r.kind === '835'
      ? `${payer} ${r.status === 'denied' ? 'denied' : r.status === 'reversed' ? 'reversed the payment of' : 'paid in part'} claim ${c.claim_id} (charge ${dollars(r.amounts!.billed)}, paid ${dollars(r.amounts!.paid)})`
      : `${payer} rejected claim ${c.claim_id} (charge ${dollars(c.billed)}) before adjudication`;
    const why = r.kind === '835'
      ? [...reasons.map((j) => `${describeAdjustment(j.group, j.carc, this.words)}${j.line ? ` (line ${j.line})` : ''}`), ...(r.remarks ?? []).map((x) => describeRemark(x, this.words))]
      : r.kind === '277CA' ? (r.statusCodes ?? []).map(describeStatus) : (r.statusCodes ?? []);
    const message = `${what}: ${why.join('; ') || 'no reason given'}`;
    const exceptionId = `EX${createHash('sha256').update(`${c.claim_id}\u0000${code}\u0000${r.key}`).digest('hex').slice(0, 16).toUpperCase()}`;
    const codes = r.kind === '835' ? [...reasons.map((j) => `${j.group}-${j.carc}`), ...(r.remarks ?? [])] : r.statusCodes ?? [];
    const evidence = `${r.kind} ${fileName} segment ${r.segment}${r.payerClaimId ? `, payer claim ${r.payerClaimId}` : ''}, trace ${r.trace}, ${r.date}`;
    this.q.exception.run(c.run_id, exceptionId, seq, c.source, c.encounter_id, claim.patient?.id ?? null, claim.providers?.billingNpi ?? null,
      code, def.severity, message, codes.length ? codes.join('|') : null, evidence, fileName, action);
    this.q.raise.run(exceptionId, c.source, c.encounter_id, def.severity, this.o.runId ?? c.run_id, this.o.businessDate, c.run_id, this.o.businessDate);
  }
}

/** The response files in an inbox folder, in name order: every regular file but hidden ones and our own notes (.md, .json, .csv). */
export function payerInboxFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.startsWith('.') && !/\.(md|json|csv|txt~)$/i.test(d.name))
    .map((d) => join(dir, d.name)).sort();
}
