import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { detectFormat } from '../../src/codesets/detect-format.js';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { mapRows, ruleHolds, snomedMapFor, type MapFacts } from '../../src/codesets/snomed-map.js';
import type { SnomedMapRow } from '../../src/codesets/formats/snomed-map.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli, writeTestConfig } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A site's SNOMED CT to ICD-10-CM map (issue 16: "when a site imports a SNOMED CT → ICD-10-CM
 * map, that map is used first"). The file here is team-written in the NLM RF2 Extended Map
 * layout; its rows are made up for the test, not copied from the licensed map.
 */
const dir = tempDir('nightcode-snomed-map-');
const HEADER = 'id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\tmapGroup\tmapPriority\tmapRule\tmapAdvice\tmapTarget\tcorrelationId\tmapCategoryId';
const REFSET = '6011000124106';
const row = (id: string, time: string, active: string, concept: string, group: number, priority: number, rule: string, target: string, refset = REFSET) =>
  [id, time, active, '5991000124107', refset, concept, group, priority, rule, '', target, '447561005', '447637006'].join('\t');
const FEMALE = 'IFA 248152002 | Female (finding) |';
const UNDER_18 = 'IFA 445518008 | Age at onset of clinical finding (observable entity) | < 18.0 years';

const MAP = [HEADER,
  row('a1', '20240301', '1', '38341003', 1, 1, 'TRUE', 'I10'),
  // A later state of a1 in a Full file: still I10 (the latest row wins).
  row('a1', '20250301', '1', '38341003', 1, 1, 'TRUE', 'I10'),
  // Retired: the row's latest state is inactive.
  row('b1', '20240301', '1', '59621000', 1, 1, 'TRUE', 'I15.9'),
  row('b1', '20250301', '0', '59621000', 1, 1, 'TRUE', 'I15.9'),
  // Sex- and age-dependent rows, then OTHERWISE TRUE.
  row('c1', '20250301', '1', '195967001', 1, 1, UNDER_18, 'J45.909'),
  row('c2', '20250301', '1', '195967001', 1, 2, FEMALE, 'J45.909'),
  row('c3', '20250301', '1', '195967001', 1, 3, 'OTHERWISE TRUE', 'J45.909'),
  // Two groups: a combination needs two codes.
  row('d1', '20250301', '1', '44054006', 1, 1, 'TRUE', 'E11.9'),
  row('d2', '20250301', '1', '44054006', 2, 1, 'IFA 73211009 | Diabetes mellitus (disorder) |', 'Z79.4'),
  row('d3', '20250301', '1', '44054006', 2, 2, 'OTHERWISE TRUE', ''),
  // Another refset's row is not this map's.
  row('e1', '20250301', '1', '10509002', 1, 1, 'TRUE', 'J20.9', '447562003'),
].join('\r\n');

function mapFile(name = 'der2_iisssccRefset_ExtendedMapFull_US1000124_20250301.txt', text = MAP): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, `${text}\r\n`);
  return file;
}

describe('map rules', () => {
  const facts = (f: Partial<MapFacts> = {}): MapFacts => ({ concepts: new Set(), ...f });
  const rows: SnomedMapRow[] = [
    { concept: 'x', group: 1, priority: 2, rule: FEMALE, target: 'N39.0', advice: '' },
    { concept: 'x', group: 1, priority: 1, rule: UNDER_18, target: 'N39.9', advice: '' },
    { concept: 'x', group: 1, priority: 3, rule: 'OTHERWISE TRUE', target: '', advice: '' },
  ];

  test('sex, age and other concepts are judged; an unknown rule is false; groups by priority', () => {
    expect(ruleHolds('TRUE', facts())).toBe(true);
    expect(ruleHolds(FEMALE, facts({ sex: 'F' }))).toBe(true);
    expect(ruleHolds(FEMALE, facts({ sex: 'M' }))).toBe(false);
    expect(ruleHolds(UNDER_18, facts({ ageYears: 17.9 }))).toBe(true);
    expect(ruleHolds(UNDER_18, facts({ ageYears: 18 }))).toBe(false);
    expect(ruleHolds(UNDER_18, facts())).toBe(false);
    expect(ruleHolds(`${FEMALE} AND ${UNDER_18}`, facts({ sex: 'F', ageYears: 30 }))).toBe(false);
    expect(ruleHolds('IFA 73211009 | Diabetes mellitus (disorder) |', facts({ concepts: new Set(['73211009']) }))).toBe(true);
    expect(ruleHolds('IFA 1 | Something | ~ odd', facts())).toBe(false);
    expect(mapRows(rows, facts({ sex: 'F', ageYears: 10 })).map((t) => t.code)).toEqual(['N39.9']);
    expect(mapRows(rows, facts({ sex: 'F', ageYears: 40 })).map((t) => t.code)).toEqual(['N39.0']);
    // OTHERWISE TRUE with no target: the concept maps to no code.
    expect(mapRows(rows, facts({ sex: 'M', ageYears: 40 }))).toEqual([]);
  });
});

describe('importing a map', () => {
  test('recognized by its header; the latest state of each row; another refset and retired rows left out', async () => {
    const file = mapFile();
    expect(detectFormat(file)).toBe('snomed-icd10cm-map');
    const db = openDatabase(join(dir, 'import.db'));
    try {
      const versions = await importCodesetFiles(db, [file]);
      expect(versions).toEqual([expect.objectContaining({ system: 'SNOMED CT to ICD-10-CM map', version: '2025-03-01', effectiveFrom: '2025-03-01', effectiveTo: '9999-12-31', codes: 7 })]);
      const map = snomedMapFor(db, '2026-11-27')!;
      expect(map.label).toBe('SNOMED CT to ICD-10-CM map 2025-03-01');
      expect(map.map('38341003', { concepts: new Set() }).map((t) => t.code)).toEqual(['I10']);
      expect(map.map('59621000', { concepts: new Set() })).toEqual([]);
      expect(map.map('10509002', { concepts: new Set() })).toEqual([]);
      expect(map.map('44054006', { concepts: new Set(['73211009']) }).map((t) => t.code)).toEqual(['E11.9', 'Z79.4']);
      expect(snomedMapFor(db, '2025-01-01')).toBeUndefined();
    } finally {
      db.close();
    }
  });

  test('a bad row names the file and line; nothing is written', async () => {
    const file = mapFile('bad_map_20250301.txt', `${HEADER}\n${row('z1', '20250301', '1', '38341003', 1, 1, 'TRUE', 'I10')}\n${row('z2', '20250301', '1', '38341003', 1, 1, 'TRUE', '401.9')}`);
    const db = openDatabase(join(dir, 'bad.db'));
    try {
      await expect(importCodesetFiles(db, [file])).rejects.toThrow(/bad_map_20250301\.txt line 3: mapTarget "401\.9" is not an ICD-10-CM code/);
      expect(snomedMapFor(db, '2026-11-27')).toBeUndefined();
    } finally {
      db.close();
    }
  });
});

describe('nightcode run with a site map', () => {
  test('SNOMED CT problems the map covers are coded by it, first; the others are still coded from their names', () => {
    const root = join(dir, 'run');
    const config = writeTestConfig(root, {});
    const imported = runCli(['--config', config, 'codesets', 'import', mapFile()]);
    expect(imported.code, imported.stderr).toBe(0);
    const list = runCli(['--config', config, 'codesets', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toContainEqual(expect.objectContaining({ system: 'SNOMED CT to ICD-10-CM map', codes: 7 }));
    const input = join(root, 'export');
    mkdirSync(input, { recursive: true });
    const sct = (id: string, code: string, display: string) => ({ resource: { resourceType: 'Condition', id, encounter: { reference: 'urn:uuid:e1' }, code: { coding: [{ system: 'http://snomed.info/sct', code, display }] } } });
    writeFileSync(join(input, 'b.json'), JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [
      { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', id: 'p1', identifier: [{ value: 'M1' }], gender: 'female', birthDate: '1990-01-01' } },
      { fullUrl: 'urn:uuid:e1', resource: { resourceType: 'Encounter', id: 'e1', identifier: [{ value: 'E1' }], status: 'finished', class: { code: 'AMB' }, subject: { reference: 'urn:uuid:p1' }, period: { start: '2026-11-26' } } },
      // Named "Raised blood pressure": only the map says I10.
      sct('c1', '38341003', 'Raised blood pressure'),
      sct('c2', '195967001', 'Asthma'),
      sct('c3', '10509002', 'Acute bronchitis'),
    ] }));
    const r = runCli(['run', '--config', config, '--pipeline', 'pipelines/nightly-fhir.json', '--input', input, '--date', '2026-11-27', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const db = new Database(join(root, 'nightcode.db'), { readonly: true });
    const payload = (db.prepare("SELECT payload FROM run_records WHERE encounter_id = 'M1/E1'").get() as { payload: string }).payload;
    db.close();
    const claim = JSON.parse(payload) as { diagnoses: { code: string; rulePath: string }[] };
    expect(claim.diagnoses.map((d) => d.code).sort()).toEqual(['I10', 'J20.9', 'J45.909']);
    expect(claim.diagnoses.find((d) => d.code === 'I10')!.rulePath).toMatch(/SNOMED CT 38341003 → I10 by the SNOMED CT to ICD-10-CM map 2025-03-01, group 1: TRUE/);
    const exceptions = readFileSync(join(root, 'out', 'nightly-fhir', '2026-11-27', 'exceptions.csv'), 'utf8');
    expect(exceptions).toMatch(/INGEST_CODE_MAPPED.*SNOMED CT 38341003 → I10; SNOMED CT 195967001 → J45\.909/);
    expect(exceptions).toMatch(/INGEST_CODE_SYSTEM_NOT_BILLABLE.*1 coded entry.*SNOMED-CT 10509002/);
  });
});
