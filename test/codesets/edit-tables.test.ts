import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { EditTables } from '../../src/codesets/edit-tables.js';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { quarterOf } from '../../src/codesets/systems.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-ncci-');
let db: Db;

// Files in the CMS publication layouts, written by the test (no CMS data is shipped).
const PTP = [
  'CPT codes, descriptions and other data only are copyright 2025 American Medical Association. All rights reserved.',
  'Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale',
  '99213\t36415\t\t20210101\t*\t1\tMisuse of column two code with column one code',
  '93000\t93005\t*\t19960101\t*\t0\tStandards of medical / surgical practice',
  '80053\t80048\t\t20100101\t20250701\t0\tMore extensive procedure',
  '11042\t97597\t\t20150101\t*\t9\tMutually exclusive procedures',
].join('\r\n');
const MUE = [
  '"CPT codes and descriptions only are copyright 2025 American Medical Association."',
  '"HCPCS/CPT Code","Practitioner Services MUE Values","MUE Adjudication Indicator","MUE Rationale"',
  '"36415","2","3 Date of Service Edit: Clinical","Clinical: Data"',
  '"99213","1","2 Date of Service Edit: Policy","Nature of Service/Procedure"',
  '"J1885","8","1 Line Edit","Prescribing Information"',
].join('\n');

beforeAll(async () => {
  db = openDatabase(join(dir, 'edits.db'));
  writeFileSync(join(dir, 'ccipra-v321r0-f1.txt'), PTP);
  writeFileSync(join(dir, 'MCR_MUE_PractitionerServices_Eff_2026-10-01.csv'), MUE);
  const imported = await importCodesetFiles(db, [join(dir, 'ccipra-v321r0-f1.txt'), join(dir, 'MCR_MUE_PractitionerServices_Eff_2026-10-01.csv')], { effectiveFrom: '2026-10-01' });
  expect(imported.map((v) => [v.system, v.version, v.codes])).toEqual([['NCCI PTP practitioner', '2026Q4', 4], ['MUE practitioner', '2026Q4', 3]]);
});

describe('NCCI PTP and MUE tables', () => {
  test.each([
    ['pair in either order, with its modifier indicator', '99213', '36415', '2026-11-27', { column1: '99213', column2: '36415', modifierIndicator: '1' }],
    ['reverse order finds the same edit', '36415', '99213', '2026-11-27', { column1: '99213', modifierIndicator: '1' }],
    ['pre-1996 edit', '93000', '93005', '2026-11-27', { modifierIndicator: '0', effectiveFrom: '1996-01-01' }],
    ['indicator 9: edit not applied, still reported', '11042', '97597', '2026-11-27', { modifierIndicator: '9' }],
  ])('%s', (_n, a, b, date, expected) => {
    expect(new EditTables(db).ptpPair('practitioner', a, b, date)).toMatchObject({ ...expected, tableVersion: 'NCCI PTP practitioner 2026Q4' });
  });

  test('deletion date: the edit applies before it and not from it on; effective date boundary', () => {
    const t = new EditTables(db);
    expect(t.ptpPair('practitioner', '80053', '80048', '2025-06-30')?.deletedOn).toBe('2025-07-01');
    expect(t.ptpPair('practitioner', '80053', '80048', '2025-07-01')).toBeUndefined();
    expect(t.ptpPair('practitioner', '99213', '36415', '2020-12-31')).toBeUndefined();
    expect(t.ptpPair('practitioner', '99213', '36415', '2021-01-01')).toBeDefined();
    expect(t.ptpPair('hospital', '99213', '36415', '2026-11-27')).toBeUndefined();
    expect(t.ptpPairsOf('practitioner', '99213', '2026-11-27').map((e) => e.column2)).toEqual(['36415']);
  });

  test('MUE values with their adjudication indicator', () => {
    const t = new EditTables(db);
    expect(t.mue('practitioner', '36415', '2026-11-27')).toEqual({ code: '36415', maxUnits: 2, mai: '3', rationale: 'Clinical: Data', tableVersion: 'MUE practitioner 2026Q4' });
    expect(t.mue('practitioner', 'J1885', '2026-11-27')?.mai).toBe('1');
    expect(t.mue('practitioner', '99999', '2026-11-27')).toBeUndefined();
    // MUE values have no dates of their own: none before the table's quarter.
    expect(t.mue('practitioner', '36415', '2026-09-30')).toBeUndefined();
  });

  test('quarters label NCCI versions', () => {
    expect(quarterOf('2026-11-27')).toEqual({ label: '2026Q4', from: '2026-10-01' });
    expect(quarterOf('2026-01-01')).toEqual({ label: '2026Q1', from: '2026-01-01' });
  });

  test('a malformed row after the data starts is refused with its line; the tables stay as they were', async () => {
    const bad = join(dir, 'ccipra-v322r0-f1.txt');
    writeFileSync(bad, `${PTP}\r\n99214\t36415\t\t2021-01-01\t*\t1\tbad date\r\n`);
    await expect(importCodesetFiles(db, [bad], { effectiveFrom: '2027-01-01' })).rejects.toThrow(/ccipra-v322r0-f1\.txt line 7: not a PTP edit row/);
    expect(new EditTables(db).list().map((t) => t.version)).toEqual(['2026Q4', '2026Q4']);
  });

  test('a file whose provider type cannot be told is refused', async () => {
    const unknown = join(dir, 'edits.txt');
    writeFileSync(unknown, PTP.replace('copyright', 'c'));
    await expect(importCodesetFiles(db, [unknown])).rejects.toThrow(/edits\.txt: cannot tell whether this NCCI\/MUE table is for practitioners, hospitals or DME suppliers; pass --provider/);
  });
});
