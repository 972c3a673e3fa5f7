import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { AlphabeticIndex, normalizeIndexTitle } from '../../src/codesets/alphabetic-index.js';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

const SHARED = resolve('..', 'shared', 'codesets', 'icd10cm-2026-index-tables');
const FILES = ['icd10cm_drug_2026.xml', 'icd10cm_neoplasm_2026.xml', 'icd10cm_eindex_2026.xml'].map((f) => join(SHARED, f));
const dir = tempDir('nightcode-index-');
let db: Db;

beforeAll(async () => {
  db = openDatabase(join(dir, 'index.db'));
  const imported = await importCodesetFiles(db, FILES);
  expect(imported.map((v) => [v.system, v.version, v.effectiveFrom, v.effectiveTo])).toEqual([
    ['ICD-10-CM Table of Drugs', '2026', '2025-10-01', '2026-09-30'],
    ['ICD-10-CM Neoplasm Table', '2026', '2025-10-01', '2026-09-30'],
    ['ICD-10-CM External Cause Index', '2026', '2025-10-01', '2026-09-30'],
  ]);
});

describe('ICD-10-CM FY2026 index tables', () => {
  test('the Table of Drugs has its 5,179 main terms and its six columns', () => {
    const drugs = AlphabeticIndex.forDate(db, 'drug', '2026-03-01')!;
    expect(drugs.terms.filter((t) => t.level === 0)).toHaveLength(5179);
    expect(drugs.info.columns).toEqual(['Substance', 'Poisoning Accidental (unintentional)', 'Poisoning Intentional self-harm', 'Poisoning Assault', 'Poisoning Undetermined', 'Adverse effect', 'Underdosing']);
    expect(drugs.lookup(['Aspirin'])?.cells?.['Adverse effect']).toBe('T39.015');
    expect(drugs.lookup(['aspirin'])?.cells?.['Poisoning Accidental (unintentional)']).toBe('T39.011');
  });

  test('the Neoplasm Table resolves a site through its subterms', () => {
    const neo = AlphabeticIndex.forDate(db, 'neoplasm', '2026-03-01')!;
    const hit = neo.lookup(['Neoplasm, neoplastic', 'abdomen, abdominal', 'cavity'])!;
    expect(hit.path).toEqual(['Neoplasm, neoplastic', 'abdomen, abdominal', 'cavity']);
    expect(hit.cells).toMatchObject({ 'Malignant Primary': 'C76.2', 'Malignant Secondary': 'C79.8-', Benign: 'D36.7' });
  });

  test('the External Cause Index: subterm levels, nonessential modifiers, see references', () => {
    const ext = AlphabeticIndex.forDate(db, 'eindex', '2026-03-01')!;
    expect(ext.lookup(['Accident', 'boat, boating', 'striking swimmer', 'powered'])?.code).toBe('V94.11');
    const abuse = ext.mainTerm('Abuse')!;
    expect([abuse.nemod, abuse.code]).toEqual(['(adult) (child) (mental) (physical) (sexual)', 'X58']);
    const car = ext.lookup(['Accident', 'automobile'])!;
    expect(car.see).toBe('Accident, transport, car occupant');
    expect(ext.follow(car.see!)?.path).toEqual(['Accident', 'transport', 'car occupant']);
    // A subterm the index does not have stops at the deepest one it does, keeping its code.
    expect(ext.lookup(['Accident', 'boat, boating', 'no such subterm'])?.path).toEqual(['Accident', 'boat, boating']);
  });

  test('no index for a date outside its fiscal year', () => {
    expect(AlphabeticIndex.forDate(db, 'drug', '2025-09-30')).toBeUndefined();
  });

  test('titles compare without case or nonessential modifiers', () => {
    expect(normalizeIndexTitle('Abandonment (causing exposure) NEC')).toBe('abandonment nec');
    expect(normalizeIndexTitle('boat ,  boating')).toBe('boat, boating');
  });

  test('a truncated index file is refused with its name, and the library is unchanged', async () => {
    const xml = readFileSync(FILES[0]!, 'utf8');
    const cut = join(dir, 'icd10cm_drug_2027.xml');
    writeFileSync(cut, xml.slice(0, 5000));
    await expect(importCodesetFiles(db, [cut])).rejects.toThrow(/icd10cm_drug_2027\.xml: not well-formed XML/);
    expect(AlphabeticIndex.list(db).map((i) => i.version)).toEqual(['2026', '2026', '2026']);
  });
});
