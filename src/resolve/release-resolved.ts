import type { ClaimRecord } from '../emit/claims/claim-record.js';
import { billingBasis, claimIdBase } from '../run/process-record.js';
import type { LedgerRow, RunRepository } from '../run/run-repository.js';
import type { Db } from '../store/database.js';
import { claimRecordFingerprint } from '../validate/edits/claim-data.js';

interface ResolvedRow {
  id: number;
  source: string;
  encounter_id: string;
  kind: 'release' | 'void';
  content_hash: string;
  resolution_id: number;
  payload: string;
  released_run_id: number | null;
}

export interface ResolvedRelease {
  released: number;
  voided: number;
  /** Decisions about a version of the encounter that is no longer current: not billed. */
  stale: number;
}

/**
 * Puts the claims that resolutions decided into this run, before any record is processed,
 * in one transaction: each is billed against the ledger as it stands (an original, or a
 * replacement of a claim billed since), or, for a void of a billed claim, a frequency-8
 * claim naming it (REF*F8). The ledger, fingerprints and audit log change with it, so a
 * crash leaves all of it or none, and a record sent again tonight with the same content
 * is then "unchanged". Decisions released by a run that a forced re-run superseded are
 * released again by the new run.
 */
export function releaseResolvedClaims(db: Db, repo: RunRepository, opts: { runId: number; source: string; superseded: ReadonlySet<number> }): ResolvedRelease {
  const q = {
    pending: db.prepare('SELECT * FROM resolved_claims WHERE source = ? AND (released_run_id IS NULL OR released_run_id IN (SELECT value FROM json_each(?))) ORDER BY id'),
    billed: db.prepare("SELECT payload FROM run_records WHERE run_id = ? AND source = ? AND encounter_id = ? AND claim_id = ? AND state = 'released'"),
    billedByResolution: db.prepare('SELECT released_claim FROM resolved_claims WHERE released_run_id = ? AND json_extract(released_claim, \'$.claimId\') = ?'),
    user: db.prepare('SELECT user FROM resolutions WHERE id = ?'),
    done: db.prepare('UPDATE resolved_claims SET released_run_id = ?, released_claim = ? WHERE id = ?'),
    closeOpen: db.prepare("UPDATE exception_status SET status = 'superseded' WHERE source = ? AND encounter_id = ? AND status IN ('open', 'held')"),
  };
  const out: ResolvedRelease = { released: 0, voided: 0, stale: 0 };
  const { runId } = opts;
  db.transaction(() => {
    for (const r of q.pending.all(opts.source, JSON.stringify([...opts.superseded])) as ResolvedRow[]) {
      const actor = (q.user.get(r.resolution_id) as { user: string } | undefined)?.user ?? 'nightcode';
      const basis = billingBasis(repo.ledgerFor(r.source, r.encounter_id), opts.superseded);
      const ledgerRow = (fields: Partial<LedgerRow>) => {
        repo.writeLedger({ ...basis!, ...fields, last_run_id: runId, prior: JSON.stringify(basis) });
      };
      if (!basis || basis.last_hash !== r.content_hash) {
        // The encounter changed after the claim was held: the answer was about another version.
        q.done.run(runId, null, r.id);
        repo.audit(actor, runId, r.source, r.encounter_id, 'resolution-stale', basis?.last_state ?? null, basis?.last_state ?? 'unknown', `resolution ${r.resolution_id} answered content no longer current; not billed`);
        out.stale++;
        continue;
      }
      const version = basis.claim_version + 1;
      const claimId = `${claimIdBase(r.source, r.encounter_id)}-${version}`;
      if (r.kind === 'release') {
        const held = JSON.parse(r.payload) as ClaimRecord;
        const claim: ClaimRecord = {
          ...held, claimId, frequency: basis.billed_claim_id ? '7' : '1',
          ...(basis.billed_claim_id ? { originalClaimId: basis.billed_claim_id } : {}),
        };
        if (!basis.billed_claim_id) delete claim.originalClaimId;
        ledgerRow({ last_hash: r.content_hash, last_state: 'released', billed_hash: r.content_hash, billed_claim_id: claimId, billed_run_id: runId, claim_version: version });
        repo.saveFingerprint(claimRecordFingerprint(claim), r.source, r.encounter_id, claimId, runId);
        q.done.run(runId, JSON.stringify(claim), r.id);
        // Anything still open on the encounter (raised while the claim waited) closes with it.
        q.closeOpen.run(r.source, r.encounter_id);
        repo.audit(actor, runId, r.source, r.encounter_id, 'release-resolved', basis.last_state, 'released',
          `${claimId} frequency ${claim.frequency}${claim.originalClaimId ? ` replaces ${claim.originalClaimId}` : ''} (resolution ${r.resolution_id})`);
        out.released++;
        continue;
      }
      // Void: withdraw what was billed; an encounter never billed just closes.
      let voidClaim: ClaimRecord | undefined;
      if (basis.billed_claim_id && basis.billed_run_id !== null) {
        const row = (q.billed.get(basis.billed_run_id, r.source, r.encounter_id, basis.billed_claim_id) as { payload: string } | undefined)?.payload
          ?? (q.billedByResolution.get(basis.billed_run_id, basis.billed_claim_id) as { released_claim: string } | undefined)?.released_claim;
        const billed = row ? (JSON.parse(row) as ClaimRecord) : undefined;
        if (billed) voidClaim = { ...billed, claimId, frequency: '8', originalClaimId: basis.billed_claim_id };
      }
      ledgerRow({
        last_hash: r.content_hash, last_state: 'voided', billed_hash: null, billed_claim_id: null, billed_run_id: null,
        claim_version: voidClaim ? version : basis.claim_version,
      });
      repo.forgetFingerprints(r.source, r.encounter_id);
      q.done.run(runId, voidClaim ? JSON.stringify(voidClaim) : null, r.id);
      repo.audit(actor, runId, r.source, r.encounter_id, 'void', basis.last_state, 'voided',
        voidClaim ? `${claimId} frequency 8 voids ${basis.billed_claim_id} (resolution ${r.resolution_id})` : `never billed; closed (resolution ${r.resolution_id})`);
      out.voided++;
    }
  }).immediate();
  return out;
}

/** What a run's claim files carried from resolutions. */
export function resolvedCounts(db: Db, runId: number): { released: number; voided: number; voidClaims: number } {
  const rows = db.prepare(`SELECT kind, released_claim IS NOT NULL AS sent, count(*) AS n FROM resolved_claims WHERE released_run_id = ? GROUP BY kind, sent`).all(runId) as { kind: string; sent: number; n: number }[];
  const n = (kind: string, sent?: number) => rows.filter((r) => r.kind === kind && (sent === undefined || r.sent === sent)).reduce((a, r) => a + r.n, 0);
  return { released: n('release', 1), voided: n('void'), voidClaims: n('void', 1) };
}
