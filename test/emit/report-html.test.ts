import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import type { ExceptionRow } from '../../src/emit/exceptions/exceptions-csv.js';
import { escapeHtml, reportHtml, type ReportRun } from '../../src/emit/report/report-html.js';
import { tempDir } from '../helpers/tmp.js';

const RUN: ReportRun = {
  runId: 7, pipeline: 'nightly-csv', businessDate: '2026-11-27', generatedAt: '2026-11-28T02:00:00.000Z',
  counts: { input: 10, released: 6, exception: 3, quarantined: 1, unchanged: 0 }, resolved: { released: 1, voided: 0, voidClaims: 0 },
  autoReleaseRate: 0.667, durationMs: 1234, recordsPerSecond: 8, codeSets: [{ system: 'ICD-10-CM', version: '2021' }],
  claimFiles: [{ name: 'MEDICARE-837P.837', receiver: 'MEDICARE', claims: 6, totalCharge: 1234.5, ready: false, placeholders: ['receiver MEDICARE (x12.receivers)', 'billing provider 1234567893 (x12.billingProviders)'] }],
  notReleased: [], codeSetWarnings: ['MCE lists 2020 (v37) (fiscal year 2020) is applied to dates of service in fiscal year 2021: import the MCE lists of that year'],
  resolutionFiles: [{ file: 'inbox/a.csv', status: 'refused', applied: 0, problems: ['line 3: action "<ok>" must be one of release, recode, hold, void'] }],
};

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

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
  const html = [...reportHtml(RUN, () => ROWS, [{ runId: 7, role: 'encounters', file: 'encounters.csv', line: 9, encounterId: 'E<9>', code: 'INGEST_INVALID_DATE', message: 'ServiceDate "<x>" is not a date' }])].join('');

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
    const cut = [...reportHtml(RUN, () => rows, [], 2)].join('');
    expect(cut.match(/<tr data-severity/g)).toHaveLength(ROWS.length + 2);
    expect(cut).toContain('the first 2 warnings that travelled with released claims; all 4 are in exceptions.csv');
    expect(cut).toMatch(/id="shown">15<\/b> of <b id="total">15</);
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
    expect(html).toContain('<h2>Quarantined (1)</h2>');
    expect(html).toContain('<td>inbox/a.csv</td><td>refused</td><td>0</td><td>line 3: action &quot;&lt;ok&gt;&quot; must be one of release, recode, hold, void</td>');
    expect(html).toContain('<td>encounters.csv</td><td>9</td><td>encounters</td><td>E&lt;9&gt;</td><td>INGEST_INVALID_DATE</td><td>ServiceDate &quot;&lt;x&gt;&quot; is not a date</td>');
  });
});

/**
 * Headless Chromium (Debian `chromium`, installed by scripts/install-chromium.sh, which CI
 * runs): the page opens, its filters and sorting work, and a screenshot shows the table.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must run scripts/install-chromium.sh`);

describe.skipIf(!haveChromium)('the report in headless Chromium', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  test('opens, filters by text, severity, status and edit, sorts by a column, and renders the table', async () => {
    const dir = tempDir('nightcode-report-');
    const file = join(dir, 'report.html');
    writeFileSync(file, [...reportHtml(RUN, () => ROWS)].join(''));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    const visible = () => page.locator('#findings tbody tr:not([hidden])').count();
    expect(await visible()).toBe(13);
    expect(await page.textContent('#shown')).toBe('13');

    await page.fill('#filter', 'E1');
    expect(await visible()).toBe(4); // E1, E10, E11, E12
    await page.fill('#filter', '');
    await page.selectOption('#severity', 'warning');
    expect(await visible()).toBe(ROWS.filter((r) => r.severity === 'warning').length);
    await page.selectOption('#status', 'new');
    expect(await visible()).toBe(ROWS.filter((r) => r.severity === 'warning' && r.status === 'new').length);
    await page.selectOption('#severity', '');
    await page.selectOption('#status', '');
    await page.selectOption('#code', 'EDIT_<b>');
    expect(await page.locator('#findings tbody tr:not([hidden]) td:nth-child(6)').allTextContents()).toEqual(['E12']);
    expect(await page.textContent('#shown')).toBe('1');
    await page.selectOption('#code', '');

    const ages = () => page.locator('#findings tbody tr td:nth-child(3)').allTextContents();
    await page.click('#findings th:nth-child(3)');
    expect((await ages()).map(Number)).toEqual([...Array(13).keys()]);
    await page.click('#findings th:nth-child(3)');
    expect((await ages()).map(Number)).toEqual([...Array(13).keys()].reverse());
    expect(await page.getAttribute('#findings th:nth-child(3)', 'aria-sort')).toBe('descending');

    // The hostile value shows as text, runs nothing.
    expect(await page.locator('td.msg', { hasText: '<script>alert("x")</script>' }).count()).toBe(1);
    expect(errors).toEqual([]);

    // A filter in the address (#status=held) applies on opening.
    await page.goto(`${pathToFileURL(file).href}#status=held`);
    expect(await visible()).toBe(ROWS.filter((r) => r.status === 'held').length);

    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(shot).size).toBeGreaterThan(20_000);
  }, 60_000);
});
