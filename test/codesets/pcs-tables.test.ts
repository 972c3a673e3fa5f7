import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { explainPcsCode } from '../../src/codesets/pcs-tables.js';
import { ReferenceLibrary } from '../../src/codesets/reference-library.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-pcs-tables-');

// A two-table excerpt in the layout of the CMS tables XML, written for the test.
const TABLES = `<?xml version="1.0" encoding="utf-8"?>
<ICD10PCS.tabular>
  <version>2025</version>
  <pcsTable>
    <axis pos="1" values="1"><title>Section</title><label code="0">Medical and Surgical</label></axis>
    <axis pos="2" values="1"><title>Body System</title><label code="D">Gastrointestinal System</label></axis>
    <axis pos="3" values="1"><title>Operation</title><label code="T">Resection</label><definition>Cutting out or off, without replacement, all of a body part</definition></axis>
    <pcsRow codes="2">
      <axis pos="4" values="1"><title>Body Part</title><label code="J">Appendix</label></axis>
      <axis pos="5" values="2"><title>Approach</title><label code="0">Open</label><label code="4">Percutaneous Endoscopic</label></axis>
      <axis pos="6" values="1"><title>Device</title><label code="Z">No Device</label></axis>
      <axis pos="7" values="1"><title>Qualifier</title><label code="Z">No Qualifier</label></axis>
    </pcsRow>
  </pcsTable>
  <pcsTable>
    <axis pos="1" values="1"><title>Section</title><label code="0">Medical and Surgical</label></axis>
    <axis pos="2" values="1"><title>Body System</title><label code="F">Hepatobiliary System and Pancreas</label></axis>
    <axis pos="3" values="1"><title>Operation</title><label code="T">Resection</label></axis>
    <pcsRow codes="2">
      <axis pos="4" values="1"><title>Body Part</title><label code="4">Gallbladder</label></axis>
      <axis pos="5" values="2"><title>Approach</title><label code="0">Open</label><label code="4">Percutaneous Endoscopic</label></axis>
      <axis pos="6" values="1"><title>Device</title><label code="Z">No Device</label></axis>
      <axis pos="7" values="1"><title>Qualifier</title><label code="Z">No Qualifier</label></axis>
    </pcsRow>
  </pcsTable>
</ICD10PCS.tabular>
`;

describe('ICD-10-PCS tables', () => {
  test('build the code list and explain a code axis by axis', async () => {
    const file = join(dir, 'icd10pcs_tables_2025.xml');
    writeFileSync(file, TABLES);
    const db = openDatabase(join(dir, 't.db'));
    const [v] = await importCodesetFiles(db, [file]);
    expect([v!.system, v!.version, v!.codes]).toEqual(['ICD-10-PCS', '2025', 4]);
    const lib = new ReferenceLibrary(db);
    const version = lib.versionFor('ICD-10-PCS', '2025-01-01')!;
    expect(lib.load(version).isValid('0DTJ4ZZ')).toBe(true);
    const explained = explainPcsCode(db, version, '0dtj4zz')!;
    expect(explained.map((a) => `${a.title}: ${a.label}`)).toEqual([
      'Section: Medical and Surgical', 'Body System: Gastrointestinal System', 'Operation: Resection',
      'Body Part: Appendix', 'Approach: Percutaneous Endoscopic', 'Device: No Device', 'Qualifier: No Qualifier',
    ]);
    expect(explained[2]!.definition).toBe('Cutting out or off, without replacement, all of a body part');
    expect(explainPcsCode(db, version, '0DTJ3ZZ')).toBeUndefined(); // percutaneous is not in the row
    expect(explainPcsCode(db, version, '0DTK4ZZ')).toBeUndefined();
  });

  test('imported with the codes file, the tables are cross-checked against it', async () => {
    const file = join(dir, 'icd10pcs_tables_2025.xml');
    writeFileSync(file, TABLES);
    const db = openDatabase(join(dir, 'both.db'));
    const [v] = await importCodesetFiles(db, [resolve('..', 'shared', 'codesets', 'icd10pcs-2025', 'icd10pcs_codes_2025.txt'), file]);
    expect(v!.codes).toBe(78_948);
    expect(v!.warnings).toEqual(['the tables allow 4 codes (0 not in the codes file); the codes file has 78948']);
    const version = new ReferenceLibrary(db).versionFor('ICD-10-PCS', '2025-01-01')!;
    expect(explainPcsCode(db, version, '0FT44ZZ')?.[3]?.label).toBe('Gallbladder');
  });
});
