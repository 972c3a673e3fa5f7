import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { loadPipeline } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import type { ClaimRecord } from '../../src/emit/claims/claim-record.js';
import { generateSampleExport } from '../../src/generate/sample-export.js';
import { silentLogger } from '../../src/log/logger.js';
import { runPipeline, type RunSummary } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { csvCell, readCsv, readFindings, type CsvRow } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Seeded defects the way staff meet them: a clean generated night (FY2021, official
 * ICD-10-CM, MCE and POA lists from ../shared), one defect injected into each of a few
 * encounters' export rows. Each is caught by the finding meant for it, the untouched
 * encounters raise no error, and the night completes and reconciles.
 */
const CS = resolve('..', 'shared', 'codesets');
const dir = tempDir('nightcode-seeded-night-');
const exportDir = join(dir, 'export');
const BUSINESS_DATE = '2021-03-02';

type Files = Record<'encounters' | 'patients' | 'diagnoses' | 'charges' | 'notes', CsvRow[]>;
const FILES = ['encounters', 'patients', 'diagnoses', 'charges', 'notes'] as const;

function write(files: Files): void {
  for (const name of FILES) {
    const rows = files[name];
    const header = Object.keys(rows[0]!);
    writeFileSync(join(exportDir, `${name}.csv`), [header.join(','), ...rows.map((r) => header.map((h) => csvCell(r[h] ?? '')).join(','))].join('\r\n') + '\r\n');
  }
}

/** Replace an encounter's exported diagnoses (and drop its note, so only the export speaks). */
function setDiagnoses(f: Files, id: string, codes: [string, string?][]): void {
  f.diagnoses = [...f.diagnoses.filter((r) => r.EncounterID !== id), ...codes.map(([code, poa], i) => ({ EncounterID: id, Seq: String(i + 1), Code: code, CodeSystem: 'ICD-10-CM', Description: '', POA: poa ?? '' }))];
  f.notes = f.notes.filter((r) => r.EncounterID !== id);
}

const DEFECTS: Record<string, { kind: 'professional' | 'institutional'; expect: string; seed: (f: Files, id: string) => void }> = {
  'future date of service': { kind: 'professional', expect: 'EDIT_SERVICE_DATE_FUTURE', seed: (f, id) => { f.encounters.find((r) => r.EncounterID === id)!.ServiceDate = '2021-04-15'; f.charges.filter((r) => r.EncounterID === id).forEach((r) => { r.ServiceDate = '2021-04-15'; }); } },
  'no code set for the date': { kind: 'professional', expect: 'CODE_CODESET_MISSING', seed: (f, id) => { f.encounters.find((r) => r.EncounterID === id)!.ServiceDate = '2019-03-01'; f.charges.filter((r) => r.EncounterID === id).forEach((r) => { r.ServiceDate = '2019-03-01'; }); } },
  'manifestation first': { kind: 'professional', expect: 'EDIT_MANIFESTATION_FIRST', seed: (f, id) => setDiagnoses(f, id, [['F02.80'], ['G30.9']]) },
  'external cause first': { kind: 'professional', expect: 'EDIT_EXTERNAL_CAUSE_FIRST', seed: (f, id) => setDiagnoses(f, id, [['W19.XXXA'], ['S72.001A']]) },
  'codes a combination code names': { kind: 'professional', expect: 'CODE_COMBINATION_APPLIED', seed: (f, id) => setDiagnoses(f, id, [['I10'], ['I50.9']]) },
  'deleted diagnosis code': { kind: 'professional', expect: 'EDIT_CODE_INVALID', seed: (f, id) => setDiagnoses(f, id, [['E11.99']]) },
  'header code': { kind: 'professional', expect: 'EDIT_CODE_NOT_BILLABLE', seed: (f, id) => setDiagnoses(f, id, [['N18.3']]) },
  'rendering NPI starting with 0': { kind: 'professional', expect: 'EDIT_NPI_INVALID', seed: (f, id) => { f.encounters.find((r) => r.EncounterID === id)!.RenderingNPI = '0123456789'; } },
  'more diagnoses than the 837I carries': {
    kind: 'institutional', expect: 'CODE_DIAGNOSIS_LIMIT',
    seed: (f, id) => setDiagnoses(f, id, [
      ['J18.9', 'Y'], ['I50.32', 'Y'], ['N17.9', 'Y'], ['E87.1', 'Y'], ['E11.9', 'Y'], ['I10', 'N'], ['E78.5', 'Y'], ['K21.9', 'Y'], ['F41.9', 'Y'], ['J44.9', 'Y'],
      ['I48.91', 'Y'], ['E03.9', 'Y'], ['D64.9', 'Y'], ['M17.11', 'Y'], ['G47.33', 'Y'], ['E66.9', 'Y'], ['N40.0', 'Y'], ['R26.81', 'Y'], ['F32.9', 'Y'], ['M81.0', 'Y'],
      ['Z79.01', '1'], ['Z87.891', '1'], ['Z82.49', '1'], ['Z86.73', '1'], ['Z88.0', '1'], ['Z91.81', '1'], ['Z66', 'Y'],
    ]),
  },
  'inpatient stay without a discharge status': { kind: 'institutional', expect: 'EDIT_PATIENT_STATUS_MISSING', seed: (f, id) => { f.encounters.find((r) => r.EncounterID === id)!.DischargeStatus = ''; } },
  'POA indicator the guidelines do not know': { kind: 'institutional', expect: 'EDIT_POA_INVALID', seed: (f, id) => setDiagnoses(f, id, [['J18.9', 'Y'], ['I10', 'E']]) },
  'attending NPI starting with 0': { kind: 'institutional', expect: 'EDIT_NPI_INVALID', seed: (f, id) => { f.encounters.find((r) => r.EncounterID === id)!.AttendingNPI = '0123456789'; } },
};

let summary: RunSummary;
let exceptions: CsvRow[];
let claims: ClaimRecord[];
const seeded = new Map<string, string>(); // encounter → defect
let files: Files;
let diedId: string;

beforeAll(async () => {
  await generateSampleExport({ outDir: exportDir, encounters: 90, seed: 77, kind: 'mixed', businessDate: BUSINESS_DATE, brokenRate: 0 });
  files = Object.fromEntries(FILES.map((n) => [n, readCsv(join(exportDir, `${n}.csv`))])) as Files;
  const free = (kind: string) => files.encounters.find((r) => r.EncounterType === kind && !seeded.has(r.EncounterID!))!.EncounterID!;
  for (const [name, d] of Object.entries(DEFECTS)) {
    const id = free(d.kind);
    seeded.set(id, name);
    d.seed(files, id);
  }
  // A maternity code on a woman of 86, and the same visit exported twice under two ids.
  const patientAge = (id: string) => 2021 - Number(files.patients.find((p) => p.PatientID === files.encounters.find((e) => e.EncounterID === id)!.PatientID)!.DOB!.slice(0, 4));
  const old = files.encounters.find((r) => r.EncounterType === 'professional' && !seeded.has(r.EncounterID!) && patientAge(r.EncounterID!) > 70
    && files.patients.find((p) => p.PatientID === r.PatientID)!.Sex === 'F')!.EncounterID!;
  seeded.set(old, 'maternity code at 86');
  setDiagnoses(files, old, [['Z33.1']]);
  const twin = files.encounters.find((r) => r.EncounterType === 'professional' && !seeded.has(r.EncounterID!))!.EncounterID!;
  seeded.set(twin, 'the original of a duplicate');
  seeded.set('E9999999', 'a duplicate of a claim of the same night');
  for (const name of ['encounters', 'diagnoses', 'charges', 'notes'] as const) {
    for (const r of files[name].filter((x) => x.EncounterID === twin)) files[name].push({ ...r, EncounterID: 'E9999999', ...(r.NoteID ? { NoteID: `${r.NoteID}-copy` } : {}) });
  }
  // A patient who died: the discharge status in words goes out as NUBC 20.
  const died = files.encounters.find((r) => r.EncounterType === 'institutional' && !seeded.has(r.EncounterID!))!;
  died.DischargeStatus = 'Expired';
  write(files);

  const config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 500 } });
  const db = openDatabase(config.database);
  await importCodesetFiles(db, [join(CS, 'icd10cm-2021', 'icd10cm_tabular_2021.xml'), join(CS, 'icd10cm-2021', 'icd10cm-order-Jan-2021.txt'),
    join(CS, 'mce-lists', 'MCE_Simple_Code_Edits_v37.txt'), join(CS, 'poa-exempt', 'POAexemptCodes2020.txt')]);
  db.close();
  summary = await runPipeline({ config, pipeline: loadPipeline('pipelines/nightly-csv.json'), businessDate: BUSINESS_DATE, inputDir: exportDir, log: silentLogger() });
  exceptions = readFindings(summary.outDir);
  const repo = openDatabase(config.database);
  claims = (repo.prepare("SELECT payload FROM run_records WHERE state IN ('released', 'exception')").pluck().all() as string[]).map((p) => JSON.parse(p) as ClaimRecord);
  repo.close();
  diedId = died.EncounterID!;
}, 240_000);

const findingsOf = (id: string) => exceptions.filter((e) => e.encounter_id === id);

describe('a night with seeded defects', () => {
  test('completes and reconciles', () => {
    expect(summary.status).toBe('completed');
    expect(summary.reconciled).toBe(true);
    expect(summary.counts.input).toBe(91);
    expect(summary.counts.released + summary.counts.exception + summary.counts.quarantined + summary.counts.unchanged).toBe(91);
  });

  test.each(Object.entries(DEFECTS))('%s is caught by its finding', (name, d) => {
    const id = [...seeded].find(([, n]) => n === name)![0];
    expect(findingsOf(id).map((e) => e.code), `${name} (${id})`).toContain(d.expect);
  });

  test('a maternity code on an 86-year-old, and the second copy of a claim, are caught', () => {
    const old = [...seeded].find(([, n]) => n === 'maternity code at 86')![0];
    expect(findingsOf(old).find((e) => e.code === 'EDIT_AGE_CONFLICT')?.table_version).toBe('MCE lists 2020 (v37)');
    expect(findingsOf('E9999999').map((e) => [e.code, e.record_state])).toContainEqual(['EDIT_DUPLICATE_CLAIM', 'exception']);
    const original = [...seeded].find(([, n]) => n === 'the original of a duplicate')![0];
    expect(findingsOf(original).some((e) => e.code === 'EDIT_DUPLICATE_CLAIM')).toBe(false);
  });

  test('messages say what changed and what is wrong: before → after, the role that fails', () => {
    const id = (name: string) => [...seeded].find(([, n]) => n === name)![0];
    expect(findingsOf(id('manifestation first')).find((e) => e.code === 'EDIT_MANIFESTATION_FIRST')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/resequenced F02\.80, G30\.9 → G30\.9, F02\.80/) });
    expect(findingsOf(id('external cause first')).find((e) => e.code === 'EDIT_EXTERNAL_CAUSE_FIRST')?.message).toMatch(/resequenced W19\.XXXA, S72\.001A → S72\.001A, W19\.XXXA/);
    expect(findingsOf(id('codes a combination code names')).find((e) => e.code === 'CODE_COMBINATION_APPLIED')?.message).toMatch(/^exported I10 → I11\.0/);
    expect(findingsOf(id('attending NPI starting with 0')).find((e) => e.code === 'EDIT_NPI_INVALID')?.message).toBe('attending NPI 0123456789 starts with 0: an NPI starts with 1 (individual) or 2 (organization)');
    expect(findingsOf(id('rendering NPI starting with 0')).find((e) => e.code === 'EDIT_NPI_INVALID')?.message).toMatch(/^rendering NPI 0123456789 starts with 0/);
    const limit = claims.find((c) => c.encounterId === id('more diagnoses than the 837I carries'))!;
    expect(limit.diagnoses.map((d) => d.code)).toContain('Z66');
    expect(findingsOf(limit.encounterId).find((e) => e.code === 'CODE_DIAGNOSIS_LIMIT')?.message).toMatch(/dropped Z88\.0, Z91\.81; kept Z66 \(status codes that change care or payment\)$/);
  });

  test('no edit flags the untouched encounters; chronic conditions are present on admission; a death goes out as 20', () => {
    // (Coding's own confidence holds some of them for a person, which is not an edit of the claim.)
    const errors = exceptions.filter((e) => !seeded.has(e.encounter_id!) && e.severity === 'error' && e.code!.startsWith('EDIT_')).map((e) => `${e.encounter_id} ${e.code}: ${e.message}`);
    expect(errors).toEqual([]);
    const stays = claims.filter((c) => c.claimType === '837I' && !seeded.has(c.encounterId));
    expect(stays.length).toBeGreaterThan(3);
    for (const c of stays) for (const d of c.diagnoses.filter((x) => /^(E11|I10|I50|J44|N18|E78)/.test(x.code))) expect(d.poa, `${c.encounterId} ${d.code}`).toMatch(/^[YN]$/);
    expect(claims.find((c) => c.encounterId === diedId)?.institutional?.dischargeStatus).toBe('20');
    const text = readFileSync(join(summary.outDir, 'claims.jsonl'), 'utf8');
    expect(text.length).toBeGreaterThan(0);
  });
});
