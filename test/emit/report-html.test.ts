import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import type { ExceptionRow } from '../../src/emit/exceptions/exceptions-csv.js';
import { escapeHtml, reportHtml, splitFindings, type ReportRun } from '../../src/emit/report/report-html.js';
import type { WorklistRow } from '../../src/resolve/worklist-rows.js';
import { worklistOf } from '../../src/resolve/worklist-summary.js';
import type { NightMetrics } from '../../src/run/night-metrics.js';
import { tempDir } from '../helpers/tmp.js';

/** What the tests read of the page inside the browser (page.evaluate runs there; the project compiles without DOM types). */
type BrowserPage = { document: { documentElement: { scrollWidth: number } } };

const RUN: ReportRun = {
  runId: 7, pipeline: 'nightly-csv', businessDate: '2026-11-27', generatedAt: '2026-11-28T02:00:00.000Z',
  counts: { input: 10, released: 6, exception: 3, quarantined: 1, unchanged: 0 }, resolved: { released: 1, voided: 0, voidClaims: 0 },
  autoReleaseRate: 0.667, durationMs: 1234, recordsPerSecond: 8, codeSets: [{ system: 'ICD-10-CM', version: '2021' }],
  claimFiles: [{ name: 'MEDICARE-837P.837', receiver: 'MEDICARE', claims: 6, totalCharge: 1234.5, ready: false, placeholders: ['receiver MEDICARE (x12.receivers)', 'billing provider 1234567893 (x12.billingProviders)'] }],
  notReleased: [], codeSetWarnings: ['MCE lists 2020 (v37) (fiscal year 2020) is applied to dates of service in fiscal year 2021: import the MCE lists of that year'],
  resolutionFiles: [{ file: 'inbox/a.csv', status: 'refused', applied: 0, problems: ['line 3: action "<ok>" must be one of release, recode, hold, void'] }],
};


const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

function claim(i: number, extra: Partial<WorklistRow> = {}): WorklistRow {
  return {
    source: 'EHR', encounterId: `E${i}`, patientId: `P${i}`, claimType: '837P', payerId: i % 2 ? 'MCR01' : 'BLUE01', payerName: i % 2 ? 'Medicare' : 'Blue Plan',
    serviceFrom: '2026-11-2' + (i % 8), serviceTo: '2026-11-2' + (i % 8), amount: 100 * (i + 1), claimCodes: `dx: 1 E11.9 | lines: 1 99213 (1)`,
    codeParts: { dx: ['1 E11.9', `2 I10`], lines: ['1 99213-25 (1,2)'], pcs: [] }, billingNpi: '1234567893',
    status: i < 2 ? 'new' : i < 4 ? 'held' : 'open', firstSeen: '2026-11-20', ageDays: i * 3, team: i % 3 === 0 ? 'registration' : 'coding', teams: ['coding'],
    ...(i === 2 ? { owner: 'ana', holdReason: 'waiting on Dr. Lee', note: 'queried 11/26', updatedBy: 'ana' } : {}),
    findings: [{ exceptionId: `EX${String(i).padStart(16, '0')}`, code: i % 2 ? 'EDIT_NPI_INVALID' : 'CODE_LOW_CONFIDENCE', severity: 'error', message: `Review: finding ${i}`, evidence: `evidence ${i}`, team: 'coding', status: 'open', firstSeen: '2026-11-20' }],
    claimRunId: 7, ...extra,
  };
}

const WORKLIST: WorklistRow[] = [...Array.from({ length: 6 }, (_, i) => claim(i)), claim(6, { encounterId: 'E<6>', findings: [{ exceptionId: 'EX0000000000000006', code: 'EDIT_<b>', severity: 'error', message: HOSTILE, team: 'billing', status: 'open', firstSeen: '2026-11-20' }] })];

const TREND: NightMetrics[] = ['2026-11-25', '2026-11-26', '2026-11-27'].map((d, i) => ({
  runId: 5 + i, pipeline: 'nightly-csv', businessDate: d, released: 90 + i, held: 10 - i, autoReleaseRate: [0.8, 0.85, 0.667][i]!, needingPerson: [12, 9, 7][i]!,
  newClaims: 3, resolvedClaims: [0, 4, 5][i]!, heldDollars: [1500, 1200, 2800][i]!, replacements: i, voids: 0, edits: { EDIT_NPI_INVALID: [5, 4, 3][i]!, CODE_LOW_CONFIDENCE: [2, 3, 4][i]! },
}));

function row(i: number, extra: Partial<ExceptionRow> = {}): ExceptionRow {
  return {
    exceptionId: `EX${String(i).padStart(16, '0')}`, runId: 7, businessDate: '2026-11-27', source: 'EHR', encounterId: `E${i}`, recordState: 'exception',
    patientId: `P${i}`, billingNpi: i % 2 ? '1234567893' : '1245319599', severity: i % 3 ? 'error' : 'warning', code: i % 2 ? 'EDIT_NPI_INVALID' : 'CODE_LOW_CONFIDENCE',
    stage: 'validate', message: `finding ${i}`, evidence: `evidence ${i}`, sourceFile: 'notes.csv', sourceLine: i + 1, action: 'review',
    status: i < 3 ? 'new' : 'held', firstSeen: '2026-11-20', ageDays: i, ...extra,
  };
}

const ROWS = [...Array.from({ length: 12 }, (_, i) => row(i)), row(12, { message: HOSTILE, evidence: `"' onmouseover="alert(2)`, code: 'EDIT_<b>' })];

describe('the HTML exceptions report', () => {
  const html = [...reportHtml(RUN, splitFindings(() => ROWS), [{ runId: 7, role: 'encounters', file: 'encounters.csv', line: 9, encounterId: 'E<9>', code: 'INGEST_INVALID_DATE', message: 'ServiceDate "<x>" is not a date' }])].join('');

  test('is self-contained and escapes every value', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>"');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&quot;&#39; onmouseover=&quot;alert(2)');
    expect(html).not.toMatch(/(src|href)=["']?(https?:|\/\/)/);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain(`content="default-src 'none'`);
  });

  test('lists every finding of held claims, and warnings on released claims up to a limit', () => {
    const rows = [...ROWS, ...[20, 21, 22, 23].map((i) => row(i, { status: 'info', recordState: 'released' }))];
    const cut = [...reportHtml(RUN, splitFindings(() => rows), [], 2)].join('');
    expect(cut.match(/<tr data-severity/g)).toHaveLength(ROWS.length + 2);
    expect(cut).toContain('the first 2 warnings that travelled with released claims; all 4 are in released-warnings.csv');
    // The findings table is the held claims' findings; the warnings have their own section.
    expect(cut).toMatch(/id="shown">13<\/b> of <b id="total">13</);
    expect(/<table id="released-warnings".*?<\/table>/s.exec(cut)![0].match(/<tr data-severity/g)).toHaveLength(2);
    expect(/<table class="summary" id="by-status">.*?<\/table>/s.exec(cut)![0]).toContain('<td>info</td><td>4</td><td>4</td>');
    expect(html).not.toContain('id="info-cut"');
  });

  test('says when a claim file is not ready to send, and which reference data is older than the dates it served', () => {
    expect(html).toMatch(/<p class="banner" id="not-ready" role="alert"><b>Not ready to send:<\/b> 1 claim file\(s\) carry placeholders .*receiver MEDICARE \(x12.receivers\); 1 billing provider\(s\)/);
    expect(html).toContain('MEDICARE (NOT READY: placeholders)');
    expect(/<table class="summary" id="code-set-warnings">.*?<\/table>/s.exec(html)![0]).toContain('MCE lists 2020 (v37)');
  });

  test('totals, counts by edit, provider, status and age', () => {
    expect(html).toMatch(/id="tile-input"><b>10<\/b>/);
    expect(html).toMatch(/id="tile-rate"><b>66\.7%<\/b>/);
    const byEdit = /<table class="summary" id="by-edit">.*?<\/table>/s.exec(html)![0];
    expect(byEdit).toContain('<td>EDIT_NPI_INVALID</td><td>error</td><td>4</td><td>4</td>');
    const byAge = /<table class="summary" id="by-age">.*?<\/table>/s.exec(html)![0];
    expect(byAge).toContain('<td>0 days</td><td>1</td><td>1</td>');
    expect(byAge).toContain('<td>8–30 days</td><td>5</td><td>5</td>');
    expect(html).toContain('>Quarantined (1)</h2>');
    expect(html).toContain('<td>inbox/a.csv</td><td>refused</td><td>0</td><td>line 3: action &quot;&lt;ok&gt;&quot; must be one of release, recode, hold, void</td>');
    expect(html).toContain('<td>encounters.csv</td><td>9</td><td>encounters</td><td>E&lt;9&gt;</td><td>INGEST_INVALID_DATE</td><td>ServiceDate &quot;&lt;x&gt;&quot; is not a date</td>');
  });
});

/** The morning report: the run with its worklist, trend and provider names. */
const PAYERS: NonNullable<ReportRun['payers']> = {
  lifecycle: { paid: 40, denied: 6, 'partially-paid': 4, rejected: 2, appealed: 1 },
  trend: [
    { date: '2026-11-28', adjudicated: 20, denied: 4, rejected: 1, denialRate: 0.2, deniedDollars: 900, paidDollars: 5000 },
    { date: '2026-11-29', adjudicated: 30, denied: 6, rejected: 1, denialRate: 0.2, deniedDollars: 1200.5, paidDollars: 7000 },
    { date: '2026-11-30', adjudicated: 10, denied: 1, rejected: 0, denialRate: 0.1, deniedDollars: 80, paidDollars: 2000 },
  ],
  byPayer: [{ payer: 'ACME01', adjudicated: 60, denied: 11, rejected: 2, denialRate: 0.18, deniedDollars: 2180.5, paidDollars: 14000 }],
  reasons: [{ reason: 'CO-50', text: 'not covered: <not> necessary', claims: 7, dollars: 1500 }, { reason: 'CO-16', text: 'lacks information', claims: 4, dollars: 680.5 }],
  codes: [{ code: '71046', claims: 5, dollars: 1000 }],
  edits: [{ edit: 'none', denied: 9 }, { edit: 'CODE_LOW_CONFIDENCE', denied: 2 }],
  proposals: [{ id: 'PR0123456789', payer: 'ACME01', procedure: '71046', deniedDiagnosis: 'A41.9', diagnoses: ['I10', 'J44.9'], reasons: ['CO-50'], claims: 5, dollars: 1000, status: 'proposed' }],
};
const MORNING: ReportRun = {
  ...RUN, worklist: worklistOf(WORKLIST), trend: TREND, providerNames: { '1234567893': 'Valley Clinic' }, replacements: 2, voids: 1, payers: PAYERS,
  payerFiles: [
    { file: '/in/ACME01.835', kind: '835', status: 'read', responses: 12, matched: 11, unmatched: 1, duplicates: 0 },
    { file: '/in/bad.edi', status: 'quarantined', responses: 0, matched: 0, unmatched: 0, duplicates: 0, code: 'REMIT_ENVELOPE', segment: 40, message: 'SE01 says 3 segments' },
  ],
};

describe('the morning report: queue tiles, the worklist first, trends and dollars held', () => {
  const html = [...reportHtml(MORNING, splitFindings(() => ROWS))].join('');

  test('tiles mean the queue: claims needing a person, new tonight, dollars held, auto-release rate, replacements, voids', () => {
    expect(html).toMatch(/id="tile-needing"><b>7<\/b>/);
    expect(html).toMatch(/id="tile-new"><b>2<\/b>/);
    expect(html).toMatch(/id="tile-dollars"><b>\$2,800\.00<\/b>/);
    expect(html).toMatch(/id="tile-rate"><b>66\.7%<\/b>/);
    expect(html).toMatch(/id="tile-replacements"><b>2<\/b>/);
    expect(html).toMatch(/id="tile-voids"><b>1<\/b>/);
    // The worklist is the first table of the page, one row per claim.
    expect(html.indexOf('<table ')).toBe(html.indexOf('<table id="worklist"'));
    const worklist = /<table id="worklist".*?<\/table>/s.exec(html)![0];
    expect(worklist.match(/<tr data-status/g)).toHaveLength(7);
    expect(worklist).toContain('waiting on Dr. Lee');
    expect(worklist).toContain('owner ana');
    expect(worklist).toContain('Valley Clinic');
    expect(worklist).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  test("payers: the files read, where claims stand, the denial rate and dollars denied over time, reasons, payers, codes, edits and proposals", () => {
    const values = (id: string) => [...(new RegExp(`<figure class="chart" id="${id}">.*?</figure>`, 's').exec(html)![0].matchAll(/data-value="([^"]*)"/g))].map((m) => Number(m[1]));
    expect(values('chart-denial-rate')).toEqual([0.2, 0.2, 0.1]);
    expect(values('chart-denied-dollars')).toEqual([900, 1200.5, 80]);
    expect(values('chart-denial-reasons')).toEqual([1500, 680.5]);
    expect(html).toMatch(/id="tile-denial-rate"><b>18\.3%<\/b>/);
    expect(html).toMatch(/id="tile-denied-dollars"><b>\$2,180\.50<\/b>/);
    expect(html).toMatch(/id="tile-lifecycle-appealed"><b>1<\/b>/);
    const table = (id: string) => /<table class="summary" id="[^"]*".*?<\/table>/s.exec(html.slice(html.indexOf(`id="${id}"`) - 30))![0];
    expect(table('payer-files')).toContain('REMIT_ENVELOPE at segment 40: SE01 says 3 segments');
    expect(table('denials-by-payer')).toContain('<td>ACME01</td><td>60</td><td>11</td><td>18.0%</td><td>2</td><td>$2,180.50</td>');
    expect(table('denials-by-reason')).toContain('not covered: &lt;not&gt; necessary');
    expect(table('denials-by-edit')).toContain('<td>none</td><td>9</td>');
    expect(table('payer-proposals')).toContain('<td>PR0123456789</td><td>ACME01</td><td>71046</td><td>A41.9</td><td>5</td>');
    expect(html).toContain('nightcode remit rules --accept ID --user NAME');
  });

  test('charts carry their numbers: the trend per night, dollars by payer and by age, top edits with their trend', () => {
    const values = (id: string) => [...(new RegExp(`<figure class="chart" id="${id}">.*?</figure>`, 's').exec(html)![0].matchAll(/data-value="([^"]*)"/g))].map((m) => Number(m[1]));
    expect(values('chart-rate')).toEqual([0.8, 0.85, 0.667]);
    expect(values('chart-held')).toEqual([12, 0, 9, 4, 7, 5]);
    expect(values('chart-dollars')).toEqual([1500, 1200, 2800]);
    // Payers: Medicare E1, E3, E5 (200 + 400 + 600); Blue Plan E0, E2, E4, E<6> (100 + 300 + 500 + 700).
    expect(values('chart-payer')).toEqual([1600, 1200]);
    // Ages 0, 3, 6, 9, 12, 15, 18 days: 100 today, 200 + 300 at 3–7 days, the rest at 8–30.
    expect(values('chart-age')).toEqual([100, 0, 500, 2200, 0]);
    const top = /<table class="summary" id="top-edits">.*?<\/table>/s.exec(html)![0];
    expect(top).toContain('<td>CODE_LOW_CONFIDENCE</td><td>3</td><td>0</td><td><svg class="spark" role="img" aria-label="CODE_LOW_CONFIDENCE, claims per night: 2, 3, 4"');
    expect(top).toContain('<td>EDIT_NPI_INVALID</td><td>3</td><td>-1</td>');
  });
});

/**
 * Headless Chromium (Debian `chromium`, installed by scripts/install-chromium.sh, which CI
 * runs): the page opens, its filters and sorting work, and a screenshot shows the table.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must run scripts/install-chromium.sh`);

/** Screenshots a person can look at (CI keeps test-artifacts/). */
const ARTIFACTS = join(process.cwd(), 'test-artifacts');

describe.skipIf(!haveChromium)('the report in headless Chromium', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  test('the worklist filters by several values, sorts by keyboard, fits 1,280 px; axe finds no serious violation; screenshots at 1,280 and 1,920 px', async () => {
    const dir = tempDir('nightcode-report-');
    const file = join(dir, 'report.html');
    writeFileSync(file, [...reportHtml(MORNING, splitFindings(() => [...ROWS, row(20, { status: 'info', recordState: 'released' })]), [{ runId: 7, role: 'encounters', file: 'encounters.csv', line: 9, code: 'INGEST_INVALID_DATE', message: 'bad date' }])].join(''));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    const visible = (t: string) => page.locator(`#${t} tbody tr:not([hidden])`).count();
    expect(await visible('worklist')).toBe(7);
    expect(await page.textContent('#worklist-shown')).toBe('7');

    // Several values of one filter at once: status new or held (E0, E1 new; E2, E3 held).
    await page.click('details.multi[data-filter="status"] summary');
    await page.check('[data-controls="worklist"] input[data-filter="status"][value="new"]');
    expect(await visible('worklist')).toBe(2);
    await page.check('[data-controls="worklist"] input[data-filter="status"][value="held"]');
    expect(await visible('worklist')).toBe(4);
    // And across filters: held or new, and team registration (E0 and E3).
    await page.click('[data-controls="worklist"] details.multi[data-filter="team"] summary');
    await page.check('[data-controls="worklist"] input[data-filter="team"][value="registration"]');
    expect(await page.locator('#worklist tbody tr:not([hidden]) td:first-child b').allTextContents()).toEqual(['E0', 'E3']);
    await page.uncheck('[data-controls="worklist"] input[data-filter="team"][value="registration"]');
    await page.uncheck('[data-controls="worklist"] input[data-filter="status"][value="new"]');
    await page.uncheck('[data-controls="worklist"] input[data-filter="status"][value="held"]');
    await page.fill('[data-controls="worklist"] input[type=search]', 'dr. lee');
    expect(await visible('worklist')).toBe(1);
    await page.fill('[data-controls="worklist"] input[type=search]', '');

    // Sorting by keyboard: the header is a button; Tab reaches it, Enter sorts, Enter again reverses.
    const amounts = async () => (await page.locator('#worklist tbody tr td:nth-child(4)').allTextContents()).map((t) => Number(t.replace(/[$,]/g, '')));
    await page.focus('#worklist thead th:nth-child(4) button');
    await page.keyboard.press('Enter');
    expect(await amounts()).toEqual([100, 200, 300, 400, 500, 600, 700]);
    expect(await page.getAttribute('#worklist thead th:nth-child(4)', 'aria-sort')).toBe('ascending');
    await page.keyboard.press('Enter');
    expect(await amounts()).toEqual([700, 600, 500, 400, 300, 200, 100]);
    expect(await page.textContent('#live')).toContain('sorted by amount, descending');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    expect(await page.getAttribute('#worklist thead th:nth-child(2)', 'aria-sort')).toBe('ascending');

    // The findings table of held claims filters too, and a filter in the address applies on opening.
    await page.goto(`${pathToFileURL(file).href}#status=held`);
    expect(await visible('findings')).toBe(ROWS.filter((r) => r.status === 'held').length);
    expect(await visible('worklist')).toBe(2);
    await page.goto(`${pathToFileURL(file).href}#status=new,held&code=EDIT_NPI_INVALID`);
    expect(await visible('findings')).toBe(ROWS.filter((r) => (r.status === 'new' || r.status === 'held') && r.code === 'EDIT_NPI_INVALID').length);

    // The charts are there with their marks; the hostile value shows as text and runs nothing.
    for (const id of ['chart-rate', 'chart-held', 'chart-dollars', 'chart-payer', 'chart-age']) expect(await page.locator(`#${id} svg .mark`).count(), id).toBeGreaterThan(0);
    expect(await page.locator('#worklist li', { hasText: '<script>alert("x")</script>' }).count()).toBe(1);
    expect(errors).toEqual([]);

    // Fits 1,280 px: nothing wider than the window.
    await page.goto(pathToFileURL(file).href);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserPage).document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

    // axe-core: no serious or critical accessibility violation (the page's own CSP allows no script from outside; axe runs through the DevTools protocol).
    await page.evaluate(readFileSync(join(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8'));
    const axe = await page.evaluate(async () => {
      const win = globalThis as unknown as BrowserPage & { axe: { run: (d: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } };
      return (await win.axe.run(win.document)).violations.map((v) => `${v.impact} ${v.id} (${v.nodes.length})`);
    });
    expect(axe.filter((v) => /^(serious|critical) /.test(v))).toEqual([]);

    // Print: the controls are not printed.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-controls="worklist"]').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    mkdirSync(ARTIFACTS, { recursive: true });
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 1000 });
      const shot = join(ARTIFACTS, `report-${width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(shot).size).toBeGreaterThan(20_000);
    }
  }, 90_000);
});
