import type { ReleasedClaimKey, ReleasedClaims } from '../emit/claims/released-claims.js';
import type { Db } from '../store/database.js';

const KEY_COLUMNS = (column: string) => `json_extract(${column}, '$.claimType') AS claimType, json_extract(${column}, '$.coverage.payerId') AS payerId,
  json_extract(${column}, '$.coverage.payerName') AS payerName, json_extract(${column}, '$.providers.billingNpi') AS billingNpi,
  json_extract(${column}, '$.coverage.memberId') AS memberId, json_extract(${column}, '$.claimId') AS claimId`;

type KeyRow = { ref: number; claimType: '837P' | '837I'; payerId: string | null; payerName: string | null; billingNpi: string | null; memberId: string | null; claimId: string };

/**
 * The claims a run released, as stored: its released records in processing order, then the
 * claims resolutions released into it. Keys are read in SQLite (json_extract), without
 * handing any claim to JavaScript; a claim is then read by its primary key.
 */
export function storedReleasedClaims(db: Db, runId: number): ReleasedClaims {
  const records = db.prepare("SELECT payload FROM run_records WHERE run_id = ? AND state = 'released' AND payload IS NOT NULL ORDER BY seq").pluck();
  const resolved = db.prepare('SELECT released_claim FROM resolved_claims WHERE released_run_id = ? AND released_claim IS NOT NULL ORDER BY id').pluck();
  const recordKeys = db.prepare(`SELECT seq AS ref, ${KEY_COLUMNS('payload')} FROM run_records WHERE run_id = ? AND state = 'released' AND payload IS NOT NULL ORDER BY seq`);
  const resolvedKeys = db.prepare(`SELECT id AS ref, ${KEY_COLUMNS('released_claim')} FROM resolved_claims WHERE released_run_id = ? AND released_claim IS NOT NULL ORDER BY id`);
  const recordAt = db.prepare('SELECT payload FROM run_records WHERE run_id = ? AND seq = ?').pluck();
  const resolvedAt = db.prepare('SELECT released_claim FROM resolved_claims WHERE id = ?').pluck();
  // Each place's row: a record's seq, or a resolved claim's id (places after the records').
  let refs: { records: number[]; resolved: number[] } | undefined;
  const keys = function* (): Iterable<ReleasedClaimKey> {
    const found = { records: [] as number[], resolved: [] as number[] };
    let place = 0;
    for (const [list, stmt] of [[found.records, recordKeys], [found.resolved, resolvedKeys]] as const) {
      for (const r of stmt.iterate(runId) as Iterable<KeyRow>) {
        list.push(r.ref);
        yield {
          place: place++, claimType: r.claimType, claimId: r.claimId,
          ...(r.payerId !== null ? { payerId: r.payerId } : {}), ...(r.payerName !== null ? { payerName: r.payerName } : {}),
          ...(r.billingNpi !== null ? { billingNpi: r.billingNpi } : {}), ...(r.memberId !== null ? { memberId: r.memberId } : {}),
        };
      }
    }
    refs = found;
  };
  return {
    all: function* () {
      yield* records.iterate(runId) as Iterable<string>;
      yield* resolved.iterate(runId) as Iterable<string>;
    },
    keys,
    at: function* (places) {
      if (!refs) for (const _ of keys()); // places are those keys() gave
      const { records: seqs, resolved: ids } = refs!;
      for (const p of places) {
        const json = (p < seqs.length ? recordAt.get(runId, seqs[p]) : resolvedAt.get(ids[p - seqs.length])) as string | undefined;
        if (json === undefined) throw new Error(`released claim ${p} of run ${runId} is gone`);
        yield json;
      }
    },
  };
}
