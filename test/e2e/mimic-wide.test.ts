import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { icd10cmKey } from '../../src/codesets/icd10cm-code.js';
import type { ClaimRecord } from '../../src/emit/claims/claim-record.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli } from '../helpers/cli.js';
import { readCsv, readFindings, type CsvRow } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';
import { assertValidX12, x12FilesUnder } from '../helpers/x12-validate.js';

/**
 * Real coded admissions in a layout nobody here designed (../shared/samples/mimic-iv-demo-wide:
 * one row per account with PRIN_DX, DX1–DX24, PRIN_PX, PX1–PX24 and their dates), through the
 * shipped pipeline and mapping, end to end to 837I files the independent validator accepts.
 */
const SHARED = resolve('..', 'shared');
const SAMPLE = join(SHARED, 'samples', 'mimic-iv-demo-wide');
const dir = tempDir('nightcode-mimic-');
const db = join(dir, 'n.db');
let summary: { counts: { input: number; released: number; exception: number; quarantined: number }; outDir: string; reconciled: boolean; codeSetWarnings: string[] };
let abstract: CsvRow[];
let claims: ClaimRecord[];
let exceptions: CsvRow[];

beforeAll(() => {
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ database: db, outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 20 } }));
  const cs = join(SHARED, 'codesets');
  const imported = runCli(['--config', config, 'codesets', 'import',
    join(cs, 'icd10cm-2021', 'icd10cm_tabular_2021.xml'), join(cs, 'icd10cm-2021', 'icd10cm-order-Jan-2021.txt'),
    join(cs, 'mce-lists', 'MCE_Simple_Code_Edits_v37.txt'), join(cs, 'poa-exempt', 'POAexemptCodes2020.txt'), join(cs, 'hcpcs-2019', '2019-Alpha-Numeric-HCPCS-File.zip')]);
  expect(imported.code, imported.stderr).toBe(0);
  const r = runCli(['--config', config, 'run', '--pipeline', 'pipelines/mimic-iv-demo-wide.json', '--date', '2021-07-01', '--json']);
  expect(r.code, r.stderr).toBe(0);
  summary = JSON.parse(r.stdout) as typeof summary;
  abstract = readCsv(join(SAMPLE, 'abstract.csv'));
  // Every claim of the night, released or held, as the run stored it.
  const repo = openDatabase(db);
  claims = (repo.prepare("SELECT payload FROM run_records WHERE state IN ('released', 'exception') ORDER BY seq").pluck().all() as string[]).map((p) => JSON.parse(p) as ClaimRecord);
  repo.close();
  exceptions = readFindings(summary.outDir);
}, 240_000);

const exported = (row: CsvRow) => ['PRIN_DX', ...Array.from({ length: 24 }, (_, i) => `DX${i + 1}`)].map((c) => row[c] ?? '').filter(Boolean);

describe('a hospital abstract in its own wide layout (MIMIC-IV demo)', () => {
  test('all 61 accounts reconcile, and every 837I passes the independent validator', () => {
    expect(summary.reconciled).toBe(true);
    expect(summary.counts.input).toBe(61);
    expect(summary.counts.released + summary.counts.exception).toBe(61);
    const files = x12FilesUnder(summary.outDir);
    expect(files.length).toBeGreaterThan(0);
    assertValidX12(files);
    const text = files.map((f) => readFileSync(f, 'utf8')).join('');
    expect(text).toContain('005010X223A2');
    expect(text).not.toContain('005010X222A1');
    // No PCS version covers 2021 in ../shared (FY2025 only, not imported here): said, not silent.
    expect(exceptions.some((e) => e.code === 'EDIT_CODE_SET_UNAVAILABLE' && /no ICD-10-PCS version/.test(e.message ?? ''))).toBe(false);
    expect(summary.codeSetWarnings.join('\n')).toMatch(/no ICD-10-PCS code set is imported/);
    expect(summary.codeSetWarnings.join('\n')).toMatch(/MCE lists 2020 \(v37\) \(fiscal year 2020\) is applied to dates of service in fiscal year 2021/);
  });

  test('CL1 and procedure dates come from the export: a patient who died is discharged as expired (20)', () => {
    const byAccount = new Map(claims.map((c) => [c.encounterId, c]));
    const died = abstract.filter((r) => r.DISCH_DISP === 'DIED');
    expect(died.length).toBeGreaterThan(0);
    for (const row of died) expect(byAccount.get(row.ACCOUNT_NO!)?.institutional?.dischargeStatus).toBe('20');
    const home = abstract.find((r) => r.DISCH_DISP === 'HOME HEALTH CARE')!;
    expect(byAccount.get(home.ACCOUNT_NO!)?.institutional).toMatchObject({ dischargeStatus: '06' });
    for (const row of abstract.filter((r) => r.PRIN_PX)) {
      const claim = byAccount.get(row.ACCOUNT_NO!)!;
      const [m, d, y] = row.PRIN_PX_DT!.split('/');
      expect(claim.icd10pcs?.[0]).toMatchObject({ code: row.PRIN_PX, date: `${y}-${m}-${d}` });
    }
    // An account without a discharge disposition is held, not sent as "home".
    const blank = abstract.filter((r) => !r.DISCH_DISP).map((r) => r.ACCOUNT_NO);
    const held = new Set(exceptions.filter((e) => e.code === 'EDIT_PATIENT_STATUS_MISSING').map((e) => e.encounter_id));
    expect([...held].sort()).toEqual([...blank].sort());
    // In the 837I: the claim's CL1 and a BBR with the principal procedure's own date.
    const text = x12FilesUnder(summary.outDir).map((f) => readFileSync(f, 'utf8')).join('');
    expect(text).toMatch(/CL1\*[1-9]\*9\*20~/);
    expect(text).toMatch(/HI\*BBR:[0-9A-Z]{7}:D8:2021\d{4}~/);
  });

  test('the hospital codes keep their order; every change or drop is a finding that names it', () => {
    let unchanged = 0;
    for (const row of abstract) {
      const claim = claims.find((c) => c.encounterId === row.ACCOUNT_NO)!;
      const hospital = exported(row).map((c) => icd10cmKey(c)!);
      const ours = claim.diagnoses.map((d) => icd10cmKey(d.code)!);
      // The hospital's codes that are still on the claim are in the hospital's order.
      const kept = ours.filter((k) => hospital.includes(k));
      expect(kept, row.ACCOUNT_NO).toEqual(hospital.filter((k) => kept.includes(k)));
      expect(ours[0], `${row.ACCOUNT_NO} principal`).toBe(hospital[0]);
      if (ours.join() === hospital.join()) {
        unchanged++;
        continue;
      }
      const findings = exceptions.filter((e) => e.encounter_id === row.ACCOUNT_NO).map((e) => e.code);
      for (const k of hospital.filter((h) => !ours.includes(h))) {
        expect(findings.some((f) => f === 'CODE_COMBINATION_APPLIED' || f === 'CODE_DIAGNOSIS_LIMIT'), `${row.ACCOUNT_NO}: ${k} dropped without a finding`).toBe(true);
      }
      for (const k of ours.filter((o) => !hospital.includes(o))) {
        expect(findings, `${row.ACCOUNT_NO}: ${k} added without a finding`).toContain('CODE_COMBINATION_APPLIED');
      }
    }
    expect(unchanged).toBeGreaterThan(45);
  });

  test('the limit keeps the principal and status codes, and drops history first', () => {
    const limit = exceptions.filter((e) => e.code === 'CODE_DIAGNOSIS_LIMIT');
    for (const e of limit) expect(e.message).toMatch(/dropped (Z8[0-7]|Z72|Z79|Z9[0-8])/);
    for (const c of claims) expect(c.diagnoses.filter((d) => !/^[V-Y]/.test(d.code)).length).toBeLessThanOrEqual(25);
    // DNR (Z66) is never dropped.
    for (const row of abstract.filter((r) => exported(r).includes('Z66'))) {
      expect(claims.find((c) => c.encounterId === row.ACCOUNT_NO)!.diagnoses.map((d) => d.code)).toContain('Z66');
    }
  });

  test('every inpatient diagnosis carries a POA indicator; exempt codes 1 (blank in the 837I)', () => {
    for (const c of claims) for (const d of c.diagnoses) expect(['Y', 'N', 'U', 'W', '1'], `${c.encounterId} ${d.code}`).toContain(d.poa);
    const exempt = claims.flatMap((c) => c.diagnoses).filter((d) => d.poa === '1').map((d) => d.code);
    expect(exempt.length).toBeGreaterThan(0);
    // Exactly the codes on the CMS list the date uses (FY2020, the latest imported here).
    const cms = new Set(readFileSync(join(SHARED, 'codesets', 'poa-exempt', 'POAexemptCodes2020.txt'), 'utf8').split('\n').slice(1).map((l) => l.split('\t')[1]?.trim()));
    expect(exempt.filter((c) => !cms.has(c))).toEqual([]);
    const notExempt = claims.flatMap((c) => c.diagnoses).filter((d) => d.poa !== '1').map((d) => d.code);
    expect(notExempt.filter((c) => cms.has(c))).toEqual([]);
  });
});
