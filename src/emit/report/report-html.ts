import { summarizePlaceholders } from '../x12/x12-files.js';
import type { ExceptionRow, QuarantineRow } from '../exceptions/exceptions-csv.js';
import { actionFirst } from '../../resolve/worklist-rows.js';
import type { Worklist } from '../../resolve/worklist-summary.js';
import type { NightMetrics } from '../../run/night-metrics.js';
import { escapeHtml } from './escape-html.js';
import { SCRIPT, STYLE } from './report-assets.js';
import { AGE_BUCKETS, ageBucket, chartsSection, multiFilter, queueTiles, sortHead, table, tile, worklistSection } from './report-worklist.js';
import { payersSection } from './report-payers.js';
import type { PayerAnalytics } from '../../payer/payer-analytics.js';
import type { PayerFileResult } from '../../payer/import-responses.js';

export { escapeHtml } from './escape-html.js';

/** What the run section of the report shows (a subset of the run summary). */
export interface ReportRun {
  runId: number;
  pipeline: string;
  businessDate: string;
  generatedAt: string;
  counts: { input: number; released: number; exception: number; quarantined: number; unchanged: number };
  resolved: { released: number; voided: number; voidClaims: number };
  autoReleaseRate: number;
  durationMs: number;
  recordsPerSecond: number;
  codeSets: { system: string; version: string }[];
  claimFiles: { name: string; receiver: string; claims: number; totalCharge: number; ready: boolean; placeholders: string[] }[];
  /** Dates without an ICD-10-CM version, and lists older than the dates they served. */
  codeSetWarnings: string[];
  notReleased: { name: string; claims: number; reason: 'self-check' | 'not-configured' }[];
  /** Resolutions files applied from the inbox before this run, or refused with their problems. */
  resolutionFiles: { file: string; status: string; applied: number; problems: string[] }[];
  /** Claims needing a person (the first table). */
  worklist?: Worklist;
  /** The pipeline's last nights, oldest first (trends). */
  trend?: readonly NightMetrics[];
  /** Names by NPI (config x12.billingProviders and providerNames). */
  providerNames?: Readonly<Record<string, string>>;
  /** Replacement and void claims in this run's files. */
  replacements?: number;
  voids?: number;
  /** Payers' answers: denial analytics and proposed coverage policies (when any claim has an answer). */
  payers?: PayerAnalytics;
  /** Response files this run read from its payer inbox. */
  payerFiles?: readonly PayerFileResult[];
}

/** Findings and distinct claims of one group (claims by number: see claimNumbers). */
class Tally {
  findings = 0;
  readonly claims = new Set<number>();
  /** Claims counted where the findings are stored, none of them among `claims`. */
  countedElsewhere = 0;

  add(claim: number): void {
    this.findings++;
    this.claims.add(claim);
  }

  get claimCount(): number {
    return this.claims.size + this.countedElsewhere;
  }
}

/**
 * A number per claim (source and encounter), so the tallies' sets hold small integers: one
 * string per claim in all, where each tally held its own (five per held claim).
 */
function claimNumbers(): (r: ExceptionRow) => number {
  const numbers = new Map<string, number>();
  return (r) => {
    const key = `${r.source}\u0000${r.encounterId}`;
    let n = numbers.get(key);
    if (n === undefined) numbers.set(key, (n = numbers.size));
    return n;
  };
}

/** The distinct claims (source and encounter) of some findings, counted in memory (small callers). */
function distinctClaims(rows: Iterable<ExceptionRow>): number {
  const claims = new Set<string>();
  for (const r of rows) claims.add(`${r.source}\u0000${r.encounterId}`);
  return claims.size;
}

function tallyOf(m: Map<string, Tally>, key: string): Tally {
  let t = m.get(key);
  if (!t) m.set(key, (t = new Tally()));
  return t;
}

/** Warnings that travelled with released claims (status info) the report lists; all are in released-warnings.csv. */
export const INFO_ROW_LIMIT = 5000;


const money = (n: number) => n.toFixed(2);

function findingRow(r: ExceptionRow, providerNames: Readonly<Record<string, string>>): string {
  const where = r.sourceFile ? `${r.sourceFile}${r.sourceLine !== undefined ? `:${r.sourceLine}` : ''}${r.sourcePath ? ` ${r.sourcePath}` : ''}` : r.sourcePath ?? '';
  const provider = r.billingNpi ? providerNames[r.billingNpi] : undefined;
  return `<tr data-severity="${escapeHtml(r.severity)}" data-status="${escapeHtml(r.status ?? 'info')}" data-code="${escapeHtml(r.code)}">`
    + `<td>${escapeHtml(r.exceptionId)}</td><td>${escapeHtml(r.status ?? 'info')}</td><td class="num" data-sort="${r.ageDays ?? -1}">${escapeHtml(r.ageDays)}</td>`
    + `<td class="sev-${escapeHtml(r.severity)}">${escapeHtml(r.severity)}</td><td>${escapeHtml(r.code)}</td><td>${escapeHtml(r.encounterId)}<span class="small">patient ${escapeHtml(r.patientId)}</span></td>`
    + `<td>${provider ? `${escapeHtml(provider)}<span class="small">${escapeHtml(r.billingNpi)}</span>` : escapeHtml(r.billingNpi)}</td><td class="msg">${escapeHtml(actionFirst(r.code, r.action, r.message))}</td><td class="codes">${escapeHtml(r.codes)}</td>`
    + `<td>${escapeHtml(r.evidence)}${where ? `<span class="src">${escapeHtml(where)}</span>` : ''}</td><td>${escapeHtml(r.action)}</td><td>${escapeHtml(r.tableVersion)}</td></tr>\n`;
}

const FINDING_HEADS: [string, ('number' | undefined)?][] = [['finding id'], ['status'], ['age', 'number'], ['severity'], ['edit'], ['encounter'], ['billing provider'],
  ['message'], ['codes'], ['evidence and source'], ['suggested action'], ['table version']];

/** Column widths of the findings tables (fixed layout: the page fits 1,280 px whatever the values). */
const FINDING_COLS = `<colgroup>${['w3', 'w2', 'w1', 'w2', 'w3', 'w2', 'w3', 'w5', 'w2', 'w4', 'w2', 'w2'].map((w) => `<col class="${w}">`).join('')}</colgroup>`;

/**
 * The morning report of a run, one self-contained HTML page (no external assets, a
 * Content-Security-Policy that forbids loading any): first the queue (tiles, then the
 * worklist of claims that need a person, filterable by status, team, payer and edit,
 * several values at once, and sortable by keyboard), then trends over the last nights and
 * dollars held by payer and age as inline SVG, the run's totals and files, counts of open
 * work by edit (errors first), provider, status and age, every finding of held claims, the
 * warnings that travelled with released claims (their own section), and the quarantine.
 * Findings are read in two passes per stream (tallies, then rows; the warnings' second pass
 * stops at the limit, and their first is a count where they are stored when the caller
 * gives one), so memory holds counts, not rows. Every value is
 * HTML-escaped. Filters also come from the address: `report.html#status=held&code=EDIT_MUE`.
 */
/** A run's findings as two streams: those of held claims (tonight's, then carried over) and the warnings that travelled with released claims. */
export interface ReportFindings {
  held: () => Iterable<ExceptionRow>;
  warnings: () => Iterable<ExceptionRow>;
  /**
   * The distinct claims (source and encounter) of `warnings`, counted where they are stored.
   * Without it the report counts them in memory, a key per claim: a big night's warnings
   * name most released claims (a 1M-encounter night: ~600k claims, the emit step's peak RSS).
   */
  warningClaims?: () => number;
  /** How many `warnings` there are, counted where they are stored; without it the report reads them once to count. */
  warningCount?: () => number;
}

/** Findings of one mixed stream, split by status (tests and small callers). */
export function splitFindings(rows: () => Iterable<ExceptionRow>): ReportFindings {
  return {
    held: function* () { for (const r of rows()) if ((r.status ?? 'info') !== 'info') yield r; },
    warnings: function* () { for (const r of rows()) if ((r.status ?? 'info') === 'info') yield r; },
  };
}

export function* reportHtml(run: ReportRun, findings: ReportFindings, quarantine: Iterable<QuarantineRow> = [], infoRowLimit = INFO_ROW_LIMIT): Iterable<string> {
  const providerNames = run.providerNames ?? {};
  // First pass: the tallies (counts only, so memory does not grow with the night).
  const byCode = new Map<string, Tally>();
  const byProvider = new Map<string, Tally>();
  const byStatus = new Map<string, Tally>();
  const byAge = AGE_BUCKETS.map(() => new Tally());
  const severities = new Set<string>();
  const statuses = new Set<string>();
  const codes = new Set<string>();
  let held = 0;
  let info = 0;
  const claimOf = claimNumbers();
  // Warnings are the findings of released records, held findings those of held ones (a
  // record's findings share its state, also when the emit demotes it): no claim is among
  // both, so the warnings' claims, counted apart, add to the held claims of status "info".
  if (findings.warningCount) info = findings.warningCount();
  else for (const _ of findings.warnings()) info++;
  if (info > 0) {
    const t = tallyOf(byStatus, 'info');
    t.findings += info;
    t.countedElsewhere = findings.warningClaims ? findings.warningClaims() : distinctClaims(findings.warnings());
  }
  for (const r of findings.held()) {
    const status = r.status ?? 'open';
    const claim = claimOf(r);
    tallyOf(byStatus, status).add(claim);
    held++;
    severities.add(r.severity);
    statuses.add(status);
    codes.add(r.code);
    tallyOf(byCode, `${r.code}\u0000${r.severity}`).add(claim);
    tallyOf(byProvider, r.billingNpi ?? '(none)').add(claim);
    byAge[ageBucket(r.ageDays ?? 0)]!.add(claim);
  }
  const c = run.counts;
  yield `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">`
    + `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`
    + `<meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>nightcode morning report: ${escapeHtml(run.pipeline)} ${escapeHtml(run.businessDate)}</title><style>${STYLE}</style></head><body>\n`
    + `<header><h1>Morning worklist and run report: ${escapeHtml(run.pipeline)}, night of ${escapeHtml(run.businessDate)}</h1>`
    + `<p class="meta">Run ${escapeHtml(run.runId)}, generated ${escapeHtml(run.generatedAt)}. Answer in worklist.csv (fill action, target, codes, hold_reason, note, user, owner or team on a claim's row; add rows for more answers) `
    + `and apply it with <code>nightcode resolve worklist.csv</code>, or put it in the resolutions inbox for the next run.</p></header>\n<main>\n<p id="live" class="sr-only" aria-live="polite"></p>\n`;
  const notReady = run.claimFiles.filter((f) => !f.ready);
  if (notReady.length > 0) {
    yield `<p class="banner" id="not-ready" role="alert"><b>Not ready to send:</b> ${notReady.length} claim file(s) carry placeholders for what the site has not configured `
      + `(${escapeHtml(summarizePlaceholders([...new Set(notReady.flatMap((f) => f.placeholders))]))}). Configure them in x12 (config) before sending; with x12.usage "P" such files are refused.</p>\n`;
  }
  const worklist = run.worklist;
  if (worklist) {
    yield `<section aria-labelledby="h-queue"><h2 id="h-queue">The queue this morning</h2>${queueTiles(worklist.summary, c.released + c.exception > 0 ? run.autoReleaseRate : undefined, run.replacements ?? 0, run.voids ?? 0)}`
      + `<h2 id="h-worklist">Worklist: claims that need a person (${worklist.summary.claims})</h2>`;
    yield* worklistSection(worklist, providerNames);
    yield `</section>\n`;
    yield `<section aria-labelledby="h-trends"><h2 id="h-trends">Trends and dollars held</h2>${chartsSection(worklist.summary, run.trend ?? [])}</section>\n`;
  }
  if (run.payers || run.payerFiles?.length) yield payersSection(run.payers, run.payerFiles ?? []);
  yield `<section aria-labelledby="h-run"><h2 id="h-run">Run</h2><div class="tiles">${[
    tile('input records', c.input, 'input'), tile('released', c.released, 'released'), tile('exceptions (claims held)', c.exception, 'exception'),
    tile('quarantined', c.quarantined, 'quarantined'), tile('unchanged', c.unchanged, 'unchanged'),
    ...(worklist ? [] : [tile('auto-release rate', `${(run.autoReleaseRate * 100).toFixed(1)}%`, 'rate')]),
    tile('released by resolutions', run.resolved.released, 'resolved'), tile('voided by resolutions', run.resolved.voided, 'voided'),
    tile('records/s', run.recordsPerSecond, 'throughput'), tile('seconds', (run.durationMs / 1000).toFixed(1), 'duration'),
  ].join('')}</div>\n`;
  // Open work by edit: errors first (they hold claims), then by claims.
  const byEdit = [...byCode.entries()].sort((a, b) => (a[0].endsWith('\u0000error') ? 0 : 1) - (b[0].endsWith('\u0000error') ? 0 : 1) || b[1].claimCount - a[1].claimCount || a[0].localeCompare(b[0]));
  const sorted = (m: Map<string, Tally>) => [...m.entries()].sort((a, b) => b[1].findings - a[1].findings || a[0].localeCompare(b[0]));
  yield `<div class="grid">`
    + table('Claim files', ['file', 'receiver', 'claims', 'total charge'], [
      ...run.claimFiles.map((f) => [f.name, f.ready ? f.receiver : `${f.receiver} (NOT READY: placeholders)`, f.claims, money(f.totalCharge)]),
      ...run.notReleased.map((f) => [f.name, f.reason === 'not-configured' ? 'NOT RELEASED: production file with placeholders' : 'NOT RELEASED: failed its self-check', f.claims, '']),
    ], 'claim-files')
    + table('Code-set versions used', ['system', 'version'], run.codeSets.map((v) => [v.system, v.version]), 'code-sets')
    + (run.codeSetWarnings.length > 0 ? table('Reference data to import', ['warning'], run.codeSetWarnings.map((w) => [w]), 'code-set-warnings') : '')
    + `</div></section>\n`
    + (run.resolutionFiles.length > 0
      ? `<section aria-labelledby="h-resolutions"><h2 id="h-resolutions">Resolutions files</h2>` + table('Applied before this run; a refused file changed nothing: fix the lines named and it is applied next run', ['file', 'status', 'answers applied', 'problems'],
        run.resolutionFiles.map((f) => [f.file, f.status, f.applied, f.problems.slice(0, 20).join(' | ')]), 'resolution-files') + `</section>\n`
      : '')
    + `<section aria-labelledby="h-findings"><h2 id="h-findings">Open findings of held claims</h2><div class="grid">`
    + table('By edit (errors first)', ['edit', 'severity', 'findings', 'claims'], byEdit.map(([k, t]) => [...k.split('\u0000'), t.findings, t.claimCount]), 'by-edit')
    + table('Open work by billing provider', ['billing provider', 'NPI', 'findings', 'claims held'], sorted(byProvider).map(([k, t]) => [providerNames[k] ?? '', k, t.findings, t.claimCount]), 'by-provider')
    + table('By status', ['status', 'findings', 'claims'], [...byStatus.entries()].sort().map(([k, t]) => [k, t.findings, t.claimCount]), 'by-status')
    + table('Open work by age', ['age', 'findings', 'claims'], AGE_BUCKETS.map(([label], i) => [label, byAge[i]!.findings, byAge[i]!.claimCount]), 'by-age')
    + `</div>\n`;
  yield `<h3>Every finding of held claims</h3><div class="controls" data-controls="findings">`
    + `<label class="search">Search findings<input type="search" placeholder="encounter, code, text…"></label>`
    + multiFilter('severity', 'Severity', severities) + multiFilter('status', 'Status', statuses) + multiFilter('code', 'Edit', codes)
    + `<span>showing <b class="shown" id="shown">${held}</b> of <b id="total">${held}</b></span></div>\n`
    + `<table id="findings" class="work" data-name="Findings"><caption class="sr-only">Every open finding of held claims</caption>${FINDING_COLS}<thead><tr>${FINDING_HEADS.map(([h, t]) => sortHead(h, t, t ? 'num' : undefined)).join('')}</tr></thead><tbody>\n`;
  for (const r of findings.held()) yield findingRow(r, providerNames);
  yield `</tbody></table></section>\n`;
  yield `<section aria-labelledby="h-warnings"><h2 id="h-warnings">Warnings on released claims (${info})</h2>`
    + `<p class="meta">These claims went out; the warnings are for review and learning, not for tonight's queue. All are in released-warnings.csv${info > infoRowLimit ? `; the first ${infoRowLimit} are listed here` : ''}.</p>`
    + (info > infoRowLimit ? `<p class="meta" id="info-cut">The list shows the first ${infoRowLimit} warnings that travelled with released claims; all ${info} are in released-warnings.csv.</p>` : '')
    + `<details class="released-warnings"><summary>Show the warnings</summary><table id="released-warnings" class="work"><caption class="sr-only">Warnings that travelled with released claims</caption>${FINDING_COLS}<thead><tr>${FINDING_HEADS.map(([h]) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n`;
  let infoShown = 0;
  for (const r of findings.warnings()) {
    if (++infoShown > infoRowLimit) break;
    yield findingRow(r, providerNames);
  }
  yield `</tbody></table></details></section>\n`;
  const unreadable = [...quarantine];
  yield `<section aria-labelledby="h-quarantine"><h2 id="h-quarantine">Quarantined (${unreadable.length})</h2>`
    + table('Rows that could not be read: fix the export; the next run picks them up', ['file', 'line', 'role', 'encounter', 'problem', 'message'],
      unreadable.map((q) => [q.file, q.line ?? '', q.role, q.encounterId ?? '', q.code, q.message]), 'quarantine') + `</section>`;
  yield `\n</main><script>${SCRIPT}</script></body></html>\n`;
}
