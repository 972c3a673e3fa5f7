import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { mappingFieldsMarkdown } from '../../src/config/mapping-schema.js';
import { mappingSchema, type Mapping } from '../../src/config/schema.js';
import { assembleEncounter } from '../../src/ingest/assemble-encounter.js';
import { groupRows } from '../../src/ingest/csv/csv-file-rows.js';
import { stageCsvExport } from '../../src/ingest/csv/stage-csv.js';
import { StagingStore } from '../../src/ingest/staging.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir('nightcode-mapping-');
let n = 0;

function exportDir(files: Record<string, string>): string {
  const dir = join(root, `export-${++n}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** A wide abstract: one row per account with its diagnoses and procedures in numbered columns. */
const WIDE: Mapping = mappingSchema.parse({
  dateFormat: 'MM/DD/YYYY',
  files: {
    encounters: {
      pattern: 'abstract*.csv',
      columns: { encounterId: 'ACCT', patientId: 'MRN', facilityType: 'TOB', admissionDate: 'ADM', dischargeDate: 'DIS', admissionType: 'ATYPE', dischargeStatus: 'DISP', financialClass: 'FIN' },
      groups: [
        { role: 'diagnoses', columns: { code: 'PDX', poa: 'PDX_POA' } },
        { role: 'diagnoses', columns: { code: 'ADX' }, values: { type: 'admitting' } },
        { role: 'diagnoses', columns: { code: 'DX{n}', poa: 'DX{n}_POA' }, repeat: { from: 1, to: 3 } },
        { role: 'procedures', columns: { code: 'PX{n}', date: 'PX{n}_DT' }, repeat: { from: 1, to: 2 }, values: { codeSystem: 'ICD-10-PCS' } },
      ],
    },
  },
  values: { admissionType: { 'ER VISIT': '1' }, dischargeStatus: { EXPIRED: '20', 'HOME': '01' } },
});
const HEADER = 'ACCT,MRN,TOB,ADM,DIS,ATYPE,DISP,FIN,PDX,PDX_POA,ADX,DX1,DX1_POA,DX2,DX2_POA,DX3,DX3_POA,PX1,PX1_DT,PX2,PX2_DT';

describe('wide layouts: repeated column groups', () => {
  test('each filled repetition is a row of its role, numbered in mapping order, with the column it came from', () => {
    const rows = groupRows(WIDE.files.encounters.groups, { PDX: 'I2510', PDX_POA: 'Y', ADX: 'R079', DX1: 'E119', DX1_POA: 'Y', DX2: '', DX3: 'Z66', DX3_POA: '1', PX1: '02703ZZ', PX1_DT: '04/02/2021' });
    expect(rows).toEqual([
      { role: 'diagnoses', data: { code: 'I2510', poa: 'Y', sequence: '1', $path: 'PDX' } },
      { role: 'diagnoses', data: { type: 'admitting', code: 'R079', sequence: '2', $path: 'ADX' } },
      { role: 'diagnoses', data: { code: 'E119', poa: 'Y', sequence: '3', $path: 'DX1' } },
      { role: 'diagnoses', data: { code: 'Z66', poa: '1', sequence: '4', $path: 'DX3' } },
      { role: 'procedures', data: { codeSystem: 'ICD-10-PCS', code: '02703ZZ', date: '04/02/2021', sequence: '1', $path: 'PX1' } },
    ]);
  });

  test.each([
    [{ role: 'diagnoses', columns: { code: 'DX' }, repeat: { from: 1, to: 3 } }, /needs \{n\}/],
    [{ role: 'diagnoses', columns: { cpt: 'DX{n}' }, repeat: { from: 1, to: 3 } }, /not a diagnoses field/],
    [{ role: 'procedures', columns: { date: 'PX_DT' } }, /needs a column for code/],
    [{ role: 'diagnoses', columns: { encounterId: 'ACCT', code: 'DX' } }, /takes no encounterId column/],
  ])('a group the schema refuses: %j', (group, message) => {
    const r = mappingSchema.safeParse({ files: { encounters: { pattern: 'a.csv', columns: { encounterId: 'A', patientId: 'B' }, groups: [group] } } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });

  test('staged and assembled: diagnoses in order with POA, the admitting diagnosis apart, PCS with dates, CL1 and SBR09 from words, TOB 0111', async () => {
    const dir = exportDir({
      'abstract.csv': `${HEADER}\r\nA1,M1,0111,04/01/2021,04/05/2021,ER VISIT,expired,medicare,I2510,Y,R079,E119,Y,,,Z66,1,02703ZZ,04/02/2021,,\r\nA1,M9,0131,04/01/2021,04/01/2021,,,,J189,,,,,,,,,,,,\r\nA2,M2,0111,04/03/2021,04/04/2021,2,06,MC,N179,N,,,,,,,,,,,\r\n`,
    });
    const store = new StagingStore(join(root, `staging-${++n}.sqlite`), { create: true });
    const report = await stageCsvExport({ dir, mapping: WIDE, store });
    expect(report.inputRecords).toBe(3);
    const bundles = store.readChunk(0, 10);
    // The duplicate account's own groups are not attached to the first row's account.
    expect(bundles.map((b) => [b.staged.encounterId, b.children.length])).toEqual([['A1', 5], ['A2', 1]]);
    expect(store.rejects().map((r) => [r.code, r.line])).toEqual([['INGEST_DUPLICATE_KEY', 3]]);
    const e = assembleEncounter(bundles[0]!, { sourceSystem: 'H', defaultKind: 'institutional', mapping: WIDE });
    if (!e.ok) throw new Error(JSON.stringify(e.issues));
    const enc = e.encounter;
    expect(enc.facilityType).toBe('111');
    expect(enc.institutional).toEqual({ admissionType: '1', dischargeStatus: '20' });
    expect(enc.claimFilingIndicator).toBe('medicare');
    expect(enc.diagnoses.map((d) => [d.code, d.poa ?? '', d.type ?? '', d.source.path])).toEqual([
      ['I2510', 'Y', '', 'PDX'], ['R079', '', 'admitting', 'ADX'], ['E119', 'Y', '', 'DX1'], ['Z66', '1', '', 'DX3'],
    ]);
    expect(enc.procedures).toEqual([expect.objectContaining({ code: '02703ZZ', system: 'ICD-10-PCS', sequence: 1, date: '2021-04-02', source: expect.objectContaining({ path: 'PX1' }) })]);
    expect(enc.issues).toEqual([]);
    // NUBC codes pass through; a status written without its leading zero is that code.
    const a2 = assembleEncounter(bundles[1]!, { sourceSystem: 'H', defaultKind: 'institutional', mapping: WIDE });
    expect(a2.ok && [a2.encounter.institutional, a2.encounter.claimFilingIndicator]).toEqual([{ admissionType: '2', dischargeStatus: '06' }, 'MC']);
    store.close();
  });

  test('a word no table knows is a finding on the record, not a silent default', () => {
    const e = assembleEncounter({
      staged: { seq: 1, encounterId: 'A', patientId: 'M', file: 'a.csv', line: 2, data: { encounterId: 'A', patientId: 'M', admissionDate: '04/01/2021', dischargeDate: '04/02/2021', dischargeStatus: 'TRANSFERRED SOMEWHERE', admissionType: '7' } },
      children: [], rejectedChildren: [],
    }, { sourceSystem: 'H', defaultKind: 'institutional', mapping: WIDE });
    expect(e.ok && e.encounter.issues.map((i) => [i.code, i.message])).toEqual([
      ['INGEST_INVALID_VALUE', 'admissionType "7" is neither a NUBC code nor in the mapping\'s admissionType values'],
      ['INGEST_INVALID_VALUE', 'dischargeStatus "TRANSFERRED SOMEWHERE" is neither a NUBC code nor in the mapping\'s dischargeStatus values'],
    ]);
  });
});

describe('nightcode mapping check', () => {
  test('shows files, columns mapped, missing and unused, values the tables miss, and the first records as read', () => {
    const dir = exportDir({ 'abstract.csv': `${HEADER},EXTRA\r\nA1,M1,0111,04/01/2021,04/05/2021,ER VISIT,LEFT AMA,CI,I2510,Y,,E119,Y,,,,,,,,,x\r\nA2,M2,0111,04/01/2021,04/05/2021,ER VISIT,LEFT AMA,CI,I2510,Y,,,,,,,,,,,,y\r\n` });
    const mapping = join(root, 'wide-mapping.json');
    writeFileSync(mapping, JSON.stringify(WIDE));
    const pipeline = join(root, 'wide.json');
    writeFileSync(pipeline, JSON.stringify({ name: 'wide', sourceSystem: 'H', format: 'csv', input: dir, mapping, defaultKind: 'institutional' }));
    const r = runCli(['mapping', 'check', '--pipeline', pipeline, '--json', '--records', '1']);
    expect(r.code, r.stderr).toBe(1);
    const check = JSON.parse(r.stdout) as { ok: boolean; roles: { role: string; files: string[]; unused: string[]; mapped: { field: string; present: boolean }[] }[]; valueMisses: unknown[]; records: { key: string; diagnoses: string[] }[]; rows: unknown[] };
    expect(check.roles[0]).toMatchObject({ role: 'encounters', files: ['abstract.csv'], unused: ['EXTRA'] });
    expect(check.roles[0]!.mapped.every((m) => m.present)).toBe(true);
    expect(check.valueMisses).toEqual([{ field: 'dischargeStatus', value: 'LEFT AMA', records: 2 }]);
    expect(check.records).toHaveLength(1);
    expect(check.records[0]!.key).toBe('H/A1');
    expect(check.records[0]!.diagnoses).toEqual(['I2510 POA Y [PDX]', 'E119 POA Y [DX1]']);
    // A missing column: the run would stop; the check says which, and exits 1 too.
    writeFileSync(join(dir, 'abstract.csv'), 'ACCT,MRN\r\nA1,M1\r\n');
    const missing = JSON.parse(runCli(['mapping', 'check', '--pipeline', pipeline, '--json']).stdout) as { ok: boolean; problems: string[] };
    expect(missing.ok).toBe(false);
    expect(missing.problems.join('\n')).toMatch(/encounters: mapped column "TOB" \(facilityType\) is not in abstract\.csv/);
    expect(missing.problems.join('\n')).toMatch(/diagnoses group column\(s\) PDX, PDX_POA/);
  });

  test('the shipped MIMIC pipeline reads ../shared/samples/mimic-iv-demo-wide cleanly', () => {
    const r = runCli(['mapping', 'check', '--pipeline', 'pipelines/mimic-iv-demo-wide.json', '--json', '--records', '0']);
    expect(r.code, r.stdout).toBe(0);
    const check = JSON.parse(r.stdout) as { rows: { role: string; rows: number; rejected: number }[]; valueMisses: unknown[]; roles: { role: string; unused: string[] }[] };
    expect(check.rows.find((x) => x.role === 'encounters')).toMatchObject({ rows: 61, rejected: 0 });
    expect(check.valueMisses).toEqual([]);
    expect(check.roles.find((x) => x.role === 'charges')!.unused).toEqual([]);
  });
});

describe('the README field table', () => {
  test('is the one generated from the mapping schema', () => {
    const readme = readFileSync(resolve('README.md'), 'utf8');
    const table = /<!-- mapping-fields:start -->\n([\s\S]*?)<!-- mapping-fields:end -->/.exec(readme)?.[1];
    expect(table, 'regenerate the README section with mappingFieldsMarkdown()').toBe(mappingFieldsMarkdown());
  });
});
