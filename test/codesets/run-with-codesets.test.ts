import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { readCsv } from '../helpers/csv.js';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { loadPipeline } from '../../src/config/load.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { generateSampleExport } from '../../src/generate/sample-export.js';
import { silentLogger } from '../../src/log/logger.js';
import { runPipeline } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

const SHARED = resolve('..', 'shared', 'codesets', 'icd10cm-2021');
const dir = tempDir('nightcode-run-codesets-');
const pipeline = loadPipeline('pipelines/nightly-csv.json');
const log = silentLogger();
let config: Config;

beforeAll(async () => {
  config = configSchema.parse({ database: join(dir, 'n.db'), outDir: join(dir, 'out'), run: { workers: 1, chunkSize: 25, maxQuarantinedRatio: 0.2 } });
  const db = openDatabase(config.database);
  await importCodesetFiles(db, [join(SHARED, 'icd10cm_tabular_2021.xml'), join(SHARED, 'icd10cm-order-Jan-2021.txt')]);
  db.close();
});

describe('runs against the official code set of the date of service', () => {
  test('header codes, missing 7th characters and codes not in the year are caught with the table version', async () => {
    const exportDir = join(dir, 'export-2021');
    await generateSampleExport({ outDir: exportDir, encounters: 40, seed: 8, kind: 'professional', businessDate: '2021-03-01', brokenRate: 0 });
    appendFileSync(join(exportDir, 'diagnoses.csv'), ['E11', 'S72.001', 'E11.99', 'S72.001A'].map((c, i) => `E0000003,${9 + i},${c},ICD-10-CM,,\r\n`).join(''));
    const s = await runPipeline({ config, pipeline, businessDate: '2021-03-01', inputDir: exportDir, log });
    expect(s.codeSets).toContainEqual({ system: 'ICD-10-CM', version: '2021' });
    const rows = readFileSync(join(s.outDir, 'exceptions.csv'), 'utf8').split('\r\n').filter((l) => l.includes(',E0000003,'));
    const find = (code: string) => rows.find((r) => r.includes(`,${code},`));
    expect(find('EDIT_CODE_NOT_BILLABLE')).toMatch(/E11 is a header in ICD-10-CM 2021; code to the highest specificity \(E11\.0, E11\.1/);
    expect(find('EDIT_SEVENTH_CHARACTER')).toMatch(/S72\.001 needs a 7th character \(A, B, C/);
    expect(find('EDIT_CODE_INVALID')).toMatch(/E11\.99 is not a code in ICD-10-CM 2021 \(in force on 2021-03-01\)/);
    for (const code of ['EDIT_CODE_NOT_BILLABLE', 'EDIT_SEVENTH_CHARACTER', 'EDIT_CODE_INVALID']) expect(find(code)).toMatch(/,ICD-10-CM 2021,new,2021-03-01,0$/);
    // S72.001A is valid: no edit flags it (the coding audit may say the note does not support it).
    expect(rows.some((r) => r.includes('S72.001A') && r.includes(',EDIT_'))).toBe(false);
    // Codes from the notes are valid FY2021 codes: nothing else is flagged as invalid.
    const all = readFileSync(join(s.outDir, 'exceptions.csv'), 'utf8');
    expect(all.match(/EDIT_CODE_INVALID/g)).toHaveLength(1);
  });

  test('a date of service with no loaded version holds that record, not the night', async () => {
    const exportDir = join(dir, 'export-2026');
    await generateSampleExport({ outDir: exportDir, encounters: 10, seed: 9, kind: 'professional', businessDate: '2021-03-01', brokenRate: 0 });
    // One encounter dated in fiscal year 2026, for which no ICD-10-CM version is loaded.
    const file = join(exportDir, 'encounters.csv');
    const lines = readFileSync(file, 'utf8').split('\r\n');
    lines[3] = lines[3]!.replace(/2021-03-01/, '2021-03-01'.replace('2021', '2026'));
    writeFileSync(file, lines.join('\r\n'));
    const s = await runPipeline({ config, pipeline, businessDate: '2026-11-27', inputDir: exportDir, log });
    expect(s.status).toBe('completed');
    expect(s.counts.input).toBe(10);
    expect(s.codeSetWarnings[0]).toMatch(/no ICD-10-CM version is loaded for dates of service 2026-03-01 \(loaded: 2021 \(2020-10-01 – 2021-09-30\)\): those records are held/);
    const rows = readCsv(join(s.outDir, 'exceptions.csv')).filter((r) => r.code === 'CODE_CODESET_MISSING');
    expect(rows.map((r) => [r.encounter_id, r.record_state, r.severity])).toEqual([['E0000003', 'exception', 'error']]);
    expect(rows[0]!.message).toMatch(/^import the ICD-10-CM release in force on 2026-03-01/);
    // The other nine go on as they would have.
    expect(s.counts.released + s.counts.exception).toBe(10);
  });
});
