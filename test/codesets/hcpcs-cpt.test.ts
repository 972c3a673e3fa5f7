import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { ReferenceLibrary } from '../../src/codesets/reference-library.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-hcpcs-');

/** One fixed-width HCPCS record: code 1–5, sequence 6–10, record id 11, long 12–91, short 92–119. */
function record(code: string, seq: number, id: string, long: string, short = ''): string {
  return `${code.padEnd(5)}${String(seq).padStart(5, '0')}${id}${long.padEnd(80)}${short.padEnd(28)}${'00'.padEnd(40)}`;
}

describe('HCPCS Level II and user-supplied CPT files', () => {
  test('HCPCS records: multi-line long descriptions, short titles, modifiers; quarterly files take over', async () => {
    const jan = join(dir, 'HCPC2026_JAN_ANWEB.txt');
    writeFileSync(jan, [
      record('A4253', 100, '3', 'Blood glucose test or reagent strips for home blood glucose monitor, per 50', 'Blood glucose/reagent strips'),
      record('A4253', 200, '4', 'strips (team test text)'),
      record('J1885', 100, '3', 'Injection, ketorolac tromethamine, per 15 mg', 'Ketorolac tromethamine inj'),
      record('   LT', 100, '7', 'Left side (used to identify procedures performed on the left side of the body)', 'Left side'),
    ].join('\r\n'));
    const db = openDatabase(join(dir, 'h.db'));
    const [v] = await importCodesetFiles(db, [jan]);
    expect([v!.system, v!.version, v!.effectiveFrom, v!.effectiveTo, v!.codes]).toEqual(['HCPCS', '2026', '2026-01-01', '2026-12-31', 2]);
    const lib = new ReferenceLibrary(db);
    const h = lib.codeSetFor('HCPCS', '2026-03-01')!;
    expect(h.get('a4253')).toMatchObject({ title: 'Blood glucose test or reagent strips for home blood glucose monitor, per 50 strips (team test text)', shortTitle: 'Blood glucose/reagent strips', billable: true });
    expect(h.get('MOD:LT')?.title).toMatch(/^Left side/);
    const apr = join(dir, 'HCPC2026_APR_ANWEB.txt');
    writeFileSync(apr, [record('J1885', 100, '3', 'Injection, ketorolac tromethamine, per 15 mg', 'Ketorolac tromethamine inj'), record('G0999', 100, '3', 'New quarterly code (team test text)', 'New code')].join('\n'));
    await importCodesetFiles(db, [apr]);
    const later = new ReferenceLibrary(db);
    expect(later.versionFor('HCPCS', '2026-03-31')?.version).toBe('2026');
    expect(later.versionFor('HCPCS', '2026-04-01')?.version).toBe('2026-04');
    expect(later.codeSetFor('HCPCS', '2026-04-01')!.isValid('G0999')).toBe(true);
    expect(later.codeSetFor('HCPCS', '2026-03-31')!.isValid('G0999')).toBe(false);
  });

  test('a CPT file in the documented layout (code, description), CSV or tab-separated', async () => {
    const db = openDatabase(join(dir, 'c.db'));
    const csv = join(dir, 'cpt_2026.csv');
    writeFileSync(csv, 'code,description,short_description\n99213,"Office visit, established patient (site text)",OV est\n0001U,Lab analysis (site text),Lab\n1234F,Quality measure (site text),QM\n');
    const tsv = join(dir, 'cpt-2027.txt');
    writeFileSync(tsv, 'code\tdescription\n99214\tOffice visit, established, moderate (site text)\n');
    const versions = await importCodesetFiles(db, [csv, tsv]);
    expect(versions.map((v) => [v.system, v.version, v.codes])).toEqual([['CPT', '2026', 3], ['CPT', '2027', 1]]);
    const cpt = new ReferenceLibrary(db).codeSetFor('CPT', '2026-06-01')!;
    expect(cpt.title('99213')).toBe('Office visit, established patient (site text)');
    const bad = join(dir, 'cpt_2028.csv');
    writeFileSync(bad, 'code,description\n99213,Visit\nABC,Broken\n');
    await expect(importCodesetFiles(db, [bad])).rejects.toThrow(/cpt_2028\.csv row 3: needs a CPT code/);
  });
});

describe('official zip archives', () => {
  test('are read in-process: release files inside are imported, the rest skipped; a truncated zip is refused', async () => {
    const { zipSync, strToU8 } = await import('fflate');
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const pcs = readFileSync(resolve('..', 'shared', 'codesets', 'icd10pcs-2025', 'icd10pcs_codes_2025.txt'));
    const zip = zipSync({
      'Zip File 1 2025 Code Tables and Index/icd10pcs_codes_2025.txt': new Uint8Array(pcs),
      'Zip File 1 2025 Code Tables and Index/readme.txt': strToU8('Release notes (not a code file).'),
    });
    const file = join(dir, '2025-icd-10-pcs-codes-file.zip');
    writeFileSync(file, zip);
    const db = openDatabase(join(dir, 'z.db'));
    const [v] = await importCodesetFiles(db, [file]);
    expect([v!.system, v!.version, v!.codes]).toEqual(['ICD-10-PCS', '2025', 78_948]);
    expect(v!.sources[0]!.file).toBe('2025-icd-10-pcs-codes-file.zip!Zip File 1 2025 Code Tables and Index/icd10pcs_codes_2025.txt');
    const cut = join(dir, 'truncated-2025.zip');
    writeFileSync(cut, zip.subarray(0, Math.floor(zip.length / 2)));
    await expect(importCodesetFiles(db, [cut])).rejects.toThrow(/truncated-2025\.zip: not a readable zip archive/);
    expect(new ReferenceLibrary(db).versions('ICD-10-PCS').map((x) => x.codes)).toEqual([78_948]);
  });
});
