import type { ClaimRecord } from '../emit/claims/claim-record.js';
import { ageInDays } from '../run/run-repository.js';
import type { Db } from '../store/database.js';

export interface Agreement {
  /** Codes the pipeline put on the reviewed claims. */
  pipeline: number;
  /** Codes on the claims as the coders released them. */
  final: number;
  /** Codes in both (per claim). */
  agreed: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface AccuracyReport {
  period: { from?: string; to?: string };
  /** Held claims people released: as the pipeline coded them (release) or with their codes (recode). */
  reviewedClaims: number;
  recodedClaims: number;
  recodeRate: number;
  diagnoses: Agreement & { principalAgreement: number; categoryAgreement: Agreement };
  procedures: Agreement;
  /** Most frequent disagreements: codes coders removed, added, and replaced (pipeline → coder). */
  removed: { code: string; n: number }[];
  added: { code: string; n: number }[];
  replaced: { from: string; to: string; n: number }[];
  compliance: {
    /** Answers by action and by user. */
    answers: { action: string; n: number }[];
    byUser: { user: string; release: number; recode: number; hold: number; void: number }[];
    /** Error findings a person released without changing a code, by edit: what an auditor samples. */
    overrides: { code: string; n: number }[];
    voidedClaims: number;
    /** Median days from a finding first raised to its answer. */
    medianDaysToAnswer: number | null;
    /** Open and held findings now, by age. */
    openWork: { status: string; findings: number; claims: number; oldestDays: number }[];
  };
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0);

function agreement(pairs: readonly { pipeline: string[]; final: string[] }[]): Agreement {
  let pipeline = 0;
  let final = 0;
  let agreed = 0;
  for (const p of pairs) {
    const f = new Set(p.final);
    pipeline += new Set(p.pipeline).size;
    final += f.size;
    agreed += [...new Set(p.pipeline)].filter((c) => f.has(c)).length;
  }
  const precision = ratio(agreed, pipeline);
  const recall = ratio(agreed, final);
  return { pipeline, final, agreed, precision, recall, f1: precision + recall > 0 ? Math.round(((2 * precision * recall) / (precision + recall)) * 1000) / 1000 : 0 };
}

function top(counts: Map<string, number>, n = 10): { code: string; n: number }[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([code, k]) => ({ code, n: k }));
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const lineCodes = (c: ClaimRecord) => c.lines.map((l) => l.code ?? '').filter(Boolean);

/**
 * The coding accuracy and compliance report: the pipeline's codes on the claims people
 * reviewed against the codes those claims were released with (coders' recodes), and how
 * the work queue was answered. Period: the date resolutions were applied (inclusive).
 */
export function accuracyReport(db: Db, period: { from?: string; to?: string } = {}, today = new Date().toISOString().slice(0, 10)): AccuracyReport {
  const from = period.from ?? '0000-01-01';
  const to = period.to ?? '9999-12-31';
  const inPeriod = "substr(r.applied_at, 1, 10) BETWEEN ? AND ?";
  // Each decided claim with the claim as the pipeline held it (through the answered finding's record).
  const decided = db.prepare(`SELECT d.source, d.encounter_id, d.payload, d.kind, r.claim_run_id, rr.payload AS held
                              FROM resolved_claims d JOIN resolutions r ON r.id = d.resolution_id
                              LEFT JOIN run_records rr ON rr.run_id = r.claim_run_id AND rr.source = r.source AND rr.encounter_id = r.encounter_id
                              WHERE ${inPeriod} ORDER BY d.id`).all(from, to) as { source: string; encounter_id: string; payload: string; kind: string; claim_run_id: number; held: string | null }[];
  const recoded = db.prepare("SELECT count(*) AS n FROM resolutions WHERE source = ? AND encounter_id = ? AND claim_run_id = ? AND (action = 'recode' OR action LIKE '%-code' OR action LIKE '%-modifier' OR action = 'set-pointers')");
  const dx: { pipeline: string[]; final: string[] }[] = [];
  const cat: { pipeline: string[]; final: string[] }[] = [];
  const px: { pipeline: string[]; final: string[] }[] = [];
  const removed = new Map<string, number>();
  const added = new Map<string, number>();
  const replaced = new Map<string, number>();
  let principal = 0;
  let reviewed = 0;
  let recodedClaims = 0;
  let voidedClaims = 0;
  for (const d of decided) {
    if (d.kind === 'void') {
      voidedClaims++;
      continue;
    }
    if (!d.held) continue;
    reviewed++;
    if ((recoded.get(d.source, d.encounter_id, d.claim_run_id) as { n: number }).n > 0) recodedClaims++;
    const before = JSON.parse(d.held) as ClaimRecord;
    const after = JSON.parse(d.payload) as ClaimRecord;
    const p = before.diagnoses.map((x) => x.code);
    const f = after.diagnoses.map((x) => x.code);
    dx.push({ pipeline: p, final: f });
    cat.push({ pipeline: p.map((c) => c.slice(0, 3)), final: f.map((c) => c.slice(0, 3)) });
    px.push({ pipeline: lineCodes(before), final: lineCodes(after) });
    if (p[0] !== undefined && p[0] === f[0]) principal++;
    const gone = p.filter((c) => !f.includes(c));
    const extra = f.filter((c) => !p.includes(c));
    for (const g of gone) {
      const same = extra.find((e) => e.slice(0, 3) === g.slice(0, 3));
      if (same) bump(replaced, `${g}\u0000${same}`);
      else bump(removed, g);
    }
    for (const e of extra) if (!gone.some((g) => g.slice(0, 3) === e.slice(0, 3))) bump(added, e);
    before.lines.forEach((l, i) => {
      const a = after.lines[i];
      if (l.code && a?.code && l.code !== a.code) bump(replaced, `${l.code}\u0000${a.code}`);
    });
  }
  const answers = db.prepare(`SELECT action, count(*) AS n FROM resolutions r WHERE ${inPeriod} GROUP BY action ORDER BY n DESC, action`).all(from, to) as { action: string; n: number }[];
  const byUserRows = db.prepare(`SELECT user, action, count(*) AS n FROM resolutions r WHERE ${inPeriod} GROUP BY user, action`).all(from, to) as { user: string; action: string; n: number }[];
  const byUser = new Map<string, { user: string; release: number; recode: number; hold: number; void: number }>();
  for (const r of byUserRows) {
    const u = byUser.get(r.user) ?? { user: r.user, release: 0, recode: 0, hold: 0, void: 0 };
    // Edits that change one code or field count with recodes; assignments are not answers.
    const k = r.action === 'release' || r.action === 'hold' || r.action === 'void' || r.action === 'recode' ? r.action : r.action === 'assign' ? undefined : 'recode';
    if (k) u[k] += r.n;
    byUser.set(r.user, u);
  }
  const overrides = db.prepare(`SELECT e.code, count(*) AS n FROM resolutions r JOIN exceptions e ON e.run_id = r.claim_run_id AND e.exception_id = r.exception_id
                                WHERE r.action = 'release' AND e.severity = 'error' AND ${inPeriod} GROUP BY e.code ORDER BY n DESC, e.code`).all(from, to) as { code: string; n: number }[];
  const waits = (db.prepare(`SELECT s.first_seen, substr(r.applied_at, 1, 10) AS answered FROM resolutions r JOIN exception_status s ON s.exception_id = r.exception_id WHERE ${inPeriod}`)
    .all(from, to) as { first_seen: string; answered: string }[]).map((w) => ageInDays(w.first_seen, w.answered)).sort((a, b) => a - b);
  const open = db.prepare(`SELECT status, count(*) AS findings, count(DISTINCT source || char(0) || encounter_id) AS claims, min(first_seen) AS oldest
                           FROM exception_status WHERE status IN ('open', 'held') GROUP BY status ORDER BY status`).all() as { status: string; findings: number; claims: number; oldest: string }[];
  const dxAgreement = agreement(dx);
  return {
    period: { ...(period.from ? { from: period.from } : {}), ...(period.to ? { to: period.to } : {}) },
    reviewedClaims: reviewed, recodedClaims, recodeRate: ratio(recodedClaims, reviewed),
    diagnoses: { ...dxAgreement, principalAgreement: ratio(principal, reviewed), categoryAgreement: agreement(cat) },
    procedures: agreement(px),
    removed: top(removed), added: top(added),
    replaced: top(replaced).map(({ code, n }) => {
      const [a, b] = code.split('\u0000') as [string, string];
      return { from: a, to: b, n };
    }),
    compliance: {
      answers, byUser: [...byUser.values()].sort((a, b) => a.user.localeCompare(b.user)), overrides, voidedClaims,
      medianDaysToAnswer: waits.length > 0 ? waits[Math.floor(waits.length / 2)]! : null,
      openWork: open.map((o) => ({ status: o.status, findings: o.findings, claims: o.claims, oldestDays: ageInDays(o.oldest, today) })),
    },
  };
}

/** The report as plain text for a terminal or an email. */
export function accuracyText(r: AccuracyReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const agr = (a: Agreement) => `precision ${pct(a.precision)}, recall ${pct(a.recall)}, F1 ${a.f1.toFixed(3)} (${a.agreed} agreed of ${a.pipeline} pipeline / ${a.final} final)`;
  const lines = [
    `Coding accuracy and compliance${r.period.from || r.period.to ? `, answers ${r.period.from ?? '…'} to ${r.period.to ?? '…'}` : ''}`,
    ...(r.reviewedClaims === 0
      ? ['  no held claim was released by people in the period: nothing to compare yet']
      : [
          `  claims reviewed and released by people: ${r.reviewedClaims}; recoded: ${r.recodedClaims} (${pct(r.recodeRate)})`,
          `  diagnoses: ${agr(r.diagnoses)}`,
          `    principal diagnosis kept: ${pct(r.diagnoses.principalAgreement)}; categories: ${agr(r.diagnoses.categoryAgreement)}`,
          `  procedures: ${agr(r.procedures)}`,
          `  codes coders removed: ${r.removed.map((x) => `${x.code} ×${x.n}`).join(', ') || 'none'}`,
          `  codes coders added: ${r.added.map((x) => `${x.code} ×${x.n}`).join(', ') || 'none'}`,
          `  codes coders replaced: ${r.replaced.map((x) => `${x.from}→${x.to} ×${x.n}`).join(', ') || 'none'}`,
        ]),
    'Compliance',
    `  answers: ${r.compliance.answers.map((a) => `${a.action} ${a.n}`).join(', ') || 'none'}; claims voided: ${r.compliance.voidedClaims}`,
    `  error findings released without a change (overrides): ${r.compliance.overrides.map((o) => `${o.code} ${o.n}`).join(', ') || 'none'}`,
    `  by user: ${r.compliance.byUser.map((u) => `${u.user} (release ${u.release}, recode ${u.recode}, hold ${u.hold}, void ${u.void})`).join('; ') || 'none'}`,
    `  median days from finding to answer: ${r.compliance.medianDaysToAnswer ?? 'n/a'}`,
    `  open work: ${r.compliance.openWork.map((o) => `${o.status} ${o.findings} findings on ${o.claims} claims, oldest ${o.oldestDays} day(s)`).join('; ') || 'none'}`,
  ];
  return `${lines.join('\n')}\n`;
}
