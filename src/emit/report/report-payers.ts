import type { PayerAnalytics } from '../../payer/payer-analytics.js';
import type { PayerFileResult } from '../../payer/import-responses.js';
import { table, tile } from './report-worklist.js';
import { barList, lineChart } from './svg-charts.js';

const money = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

/**
 * The report's payer section: what came back (the response files read tonight), where the
 * claims stand, the denial rate over time, the reasons, payers, codes and edits behind the
 * dollars denied, and the coverage policies proposed from repeated denials.
 */
export function payersSection(a: PayerAnalytics | undefined, files: readonly PayerFileResult[]): string {
  let out = `<section aria-labelledby="h-payers"><h2 id="h-payers">Payers: answers, denials and what they cost</h2>\n`;
  if (files.length > 0) {
    out += table('Response files read before this run (999, 277CA, 835); a quarantined file changed nothing', ['file', 'kind', 'status', 'responses', 'matched', 'unmatched', 'read before', 'problem'],
      files.map((f) => [f.file.split('/').at(-1) ?? f.file, f.kind ?? '', f.status, f.responses, f.matched, f.unmatched, f.duplicates, f.code ? `${f.code} at segment ${f.segment}: ${f.message}` : '']), 'payer-files');
  }
  if (!a) return `${out}</section>\n`;
  const total = a.byPayer.reduce((s, p) => ({ adjudicated: s.adjudicated + p.adjudicated, denied: s.denied + p.denied, dollars: s.dollars + p.deniedDollars, paid: s.paid + p.paidDollars }), { adjudicated: 0, denied: 0, dollars: 0, paid: 0 });
  out += `<div class="tiles">${[
    tile('claims adjudicated', total.adjudicated, 'adjudicated'), tile('denied in whole or part', total.denied, 'denied'),
    tile('denial rate', total.adjudicated ? pct(total.denied / total.adjudicated) : '–', 'denial-rate'),
    tile('dollars denied', money(total.dollars), 'denied-dollars'), tile('dollars paid', money(total.paid), 'paid-dollars'),
    ...Object.entries(a.lifecycle).map(([s, n]) => tile(`claims ${s}`, n, `lifecycle-${s}`)),
  ].join('')}</div>\n`;
  out += `<div class="charts">`
    + lineChart('chart-denial-rate', `Denial rate by date of the payer's answer, last ${a.trend.length} day(s)`, a.trend.map((t) => ({ label: t.date, value: t.denialRate })), 'percent')
    + lineChart('chart-denied-dollars', 'Dollars denied by date of the payer\'s answer', a.trend.map((t) => ({ label: t.date, value: t.deniedDollars })), 'dollars')
    + barList('chart-denial-reasons', 'Top denial reasons by dollars (CARC)', a.reasons.slice(0, 10).map((r) => ({ label: r.reason, value: r.dollars })), 'dollars')
    + `</div>\n<div class="grid">`
    + table('Denials by payer', ['payer', 'adjudicated', 'denied', 'denial rate', 'rejected before adjudication', 'dollars denied', 'dollars paid'],
      a.byPayer.map((p) => [p.payer, p.adjudicated, p.denied, pct(p.denialRate), p.rejected, money(p.deniedDollars), money(p.paidDollars)]), 'denials-by-payer')
    + table('Denials by reason', ['reason', 'what it means', 'claims', 'dollars'], a.reasons.map((r) => [r.reason, r.text, r.claims, money(r.dollars)]), 'denials-by-reason')
    + table('Denials by procedure code', ['code', 'claims', 'dollars'], a.codes.slice(0, 25).map((c) => [c.code, c.claims, money(c.dollars)]), 'denials-by-code')
    + table('Denied claims by the warning our edits raised before sending ("none": nothing predicted it)', ['edit', 'denied claims'], a.edits.map((e) => [e.edit, e.denied]), 'denials-by-edit')
    + `</div>\n`;
  out += `<h3 id="h-proposals">Coverage policies proposed from repeated denials (${a.proposals.filter((p) => p.status === 'proposed').length} to decide)</h3>`
    + `<p class="meta">Each: the payer denied the procedure for medical necessity with that diagnosis on several claims and never paid it with it, and paid it with the diagnoses listed. `
    + `Accept one with <code>nightcode remit rules --accept ID --user NAME</code>: every later run holds such claims before they go (EDIT_MEDICAL_NECESSITY); <code>--dismiss ID</code> stops proposing it.</p>`
    + table('Proposals', ['id', 'payer', 'procedure', 'denied with', 'claims denied', 'dollars', 'reasons', 'paid with', 'status'],
      a.proposals.map((p) => [p.id, p.payer, p.procedure, p.deniedDiagnosis, p.claims, money(p.dollars), p.reasons.join(' '), p.diagnoses.join(' '), p.decidedBy ? `${p.status} by ${p.decidedBy}` : p.status]), 'payer-proposals');
  return `${out}</section>\n`;
}
