import type { WorklistRow } from '../../resolve/worklist-rows.js';
import { payerOf, type Worklist, type WorklistSummary } from '../../resolve/worklist-summary.js';
import type { NightMetrics } from '../../run/night-metrics.js';
import { escapeHtml } from './escape-html.js';
import { barList, lineChart, pairedBars, sparkline } from './svg-charts.js';

export const AGE_BUCKETS: [string, number, number][] = [['0 days', 0, 0], ['1–2 days', 1, 2], ['3–7 days', 3, 7], ['8–30 days', 8, 30], ['over 30 days', 31, Infinity]];

export const ageBucket = (age: number) => AGE_BUCKETS.findIndex(([, lo, hi]) => age >= lo && age <= hi);

const money = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** A value safe in a space-separated data attribute (filters match whole words). */
const word = (v: string) => v.replace(/\s+/g, '_');

/** A small summary table with a caption. */
export function table(caption: string, head: string[], body: (string | number)[][], id?: string): string {
  return `<table class="summary"${id ? ` id="${id}"` : ''}><caption>${escapeHtml(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`
    + `<tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function tile(label: string, value: string | number, id: string): string {
  return `<div class="tile" id="tile-${id}"><b>${escapeHtml(value)}</b>${escapeHtml(label)}</div>`;
}

/** A checkbox group that filters a table on one data attribute (several values at once). */
export function multiFilter(key: string, label: string, values: Iterable<string>, counts?: Map<string, number>): string {
  const sorted = [...new Set(values)].sort();
  if (sorted.length === 0) return '';
  return `<details class="multi" data-filter="${escapeHtml(key)}"><summary>${escapeHtml(label)}<span class="count"></span></summary><fieldset><legend>${escapeHtml(label)}</legend>`
    + sorted.map((v) => `<label><input type="checkbox" data-filter="${escapeHtml(key)}" value="${escapeHtml(word(v))}"> ${escapeHtml(v)}${counts?.has(v) ? ` (${counts.get(v)})` : ''}</label>`).join('')
    + `</fieldset></details>`;
}

/** A header cell that sorts its table, by mouse or keyboard (it is a button). */
export function sortHead(label: string, type?: 'number', cls?: string): string {
  return `<th scope="col"${type ? ` data-type="${type}"` : ''}${cls ? ` class="${cls}"` : ''}><button type="button">${escapeHtml(label)}</button></th>`;
}

/** The queue in tiles: what needs a person this morning. */
export function queueTiles(worklist: WorklistSummary, autoReleaseRate: number | undefined, replacements: number, voids: number): string {
  return `<div class="tiles queue">${[
    tile('claims needing a person', worklist.claims, 'needing'),
    tile('new tonight', worklist.newClaims, 'new'),
    tile('dollars held', money(worklist.heldCents / 100), 'dollars'),
    // A night with nothing new to code (every record unchanged or quarantined) has no rate.
    autoReleaseRate === undefined ? tile('auto-release rate (nothing new to code)', '–', 'rate') : tile('auto-release rate', `${(autoReleaseRate * 100).toFixed(1)}%`, 'rate'),
    tile('replacement claims sent', replacements, 'replacements'),
    tile('void claims sent', voids, 'voids'),
  ].join('')}</div>\n`;
}

/**
 * The worklist table: one row per claim that needs a person, with its codes as they stand,
 * every open finding (action first, evidence under it), age, status, team, owner, hold
 * reason and note. Filters by status, team, payer and edit, several values at once. Yielded
 * a row at a time: joined, a million-encounter night's table was a string of tens of MB
 * built from its copies (the report's peak).
 */
export function* worklistSection(worklist: Worklist, providerNames: Readonly<Record<string, string>>): Iterable<string> {
  const s = worklist.summary;
  const controls = `<div class="controls" data-controls="worklist">`
    + `<label class="search">Search claims<input type="search" placeholder="encounter, patient, code, text…"></label>`
    + multiFilter('status', 'Status', s.byStatus.keys(), s.byStatus)
    + multiFilter('team', 'Team', s.byTeam.keys(), s.byTeam)
    + multiFilter('payer', 'Payer', s.byPayer.keys(), new Map([...s.byPayer].map(([payer, p]) => [payer, p.claims])))
    + multiFilter('code', 'Edit', s.byEdit.keys())
    + `<span>showing <b class="shown" id="worklist-shown">${s.claims}</b> of <b id="worklist-total">${s.claims}</b> claims</span></div>\n`;
  const head = `<table id="worklist" class="work" data-name="Worklist"><caption class="sr-only">Claims that need a person</caption><thead><tr>`
    + [sortHead('claim'), sortHead('payer'), sortHead('service'), sortHead('amount', 'number', 'num'), sortHead('codes'), sortHead('open findings'),
      sortHead('age', 'number', 'num'), sortHead('status'), sortHead('team / owner'), sortHead('hold reason / note'), sortHead('provider')].join('')
    + `</tr></thead><tbody>\n`;
  yield controls + head;
  for (const w of worklist.rows()) {
    const provider = w.billingNpi ? (providerNames[w.billingNpi] ?? w.providerName) : undefined;
    const findings = `<ul>${w.findings.map((f) => `<li><span class="sev-${escapeHtml(f.severity)}">${escapeHtml(f.code)}</span>${f.status === 'held' ? ' <span class="pill st-held">held</span>' : ''} ${escapeHtml(f.message)}`
      + `${f.evidence ? `<span class="small">evidence: ${escapeHtml(f.evidence)}</span>` : ''}<span class="small">${escapeHtml(f.exceptionId)} · ${escapeHtml(f.team)}</span></li>`).join('')}</ul>`;
    yield `<tr data-status="${escapeHtml(w.status)}" data-team="${escapeHtml(word(w.team))}" data-payer="${escapeHtml(word(payerOf(w)))}" data-code="${escapeHtml([...new Set(w.findings.map((f) => f.code))].join(' '))}">`
      + `<td data-sort="${escapeHtml(w.encounterId)}"><b>${escapeHtml(w.encounterId)}</b><span class="small">patient ${escapeHtml(w.patientId)} · ${escapeHtml(w.source)} · ${escapeHtml(w.claimType)}</span></td>`
      + `<td>${escapeHtml(payerOf(w))}</td>`
      + `<td data-sort="${escapeHtml(w.serviceFrom ?? '')}">${escapeHtml(w.serviceFrom ?? '')}${w.serviceTo && w.serviceTo !== w.serviceFrom ? ` to ${escapeHtml(w.serviceTo)}` : ''}</td>`
      + `<td class="num" data-sort="${w.amount}">${escapeHtml(money(w.amount))}</td>`
      + `<td class="codes">${codesHtml(w.codeParts)}</td>`
      + `<td class="msg" data-sort="${w.findings.length}">${findings}</td>`
      + `<td class="num" data-sort="${w.ageDays}">${w.ageDays}</td>`
      + `<td><span class="pill st-${escapeHtml(w.status)}">${escapeHtml(w.status)}</span></td>`
      + `<td>${escapeHtml(w.team)}${w.owner ? `<span class="small">owner ${escapeHtml(w.owner)}</span>` : ''}</td>`
      + `<td>${escapeHtml(w.holdReason ?? '')}${w.note ? `<span class="small">note: ${escapeHtml(w.note)}${w.updatedBy ? ` (${escapeHtml(w.updatedBy)})` : ''}</span>` : ''}</td>`
      + `<td>${provider ? `${escapeHtml(provider)}<span class="small">${escapeHtml(w.billingNpi)}</span>` : escapeHtml(w.billingNpi ?? '')}</td></tr>\n`;
  }
  yield `</tbody></table>\n`;
}

function codesHtml(p: WorklistRow['codeParts']): string {
  const part = (label: string, items: string[]) => (items.length > 0 ? `<span class="part"><abbr title="${escapeHtml(label === 'dx' ? 'diagnoses' : label === 'pcs' ? 'ICD-10-PCS procedures' : 'service lines: code-modifiers (diagnosis pointers)')}">${label}</abbr> ${items.map((i) => `<span class="code">${escapeHtml(i)}</span>`).join(' ')}</span>` : '');
  return part('dx', p.dx) + part('lines', p.lines) + part('pcs', p.pcs);
}

/** Trends over the last nights, dollars held by payer and age, top edits with their trend. */
export function chartsSection(worklist: WorklistSummary, trend: readonly NightMetrics[]): string {
  const nights = trend.map((t) => t.businessDate);
  const payers = [...worklist.byPayer].sort((a, b) => b[1].cents - a[1].cents || a[0].localeCompare(b[0])).slice(0, 10).map(([label, p]) => ({ label, value: p.cents / 100 }));
  const byAgeCents = AGE_BUCKETS.map(() => 0);
  for (const [age, cents] of worklist.centsByAge) byAgeCents[ageBucket(age)]! += cents;
  const byAge = AGE_BUCKETS.map(([label], i) => ({ label, value: byAgeCents[i]! / 100 }));
  const charts = `<div class="charts">`
    + lineChart('chart-rate', `Auto-release rate, last ${trend.length} night(s)`, trend.map((t) => ({ label: t.businessDate, value: t.autoReleaseRate })), 'percent')
    + pairedBars('chart-held', 'Claims needing a person and claims resolved, per night', nights,
      { name: 'needing a person', values: trend.map((t) => t.needingPerson) }, { name: 'resolved', values: trend.map((t) => t.resolvedClaims) })
    + lineChart('chart-dollars', 'Dollars held, per night', trend.map((t) => ({ label: t.businessDate, value: t.heldDollars })), 'dollars')
    + barList('chart-payer', 'Dollars held by payer (top 10)', payers, 'dollars')
    + barList('chart-age', 'Dollars held by age', byAge, 'dollars')
    + `</div>\n`;
  // Top edits: claims needing a person with the edit tonight, and the same count night by night.
  const top = [...worklist.byEdit].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10);
  const edits = `<table class="summary" id="top-edits"><caption>Top edits on claims needing a person, with their trend</caption><thead><tr><th scope="col">edit</th><th scope="col">claims</th><th scope="col">change since the night before</th><th scope="col">last ${trend.length} night(s)</th></tr></thead><tbody>`
    + top.map(([code, n]) => {
      const series = trend.map((t) => t.edits[code] ?? 0);
      const before = series.length >= 2 ? series[series.length - 2]! : 0;
      const delta = n - before;
      return `<tr><td>${escapeHtml(code)}</td><td>${n}</td><td>${delta > 0 ? `+${delta}` : delta}</td><td>${sparkline(series, `${code}, claims per night`)}</td></tr>`;
    }).join('')
    + `</tbody></table>\n`;
  return charts + edits;
}
