import { summarizePlaceholders } from '../x12/x12-files.js';
import type { ExceptionRow, QuarantineRow } from '../exceptions/exceptions-csv.js';

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
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every value that reaches the page goes through here: text and attribute values alike. */
export function escapeHtml(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const AGE_BUCKETS: [string, number, number][] = [['0 days', 0, 0], ['1–2 days', 1, 2], ['3–7 days', 3, 7], ['8–30 days', 8, 30], ['over 30 days', 31, Infinity]];

/** Findings and distinct claims of one group. */
class Tally {
  findings = 0;
  readonly claims = new Set<string>();

  add(r: ExceptionRow): void {
    this.findings++;
    this.claims.add(`${r.source}\u0000${r.encounterId}`);
  }
}

function tallyOf(m: Map<string, Tally>, key: string): Tally {
  let t = m.get(key);
  if (!t) m.set(key, (t = new Tally()));
  return t;
}

/** Warnings that travelled with released claims (status info) the table lists; the rest are in exceptions.csv. */
export const INFO_ROW_LIMIT = 5000;

function table(caption: string, head: string[], body: (string | number)[][], id?: string): string {
  return `<table class="summary"${id ? ` id="${id}"` : ''}><caption>${escapeHtml(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`
    + `<tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.meta{color:#57606a;margin:0 0 1rem}
.banner{border:1px solid #d4a72c;background:#fff8c5;border-radius:6px;padding:.5rem .8rem}
.tiles{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
.tile{border:1px solid #d0d7de;border-radius:6px;padding:.4rem .8rem;min-width:7rem}
.tile b{display:block;font-size:1.3rem}
.grid{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
table{border-collapse:collapse}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f6f8fa}
#findings th{cursor:pointer;user-select:none;white-space:nowrap}
#findings th[aria-sort=ascending]::after{content:" \\25B2"}#findings th[aria-sort=descending]::after{content:" \\25BC"}
#findings td.msg{min-width:16rem;max-width:28rem}#findings td.ev{max-width:24rem;font-size:12px;color:#24292f}
.sev-error{color:#a40e26;font-weight:600}.sev-warning{color:#7d4e00}
.controls{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;margin:.5rem 0}
.controls label{display:flex;flex-direction:column;font-size:12px;color:#57606a}
.controls input,.controls select{font:inherit;padding:.2rem .4rem}
.src{display:block;color:#57606a;font-size:11px}
tr[hidden]{display:none}
`;

const SCRIPT = `
(function(){
  var table=document.getElementById('findings');var body=table.tBodies[0];
  var rows=Array.prototype.slice.call(body.rows);
  var q=document.getElementById('filter');var sev=document.getElementById('severity');var st=document.getElementById('status');var code=document.getElementById('code');
  var shown=document.getElementById('shown');
  function apply(){
    var text=q.value.trim().toLowerCase();var n=0;
    rows.forEach(function(r){
      var ok=(!sev.value||r.getAttribute('data-severity')===sev.value)&&(!st.value||r.getAttribute('data-status')===st.value)&&(!code.value||r.getAttribute('data-code')===code.value)&&(!text||r.textContent.toLowerCase().indexOf(text)>=0);
      r.hidden=!ok;if(ok)n++;
    });
    shown.textContent=String(n);
  }
  [q,sev,st,code].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
  var heads=table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads,function(th,i){
    th.addEventListener('click',function(){
      var asc=th.getAttribute('aria-sort')!=='ascending';
      Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      var numeric=th.getAttribute('data-type')==='number';
      rows.sort(function(a,b){
        var x=a.cells[i].getAttribute('data-sort');var y=b.cells[i].getAttribute('data-sort');
        if(x===null)x=a.cells[i].textContent;if(y===null)y=b.cells[i].textContent;
        var c=numeric?(Number(x)-Number(y)):x.localeCompare(y);
        return asc?c:-c;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
  function fromAddress(){
    var p=new URLSearchParams(location.hash.slice(1));
    q.value=p.get('q')||'';sev.value=p.get('severity')||'';st.value=p.get('status')||'';code.value=p.get('code')||'';
    apply();
  }
  window.addEventListener('hashchange',fromAddress);
  fromAddress();
})();
`;

const money = (n: number) => n.toFixed(2);

/**
 * The operations report of a run, one self-contained HTML page (no external assets, a
 * Content-Security-Policy that forbids loading any), read in two passes so memory holds
 * counts, not rows: the run's totals, counts of open
 * work by edit, provider, status and age, every finding in a table that sorts by any
 * column and filters by text, severity, status and edit (also from the address:
 * `report.html#status=held&code=EDIT_MUE`), and the quarantined rows. Every value is HTML-escaped.
 */
export function* reportHtml(run: ReportRun, exceptions: () => Iterable<ExceptionRow>, quarantine: Iterable<QuarantineRow> = [], infoRowLimit = INFO_ROW_LIMIT): Iterable<string> {
  // First pass: the tallies (counts only, so memory does not grow with the night).
  const byCode = new Map<string, Tally>();
  const byProvider = new Map<string, Tally>();
  const byStatus = new Map<string, Tally>();
  const byAge = AGE_BUCKETS.map(() => new Tally());
  const severities = new Set<string>();
  const codes = new Set<string>();
  let total = 0;
  let info = 0;
  for (const r of exceptions()) {
    total++;
    const status = r.status ?? 'info';
    if (status === 'info') info++;
    severities.add(r.severity);
    codes.add(r.code);
    tallyOf(byCode, `${r.code}\u0000${r.severity}`).add(r);
    tallyOf(byStatus, status).add(r);
    if (status !== 'info') {
      tallyOf(byProvider, r.billingNpi ?? '(none)').add(r);
      const age = r.ageDays ?? 0;
      byAge[AGE_BUCKETS.findIndex(([, lo, hi]) => age >= lo && age <= hi)]!.add(r);
    }
  }
  const shownRows = total - Math.max(0, info - infoRowLimit);
  const c = run.counts;
  yield `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">`
    + `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`
    + `<meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>nightcode exceptions: ${escapeHtml(run.pipeline)} ${escapeHtml(run.businessDate)}</title><style>${STYLE}</style></head><body>\n`;
  yield `<h1>Exceptions and run report: ${escapeHtml(run.pipeline)}, night of ${escapeHtml(run.businessDate)}</h1>`
    + `<p class="meta">Run ${escapeHtml(run.runId)}, generated ${escapeHtml(run.generatedAt)}. Answer findings in a resolutions CSV (exception_id, action, codes, note, user) and apply it with <code>nightcode resolve FILE</code>.</p>\n`;
  const tile = (label: string, value: string | number, id: string) => `<div class="tile" id="tile-${id}"><b>${escapeHtml(value)}</b>${escapeHtml(label)}</div>`;
  const notReady = run.claimFiles.filter((f) => !f.ready);
  if (notReady.length > 0) {
    yield `<p class="banner" id="not-ready" role="alert"><b>Not ready to send:</b> ${notReady.length} claim file(s) carry placeholders for what the site has not configured `
      + `(${escapeHtml(summarizePlaceholders([...new Set(notReady.flatMap((f) => f.placeholders))]))}). Configure them in x12 (config) before sending; with x12.usage "P" such files are refused.</p>\n`;
  }
  yield `<h2>Run</h2><div class="tiles">${[
    tile('input records', c.input, 'input'), tile('released', c.released, 'released'), tile('exceptions (claims held)', c.exception, 'exception'),
    tile('quarantined', c.quarantined, 'quarantined'), tile('unchanged', c.unchanged, 'unchanged'),
    tile('auto-release rate', `${(run.autoReleaseRate * 100).toFixed(1)}%`, 'rate'),
    tile('released by resolutions', run.resolved.released, 'resolved'), tile('voided by resolutions', run.resolved.voided, 'voided'),
    tile('records/s', run.recordsPerSecond, 'throughput'), tile('seconds', (run.durationMs / 1000).toFixed(1), 'duration'),
  ].join('')}</div>\n`;
  const sorted = (m: Map<string, Tally>) => [...m.entries()].sort((a, b) => b[1].findings - a[1].findings || a[0].localeCompare(b[0]));
  yield `<div class="grid">`
    + table('Claim files', ['file', 'receiver', 'claims', 'total charge'], [
      ...run.claimFiles.map((f) => [f.name, f.ready ? f.receiver : `${f.receiver} (NOT READY: placeholders)`, f.claims, money(f.totalCharge)]),
      ...run.notReleased.map((f) => [f.name, f.reason === 'not-configured' ? 'NOT RELEASED: production file with placeholders' : 'NOT RELEASED: failed its self-check', f.claims, '']),
    ], 'claim-files')
    + table('Code-set versions used', ['system', 'version'], run.codeSets.map((v) => [v.system, v.version]), 'code-sets')
    + (run.codeSetWarnings.length > 0 ? table('Reference data to import', ['warning'], run.codeSetWarnings.map((w) => [w]), 'code-set-warnings') : '')
    + `</div>\n`
    + (run.resolutionFiles.length > 0
      ? `<h2>Resolutions files</h2>` + table('Applied before this run; a refused file changed nothing: fix the lines named and it is applied next run', ['file', 'status', 'answers applied', 'problems'],
        run.resolutionFiles.map((f) => [f.file, f.status, f.applied, f.problems.slice(0, 20).join(' | ')]), 'resolution-files')
      : '')
    + `<h2>Findings</h2><div class="grid">`
    + table('By edit (top first)', ['edit', 'severity', 'findings', 'claims'], sorted(byCode).map(([k, t]) => [...k.split('\u0000'), t.findings, t.claims.size]), 'by-edit')
    + table('Open work by billing provider', ['billing NPI', 'findings', 'claims held'], sorted(byProvider).map(([k, t]) => [k, t.findings, t.claims.size]), 'by-provider')
    + table('By status', ['status', 'findings', 'claims'], [...byStatus.entries()].sort().map(([k, t]) => [k, t.findings, t.claims.size]), 'by-status')
    + table('Open work by age', ['age', 'findings', 'claims'], AGE_BUCKETS.map(([label], i) => [label, byAge[i]!.findings, byAge[i]!.claims.size]), 'by-age')
    + `</div>\n`;
  const options = (values: Iterable<string>) => [...new Set(values)].sort().map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`).join('');
  yield `<h2>All findings</h2><div class="controls">`
    + `<label>Search<input id="filter" type="search" placeholder="encounter, code, text…"></label>`
    + `<label>Severity<select id="severity"><option value="">all</option>${options(severities)}</select></label>`
    + `<label>Status<select id="status"><option value="">all</option>${options(byStatus.keys())}</select></label>`
    + `<label>Edit<select id="code"><option value="">all</option>${options(codes)}</select></label>`
    + `<span>showing <b id="shown">${shownRows}</b> of <b id="total">${shownRows}</b></span></div>\n`
    + (shownRows < total ? `<p class="meta" id="info-cut">The table lists every finding of held claims and the first ${infoRowLimit} warnings that travelled with released claims; all ${info} are in exceptions.csv.</p>\n` : '');
  const heads: [string, string?][] = [['exception id'], ['status'], ['age (days)', 'number'], ['severity'], ['edit'], ['encounter'], ['patient'], ['billing NPI'],
    ['message'], ['codes'], ['evidence and source'], ['suggested action'], ['table version']];
  yield `<table id="findings"><thead><tr>${heads.map(([h, t]) => `<th scope="col"${t ? ` data-type="${t}"` : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n`;
  let infoShown = 0;
  for (const r of exceptions()) {
    if ((r.status ?? 'info') === 'info' && ++infoShown > infoRowLimit) continue;
    const where = r.sourceFile ? `${r.sourceFile}${r.sourceLine !== undefined ? `:${r.sourceLine}` : ''}${r.sourcePath ? ` ${r.sourcePath}` : ''}` : r.sourcePath ?? '';
    yield `<tr data-severity="${escapeHtml(r.severity)}" data-status="${escapeHtml(r.status ?? 'info')}" data-code="${escapeHtml(r.code)}">`
      + `<td>${escapeHtml(r.exceptionId)}</td><td>${escapeHtml(r.status ?? 'info')}</td><td data-sort="${r.ageDays ?? -1}">${escapeHtml(r.ageDays)}</td>`
      + `<td class="sev-${escapeHtml(r.severity)}">${escapeHtml(r.severity)}</td><td>${escapeHtml(r.code)}</td><td>${escapeHtml(r.encounterId)}</td>`
      + `<td>${escapeHtml(r.patientId)}</td><td>${escapeHtml(r.billingNpi)}</td><td class="msg">${escapeHtml(r.message)}</td><td>${escapeHtml(r.codes)}</td>`
      + `<td class="ev">${escapeHtml(r.evidence)}${where ? `<span class="src">${escapeHtml(where)}</span>` : ''}</td><td>${escapeHtml(r.action)}</td><td>${escapeHtml(r.tableVersion)}</td></tr>\n`;
  }
  yield `</tbody></table>\n`;
  const unreadable = [...quarantine];
  yield `<h2>Quarantined (${unreadable.length})</h2>`
    + table('Rows that could not be read: fix the export; the next run picks them up', ['file', 'line', 'role', 'encounter', 'problem', 'message'],
      unreadable.map((q) => [q.file, q.line ?? '', q.role, q.encounterId ?? '', q.code, q.message]), 'quarantine');
  yield `\n<script>${SCRIPT}</script></body></html>\n`;
}
