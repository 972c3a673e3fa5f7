import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseIcd10cmTabular } from '../../src/codesets/formats/icd10cm-tabular.js';
import { icd10cmKey, inRange, parseNoteRanges } from '../../src/codesets/icd10cm-code.js';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { diffCodeSets, ReferenceLibrary, type CodeSet } from '../../src/codesets/reference-library.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

/** Official files from ../shared: read there, never copied into the project. */
const SHARED = resolve('..', 'shared', 'codesets');
const TABULAR = join(SHARED, 'icd10cm-2021', 'icd10cm_tabular_2021.xml');
const ORDER = join(SHARED, 'icd10cm-2021', 'icd10cm-order-Jan-2021.txt');
const PCS = join(SHARED, 'icd10pcs-2025', 'icd10pcs_codes_2025.txt');
const PCS_ADDENDA = join(SHARED, 'icd10pcs-2025', 'codes_addenda_2025.txt');

const dir = tempDir('nightcode-codesets-');
let db: Db;
let lib: ReferenceLibrary;
let cm: CodeSet;

beforeAll(async () => {
  db = openDatabase(join(dir, 'ref.db'));
  await importCodesetFiles(db, [TABULAR, ORDER, PCS, PCS_ADDENDA]);
  lib = new ReferenceLibrary(db);
  cm = lib.codeSetFor('ICD-10-CM', '2021-06-15')!;
});

describe('code references in notes', () => {
  test.each([
    ['diabetes mellitus due to underlying condition (E08.-)', [['E08', 'E08']]],
    ['complications of pregnancy (O00-O9A)', [['O00', 'O9A']]],
    ['hypertensive disease (I10-I1A)', [['I10', 'I1A']]],
    ['type 1 diabetes mellitus (E10.-) stage 3', [['E10', 'E10']]],
    ['code first underlying disease, such as: amyloidosis (E85.-) and gout (M1A.-, M10.-)', [['E85', 'E85'], ['M1A', 'M1A'], ['M10', 'M10']]],
    ['Excludes: (F01-F09, F20-F29)', [['F01', 'F09'], ['F20', 'F29']]],
    ['personal history (Z86.711)', [['Z86711', 'Z86711']]],
    ['no reference here, type 2', []],
  ])('%s', (text, expected) => {
    expect(parseNoteRanges(text).map((r) => [r.from, r.to])).toEqual(expected);
  });

  test('ranges cover children and order I1A after I15', () => {
    const [range] = parseNoteRanges('(I10-I1A)');
    expect(['I10', 'I119', 'I16', 'I1A0'].map((c) => inRange(c, range!))).toEqual([true, true, true, true]);
    expect(inRange('I20', range!)).toBe(false);
    expect(inRange('E0800', parseNoteRanges('(E08.-)')[0]!)).toBe(true);
    expect(icd10cmKey(' e11.9 ')).toBe('E119');
    expect(icd10cmKey('E11.9.1')).toBeUndefined();
  });

  // The FY2021 tabular's "with" clauses: I73.8's Excludes1 "diabetic (peripheral) angiopathy
  // (E08-E13 with .51-.52)" names E11.51 and E11.52, not E11.9: a diabetic with erythromelalgia
  // (I73.81) keeps both codes.
  test('a "with" clause narrows the references of its parentheses to those characters', () => {
    const codes = (text: string, keys: string[]) => keys.filter((k) => parseNoteRanges(text).some((r) => inRange(k, r)));
    expect(codes('diabetic (peripheral) angiopathy (E08-E13 with .51-.52)', ['E1151', 'E1152', 'E0851', 'E1352', 'E119', 'E1159', 'E1165', 'E14'])).toEqual(['E1151', 'E1152', 'E0851', 'E1352']);
    expect(codes('diabetes mellitus (E08-E13 with .61-)', ['E11610', 'E10618', 'E1162', 'E116'])).toEqual(['E11610', 'E10618']);
    expect(codes('amnestic disorder (F10, F13, F19 with .26, .96)', ['F1026', 'F1396', 'F19260', 'F1126', 'F1025'])).toEqual(['F1026', 'F1396', 'F19260']);
    expect(codes('psychoactive drug use (F11-F19 with .15. .25, .95)', ['F1115', 'F1925', 'F1595', 'F1120'])).toEqual(['F1115', 'F1925', 'F1595']);
    expect(codes('infectious mononucleosis with liver disease (B27.0-B27.9 with .9)', ['B2709', 'B2799', 'B2790', 'B270'])).toEqual(['B2709', 'B2799']);
  });

  test('the library reads the narrowed ranges, and Excludes1 lets a diabetic keep an unrelated neighbour', () => {
    expect(cm.excludes1Between('I73.89', 'E11.9')).toBeUndefined();
    expect(cm.excludes1Between('I73.89', 'E11.51')?.at).toBe('I73.8');
    expect(cm.excludes1Between('H20.00', 'E11.9')).toBeUndefined();
  });
});

describe('ICD-10-CM FY2021 from the official files', () => {
  test('counts: 72,621 billable codes of 95,358; the note blocks of the release notes', () => {
    const v = lib.find('ICD-10-CM', '2021')!;
    expect([v.codes, v.billable, v.effectiveFrom, v.effectiveTo]).toEqual([95_358, 72_621, '2020-10-01', '2021-09-30']);
    expect(v.warnings).toEqual([]);
    const blocks = db.prepare(`SELECT n.kind, count(DISTINCT n.key || '/' || n.block) AS n FROM codeset_notes n JOIN codeset_codes c ON c.version_id = n.version_id AND c.key = n.key
      WHERE n.version_id = ? AND c.kind IN ('category', 'code') GROUP BY n.kind`).all(v.id) as { kind: string; n: number }[];
    const byKind = Object.fromEntries(blocks.map((b) => [b.kind, b.n]));
    expect(byKind).toMatchObject({ excludes1: 2554, excludes2: 972, useAdditionalCode: 758, codeFirst: 314, codeAlso: 203 });
    expect((db.prepare('SELECT count(DISTINCT key) AS n FROM codeset_seventh WHERE version_id = ?').get(v.id) as { n: number }).n).toBe(507);
  });

  test('the tabular parse has every diag element', () => {
    const t = parseIcd10cmTabular(readFileSync(TABULAR, 'utf8'), 'tabular');
    expect(t.entries.filter((e) => e.kind === 'category' || e.kind === 'code')).toHaveLength(45_017);
  });

  test.each([
    ['E11.9', true], ['E119', true], ['e11.9', true], ['E11', false], ['E11.', false], ['S72.001A', true], ['S72.001', false],
    ['T36.0X1A', true], ['T36.0X1', false], ['U07.1', true], ['Z99.99', false],
  ])('billable %s → %s', (code, billable) => {
    expect(cm.isBillable(code)).toBe(billable);
  });

  test('titles, hierarchy and children', () => {
    expect(cm.title('E11.9')).toBe('Type 2 diabetes mellitus without complications');
    expect(cm.parents('E11.9').map((p) => p.code)).toEqual(['E11', 'E08-E13', '4']);
    expect(cm.childrenOf('E11.2').map((c) => c.code)).toEqual(['E11.21', 'E11.22', 'E11.29']);
    expect(cm.get('S72.001A')?.parent).toBe('S72001');
  });

  test('notes are inherited down the hierarchy', () => {
    const use = cm.notes('E11.9', 'useAdditionalCode').map((n) => [n.at, n.text]);
    expect(use).toContainEqual(['E11', 'insulin (Z79.4)']);
    expect(cm.notes('E11.9', 'useAdditionalCode', false)).toEqual([]);
    // Chapter 19 notes reach an S72 code with a 7th character.
    expect(cm.notes('S72.001A', 'excludes1').map((n) => n.at)).toContain('S72');
  });

  test('Excludes1 pairs, from either side, with inherited notes and ranges', () => {
    expect(cm.excludes1Between('E11.9', 'E08.9')?.at).toBe('E11');
    expect(cm.excludes1Between('E08.9', 'E11.9')?.at).toBe('E08'); // E08 also excludes E11 (either note is reported)
    expect(cm.excludes1Between('E11.65', 'E10.9')).toBeDefined();
    expect(cm.excludes1Between('E11.9', 'I10')).toBeUndefined();
    // Excludes2 is not Excludes1: S72 excludes2 fracture of lower leg (S82.-).
    expect(cm.excludes1Between('S72.001A', 'S82.001A')).toBeUndefined();
  });

  test('seventh characters with the placeholder X (S72 fractures, T36–T50 poisonings)', () => {
    const s72 = cm.seventhCharacter('S72.001')!;
    expect(s72.definedAt).toBe('S72');
    expect(Object.keys(s72.values)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'M', 'N', 'P', 'Q', 'R', 'S']);
    expect(cm.addSeventhCharacter('S72.001', 'A')).toBe('S72001A');
    expect(cm.addSeventhCharacter('S72.001', 'Z')).toBeUndefined();
    const poisoning = cm.seventhCharacter('T36.0X1')!;
    expect(Object.keys(poisoning.values)).toEqual(['A', 'D', 'S']);
    expect(cm.addSeventhCharacter('S02.0', 'A')).toBe('S020XXA');
    expect(cm.isBillable('S020XXA')).toBe(true);
    expect(cm.seventhCharacter('E11.9')).toBeUndefined();
  });

  test('a date of service picks its version; no version, no code set', () => {
    expect(lib.versionFor('ICD-10-CM', '2020-10-01')?.version).toBe('2021');
    expect(lib.versionFor('ICD-10-CM', '2021-09-30')?.version).toBe('2021');
    expect(lib.versionFor('ICD-10-CM', '2021-10-01')).toBeUndefined();
    expect(lib.uncoveredDates('ICD-10-CM', ['2021-01-05', '2021-10-02', '2026-11-27'])).toEqual(['2021-10-02', '2026-11-27']);
  });
});

describe('ICD-10-PCS FY2025', () => {
  test('78,948 codes, effective Oct 1 2024 – Sep 30 2025, consistent with the addenda', () => {
    const v = lib.find('ICD-10-PCS', '2025')!;
    expect([v.codes, v.billable, v.effectiveFrom, v.effectiveTo, v.warnings]).toEqual([78_948, 78_948, '2024-10-01', '2025-09-30', []]);
    const pcs = lib.codeSetFor('ICD-10-PCS', '2025-01-01')!;
    expect(pcs.title('0DTJ4ZZ')).toBe('Resection of Appendix, Percutaneous Endoscopic Approach');
    expect(pcs.isValid('00503Z4')).toBe(true); // added in 2025
    expect(pcs.isValid('X27H385')).toBe(false); // deleted in 2025
  });
});

describe('yearly changes', () => {
  test('a code valid in one year but not the next; diff lists added, deleted and retitled', async () => {
    // A next-year order file written from this year's: one code deleted, one added, one retitled.
    const lines = readFileSync(ORDER, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const next = lines
      .filter((l) => !l.startsWith('04282 E119'))
      .map((l) => (l.slice(6, 13).trim() === 'I10' ? `${l.slice(0, 77)}Essential (primary) hypertension, retitled` : l));
    next.push(`99999 U099    1 ${'Post COVID-19 condition'.padEnd(60)} Post COVID-19 condition, unspecified`);
    const file = join(dir, 'icd10cm_order_2022.txt');
    writeFileSync(file, `${next.join('\n')}\n`);
    const ref = openDatabase(join(dir, 'years.db'));
    await importCodesetFiles(ref, [ORDER]);
    await importCodesetFiles(ref, [file]);
    const years = new ReferenceLibrary(ref);
    expect(years.codeSetFor('ICD-10-CM', '2021-09-30')!.isBillable('E11.9')).toBe(true);
    expect(years.codeSetFor('ICD-10-CM', '2021-10-01')!.isBillable('E11.9')).toBe(false);
    expect(years.codeSetFor('ICD-10-CM', '2021-10-01')!.isBillable('U09.9')).toBe(true);
    const d = diffCodeSets(years.load(years.find('ICD-10-CM', '2021')!), years.load(years.find('ICD-10-CM', '2022')!));
    expect(d.added.map((c) => c.code)).toEqual(['U09.9']);
    expect(d.deleted.map((c) => c.code)).toEqual(['E11.9']);
    expect(d.retitled).toEqual([{ code: 'I10', from: 'Essential (primary) hypertension', to: 'Essential (primary) hypertension, retitled' }]);
  });

  test('an April update takes over from its effective date', async () => {
    const ref = openDatabase(join(dir, 'april.db'));
    await importCodesetFiles(ref, [ORDER]);
    await importCodesetFiles(ref, [ORDER], { effectiveFrom: '2021-04-01' });
    const l = new ReferenceLibrary(ref);
    expect(l.versionFor('ICD-10-CM', '2021-03-31')?.version).toBe('2021');
    expect(l.versionFor('ICD-10-CM', '2021-04-01')?.version).toBe('2021-04');
    await expect(importCodesetFiles(ref, [ORDER], { effectiveFrom: '2022-04-01' })).rejects.toThrow(/outside fiscal year 2021/);
  });
});

describe('bad files change nothing and say what is wrong', () => {
  const attempt = async (files: string[]) => {
    const ref = openDatabase(join(dir, 'intact.db'));
    const before = (ref.prepare('SELECT count(*) AS n FROM codeset_codes').get() as { n: number }).n;
    const err = await importCodesetFiles(ref, files).then(() => undefined, (e: Error) => e);
    const after = (ref.prepare('SELECT count(*) AS n FROM codeset_codes').get() as { n: number }).n;
    ref.close();
    return { err, before, after };
  };

  beforeAll(async () => {
    const ref = openDatabase(join(dir, 'intact.db'));
    await importCodesetFiles(ref, [PCS]);
    ref.close();
  });

  test('a truncated tabular XML names the file and leaves the store intact', async () => {
    const xml = readFileSync(TABULAR, 'utf8');
    const cut = join(dir, 'icd10cm_tabular_2022.xml');
    writeFileSync(cut, xml.slice(0, Math.floor(xml.length / 2)));
    const { err, before, after } = await attempt([cut, PCS]);
    expect(err?.message).toMatch(/icd10cm_tabular_2022\.xml: not well-formed XML/);
    expect(after).toBe(before);
    expect(before).toBe(78_948);
  });

  test('a corrupt order-file line is named by its line number', async () => {
    const lines = readFileSync(ORDER, 'utf8').split('\n');
    lines[99] = '00100 ???';
    const bad = join(dir, 'icd10cm_order_2023.txt');
    writeFileSync(bad, lines.join('\n'));
    const { err, after, before } = await attempt([bad]);
    expect(err?.message).toBe('icd10cm_order_2023.txt line 100: not an ICD-10-CM order-file line (fixed columns: order 1–5, code 7–13, flag 15, short title 17–76, long title 78–)');
    expect(after).toBe(before);
  });

  test('a file of the wrong format is refused', async () => {
    const csv = join(dir, 'codes_2024.csv');
    writeFileSync(csv, 'code,title\nE11.9,Diabetes\n');
    const { err } = await attempt([csv]);
    expect(err?.message).toMatch(/codes_2024\.csv: not a recognized release file/);
    const { err: missing } = await attempt([join(dir, 'nope.txt')]);
    expect(missing?.message).toMatch(/nope\.txt: cannot read \(ENOENT\)/);
  });
});

describe('Medicare Code Editor lists', () => {
  test('defaults derived from the classification: maternity, newborn, manifestations', async () => {
    const { MedicareCodeEditor } = await import('../../src/codesets/medicare-code-editor.js');
    const mce = new MedicareCodeEditor(cm);
    expect(mce.listsOf('O80').map((f) => f.list)).toEqual(['maternity', 'female']);
    expect(mce.ageConflict('O80', 70)).toMatchObject({ list: 'maternity', source: 'derived from ICD-10-CM 2021' });
    expect(mce.ageConflict('O80', 30)).toBeUndefined();
    expect(mce.sexConflict('O80', 'M')?.list).toBe('female');
    expect(mce.ageConflict('P07.30', 0)).toBeUndefined();
    expect(mce.ageConflict('P07.30', 3)?.list).toBe('newborn');
    // G63: Polyneuropathy in diseases classified elsewhere.
    expect(mce.unacceptableAsPrincipal('G63')?.list).toBe('manifestation');
    expect(mce.unacceptableAsPrincipal('E11.9')).toBeUndefined();
  });

  test('imported lists (list,code) extend the derived ones for their fiscal year', async () => {
    const { MedicareCodeEditor } = await import('../../src/codesets/medicare-code-editor.js');
    const file = join(dir, 'mce_lists_2021.csv');
    writeFileSync(file, 'list,code\nmale,Z12.5\npediatric,Z00.129\nunacceptable-principal,Z99.89\n');
    const [v] = await importCodesetFiles(db, [file]);
    expect([v!.system, v!.version, v!.codes]).toEqual(['MCE lists', '2021', 3]);
    const mce = new MedicareCodeEditor(cm, db, '2021-06-15');
    expect(mce.sexConflict('Z12.5', 'F')).toEqual({ list: 'male', source: 'MCE lists 2021' });
    // Male genital organs (N40-N53) are on the derived male list whatever is imported.
    expect(mce.sexConflict('N40.0', 'F')).toEqual({ list: 'male', source: 'derived from ICD-10-CM 2021' });
    expect(mce.ageConflict('Z00.129', 40)?.list).toBe('pediatric');
    expect(mce.unacceptableAsPrincipal('Z99.89')?.list).toBe('unacceptable-principal');
    // A later date uses the latest list published by then (FY2021 for a FY2022 date), and says it is older.
    expect(new MedicareCodeEditor(cm, db, '2021-10-01').sexConflict('Z12.5', 'F')).toEqual({ list: 'male', source: 'MCE lists 2021' });
    const { listVersionFor, staleNote } = await import('../../src/codesets/official-lists.js');
    expect(staleNote(listVersionFor(db, 'mce_lists', '2021-06-15')!, '2021-06-15')).toBeUndefined();
    expect(staleNote(listVersionFor(db, 'mce_lists', '2021-10-01')!, '2021-10-01')).toMatch(/MCE lists 2021 \(fiscal year 2021\) is applied to 2021-10-01 in fiscal year 2022/);
    expect(new MedicareCodeEditor(cm, db, '2020-09-30').sexConflict('Z12.5', 'F')).toBeUndefined();
    const bad = join(dir, 'mce_lists_2022.csv');
    writeFileSync(bad, 'list,code\nelderly,N40.0\n');
    await expect(importCodesetFiles(db, [bad])).rejects.toThrow(/mce_lists_2022\.csv line 2: expected "list,code"/);
  });
});
