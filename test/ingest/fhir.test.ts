import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { DocumentReaderOptions } from '../../src/ingest/documents/document-rows.js';
import { readFhirExport, refKey, xhtmlText } from '../../src/ingest/fhir/read-fhir.js';
import { runCli } from '../helpers/cli.js';
import { readSource, recordOf } from '../helpers/source-reader.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-fhir-');
const OPTIONS: DocumentReaderOptions = { maxBytes: 1_000_000, encounterRule: 'encompassing-or-latest', businessDate: '2026-11-27' };
const NPI = 'http://hl7.org/fhir/sid/us-npi';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const BUNDLE = {
  resourceType: 'Bundle', type: 'collection',
  entry: [
    { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', id: 'p1', identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'MRN-1' }], name: [{ family: 'Lopez', given: ['Ana', 'Maria'] }], gender: 'female', birthDate: '1960-02-14', address: [{ line: ['1 Main St'], city: 'Boston', state: 'MA', postalCode: '02110' }] } },
    { fullUrl: 'urn:uuid:dr', resource: { resourceType: 'Practitioner', id: 'dr', identifier: [{ system: NPI, value: '1245319599' }] } },
    { fullUrl: 'urn:uuid:org', resource: { resourceType: 'Organization', id: 'org', identifier: [{ system: NPI, value: '1234567893' }], name: 'General Hospital' } },
    { fullUrl: 'urn:uuid:payer', resource: { resourceType: 'Organization', id: 'payer', identifier: [{ value: 'MCR01' }], name: 'Medicare' } },
    { fullUrl: 'urn:uuid:cov', resource: { resourceType: 'Coverage', id: 'cov', status: 'active', subscriberId: '1EG4TE5MK73', beneficiary: { reference: 'urn:uuid:p1' }, relationship: { coding: [{ code: 'self' }] }, payor: [{ reference: 'urn:uuid:payer' }] } },
    { fullUrl: 'urn:uuid:e1', resource: { resourceType: 'Encounter', id: 'e1', identifier: [{ value: 'ENC-1' }], status: 'finished', class: { code: 'IMP' }, subject: { reference: 'urn:uuid:p1' },
      participant: [{ type: [{ coding: [{ code: 'ATND' }] }], individual: { reference: 'urn:uuid:dr' } }], period: { start: '2026-11-20T08:00:00Z', end: '2026-11-26T10:00:00Z' }, serviceProvider: { reference: 'urn:uuid:org' } } },
    { resource: { resourceType: 'Condition', id: 'c1', subject: { reference: 'urn:uuid:p1' }, encounter: { reference: 'urn:uuid:e1' }, clinicalStatus: { coding: [{ code: 'active' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '233604007' }, { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'J18.9', display: 'Pneumonia, unspecified organism' }] } } },
    { resource: { resourceType: 'Condition', id: 'c2', encounter: { reference: 'Encounter/e1' }, verificationStatus: { coding: [{ code: 'refuted' }] }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I26.99' }] } } },
    { resource: { resourceType: 'Procedure', id: 'pr1', status: 'completed', encounter: { reference: 'urn:uuid:e1' }, performedDateTime: '2026-11-20', code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '71046' }] } } },
    { resource: { resourceType: 'Procedure', id: 'pr2', status: 'completed', encounter: { reference: 'urn:uuid:e1' }, code: { coding: [{ system: 'http://www.cms.gov/Medicare/Coding/ICD10', code: '0BH17EZ' }] } } },
    { resource: { resourceType: 'DocumentReference', id: 'd1', status: 'current', type: { text: 'Discharge summary' }, context: { encounter: [{ reference: 'urn:uuid:e1' }] },
      content: [{ attachment: { contentType: 'text/plain', data: b64('Hospital course: improved.\nDenies chest pain.') } }] } },
    { resource: { resourceType: 'Composition', id: 'cmp', title: 'Progress note', encounter: { reference: 'urn:uuid:e1' },
      section: [{ title: 'Assessment', text: { div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Pneumonia &amp; type 2 diabetes.</p><p>Stable.</p></div>' } }] } },
    { resource: { resourceType: 'Claim', id: 'cl', item: [{ sequence: 1, encounter: [{ reference: 'urn:uuid:e1' }], productOrService: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '71046' }] }, modifier: [{ coding: [{ code: '26' }] }], quantity: { value: 1 }, net: { value: 85 }, servicedDate: '2026-11-20' }],
      diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] } }] } },
  ],
};

const readAll = (files: Record<string, string>) => readSource(readFhirExport, dir, files, OPTIONS);

describe('FHIR helpers', () => {
  test.each([
    ['Patient/123', 'Patient/123'], ['https://ehr.example/fhir/Patient/123/_history/4', 'Patient/123'], ['urn:uuid:abc', 'urn:uuid:abc'],
  ])('reference %s → %s', (ref, key) => expect(refKey(ref)).toBe(key));

  test('XHTML narrative to text', () => {
    expect(xhtmlText('<div><p>A &amp; B</p><ul><li>one</li><li>two</li></ul></div>')).toBe('A & B\none\ntwo');
  });
});

describe('a FHIR R4 Bundle', () => {
  test('one record per Encounter with patient, coverage, NPIs, conditions, procedures, notes and the claim', async () => {
    const r = recordOf((await readAll({ 'bundle.json': JSON.stringify(BUNDLE) }))[0]);
    expect(r.rows.encounter).toMatchObject({ encounterId: 'MRN-1/ENC-1', patientId: 'MRN-1' });
    expect(r.rows.encounter.data).toMatchObject({
      kind: 'institutional', serviceDate: '2026-11-20', admissionDate: '2026-11-20', dischargeDate: '2026-11-26', status: 'finished',
      attendingNpi: '1245319599', renderingNpi: '1245319599', billingNpi: '1234567893',
      lastName: 'Lopez', firstName: 'Ana Maria', birthDate: '1960-02-14', sex: 'F', city: 'Boston', zip: '02110',
      payerId: 'MCR01', payerName: 'Medicare', memberId: '1EG4TE5MK73', relationship: '18',
      '$path.memberId': 'Bundle.entry[4].resource.subscriberId',
    });
    const rows = (role: string) => r.rows.children.filter((c) => c.role === role).map((c) => c.data);
    expect(rows('diagnoses').map((d) => [d.code, d.codeSystem, d.status])).toEqual([
      // One code per concept: the ICD-10-CM coding of c1 rather than its SNOMED CT one.
      ['E11.9', 'ICD-10-CM', undefined], ['J18.9', 'ICD-10-CM', 'active'], ['I26.99', 'ICD-10-CM', 'refuted'],
    ]);
    expect(rows('procedures')).toEqual([expect.objectContaining({ code: '0BH17EZ', codeSystem: 'ICD-10-PCS' })]);
    // The CPT procedure is billed by the Claim item (with its charge), not twice.
    expect(rows('charges')).toEqual([expect.objectContaining({ code: '71046', codeSystem: 'CPT', charge: '85', units: '1', modifiers: '26', serviceDate: '2026-11-20' })]);
    expect(rows('notes').map((n) => n.text)).toEqual(['Hospital course: improved.\nDenies chest pain.', 'Assessment:\nPneumonia & type 2 diabetes.\nStable.']);
  });
});

describe('Bulk Data NDJSON', () => {
  test('resources one per line across files; a truncated line is refused alone with its line', async () => {
    const patients = [JSON.stringify({ resourceType: 'Patient', id: 'p1', identifier: [{ value: 'MRN-1' }], gender: 'male' }), JSON.stringify({ resourceType: 'Patient', id: 'p2', identifier: [{ value: 'MRN-2' }] })].join('\n');
    const encounters = [
      JSON.stringify({ resourceType: 'Encounter', id: 'e1', class: { code: 'AMB' }, subject: { reference: 'Patient/p1' }, period: { start: '2026-11-27T09:00:00Z' } }),
      JSON.stringify({ resourceType: 'Encounter', id: 'e2', class: { code: 'AMB' }, subject: { reference: 'Patient/p2' }, period: { start: '2026-11-27T10:00:00Z' } }),
      JSON.stringify({ resourceType: 'Encounter', id: 'e3', subject: { reference: 'Patient/missing' }, period: { start: '2026-11-27' } }),
    ].join('\n');
    const conditions = `${JSON.stringify({ resourceType: 'Condition', encounter: { reference: 'Encounter/e1' }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10' }] } })}\n{"resourceType":"Condition","encounter":{"refer`;
    const results = await readAll({ 'Patient.ndjson': patients, 'Encounter.ndjson': encounters, 'Condition.ndjson': conditions });
    const bad = results.filter((r) => !r.ok).map((r) => [r.file, r.line, !r.ok && r.code]);
    expect(bad).toEqual([['Condition.ndjson', 2, 'INGEST_DOCUMENT_MALFORMED'], ['Encounter.ndjson', 3, 'INGEST_REQUIRED_FIELD_MISSING']]);
    const good = results.filter((r) => r.ok !== false).map((r) => recordOf(r));
    expect(good.map((r) => [r.rows.encounter.encounterId, r.rows.encounter.patientId, r.rows.children.map((c) => c.data.code)])).toEqual([['MRN-1/e1', 'MRN-1', ['I10']], ['MRN-2/e2', 'MRN-2', []]]);
  });

  test('not JSON, and JSON that is not FHIR, are named with their line', async () => {
    const results = await readAll({ 'broken.json': '{\n  "resourceType": "Bundle",\n  "entry": [\n}', 'other.json': '{"hello": 1}' });
    expect(results.map((r) => [r.file, r.line, !r.ok && r.code])).toEqual([['broken.json', 4, 'INGEST_DOCUMENT_MALFORMED'], ['other.json', 1, 'INGEST_DOCUMENT_NOT_RECOGNIZED']]);
  });

  test('lines and bundle entries that are no resource are each quarantined, never dropped unseen', async () => {
    const deep = `{"resourceType":"Observation","id":"o3","x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const ndjson = ['null', '5', '[[[[{"resourceType":"Encounter"}]]]]', '{"resourceType":"Encou\\u0000nter","id":"e9"}', '{"resourceType":"Observation","id":"o1"}', deep].join('\n');
    const bundle = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [
      null, { fullUrl: 'urn:uuid:e7', resourc: { resourceType: 'Encounter', id: 'e7' } }, { request: { method: 'DELETE', url: 'Encounter/e8' } },
      { fullUrl: 'urn:uuid:o2', resource: { resourceType: 'Observation', id: 'o2' } },
    ] }, null, 1);
    const damaged = JSON.stringify({ resourceType: 'Bundlx', type: 'collection', entry: [{ fullUrl: 'urn:uuid:e6', resource: { resourceType: 'Encounter', id: 'e6' } }] });
    const results = await readAll({ 'lines.ndjson': ndjson, 'bundle.json': bundle, 'null.json': 'null', 'bundlx.json': damaged, 'bundé.json': '{"resourceType":"Bundéle","entry":[]}', 'entr.json': '{"resourceType":"Bundle","type":"collection","entr,,y":[]}' });
    const bad = results.filter((r) => !r.ok).map((r) => [r.file, r.line, !r.ok && r.code, !r.ok && r.message.replace(/^\S+ /, '')]);
    expect(bad).toEqual([
      ['lines.ndjson', 1, 'INGEST_DOCUMENT_NOT_RECOGNIZED', 'line 1: JSON without resourceType'],
      ['lines.ndjson', 2, 'INGEST_DOCUMENT_NOT_RECOGNIZED', 'line 2: JSON without resourceType'],
      ['lines.ndjson', 3, 'INGEST_DOCUMENT_NOT_RECOGNIZED', 'line 3: JSON without resourceType'],
      ['lines.ndjson', 4, 'INGEST_DOCUMENT_NOT_RECOGNIZED', 'line 4: resourceType "Encou\\u0000nter" is not a FHIR resource type name'],
      ['lines.ndjson', 6, 'INGEST_DOCUMENT_MALFORMED', 'line 6: JSON nested deeper than 128 levels'],
      ['bundle.json', 1, 'INGEST_DOCUMENT_NOT_RECOGNIZED', 'Bundle.entry[0]: no resource'],
      ['bundle.json', 7, 'INGEST_DOCUMENT_NOT_RECOGNIZED', 'Bundle.entry[1]: no resource'],
      ['null.json', 1, 'INGEST_DOCUMENT_NOT_RECOGNIZED', 'JSON without resourceType (not a FHIR resource or Bundle)'],
      ['bundlx.json', 1, 'INGEST_DOCUMENT_NOT_RECOGNIZED', 'resourceType "Bundlx" with Bundle entries'],
      ['bundé.json', 1, 'INGEST_DOCUMENT_NOT_RECOGNIZED', 'resourceType "Bundéle" is not a FHIR resource type name'],
      ['entr.json', 1, 'INGEST_DOCUMENT_MALFORMED', 'Bundle has an element FHIR R4 does not define: "entr,,y"'],
    ]);
    // The deletion in a history bundle and resources this reader does not use are no records.
    expect(results.filter((r) => r.ok)).toEqual([]);
  });
});

describe('nightcode run --pipeline pipelines/nightly-fhir.json', () => {
  test('a bundle and NDJSON files: one claim per encounter, reconciled', () => {
    const input = join(dir, 'export');
    mkdirSync(input, { recursive: true });
    writeFileSync(join(input, 'bundle.json'), JSON.stringify(BUNDLE));
    const r = runCli(['run', '--pipeline', 'pipelines/nightly-fhir.json', '--input', input, '--date', '2026-11-27', '--db', join(dir, 'n.db'), '--out', join(dir, 'out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { counts: Record<string, number>; reconciled: boolean };
    expect(s).toMatchObject({ reconciled: true, counts: { input: 1, quarantined: 0 } });
    const claims = readFileSync(join(dir, 'out', 'nightly-fhir', '2026-11-27', 'exceptions.csv'), 'utf8') + readFileSync(join(dir, 'out', 'nightly-fhir', '2026-11-27', 'claims.csv'), 'utf8');
    expect(claims).toMatch(/ENC-1/);
  });
});

describe('one export in several formats', () => {
  test('CSV files, a C-CDA document and a FHIR bundle in one folder, one run, every record accounted for', () => {
    const input = join(dir, 'mixed');
    mkdirSync(input, { recursive: true });
    expect(runCli(['generate', '--encounters', '10', '--seed', '4', '--date', '2026-11-27', '--broken-rate', '0', '--out', input]).code).toBe(0);
    const synthea = join('..', 'shared', 'samples', 'ccda-synthea');
    const first = readdirSync(synthea).sort()[0]!;
    writeFileSync(join(input, 'summary.xml'), readFileSync(join(synthea, first)));
    writeFileSync(join(input, 'bundle.json'), JSON.stringify(BUNDLE));
    const pipeline = join(dir, 'mixed.json');
    writeFileSync(pipeline, JSON.stringify({
      name: 'nightly-mixed', sourceSystem: 'mixed', input: input, mapping: resolve('config/mappings/sample-csv.json'),
      sources: [{ format: 'csv' }, { format: 'ccda', pattern: '*.xml' }, { format: 'fhir', pattern: '*.json' }],
    }));
    const r = runCli(['run', '--pipeline', pipeline, '--date', '2026-11-27', '--db', join(dir, 'mixed.db'), '--out', join(dir, 'mixed-out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { counts: Record<string, number>; reconciled: boolean; rows: { file: string; rows: number }[] };
    expect(s.reconciled).toBe(true);
    expect(s.counts.input).toBe(12);
    expect(s.counts.quarantined).toBe(0);
    expect(s.rows.map((x) => x.file)).toEqual(expect.arrayContaining(['encounters.csv', 'summary.xml', 'bundle.json']));
  });
});

describe('FHIR as other systems send it', () => {
  const patient = { fullUrl: 'urn:uuid:p9', resource: { resourceType: 'Patient', id: 'p9', identifier: [{ value: 'MRN-9' }], gender: 'male', birthDate: '1950-01-01' } };
  const encounter = (extra: Record<string, unknown> = {}) => ({ fullUrl: 'urn:uuid:e9', resource: { resourceType: 'Encounter', id: 'e9', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'urn:uuid:p9' },
    period: { start: '2026-11-27T23:30:00-05:00', end: '2026-11-27T23:50:00-05:00' }, ...extra } });
  const condition = (id: string, code: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ resource: { resourceType: 'Condition', id, subject: { reference: 'urn:uuid:p9' }, encounter: { reference: 'urn:uuid:e9' }, code, ...extra } });
  const bundle = (...entries: unknown[]) => JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [patient, ...entries] });

  test('SNOMED CT conditions keep their system and name; statuses are judged at the encounter; conditional NPI references resolve; offsets in the configured zone', async () => {
    const results = await readSource(readFhirExport, dir, {
      'b.json': bundle(
        encounter({ participant: [{ individual: { reference: `Practitioner?identifier=${NPI}|1245319599` } }], serviceProvider: { identifier: { system: NPI, value: '1234567893' } } }),
        condition('h', { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }] }, { clinicalStatus: { coding: [{ code: 'active' }] } }),
        // Resolved today, but after the visit: active at the visit.
        condition('b', { coding: [{ system: 'http://snomed.info/sct', code: '10509002' }], text: 'Acute bronchitis' }, { clinicalStatus: { coding: [{ code: 'resolved' }] }, abatementDateTime: '2026-12-10' }),
        // Began after the visit: not a condition of this encounter.
        condition('late', { coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }] }, { onsetDateTime: '2027-01-05' }),
        condition('icd9', { coding: [{ system: 'http://hl7.org/fhir/sid/icd-9-cm', code: '401.9', display: 'Essential hypertension' }] }),
        { resource: { resourceType: 'Claim', id: 'cl9', item: [
          { sequence: 1, encounter: [{ reference: 'urn:uuid:e9' }], productOrService: { coding: [{ system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up' }] }, net: { value: 120 } },
          { sequence: 2, encounter: [{ reference: 'urn:uuid:e9' }], productOrService: { coding: [{ system: 'http://snomed.info/sct', code: '1' }, { system: 'http://www.ama-assn.org/go/cpt', code: '99213' }] }, net: { value: 90 } },
        ] } },
      ),
    }, { ...OPTIONS, timeZone: 'America/New_York' });
    const r = results[0]!;
    if (r.ok !== true) throw new Error(JSON.stringify(r));
    expect(r.rows.encounter.data).toMatchObject({ serviceDate: '2026-11-27', renderingNpi: '1245319599', billingNpi: '1234567893' });
    const rows = (role: string) => r.rows.children.filter((c) => c.role === role).map((c) => c.data);
    expect(rows('diagnoses').map((d) => [d.code, d.codeSystem, d.status, d.description])).toEqual([
      ['38341003', 'SNOMED-CT', 'active', 'Hypertension'], ['10509002', 'SNOMED-CT', 'active', 'Acute bronchitis'], ['401.9', 'ICD-9-CM', 'active', 'Essential hypertension'],
    ]);
    // Claim items: the CPT coding of a concept is preferred; a SNOMED CT item stays SNOMED CT (assembly never bills it).
    expect(rows('charges').map((c) => [c.code, c.codeSystem])).toEqual([['185349003', 'SNOMED-CT'], ['99213', 'CPT']]);
    // In UTC the same visit is on the 28th.
    const utc = await readSource(readFhirExport, dir, { 'b.json': bundle(encounter()) }, { ...OPTIONS, timeZone: 'UTC' });
    expect(utc[0]!.ok === true && utc[0]!.rows.encounter.data.serviceDate).toBe('2026-11-28');
  });

  test("a bulk export's log.ndjson is counted as ignored, not quarantined line by line; a resource file's untyped lines are still refused", async () => {
    const results = await readSource(readFhirExport, dir, {
      'log.ndjson': '{"level":"info","msg":"export started"}\n{"level":"info","msg":"done"}\n',
      'Encounter.ndjson': `{"x":1}\n${JSON.stringify({ ...encounter().resource, subject: { reference: 'Patient/p9' } })}\n`,
      'Patient.ndjson': `${JSON.stringify(patient.resource)}\n`,
    }, OPTIONS);
    expect(results.filter((x) => x.ok !== true).map((x) => [x.file, x.ok, x.line])).toEqual([
      ['log.ndjson', 'ignored', 1],
      ['Encounter.ndjson', false, 1],
    ]);
  });

  test('an NDJSON line with bytes invalid in UTF-8 is refused alone; an Encounter whose Patient has no id is quarantined, not a crash', async () => {
    const folder = join(dir, 'bad-ndjson');
    mkdirSync(folder, { recursive: true });
    const enc = (id: string, patient: string) => JSON.stringify({ ...encounter().resource, id, subject: { reference: patient } });
    writeFileSync(join(folder, 'Encounter.ndjson'), Buffer.concat([Buffer.from(`${enc('e1', 'Patient/p9')}\n`), Buffer.from('{"resourceType":"Encounter","id":"e2'), Buffer.from([0x80]), Buffer.from('"}\n'), Buffer.from(`${enc('e3', 'urn:uuid:anon')}\n`)]));
    writeFileSync(join(folder, 'Patient.ndjson'), `${JSON.stringify(patient.resource)}\n`);
    writeFileSync(join(folder, 'bundle.json'), JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:anon', resource: { resourceType: 'Patient', gender: 'male' } }] }));
    const out = [];
    for await (const r of readFhirExport(['Encounter.ndjson', 'Patient.ndjson', 'bundle.json'].map((name) => ({ path: join(folder, name), name })), OPTIONS)) out.push(r);
    expect(out.map((r) => [r.file, r.line, r.ok === false ? r.code : r.ok])).toEqual([
      ['Encounter.ndjson', 2, 'INGEST_DOCUMENT_ENCODING'],
      ['Encounter.ndjson', 1, true],
      ['Encounter.ndjson', 3, 'INGEST_REQUIRED_FIELD_MISSING'],
    ]);
  });

  test('contained resources (#id) and conditional references by any identifier resolve: patient, practitioner, payer, and resources pointing at the encounter', async () => {
    const MRN = 'urn:oid:2.16.840.1.113883.19.5';
    const VISITS = 'urn:oid:2.16.840.1.113883.19.6';
    const results = await readSource(readFhirExport, dir, {
      'Patient.ndjson': `${JSON.stringify({ resourceType: 'Patient', id: 'x1', identifier: [{ system: MRN, value: 'MRN-77' }], name: [{ family: 'Okafor' }], gender: 'female', birthDate: '1970-03-03' })}\n`,
      'Encounter.ndjson': `${JSON.stringify({ resourceType: 'Encounter', id: 'v1', identifier: [{ system: VISITS, value: 'V-100' }], status: 'finished', class: { code: 'AMB' },
        subject: { reference: `Patient?identifier=${encodeURIComponent(MRN)}%7CMRN-77` }, period: { start: '2026-11-26' },
        contained: [{ resourceType: 'Practitioner', id: 'doc', identifier: [{ system: NPI, value: '1245319599' }] }],
        participant: [{ individual: { reference: '#doc' } }] })}\n`,
      'Coverage.ndjson': `${JSON.stringify({ resourceType: 'Coverage', id: 'cv', status: 'active', subscriberId: 'S-1', beneficiary: { reference: `Patient?identifier=${MRN}|MRN-77` },
        contained: [{ resourceType: 'Organization', id: 'pay', identifier: [{ value: 'AETNA1' }], name: 'Aetna' }], payor: [{ reference: '#pay' }] })}\n`,
      'Condition.ndjson': `${JSON.stringify({ resourceType: 'Condition', id: 'k', encounter: { reference: `Encounter?identifier=${VISITS}|V-100` }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10' }] } })}\n`
        + `${JSON.stringify({ resourceType: 'Condition', id: 'k2', encounter: { reference: 'Encounter?identifier=V-100' }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E78.5' }] } })}\n`,
    }, OPTIONS);
    const r = results[0]!;
    if (r.ok !== true) throw new Error(JSON.stringify(r));
    expect(r.rows.encounter).toMatchObject({ encounterId: 'MRN-77/V-100^2.16.840.1.113883.19.6', patientId: 'MRN-77' });
    expect(r.rows.encounter.data).toMatchObject({ lastName: 'Okafor', renderingNpi: '1245319599', payerId: 'AETNA1', payerName: 'Aetna', memberId: 'S-1' });
    expect(r.rows.children.filter((c) => c.role === 'diagnoses').map((c) => c.data.code)).toEqual(['I10', 'E78.5']);
  });

  test('two patients whose encounters reuse one identifier are two encounters, each the patient\'s', async () => {
    const person = (id: string) => ({ resourceType: 'Patient', id, identifier: [{ value: `MRN-${id}` }], gender: 'female', birthDate: '1970-01-01' });
    const visit = (id: string, patient: string) => ({ resourceType: 'Encounter', id, identifier: [{ value: 'VISIT-1' }], status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${patient}` }, period: { start: '2026-11-26' } });
    const results = await readSource(readFhirExport, dir, {
      'Patient.ndjson': `${JSON.stringify(person('a'))}\n${JSON.stringify(person('b'))}\n`,
      'Encounter.ndjson': `${JSON.stringify(visit('x1', 'a'))}\n${JSON.stringify(visit('x2', 'b'))}\n`,
    }, OPTIONS);
    expect(results.map((r) => r.ok === true && r.rows.encounter.encounterId)).toEqual(['MRN-a/VISIT-1', 'MRN-b/VISIT-1']);
  });

  test('refKey: conditional references normalized; an unresolvable one is not guessed', () => {
    expect(refKey('Patient?identifier=urn%3Aoid%3A1.2%7C42')).toBe('Patient?identifier=urn:oid:1.2|42');
    expect(refKey('https://ehr.example/fhir/Patient?identifier=42')).toBe('Patient?identifier=42');
    expect(refKey('Patient?name=smith')).toBe('Patient?name=smith');
  });
});
