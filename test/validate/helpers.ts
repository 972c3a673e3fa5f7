import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EditTables } from '../../src/codesets/edit-tables.js';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { MedicareCodeEditor } from '../../src/codesets/medicare-code-editor.js';
import { ReferenceLibrary, type CodeSet } from '../../src/codesets/reference-library.js';
import type { CodedDiagnosis, CodedEncounter, CodedProcedure, Encounter } from '../../src/contract/types.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import type { ValidateOptions } from '../../src/validate/validate-claim.js';

const SHARED = resolve('..', 'shared', 'codesets', 'icd10cm-2021');

/** NCCI tables in the CMS publication layouts, written by the tests (no CMS data is shipped). */
const PTP = [
  'CPT codes, descriptions and other data only are copyright 2020 American Medical Association. All rights reserved.',
  'Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale',
  '29881\t29877\t\t20100101\t*\t0\tMutually exclusive procedures',
  '20610\t20604\t\t20150101\t*\t1\tMisuse of column two code with column one code',
  '11042\t97597\t\t20150101\t*\t9\tMutually exclusive procedures',
  '80053\t80048\t\t20100101\t20210301\t0\tMore extensive procedure',
  '93000\t93010\t\t20210302\t*\t0\tStandards of medical / surgical practice',
].join('\r\n');
const MUE = [
  '"CPT codes and descriptions only are copyright 2020 American Medical Association."',
  '"HCPCS/CPT Code","Practitioner Services MUE Values","MUE Adjudication Indicator","MUE Rationale"',
  '"36415","2","3 Date of Service Edit: Clinical","Clinical: Data"',
  '"99213","1","2 Date of Service Edit: Policy","Nature of Service/Procedure"',
  '"J1885","8","1 Line Edit","Prescribing Information"',
].join('\n');
const MCE = ['list,code', 'unacceptable-principal,Z00.00', 'pediatric,E30.1'].join('\n');

export interface EditFixture {
  db: Db;
  icd10cm: CodeSet;
  options: ValidateOptions;
}

/** FY2021 ICD-10-CM from ../shared, synthetic NCCI PTP/MUE tables and MCE lists, in one repository. */
export async function editFixture(dir: string): Promise<EditFixture> {
  const db = openDatabase(join(dir, 'edits.db'));
  writeFileSync(join(dir, 'ccipra-v271r0-f1.txt'), PTP);
  writeFileSync(join(dir, 'MCR_MUE_PractitionerServices_Eff_2021-01-01.csv'), MUE);
  writeFileSync(join(dir, 'mce_lists_2021.csv'), MCE);
  await importCodesetFiles(db, [join(SHARED, 'icd10cm_tabular_2021.xml'), join(SHARED, 'icd10cm-order-Jan-2021.txt')]);
  await importCodesetFiles(db, [join(dir, 'ccipra-v271r0-f1.txt'), join(dir, 'MCR_MUE_PractitionerServices_Eff_2021-01-01.csv')], { effectiveFrom: '2021-01-01' });
  await importCodesetFiles(db, [join(dir, 'mce_lists_2021.csv')]);
  const library = new ReferenceLibrary(db);
  const icd10cm = library.codeSetFor('ICD-10-CM', '2021-03-01')!;
  return {
    db, icd10cm,
    options: {
      businessDate: '2021-03-31', payerIds: new Set(['MCARE', 'ACME']), autoReleaseConfidence: 0.8,
      codeSets: library,
      diagnosis: { icd10cm, mce: new MedicareCodeEditor(icd10cm, db, '2021-03-01') },
      procedure: {
        edits: new EditTables(db),
        coverage: [{ id: 'LCD-L99999', version: '2021-01', procedures: ['82607'], diagnoses: ['D51', 'D52', 'E53.8'] }],
      },
    },
  };
}

/** A clean professional claim: valid NPIs and codes, nothing any edit flags. */
export function cleanClaim(over: { encounter?: Partial<Encounter>; diagnoses?: string[]; lines?: (Partial<CodedProcedure> & { code: string })[] } = {}): CodedEncounter {
  const encounter: Encounter = {
    key: { source: 'seed', encounterId: 'E1' }, contentHash: 'h1', source: { file: 'encounters.csv', line: 2 }, kind: 'professional',
    patient: { id: 'P1', birthDate: '1960-05-01', sex: 'F', address: { line1: '1 Main St', city: 'Salem', state: 'OR', zip: '97301' } }, coverage: { payerId: 'ACME', memberId: 'M1', relationship: '18' },
    providers: { billingNpi: '1234567893', renderingNpi: '1245319599' }, serviceDate: '2021-03-15', placeOfService: '11',
    notes: [], diagnoses: [], charges: [], issues: [], ...over.encounter,
  };
  const diagnoses: CodedDiagnosis[] = (over.diagnoses ?? ['I10', 'E11.9']).map((code, i) => ({
    code, system: 'ICD-10-CM', sequence: i + 1, confidence: 0.95, rulePath: 'seed', evidence: [{ text: `note about ${code}`, source: { file: 'notes.csv', line: 2 } }],
  }));
  const lines: CodedProcedure[] = (over.lines ?? [{ code: '99213' }, { code: '36415' }]).map((l, i) => ({
    line: i + 1, system: /^[A-V]/.test(l.code) ? 'HCPCS' : 'CPT', modifiers: [], units: 1, charge: 100, diagnosisPointers: [1],
    confidence: 0.99, rulePath: 'seed', source: { file: 'charges.csv', line: i + 2 }, ...l,
  }));
  return { encounter, findings: [], diagnoses, procedures: lines, pcsProcedures: [], notCoded: [], confidence: 0.95, issues: [] };
}
