import { createHash } from 'node:crypto';
import type { Db } from '../store/database.js';
import { reasonCodeLookup } from './reason-code-lists.js';
import { describeAdjustment, isOrdinaryAdjustment } from './reason-codes.js';
import type { Adjustment } from './read-responses.js';

/**
 * What payers' answers teach: denial rates by payer and over time, the reasons and codes
 * that cost the most, whether our own edits saw the denial coming, and coverage policies
 * proposed from repeated medical-necessity denials. Amounts in dollars.
 */
export interface PayerAnalytics {
  /** Claims by lifecycle status. */
  lifecycle: Record<string, number>;
  /** Per response date: claims adjudicated (835), denied in whole or part, rejected (999/277CA), dollars denied and paid. */
  trend: { date: string; adjudicated: number; denied: number; rejected: number; denialRate: number; deniedDollars: number; paidDollars: number }[];
  byPayer: { payer: string; adjudicated: number; denied: number; rejected: number; denialRate: number; deniedDollars: number; paidDollars: number }[];
  /** Denial reasons (group-CARC) by dollars. */
  reasons: { reason: string; text: string; claims: number; dollars: number }[];
  /** Procedure codes of denied lines. */
  codes: { code: string; claims: number; dollars: number }[];
  /** The warnings our edits raised on claims the payer later denied ("none" when we raised nothing). */
  edits: { edit: string; denied: number }[];
  proposals: RuleProposal[];
}

/**
 * A coverage policy proposed from the payer's own answers. A line is covered when any
 * diagnosis it points to supports it, so a line denied for medical necessity says none of
 * its diagnoses does. The payer denied `procedure` so with `deniedDiagnosis` on `claims`
 * claims and never paid it with that diagnosis; `diagnoses` are those it paid the procedure
 * with and never denied it with. Accepted, it becomes a coverage policy for the payer
 * (EDIT_MEDICAL_NECESSITY): the procedure covered only for those.
 */
export interface RuleProposal {
  id: string;
  payer: string;
  procedure: string;
  deniedDiagnosis: string;
  diagnoses: string[];
  reasons: string[];
  claims: number;
  dollars: number;
  status: 'proposed' | 'accepted' | 'dismissed';
  decidedBy?: string;
}

/** Denial reasons about medical necessity or the diagnosis not supporting the service (CARC 50, 11, 167). */
const MEDICAL_NECESSITY = new Set(['50', '11', '167']);
const PROPOSE_AFTER = 3;

interface Claim835 {
  claim_id: string;
  payer: string;
  status: string;
  response_date: string;
  paid: number;
  billed: number;
  adjustments: string | null;
  payload: string | null;
}

interface SentLine { code?: string; charge: number; diagnosisPointers: number[] }
interface SentClaim { lines: SentLine[]; diagnoses: { code: string }[]; warnings?: string[] }

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The figures over the answers of the last `window` days (default 90, counted back from the
 * latest answer: a report's cost does not grow with years of history); the trend shows the
 * last `days` of them (default 30).
 */
export function payerAnalytics(db: Db, o: { pipeline?: string; days?: number; window?: number } = {}): PayerAnalytics {
  const pipelineFilter = `(? IS NULL OR l.run_id IN (SELECT id FROM runs WHERE pipeline = ?))`;
  const since = (db.prepare("SELECT date(max(response_date), ?) AS d FROM payer_responses").get(`-${(o.window ?? 90) - 1} days`) as { d: string | null }).d ?? '0000-00-00';
  const lifecycleRows = db.prepare(`SELECT status, count(*) AS n FROM claim_lifecycle l WHERE ${pipelineFilter} GROUP BY status ORDER BY status`).all(o.pipeline ?? null, o.pipeline ?? null) as { status: string; n: number }[];
  // The latest 835 answer applied to each claim, with the claim as sent.
  const rows = db.prepare(`SELECT r.claim_id, coalesce(l.payer_id, r.payer_id, '') AS payer, r.status, r.response_date, r.paid, r.billed, r.adjustments,
                                  coalesce(rr.payload, rc.released_claim) AS payload
                           FROM payer_responses r JOIN claim_lifecycle l ON l.claim_id = r.claim_id
                           LEFT JOIN run_records rr ON rr.run_id = l.run_id AND rr.seq = l.seq
                           LEFT JOIN resolved_claims rc ON rc.id = l.resolved_id
                           WHERE r.kind = '835' AND r.response_date >= ? AND ${pipelineFilter}
                             AND r.id = (SELECT max(x.id) FROM payer_responses x WHERE x.claim_id = r.claim_id AND x.kind = '835')
                           ORDER BY r.claim_id`).all(since, o.pipeline ?? null, o.pipeline ?? null) as Claim835[];
  const rejections = db.prepare(`SELECT r.claim_id, coalesce(l.payer_id, r.payer_id, '') AS payer, min(r.response_date) AS response_date FROM payer_responses r
                                 JOIN claim_lifecycle l ON l.claim_id = r.claim_id WHERE r.status = 'rejected' AND r.kind IN ('999', '277CA') AND r.response_date >= ? AND ${pipelineFilter}
                                 GROUP BY r.claim_id`).all(since, o.pipeline ?? null, o.pipeline ?? null) as { claim_id: string; payer: string; response_date: string }[];

  const byDate = new Map<string, PayerAnalytics['trend'][number]>();
  const byPayer = new Map<string, PayerAnalytics['byPayer'][number]>();
  const day = (date: string) => byDate.get(date) ?? byDate.set(date, { date, adjudicated: 0, denied: 0, rejected: 0, denialRate: 0, deniedDollars: 0, paidDollars: 0 }).get(date)!;
  const payerOf = (payer: string) => byPayer.get(payer) ?? byPayer.set(payer, { payer, adjudicated: 0, denied: 0, rejected: 0, denialRate: 0, deniedDollars: 0, paidDollars: 0 }).get(payer)!;
  const reasons = new Map<string, { claims: Set<string>; dollars: number }>();
  const codes = new Map<string, { claims: Set<string>; dollars: number }>();
  const edits = new Map<string, number>();
  // (payer, procedure, diagnosis): claims denied for medical necessity, and claims paid.
  const deniedPairs = new Map<string, { claims: Set<string>; dollars: number; reasons: Set<string> }>();
  const paidPairs = new Map<string, Set<string>>();
  const pairKey = (payer: string, code: string, dx: string) => `${payer}\u0000${code}\u0000${dx}`;

  for (const r of rows) {
    const denials = (JSON.parse(r.adjustments ?? '[]') as Adjustment[]).filter((a) => !isOrdinaryAdjustment(a.group, a.carc) && a.amount > 0);
    const deniedCents = denials.reduce((s, a) => s + a.amount, 0);
    const denied = r.status === 'denied' || r.status === 'partially-paid';
    for (const t of [day(r.response_date), payerOf(r.payer)]) {
      t.adjudicated++;
      if (denied) t.denied++;
      t.deniedDollars += deniedCents / 100;
      t.paidDollars += (r.paid ?? 0) / 100;
    }
    const claim = r.payload ? (JSON.parse(r.payload) as SentClaim) : undefined;
    const pointed = (l: SentLine) => l.diagnosisPointers.map((p) => claim?.diagnoses[p - 1]?.code).filter((c): c is string => Boolean(c));
    const deniedLines = new Set<number>();
    for (const a of denials) {
      const key = `${a.group}-${a.carc}`;
      const t = reasons.get(key) ?? reasons.set(key, { claims: new Set(), dollars: 0 }).get(key)!;
      t.claims.add(r.claim_id);
      t.dollars += a.amount / 100;
      const lines = a.line ? [a.line] : (claim?.lines ?? []).map((_, i) => i + 1);
      for (const n of lines) {
        const l = claim?.lines[n - 1];
        if (!l?.code) continue;
        deniedLines.add(n);
        const c = codes.get(l.code) ?? codes.set(l.code, { claims: new Set(), dollars: 0 }).get(l.code)!;
        c.claims.add(r.claim_id);
        c.dollars += a.line ? a.amount / 100 : 0;
        if (!MEDICAL_NECESSITY.has(a.carc)) continue;
        for (const dx of pointed(l)) {
          const k = pairKey(r.payer, l.code, dx);
          const p = deniedPairs.get(k) ?? deniedPairs.set(k, { claims: new Set(), dollars: 0, reasons: new Set() }).get(k)!;
          if (!p.claims.has(r.claim_id)) p.dollars += l.charge;
          p.claims.add(r.claim_id);
          p.reasons.add(key);
        }
      }
    }
    // Claim-level denials spread over the lines: their dollars count once, on the claim's first code.
    for (const a of denials.filter((x) => !x.line)) {
      const first = claim?.lines.find((l) => l.code)?.code;
      if (first) codes.get(first)!.dollars += a.amount / 100;
    }
    // Lines the payer paid: one of their diagnoses supports the procedure.
    (claim?.lines ?? []).forEach((l, i) => {
      if (!l.code || deniedLines.has(i + 1) || r.status === 'denied') return;
      for (const dx of pointed(l)) {
        const k = pairKey(r.payer, l.code, dx);
        (paidPairs.get(k) ?? paidPairs.set(k, new Set()).get(k)!).add(r.claim_id);
      }
    });
    if (denied) for (const w of claim?.warnings?.length ? claim.warnings : ['none']) edits.set(w, (edits.get(w) ?? 0) + 1);
  }
  for (const r of rejections) {
    day(r.response_date).rejected++;
    payerOf(r.payer).rejected++;
  }
  const rate = <T extends { adjudicated: number; denied: number; deniedDollars: number; paidDollars: number; denialRate: number }>(t: T): T =>
    ({ ...t, denialRate: t.adjudicated ? round2(t.denied / t.adjudicated) : 0, deniedDollars: round2(t.deniedDollars), paidDollars: round2(t.paidDollars) });

  const decided = new Map((db.prepare('SELECT id, status, decided_by FROM payer_rules').all() as { id: string; status: 'accepted' | 'dismissed'; decided_by: string }[]).map((d) => [d.id, d]));
  const proposals: RuleProposal[] = [];
  for (const [k, p] of deniedPairs) {
    if (p.claims.size < PROPOSE_AFTER || paidPairs.has(k)) continue;
    const [payer, procedure, deniedDiagnosis] = k.split('\u0000') as [string, string, string];
    const prefix = `${payer}\u0000${procedure}\u0000`;
    const covered = [...paidPairs.keys()].filter((x) => x.startsWith(prefix) && !deniedPairs.has(x)).map((x) => x.split('\u0000')[2]!).sort();
    if (covered.length === 0) continue;
    const id = proposalId(payer, procedure, deniedDiagnosis);
    const d = decided.get(id);
    proposals.push({
      id, payer, procedure, deniedDiagnosis, diagnoses: covered, reasons: [...p.reasons].sort(), claims: p.claims.size, dollars: round2(p.dollars),
      status: d?.status ?? 'proposed', ...(d ? { decidedBy: d.decided_by } : {}),
    });
  }
  const words = reasonCodeLookup(db);
  const days = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)).slice(-(o.days ?? 30)).map(rate);
  return {
    lifecycle: Object.fromEntries(lifecycleRows.map((r) => [r.status, r.n])),
    trend: days,
    byPayer: [...byPayer.values()].map(rate).sort((a, b) => b.deniedDollars - a.deniedDollars || a.payer.localeCompare(b.payer)),
    reasons: [...reasons.entries()].map(([reason, t]) => {
      const [group = '', carc = ''] = reason.split('-');
      return { reason, text: describeAdjustment(group, carc, words).slice(reason.length + 1), claims: t.claims.size, dollars: round2(t.dollars) };
    }).sort((a, b) => b.dollars - a.dollars || a.reason.localeCompare(b.reason)),
    codes: [...codes.entries()].map(([code, t]) => ({ code, claims: t.claims.size, dollars: round2(t.dollars) })).sort((a, b) => b.dollars - a.dollars || b.claims - a.claims || a.code.localeCompare(b.code)),
    edits: [...edits.entries()].map(([edit, denied]) => ({ edit, denied })).sort((a, b) => b.denied - a.denied || a.edit.localeCompare(b.edit)),
    proposals: proposals.sort((a, b) => b.claims - a.claims || b.dollars - a.dollars || a.id.localeCompare(b.id)),
  };
}

export function proposalId(payer: string, procedure: string, diagnosis: string): string {
  return `PR${createHash('sha256').update(`${payer}\u0000${procedure}\u0000${diagnosis}`).digest('hex').slice(0, 10).toUpperCase()}`;
}

/** True once any payer answer has been read (the report shows its payer section from then on). */
export function hasPayerAnswers(db: Db): boolean {
  return db.prepare('SELECT 1 FROM payer_responses WHERE claim_id IS NOT NULL LIMIT 1').get() !== undefined;
}
