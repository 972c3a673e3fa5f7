import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CodedEncounter } from '../../src/contract/types.js';
import { editsMarkdown, EDIT_CATALOG, listEdits } from '../../src/validate/catalog.js';
import { claimFingerprint } from '../../src/validate/edits/claim-data.js';
import { validateClaim, type ValidateOptions } from '../../src/validate/validate-claim.js';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { ReferenceLibrary } from '../../src/codesets/reference-library.js';
import { ISSUE_CODES } from '../../src/contract/issue-codes.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { cleanClaim, editFixture, type EditFixture } from './helpers.js';

let fx: EditFixture;
beforeAll(async () => {
  fx = await editFixture(tempDir('nightcode-edits-'));
}, 120_000);

const billing = { frequency: '1' as const, claimId: 'C1' };
/** The edit findings (EDIT_ codes) of a claim, as [code, severity]. */
function edits(c: CodedEncounter, options: Partial<ValidateOptions> = {}): [string, string][] {
  return validateClaim(c, billing, { ...fx.options, ...options }).issues.filter((i) => i.code.startsWith('EDIT_')).map((i) => [i.code, i.severity]);
}
const codesOf = (c: CodedEncounter, options: Partial<ValidateOptions> = {}) => edits(c, options).map(([code]) => code);

describe('catalog', () => {
  test('every EDIT_ issue code is in the catalog, and docs/EDITS.md is the generated catalog', () => {
    expect(Object.keys(EDIT_CATALOG).sort()).toEqual(Object.keys(ISSUE_CODES).filter((c) => c.startsWith('EDIT_')).sort());
    expect(readFileSync('docs/EDITS.md', 'utf8'), 'regenerate with: nightcode edits list --markdown > docs/EDITS.md').toBe(editsMarkdown());
  });

  test('nightcode edits list prints every edit; --payer shows the severity in force', () => {
    const all = runCli(['edits', 'list', '--json']);
    expect(all.code, all.stderr).toBe(0);
    const rows = JSON.parse(all.stdout) as { id: string; severity: string; defaultSeverity: string; source: string }[];
    expect(rows.map((r) => r.id)).toEqual(listEdits().map((e) => e.id));
    expect(rows.every((r) => r.source.length > 0 && r.severity === r.defaultSeverity)).toBe(true);
    const dir = tempDir('nightcode-edits-cli-');
    const config = `${dir}/nightcode.json`;
    writeFileSync(config, JSON.stringify({ editSeverity: { EDIT_MUE: 'warning' }, payers: [{ id: 'MCARE', name: 'Medicare', editSeverity: { EDIT_MUE: 'off', EDIT_EXCLUDES1: 'warning' } }] }));
    const payer = JSON.parse(runCli(['--config', config, 'edits', 'list', '--payer', 'MCARE', '--json']).stdout) as { id: string; severity: string }[];
    expect(payer.find((r) => r.id === 'EDIT_MUE')?.severity).toBe('off');
    expect(payer.find((r) => r.id === 'EDIT_EXCLUDES1')?.severity).toBe('warning');
    const global = JSON.parse(runCli(['--config', config, 'edits', 'list', '--json']).stdout) as { id: string; severity: string }[];
    expect(global.find((r) => r.id === 'EDIT_MUE')?.severity).toBe('warning');
    expect(runCli(['--config', config.replace('.json', '-bad.json'), 'edits', 'list']).code).toBe(2);
  });
});

describe('diagnosis edits (ICD-10-CM FY2021, MCE lists)', () => {
  test('a clean claim raises no edit', () => {
    expect(edits(cleanClaim())).toEqual([]);
  });

  test.each([
    // [name, diagnoses, patient, expected edit or null]
    ['Excludes1 at the category: type 1 and type 2 diabetes', ['E10.9', 'E11.9'], {}, 'EDIT_EXCLUDES1'],
    ['Excludes1 inherited from the category: migraine excludes headache NOS', ['G43.909', 'R51.9'], {}, 'EDIT_EXCLUDES1'],
    ['Excludes1 of the category against a category: single and recurrent depressive episodes', ['F32.9', 'F33.1'], {}, 'EDIT_EXCLUDES1'],
    ['no Excludes1 between COPD and asthma', ['J44.9', 'J45.909'], {}, null],
    ['Excludes2 only: both may be coded', ['I10', 'E78.5'], {}, null],
    ['manifestation first-listed', ['F02.80', 'G30.9'], {}, 'EDIT_MANIFESTATION_FIRST'],
    ['manifestation after its etiology', ['G30.9', 'F02.80'], {}, null],
    ['external cause first-listed', ['W19.XXXA', 'S72.001A'], {}, 'EDIT_EXTERNAL_CAUSE_FIRST'],
    ['external cause after the injury', ['S72.001A', 'W19.XXXA'], {}, null],
    ['maternity code for a man', ['O26.891'], { sex: 'M' }, 'EDIT_SEX_CONFLICT'],
    ['male genital code for a woman', ['N40.0'], { sex: 'F' }, 'EDIT_SEX_CONFLICT'],
    ['male genital code for a man', ['N40.0'], { sex: 'M' }, null],
    ['newborn code at 60', ['P07.30'], {}, 'EDIT_AGE_CONFLICT'],
    ['newborn code at birth', ['P07.30'], { birthDate: '2021-03-15' }, null],
    ['maternity code at 70', ['O26.891'], { birthDate: '1951-01-01' }, 'EDIT_AGE_CONFLICT'],
    ['maternity code at 56 (MCE v33+: 12–55)', ['O26.891'], { birthDate: '1965-03-15' }, 'EDIT_AGE_CONFLICT'],
    ['maternity code at 55 (the last age of the range)', ['O26.891'], { birthDate: '1965-03-16' }, null],
    ['maternity code at 11', ['O26.891'], { birthDate: '2009-03-17' }, 'EDIT_AGE_CONFLICT'],
    ['imported pediatric list: at 17', ['E30.1'], { birthDate: '2003-03-16' }, null],
    ['imported pediatric list: at 18', ['E30.1'], { birthDate: '2003-03-15' }, 'EDIT_AGE_CONFLICT'],
    ['"use additional code" for the CKD stage missing', ['E11.22'], {}, 'EDIT_USE_ADDITIONAL_CODE'],
    ['"use additional code" satisfied', ['E11.22', 'N18.4'], {}, null],
  ] as const)('%s', (_n, dx, patient, expected) => {
    const c = cleanClaim({ diagnoses: [...dx], encounter: { patient: { id: 'P1', birthDate: '1960-05-01', sex: 'F', address: { line1: '1 Main St', city: 'Salem', state: 'OR', zip: '97301' }, ...patient } } });
    const found = codesOf(c);
    if (expected) expect(found).toContain(expected);
    else expect(found).toEqual([]);
  });

  test('unspecified side while the evidence names one', () => {
    const c = cleanClaim({ diagnoses: ['M17.10'] });
    expect(codesOf(c)).toEqual([]);
    c.diagnoses[0]!.evidence = [{ text: 'Right knee osteoarthritis.', source: { file: 'notes.csv', line: 2 } }];
    expect(edits(c)).toEqual([['EDIT_UNSPECIFIED_LATERALITY', 'warning']]);
  });

  test('unacceptable principal (imported MCE list) on inpatient claims only', () => {
    const inpatient = {
      kind: 'institutional' as const, facilityType: '111', admissionDate: '2021-03-10', dischargeDate: '2021-03-15', placeOfService: undefined,
      providers: { billingNpi: '1234567893', attendingNpi: '1245319599' }, institutional: { dischargeStatus: '01' },
    };
    const lines = [{ code: '99223', revenueCode: '0450' }];
    expect(codesOf(cleanClaim({ diagnoses: ['Z00.00'], encounter: inpatient, lines }))).toEqual(['EDIT_UNACCEPTABLE_PRINCIPAL']);
    expect(codesOf(cleanClaim({ diagnoses: ['Z00.00'] }))).toEqual([]);
  });

  test('every finding names its table version and codes', () => {
    const issue = validateClaim(cleanClaim({ diagnoses: ['E10.9', 'E11.9'] }), billing, fx.options).issues.find((i) => i.code === 'EDIT_EXCLUDES1')!;
    expect(issue).toMatchObject({ codes: ['E10.9', 'E11.9'], tableVersion: 'ICD-10-CM 2021', severity: 'error', action: 'review', evidence: 'note about E11.9' });
    expect(issue.message).toMatch(/Excludes1 at E1[01]/);
  });
});

describe('code validity at the fiscal-year change', () => {
  test('a code new in FY2022 is invalid on 2021-09-30 and valid from 2021-10-01; one not carried over the other way', async () => {
    const dir = tempDir('nightcode-fy-');
    // A two-code "FY2022" order file written by the test: I10 carried over, U09.9 new (October 2021).
    const file = `${dir}/icd10cm-order-2022.txt`;
    writeFileSync(file, [
      '00001 I10     1 Essential (primary) hypertension                             Essential (primary) hypertension',
      '00002 U099    1 Post COVID-19 condition, unspecified                         Post COVID-19 condition, unspecified',
    ].join('\n'));
    await importCodesetFiles(fx.db, [file]);
    const codeSets = new ReferenceLibrary(fx.db);
    const on = (date: string, dx: string[]) => validateClaim(cleanClaim({ diagnoses: dx, encounter: { serviceDate: date } }), billing, { ...fx.options, businessDate: '2021-12-31', codeSets, diagnosis: undefined })
      .issues.filter((i) => i.code.startsWith('EDIT_')).map((i) => [i.code, i.tableVersion]);
    expect(on('2021-09-30', ['U09.9'])).toEqual([['EDIT_CODE_INVALID', 'ICD-10-CM 2021']]);
    expect(on('2021-10-01', ['U09.9'])).toEqual([]);
    expect(on('2021-09-30', ['E11.9', 'I10'])).toEqual([]);
    expect(on('2021-10-01', ['E11.9', 'I10'])).toEqual([['EDIT_CODE_INVALID', 'ICD-10-CM 2022']]);
  });
});

describe('procedure edits (synthetic NCCI tables, coverage policy)', () => {
  test.each([
    // [name, lines, date, expected]
    ['PTP indicator 0: never together, modifiers do not help', [{ code: '29881' }, { code: '29877', modifiers: ['59'] }], '2021-03-15', 'EDIT_NCCI_PTP'],
    ['PTP indicator 1 without a modifier', [{ code: '20610' }, { code: '20604' }], '2021-03-15', 'EDIT_NCCI_PTP'],
    ['PTP indicator 1 with XS on column 2', [{ code: '20610' }, { code: '20604', modifiers: ['XS'] }], '2021-03-15', null],
    ['PTP indicator 1 with 59 on column 1', [{ code: '20610', modifiers: ['59'] }, { code: '20604' }], '2021-03-15', null],
    ['PTP indicator 1 with an anatomic modifier', [{ code: '20610', modifiers: ['RT'] }, { code: '20604', modifiers: ['LT'] }], '2021-03-15', null],
    ['PTP indicator 9: no edit', [{ code: '11042' }, { code: '97597' }], '2021-03-15', null],
    ['PTP deleted 2021-03-01: applies the day before', [{ code: '80053' }, { code: '80048' }], '2021-02-28', 'EDIT_NCCI_PTP'],
    ['PTP deleted 2021-03-01: not from that day', [{ code: '80053' }, { code: '80048' }], '2021-03-01', null],
    ['PTP effective 2021-03-02: not the day before', [{ code: '93000' }, { code: '93010' }], '2021-03-01', null],
    ['PTP effective 2021-03-02: from that day', [{ code: '93000' }, { code: '93010' }], '2021-03-02', 'EDIT_NCCI_PTP'],
    ['PTP pair on different dates of service', [{ code: '29881', serviceDate: '2021-03-14' }, { code: '29877' }], '2021-03-15', null],
    ['MUE indicator 1: units per line', [{ code: 'J1885', units: 9 }], '2021-03-15', 'EDIT_MUE'],
    ['MUE indicator 1: two lines within the limit each', [{ code: 'J1885', units: 8 }, { code: 'J1885', units: 8 }], '2021-03-15', null],
    ['MUE indicator 3: units per day across lines', [{ code: '36415', units: 2 }, { code: '36415', units: 1, modifiers: ['XS'] }], '2021-03-15', 'EDIT_MUE'],
    ['MUE indicator 3: at the limit', [{ code: '36415', units: 2 }], '2021-03-15', null],
    ['MUE indicator 2: per day absolute', [{ code: '99213' }, { code: '99213', modifiers: ['76'] }], '2021-03-15', 'EDIT_MUE'],
    ['add-on without its primary', [{ code: '99292' }], '2021-03-15', 'EDIT_ADDON_WITHOUT_PRIMARY'],
    ['add-on with its primary', [{ code: '99291' }, { code: '99292' }], '2021-03-15', null],
    ['add-on with its primary on another day', [{ code: '99291', serviceDate: '2021-03-14' }, { code: '99292' }], '2021-03-15', 'EDIT_ADDON_WITHOUT_PRIMARY'],
    ['unknown modifier', [{ code: '99213', modifiers: ['ZZ'] }], '2021-03-15', 'EDIT_MODIFIER_INVALID'],
    ['LT with RT on one line', [{ code: '20610', modifiers: ['LT', 'RT'] }], '2021-03-15', 'EDIT_MODIFIER_INVALID'],
    ['50 with a side', [{ code: '20610', modifiers: ['50', 'RT'] }], '2021-03-15', 'EDIT_MODIFIER_INVALID'],
    ['91 on a non-lab code', [{ code: '20610', modifiers: ['91'] }], '2021-03-15', 'EDIT_MODIFIER_INVALID'],
    ['91 on a lab code', [{ code: '80053' }, { code: '80053', modifiers: ['91'] }], '2021-03-15', null],
    ['26 with TC', [{ code: '71046', modifiers: ['26', 'TC'] }], '2021-03-15', 'EDIT_MODIFIER_INVALID'],
  ] as const)('%s', (_n, lines, date, expected) => {
    const c = cleanClaim({ lines: lines.map((l) => ({ ...l, modifiers: [...('modifiers' in l ? l.modifiers : [])] })), encounter: { serviceDate: date } });
    const found = codesOf(c);
    if (expected) expect(found).toContain(expected);
    else expect(found).toEqual([]);
  });

  test('PTP finding: both codes, the table version, add-modifier for indicator 1', () => {
    const c = cleanClaim({ lines: [{ code: '20610' }, { code: '20604' }] });
    const issue = validateClaim(c, billing, fx.options).issues.find((i) => i.code === 'EDIT_NCCI_PTP')!;
    expect(issue).toMatchObject({ codes: ['20610', '20604'], tableVersion: 'NCCI PTP practitioner 2021Q1', action: 'add-modifier', source: { file: 'charges.csv', line: 3 } });
  });

  test.each([
    ['covered diagnosis pointed to', ['D51.0'], null],
    ['covered by the category', ['D52.9'], null],
    ['not covered', ['I10'], 'EDIT_MEDICAL_NECESSITY'],
  ] as const)('medical necessity: %s', (_n, dx, expected) => {
    const c = cleanClaim({ diagnoses: [...dx], lines: [{ code: '82607' }] });
    const found = codesOf(c);
    if (expected) expect(found).toEqual([expected]);
    else expect(found).toEqual([]);
  });

  test('a policy limited to other payers does not apply', () => {
    const c = cleanClaim({ diagnoses: ['I10'], lines: [{ code: '82607' }] });
    const procedure = { ...fx.options.procedure!, coverage: [{ ...fx.options.procedure!.coverage[0]!, payers: ['MCARE'] }] };
    expect(codesOf(c, { procedure })).toEqual([]);
  });
});

describe('claim edits and routing', () => {
  test('claim total differs from the lines', () => {
    expect(codesOf(cleanClaim({ encounter: { declaredTotal: 200 } }))).toEqual([]);
    expect(codesOf(cleanClaim({ encounter: { declaredTotal: 210 } }))).toEqual(['EDIT_CLAIM_TOTAL']);
  });

  test('duplicate of a claim billed under another encounter: fingerprint ignores encounter id and line order', () => {
    const a = cleanClaim();
    const b = cleanClaim({ encounter: { key: { source: 'seed', encounterId: 'E2' } }, lines: [{ code: '36415' }, { code: '99213' }] });
    expect(claimFingerprint(a)).toBe(claimFingerprint(b));
    expect(claimFingerprint(a)).not.toBe(claimFingerprint(cleanClaim({ encounter: { serviceDate: '2021-03-16' } })));
    const billed = new Map([[claimFingerprint(a), { claimId: 'NC1-1', encounterId: 'E1' }]]);
    expect(codesOf(b, { billedClaim: (fp) => billed.get(fp) })).toEqual(['EDIT_DUPLICATE_CLAIM']);
  });

  test('payer overrides: error to warning releases the claim, off drops the finding; other payers keep the default', () => {
    const c = cleanClaim({ diagnoses: ['E10.9', 'E11.9'] });
    expect(validateClaim(c, billing, fx.options).route).toBe('exception');
    const payerEditSeverity = { ACME: { EDIT_EXCLUDES1: 'warning' as const } };
    const warned = validateClaim(c, billing, { ...fx.options, payerEditSeverity });
    expect([warned.route, warned.issues.find((i) => i.code === 'EDIT_EXCLUDES1')?.severity]).toEqual(['release', 'warning']);
    const off = validateClaim(c, billing, { ...fx.options, payerEditSeverity: { ACME: { EDIT_EXCLUDES1: 'off' } } });
    expect(off.issues.some((i) => i.code === 'EDIT_EXCLUDES1')).toBe(false);
    const other = cleanClaim({ diagnoses: ['E10.9', 'E11.9'], encounter: { coverage: { payerId: 'MCARE', memberId: 'M1' } } });
    expect(validateClaim(other, billing, { ...fx.options, payerEditSeverity }).route).toBe('exception');
    // A global override, and the payer's over it.
    expect(validateClaim(other, billing, { ...fx.options, editSeverity: { EDIT_EXCLUDES1: 'warning' } }).route).toBe('release');
    expect(validateClaim(c, billing, { ...fx.options, editSeverity: { EDIT_EXCLUDES1: 'warning' }, payerEditSeverity: { ACME: { EDIT_EXCLUDES1: 'error' } } }).route).toBe('exception');
  });
});
