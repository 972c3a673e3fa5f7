import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { importCodesetFiles, type ImportedVersion } from '../../src/codesets/import-codesets.js';
import { MedicareCodeEditor } from '../../src/codesets/medicare-code-editor.js';
import { listLabel, listVersionFor, loadPoaExempt, staleNote } from '../../src/codesets/official-lists.js';
import { ReferenceLibrary } from '../../src/codesets/reference-library.js';
import type { CodedEncounter, Encounter } from '../../src/contract/types.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { validateClaim } from '../../src/validate/validate-claim.js';
import { tempDir } from '../helpers/tmp.js';
import { cleanClaim } from './helpers.js';

/**
 * The official lists in ../shared/codesets, imported as a site would: the MCE simple-edit
 * lists (v37, FY2020), the CMS POA exempt lists (FY2020 text, FY2025 zip), HCPCS Level II
 * 2019 (its CMS zip) and ICD-10-PCS FY2025, besides the FY2021 ICD-10-CM. Claims of FY2021
 * use the lists published by then and the run says they are older; PCS and HCPCS codes are
 * checked against the version in force, or said to be unverifiable.
 */
const CS = resolve('..', 'shared', 'codesets');
let db: Db;
let library: ReferenceLibrary;
let imported: ImportedVersion[];

beforeAll(async () => {
  db = openDatabase(join(tempDir('nightcode-lists-'), 'lists.db'));
  imported = await importCodesetFiles(db, [
    join(CS, 'icd10cm-2021', 'icd10cm_tabular_2021.xml'), join(CS, 'icd10cm-2021', 'icd10cm-order-Jan-2021.txt'),
    join(CS, 'icd10pcs-2025', 'icd10pcs_codes_2025.txt'), join(CS, 'hcpcs-2019', '2019-Alpha-Numeric-HCPCS-File.zip'),
    join(CS, 'mce-lists', 'MCE_Simple_Code_Edits_v37.txt'), join(CS, 'poa-exempt', 'POAexemptCodes2020.txt'), join(CS, 'poa-exempt', '2025-poa-exempt-codes.zip'),
  ]);
  library = new ReferenceLibrary(db);
}, 120_000);

const ADDRESS = { line1: '1 Main St', city: 'Salem', state: 'OR', zip: '97301' };

function validate(c: CodedEncounter) {
  const e = c.encounter;
  const date = e.serviceDate ?? e.dischargeDate!;
  const icd10cm = library.codeSetFor('ICD-10-CM', date)!;
  const poa = listVersionFor(db, 'poa_exempt_lists', date)!;
  const keys = loadPoaExempt(db, poa.id);
  return validateClaim(c, { frequency: '1', claimId: 'C' }, {
    businessDate: '2026-11-27', payerIds: new Set(), autoReleaseConfidence: 0.5, codeSets: library, codingEditsOnly: true,
    diagnosis: { icd10cm, mce: new MedicareCodeEditor(icd10cm, db, date), poaExempt: { label: listLabel(poa), has: (k) => keys.has(k) } },
  }).issues.filter((i) => i.code.startsWith('EDIT_'));
}

const inpatient = (over: Partial<Encounter> = {}): Partial<Encounter> => ({
  kind: 'institutional', facilityType: '111', serviceDate: undefined, admissionDate: '2021-03-10', dischargeDate: '2021-03-15', placeOfService: undefined,
  providers: { billingNpi: '1234567893', attendingNpi: '1245319599' }, institutional: { dischargeStatus: '01' }, ...over,
});

describe('official lists imported from ../shared/codesets', () => {
  test('each file becomes a version with its counts: MCE v37 as FY2020, both POA years, HCPCS 2019 from its zip', () => {
    const row = (system: string, version: string) => imported.find((v) => v.system === system && v.version === version);
    expect(row('MCE lists', '2020 (v37)')).toMatchObject({ effectiveFrom: '2019-10-01', effectiveTo: '2020-09-30', codes: 14000 });
    expect(row('POA exempt list', '2020')?.codes).toBe(37075);
    expect(row('POA exempt list', '2025')?.codes).toBe(38154);
    expect(row('POA exempt list', '2025')?.warnings.join('\n')).toMatch(/POAexemptAddCodesFY25\.txt: a list of changes/);
    expect(row('HCPCS', '2019')).toMatchObject({ codes: 6440, effectiveFrom: '2019-01-01' });
  });

  test('a FY2021 date uses the lists published by then, and says they are older than its fiscal year', () => {
    const mce = listVersionFor(db, 'mce_lists', '2021-03-15')!;
    expect(listLabel(mce)).toBe('MCE lists 2020 (v37)');
    expect(staleNote(mce, '2021-03-15')).toMatch(/fiscal year 2020\) is applied to 2021-03-15 in fiscal year 2021/);
    expect(listLabel(listVersionFor(db, 'poa_exempt_lists', '2021-03-15')!)).toBe('POA exempt list 2020');
    expect(listLabel(listVersionFor(db, 'poa_exempt_lists', '2024-12-01')!)).toBe('POA exempt list 2025');
    expect(staleNote(listVersionFor(db, 'poa_exempt_lists', '2024-12-01')!, '2024-12-01')).toBeUndefined();
  });

  test('MCE age and sex lists: a maternity code on an 86-year-old, a male-only procedure for a woman', () => {
    const old = cleanClaim({ diagnoses: ['Z33.1'], encounter: { patient: { id: 'P', birthDate: '1934-06-01', sex: 'F', address: ADDRESS } } });
    expect(validate(old).map((i) => [i.code, i.tableVersion])).toEqual([['EDIT_AGE_CONFLICT', 'MCE lists 2020 (v37)']]);
    const stay = cleanClaim({ diagnoses: ['N40.0'], encounter: inpatient({ patient: { id: 'P', birthDate: '1950-01-01', sex: 'F', address: ADDRESS } }) });
    stay.diagnoses[0]!.poa = 'Y';
    stay.pcsProcedures = [{ code: '0V1N07J', sequence: 1, date: '2021-03-11', confidence: 0.95, rulePath: 'r', evidence: [{ text: 'bypass', source: { file: 'a.csv', line: 2 } }] }];
    const found = validate(stay);
    expect(found.map((i) => i.code)).toContain('EDIT_SEX_CONFLICT');
    expect(found.find((i) => i.code === 'EDIT_SEX_CONFLICT' && i.codes?.includes('0V1N07J'))?.message).toBe("procedure 0V1N07J is on the MCE male-procedure list; the patient's sex is F");
  });

  test('POA: Y, N, U or W on every inpatient diagnosis; 1 (blank) only for codes on the exempt list in force', () => {
    const stay = (poa: Record<string, string>) => {
      const c = cleanClaim({ diagnoses: Object.keys(poa), encounter: inpatient() });
      c.diagnoses.forEach((d) => { d.poa = poa[d.code]!; });
      return validate(c).filter((i) => i.code === 'EDIT_POA_INVALID').map((i) => i.message);
    };
    expect(stay({ 'I10': 'Y', 'Z87.891': '1', 'E11.9': 'W' })).toEqual([]);
    expect(stay({ 'I10': '1' })).toEqual(['I10 has no POA indicator and is not on the POA exempt list 2020: report Y, N, U or W (Guidelines Appendix I)']);
    expect(stay({ 'I10': 'Y', 'E11.9': 'E' })).toEqual(['E11.9 has POA "E", which is not Y, N, U, W or blank: report Y, N, U or W (Guidelines Appendix I)']);
    // Outpatient claims carry no POA: nothing to check.
    const visit = cleanClaim({ diagnoses: ['I10'] });
    expect(validate(visit).map((i) => i.code)).toEqual([]);
  });

  test('ICD-10-PCS on each procedure date: a code deleted that year is invalid, a year not loaded is said', () => {
    const withPcs = (code: string, date: string) => {
      const c = cleanClaim({ diagnoses: ['I10'], encounter: inpatient({ admissionDate: date, dischargeDate: date }) });
      c.diagnoses[0]!.poa = 'Y';
      c.pcsProcedures = [{ code, sequence: 1, date, confidence: 0.95, rulePath: 'r', evidence: [{ text: code, source: { file: 'a.csv', line: 2 } }] }];
      return validate(c).map((i) => [i.code, i.message]);
    };
    // X27H385 was deleted for FY2025 (addenda): on a FY2025 date it is not a code.
    expect(withPcs('X27H385', '2024-11-02')).toContainEqual(['EDIT_CODE_INVALID', 'X27H385 is not a code in ICD-10-PCS 2025 (in force on 2024-11-02)']);
    expect(withPcs('0DTJ4ZZ', '2024-11-02')).toEqual([]);
    // No PCS version covers 2021 (FY2025 only): not silently passed.
    expect(withPcs('0DTJ4ZZ', '2021-03-10')).toEqual([['EDIT_CODE_SET_UNAVAILABLE', 'no ICD-10-PCS version is loaded for 2021-03-10: 0DTJ4ZZ not verified; import the ICD-10-PCS release for that date']]);
  });

  test('HCPCS on a 2021 date: the 2019 year is used and named; a code missing from it is unverified, not invalid', () => {
    const c = cleanClaim({ diagnoses: ['I10'], lines: [{ code: 'J1885' }, { code: 'G2211' }] });
    const found = validate(c).filter((i) => i.codes?.some((x) => x.startsWith('J') || x.startsWith('G')));
    expect(found.map((i) => i.code).sort()).toEqual(['EDIT_CODE_SET_UNAVAILABLE', 'EDIT_CODE_UNVERIFIED']);
    expect(found.find((i) => i.code === 'EDIT_CODE_SET_UNAVAILABLE')!.message).toBe('no HCPCS version covers 2021-03-15: J1885, G2211 checked against HCPCS 2019, an older year; import the HCPCS release of 2021');
    expect(found.find((i) => i.code === 'EDIT_CODE_UNVERIFIED')!.message).toMatch(/^G2211 is not in HCPCS 2019, the latest HCPCS year loaded/);
  });
});
