import type { FileOf, ReleasedClaimFile, ReleasedClaimFiles, ReleasedClaims, X12ClaimType } from '../emit/claims/released-claims.js';
import type { Db } from '../store/database.js';

/** Claims read per page when a file's claims are read in order. */
const PAGE = 2_000;

const KEY_COLUMNS = (column: string) => `json_extract(${column}, '$.coverage.payerId') AS payer_id, json_extract(${column}, '$.coverage.payerName') AS payer_name,
  json_extract(${column}, '$.claimType') AS claim_type, coalesce(json_extract(${column}, '$.providers.billingNpi'), '') AS npi,
  coalesce(json_extract(${column}, '$.coverage.memberId'), '') AS member, json_extract(${column}, '$.claimId') AS claim_id`;

/** The SQL function the sorting calls to put a claim in its file. */
const FILE_FUNCTION = 'nightcode_x12_file';

/** Functional groups in this order. */
const TYPE_ORDER: readonly X12ClaimType[] = ['837P', '837I'];

type OrderRow = { place: number; npi: string; member: string; claim_id: string; json: string | null };

/**
 * The claims a run released, as stored: its released records in processing order, then the
 * claims resolutions released into it. Sorting them into 837 files reads each claim's key in
 * SQLite (json_extract) into a temporary table (the connection's temp store, on disk past
 * its cache), without handing any claim to JavaScript; a file then reads its claims a page
 * at a time in 837 order, each page with its claims' JSON (read by primary key).
 */
export function storedReleasedClaims(db: Db, runId: number): ReleasedClaims {
  const records = db.prepare("SELECT payload FROM run_records WHERE run_id = ? AND state = 'released' AND payload IS NOT NULL ORDER BY seq").pluck();
  const resolved = db.prepare('SELECT released_claim FROM resolved_claims WHERE released_run_id = ? AND released_claim IS NOT NULL ORDER BY id').pluck();
  return {
    all: function* () {
      yield* records.iterate(runId) as Iterable<string>;
      yield* resolved.iterate(runId) as Iterable<string>;
    },
    byFile: (fileOf) => sortIntoFiles(db, runId, fileOf),
  };
}

function sortIntoFiles(db: Db, runId: number, fileOf: FileOf): ReleasedClaimFiles {
  const table = `temp.nightcode_x12_keys_${runId}`;
  db.function(FILE_FUNCTION, { deterministic: true }, (payerId: unknown, payerName: unknown, claimType: unknown) =>
    fileOf((payerId ?? undefined) as string | undefined, (payerName ?? undefined) as string | undefined, claimType as X12ClaimType));
  db.exec(`DROP TABLE IF EXISTS ${table}`);
  // place: the night's order (records by seq, then resolved claims by id); src 0 a record (ref its seq), 1 a resolved claim (ref its id).
  db.exec(`CREATE TABLE ${table} (place INTEGER PRIMARY KEY, file TEXT NOT NULL, claim_type TEXT NOT NULL, payer_id TEXT, payer_name TEXT,
    npi TEXT NOT NULL, member TEXT NOT NULL, claim_id TEXT NOT NULL, src INTEGER NOT NULL, ref INTEGER NOT NULL)`);
  const fill = (select: string) => db.prepare(`INSERT INTO ${table} (file, claim_type, payer_id, payer_name, npi, member, claim_id, src, ref)
    SELECT ${FILE_FUNCTION}(payer_id, payer_name, claim_type), claim_type, payer_id, payer_name, npi, member, claim_id, src, ref FROM (${select})`).run(runId);
  db.transaction(() => {
    fill(`SELECT 0 AS src, seq AS ref, ${KEY_COLUMNS('payload')} FROM run_records WHERE run_id = ? AND state = 'released' AND payload IS NOT NULL ORDER BY seq`);
    fill(`SELECT 1 AS src, id AS ref, ${KEY_COLUMNS('released_claim')} FROM resolved_claims WHERE released_run_id = ? AND released_claim IS NOT NULL ORDER BY id`);
  })();
  // SQLite's BINARY collation orders UTF-8 text by code point: compareX12Order's order.
  db.exec(`CREATE INDEX ${table}_order ON nightcode_x12_keys_${runId} (file, claim_type, npi, member, claim_id, place)`);
  // The files in key order (as the receivers were always sorted), each with its first claim's payer.
  const counts = db.prepare(`SELECT file, claim_type, count(*) AS n, min(place) AS first FROM ${table} GROUP BY file, claim_type`).all() as { file: string; claim_type: X12ClaimType; n: number; first: number }[];
  const byKey = new Map<string, { file: ReleasedClaimFile; first: number }>();
  for (const c of counts) {
    const at = byKey.get(c.file) ?? { file: { key: c.file, types: [] }, first: c.first };
    at.file.types.push({ claimType: c.claim_type, claims: c.n });
    at.first = Math.min(at.first, c.first);
    byKey.set(c.file, at);
  }
  const firstPayer = db.prepare(`SELECT payer_id, payer_name FROM ${table} WHERE place = ?`);
  const files = [...byKey.values()].sort((a, b) => a.file.key.localeCompare(b.file.key)).map(({ file, first }) => {
    const p = firstPayer.get(first) as { payer_id: string | null; payer_name: string | null };
    file.types.sort((a, b) => TYPE_ORDER.indexOf(a.claimType) - TYPE_ORDER.indexOf(b.claimType));
    return { ...file, ...(p.payer_id !== null ? { payerId: p.payer_id } : {}), ...(p.payer_name !== null ? { payerName: p.payer_name } : {}) };
  });
  // Each page brings its claims' JSON with it (one statement, not one lookup per claim); the run id is its first parameter.
  const columns = `k.place, k.npi, k.member, k.claim_id, CASE k.src WHEN 0 THEN (SELECT payload FROM run_records r WHERE r.run_id = ? AND r.seq = k.ref)
    ELSE (SELECT released_claim FROM resolved_claims c WHERE c.id = k.ref) END AS json`;
  const firstPage = db.prepare(`SELECT ${columns} FROM ${table} k WHERE k.file = ? AND k.claim_type = ?
    ORDER BY k.npi, k.member, k.claim_id, k.place LIMIT ${PAGE}`);
  const nextPage = db.prepare(`SELECT ${columns} FROM ${table} k WHERE k.file = ? AND k.claim_type = ?
    AND (k.npi, k.member, k.claim_id, k.place) > (?, ?, ?, ?) ORDER BY k.npi, k.member, k.claim_id, k.place LIMIT ${PAGE}`);
  const ids = db.prepare(`SELECT claim_id FROM ${table} WHERE file = ? ORDER BY claim_type <> '837P', place`).pluck();
  return {
    files,
    ordered: function* (file, claimType) {
      // Pages, not one open query: the caller writes between claims (what was sent), and a
      // connection runs one statement at a time while a query is iterated.
      let page = firstPage.all(runId, file, claimType) as OrderRow[];
      while (page.length > 0) {
        for (const r of page) {
          if (r.json === null) throw new Error(`released claim ${r.claim_id} of run ${runId} is gone`);
          yield r.json;
        }
        const last = page[page.length - 1]!;
        page = page.length < PAGE ? [] : nextPage.all(runId, file, claimType, last.npi, last.member, last.claim_id, last.place) as OrderRow[];
      }
    },
    claimIds: (file) => ids.all(file) as string[],
    close: () => db.exec(`DROP TABLE IF EXISTS ${table}`),
  };
}
