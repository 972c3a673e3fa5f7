import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { DocumentReaderOptions, DocumentResult } from '../../src/ingest/documents/document-rows.js';
import { hl7Date, isoDate } from '../../src/ingest/documents/decode.js';
import { readHl7Export } from '../../src/ingest/hl7v2/read-hl7v2.js';
import { runCli, writeTestConfig } from '../helpers/cli.js';
import { readSource } from '../helpers/source-reader.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * HL7 v2 as other vendors' interfaces send it: visit numbers shared by two patients, message
 * types that bill, update, cancel or mean nothing to billing, CP amounts, NPIs by OID, XPN
 * subcomponents, ICD-9 and SNOMED CT codes, clinical dates and offsets.
 */
const dir = tempDir('nightcode-hl7-interfaces-');
const OPTIONS: DocumentReaderOptions = { maxBytes: 1_000_000, encounterRule: 'encompassing-or-latest', businessDate: '2026-11-27', timeZone: 'America/New_York' };

const msh = (type: string, id: string, time = '20261127080000') => `MSH|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|${time}||${type}|${id}|P|2.5.1`;
const pid = (mrn: string, name = 'Lopez^Ana') => `PID|1||${mrn}^^^HOSP^MR||${name}||19600214|F|||1 Main St^^Boston^MA^02110`;
const pv1 = (visit: string, cls = 'O', admit = '20261127080000') => `PV1|1|${cls}|CLINIC||||1245319599^Smith^John^^^^^^NPI||||||||||||${visit}|||||||||||||||||||||||||${admit}`;
const msg = (...segments: string[]) => `${segments.join('\r')}\r`;
const read = async (files: Record<string, string>, options: Partial<DocumentReaderOptions> = {}) => readSource(readHl7Export, dir, files, { ...OPTIONS, ...options });
const records = (results: (DocumentResult & { file: string })[]) => results.flatMap((r) => (r.ok === true ? [r.rows] : []));

describe('encounter identity', () => {
  test('two patients with the same visit number are two encounters, each with its own diagnosis', async () => {
    const results = await read({
      'a.hl7': msg(msh('ADT^A03', 'M1'), pid('A1'), pv1('V1'), 'DG1|1|I10|J18.9^Pneumonia^I10'),
      'b.hl7': msg(msh('ADT^A03', 'M2'), pid('B2', 'EVERYMAN&&&&Aniston^Adam'), pv1('V1'), 'DG1|1|I10|I10^Essential hypertension^I10'),
    });
    const rows = records(results);
    expect(rows.map((r) => [r.encounter.encounterId, r.encounter.patientId, r.children.filter((c) => c.role === 'diagnoses').map((c) => c.data.code)])).toEqual([
      ['A1/V1', 'A1', ['J18.9']],
      ['B2/V1', 'B2', ['I10']],
    ]);
    // XPN: the surname is FN.1, not the subcomponents joined.
    expect(rows[1]!.patient!.data).toMatchObject({ lastName: 'EVERYMAN', firstName: 'Adam' });
  });

  test('a visit number with an assigning authority keeps it', async () => {
    const rows = records(await read({ 'a.hl7': msg(msh('ADT^A03', 'M1'), pid('A1'), pv1('V9^^^NORTH&1.2.3&ISO')) }));
    expect(rows[0]!.encounter.encounterId).toBe('A1/V9^NORTH');
  });
});

describe('message types have roles', () => {
  test('registrations, orders and scheduling alone bill nothing and are counted as ignored; a discharge bills; notes join it', async () => {
    const results = await read({
      'adt.hl7': msg(msh('ADT^A04', 'R1'), pid('A1'), pv1('V1'), 'DG1|1|I10|J18.9^Pneumonia^I10'),
      'orm.hl7': msg(msh('ORM^O01', 'O1'), pid('A1'), pv1('V1')) + msg(msh('SIU^S12', 'S1'), pid('A1'), pv1('V2')) + msg(msh('VXU^V04', 'X1'), pid('A1')),
      'ad2.hl7': msg(msh('ADT^A08', 'R2'), pid('C3'), pv1('V3')),
      'dis.hl7': msg(msh('ADT^A03', 'D1'), pid('D4'), pv1('V4')) + msg(msh('MDM^T02', 'N1'), pid('D4'), pv1('V4'), 'TXA|1|PN^Progress note|TX|20261127090000', 'OBX|1|TX|PN^Progress note||Assessment: asthma.'),
    });
    const ignored = results.flatMap((r) => (r.ok === 'ignored' ? [`${r.file}: ${r.what}`] : []));
    expect(ignored.sort()).toEqual([
      'ad2.hl7: visit with no billing message (ADT^A03, DFT)',
      'adt.hl7: visit with no billing message (ADT^A03, DFT)',
      'orm.hl7: ORM^O01', 'orm.hl7: SIU^S12', 'orm.hl7: VXU^V04',
    ]);
    const rows = records(results);
    expect(rows.map((r) => r.encounter.encounterId)).toEqual(['D4/V4']);
    expect(rows[0]!.children.filter((c) => c.role === 'notes').map((c) => c.data.text)).toEqual(['Assessment: asthma.']);
  });

  test('an update joins the discharge of its visit; a cancel after the discharge withdraws it; a discharge after a cancel stands', async () => {
    const rows = records(await read({
      '1.hl7': msg(msh('ADT^A08', 'U1'), pid('A1'), pv1('V1'), 'DG1|1|I10|E11.9^Type 2 diabetes^I10') + msg(msh('ADT^A03', 'D1'), pid('A1'), pv1('V1')),
      '2.hl7': msg(msh('ADT^A03', 'D2'), pid('B2'), pv1('V2')) + msg(msh('ADT^A13', 'C2'), pid('B2'), pv1('V2')),
      '3.hl7': msg(msh('ADT^A11', 'C3'), pid('C3'), pv1('V3')) + msg(msh('ADT^A03', 'D3'), pid('C3'), pv1('V3')),
    }));
    const by = Object.fromEntries(rows.map((r) => [r.encounter.encounterId, r]));
    expect(by['A1/V1']!.children.filter((c) => c.role === 'diagnoses').map((c) => c.data.code)).toEqual(['E11.9']);
    expect(by['A1/V1']!.encounter.data.status).toBeUndefined();
    expect(by['B2/V2']!.encounter.data).toMatchObject({ status: 'cancelled', '$path.status': '2.hl7 line 4: MSH-9 (ADT^A13)' });
    expect(by['C3/V3']!.encounter.data.status).toBeUndefined();
  });

  test('a later message that changes a value supersedes it, and the change is recorded, never silent (values only for non-PHI fields)', async () => {
    const rows = records(await read({
      'u.hl7': msg(msh('ADT^A04', 'R1'), pid('A7', 'Lopez^Ana'), pv1('V7', 'O'))
        + msg(msh('ADT^A03', 'D7'), pid('A7', 'Lopez-Diaz^Ana'), pv1('V7', 'E'), 'DG1|1||J20.9^^I10', 'FT1|1|||20261127||CG|99283^^C4|||1|240'),
    }));
    const data = rows[0]!.encounter.data;
    expect(rows[0]!.patient?.data.lastName).toBe('Lopez-Diaz');
    expect(data.placeOfService).toBe('23');
    const conflicts = JSON.parse(data.$conflicts!) as { field: string; kept: string; other: string; keptFrom: string; otherFrom: string; rule: string }[];
    expect(conflicts).toEqual([
      { field: 'lastName', kept: '', other: '', keptFrom: 'u.hl7 line 4', otherFrom: 'u.hl7 line 1', rule: 'last' },
    ]);
  });

  test('a pipeline overrides a role (documents.hl7Events)', async () => {
    const rows = records(await read({ 'a.hl7': msg(msh('ADT^A04', 'R1'), pid('A1'), pv1('V1')) }, { hl7Events: { 'ADT^A04': 'bill' } }));
    expect(rows.map((r) => r.encounter.encounterId)).toEqual(['A1/V1']);
  });
});

describe('fields per the standard', () => {
  test('FT1 amounts are CP (100&USD), the performer NPI by OID, the line diagnoses FT1-19; codes keep their systems', async () => {
    const rows = records(await read({
      'a.hl7': msg(
        msh('DFT^P03', 'F1'), pid('A1'), 'PV1|1|O|||||||||||||||||V1',
        'FT1|1|||20261127||CG|99213^Office visit^C4|||1|100&USD||||||||J45.909^Asthma^I10|1245319599^Smith^John^^^^^^NPI&2.16.840.1.113883.4.6&ISO',
        'FT1|2|||20261127||CG|LAB123^Local lab code^99LOC|||2||12.50&USD',
        'DG1|1|I9|440.21^Atherosclerosis of native arteries of the extremities with intermittent claudication^I9',
        'DG1|2||38341003^Hypertension^SCT',
        'DG1|3||123^Local problem^99ZZZ^I10^Essential hypertension^I10',
        'PR1|1||80146002^Appendectomy^SCT||20261127',
      ),
    }));
    const data = (role: string) => rows[0]!.children.filter((c) => c.role === role).map((c) => c.data);
    expect(data('charges')).toEqual([
      expect.objectContaining({ code: '99213', codeSystem: 'CPT', charge: '100', units: '1', serviceDate: '2026-11-27', diagnosisPointers: 'J45.909' }),
      expect.objectContaining({ code: 'LAB123', codeSystem: 'OTHER', charge: '25.00', units: '2' }),
    ]);
    expect(rows[0]!.encounter.data).toMatchObject({ renderingNpi: '1245319599', '$path.renderingNpi': 'a.hl7 line 4: FT1-20' });
    // ICD-9 is never passed off as ICD-10 (nor its dot moved); the alternate ICD-10 triplet of a CE wins.
    expect(data('diagnoses').map((d) => [d.code, d.codeSystem, d.description])).toEqual([
      ['440.21', 'ICD-9-CM', 'Atherosclerosis of native arteries of the extremities with intermittent claudication'],
      ['38341003', 'SNOMED-CT', 'Hypertension'],
      ['I10', 'ICD-10-CM', 'Essential hypertension'],
    ]);
    expect(data('procedures')).toEqual([expect.objectContaining({ code: '80146002', codeSystem: 'SNOMED-CT', description: 'Appendectomy', date: '2026-11-27' })]);
  });

  test('service dates: PV1-44, else the clinical dates (TXA-4, OBR-7, FT1-4, EVN-6), MSH-7 last; offsets in the configured zone', async () => {
    const oru = (time: string) => msg(msh('ORU^R01', 'L1', '20261129010000'), pid('A1'), 'PV1|1|O|||||||||||||||||V1', `OBR|1|||CBC^Blood count|||${time}`, 'OBX|1|NM|718-7^Hemoglobin^LN||9.1|g/dL');
    const dft = msg(msh('DFT^P03', 'F1', '20261129010000'), pid('A1'), 'PV1|1|O|||||||||||||||||V1', 'FT1|1|||20261128||CG|85025^CBC^C4|||1|20');
    const ny = records(await read({ 'a.hl7': oru('20261127233000-0500') + dft }));
    // 23:30 in New York on the 27th; the FT1 date (28th) is later; MSH-7 (29th) is never taken over them.
    expect(ny[0]!.encounter.data).toMatchObject({ serviceDate: '2026-11-27', '$path.serviceDate': 'a.hl7 line 4: OBR-7' });
    const utc = records(await read({ 'a.hl7': oru('20261127233000-0500') + dft }, { timeZone: 'UTC' }));
    expect(utc[0]!.encounter.data.serviceDate).toBe('2026-11-28');
  });

  test('date conversion: offsets, precision, impossible dates left for assembly to refuse', () => {
    expect(hl7Date('20261127233000-0500', 'UTC')).toBe('2026-11-28');
    expect(hl7Date('20261127233000-0500', 'America/New_York')).toBe('2026-11-27');
    expect(hl7Date('20261127233000', 'UTC')).toBe('2026-11-27');
    expect(hl7Date('202611272330+0100', 'America/Los_Angeles')).toBe('2026-11-27');
    expect(hl7Date('20260231120000+0000', 'UTC')).toBe('2026-02-31');
    expect(isoDate('2026-11-27T23:30:00-05:00', 'UTC')).toBe('2026-11-28');
    expect(isoDate('2026-11-27', 'UTC')).toBe('2026-11-27');
  });

  test('ORU text under its own label keeps it as a header, so a past medical history stays history', async () => {
    const rows = records(await read({
      'a.hl7': msg(msh('ADT^A03', 'D1'), pid('A1'), pv1('V1')) + msg(msh('ORU^R01', 'L1'), pid('A1'), pv1('V1'), 'OBR|1|||11506-3^Progress note^LN',
        'OBX|1|TX|11348-0^Past Medical History^LN||Myocardial infarction 2015.', 'OBX|2|TX|51848-0^Assessment^LN||Chest wall pain.'),
    }));
    expect(rows[0]!.children.find((c) => c.role === 'notes')!.data.text).toBe('Past Medical History:\nMyocardial infarction 2015.\nAssessment:\nChest wall pain.');
  });

  test('a malformed message quarantines its visit once, however many bad lines it has; stray lines are one row', async () => {
    const bad = msg(msh('ADT^A03', 'D1'), pid('A1'), pv1('V1'), 'free text line one', 'free text line two', 'DG1#1', 'DG1|1|I10|J18.9');
    const results = await read({ 'a.hl7': bad, 'b.hl7': 'junk\rmore junk\r' + msg(msh('ADT^A03', 'D2'), pid('B2'), pv1('V2')) });
    const rejected = results.flatMap((r) => (r.ok === false ? [[r.file, r.line, r.code, r.encounterId ?? '']] : []));
    expect(rejected).toEqual([
      ['b.hl7', 1, 'INGEST_DOCUMENT_MALFORMED', ''],
      ['a.hl7', 1, 'INGEST_DOCUMENT_MALFORMED', 'A1/V1'],
    ]);
    const messages = results.flatMap((r) => (r.ok === false ? [r.message] : []));
    expect(messages[0]).toMatch(/^b\.hl7 line 1: a line before any MSH segment \(and 1 more line/);
    expect(messages[1]).toMatch(/visit A1\/V1: a\.hl7 line 4: the line is not a segment with .* \(and 2 more line\(s\)\), in the ADT\^A03 message at line 1/);
    expect(messages.join(' ')).not.toMatch(/free text/);
    expect(records(results).map((r) => r.encounter.encounterId)).toEqual(['B2/V2']);
  });
});

describe('damaged messages are never ignored as if they were of another type', () => {
  test('a file separator byte inside MSH-7 cuts MSH-9 off: the visit is quarantined as malformed, not counted as ignored', async () => {
    const results = await read({ 'a.hl7': msg('MSH|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|2\u001c0261127080000||ADT^A03|M1|P|2.5.1', 'EVN|A03|20261127080000', pid('A1'), pv1('V1')) });
    expect(results.map((r) => [r.ok, r.ok === false ? r.code : '', r.ok === false ? r.encounterId : ''])).toEqual([[false, 'INGEST_DOCUMENT_MALFORMED', 'A1/V1']]);
    expect(results[0]!.ok === false && results[0]!.message).toMatch(/the message has no type \(MSH-9\)/);
  });
});

describe('nightcode run on other vendors\' messages', () => {
  test('ignored messages are counted per file in the summary; SNOMED CT and ICD-9 entries are coded from their names, never billed', () => {
    const input = join(dir, 'export');
    mkdirSync(input, { recursive: true });
    writeFileSync(join(input, 'visit.hl7'), msg(
      msh('ADT^A03', 'D1'), 'EVN|A03|20261127100000', pid('A1'), pv1('V1'),
      'DG1|1||38341003^Hypertension^SCT', 'DG1|2|I9|493.90^Asthma, unspecified^I9',
    ) + msg(msh('DFT^P03', 'F1'), pid('A1'), pv1('V1'), 'FT1|1|||20261127||CG|99213^Office visit^C4|||1|100&USD', 'FT1|2|||20261127||CG|271442007^Check-up^SCT|||1|50&USD'));
    writeFileSync(join(input, 'orders.hl7'), msg(msh('ORM^O01', 'O1'), pid('A1'), pv1('V1')) + msg(msh('ADT^A04', 'R9'), pid('Z9'), pv1('V9')));
    const config = writeTestConfig(join(dir, 'run'), {});
    const r = runCli(['run', '--config', config, '--pipeline', 'pipelines/nightly-hl7v2.json', '--input', input, '--date', '2026-11-27', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { counts: Record<string, number>; reconciled: boolean; rows: { file: string; rows: number; ignored?: Record<string, number> }[] };
    expect(s.reconciled).toBe(true);
    expect(s.counts.input).toBe(1);
    expect(s.rows.find((f) => f.file === 'orders.hl7')).toMatchObject({ rows: 0, ignored: { 'ORM^O01': 1, 'visit with no billing message (ADT^A03, DFT)': 1 } });
    const out = join(dir, 'run', 'out', 'nightly-hl7v2', '2026-11-27');
    const exceptions = readFileSync(join(out, 'exceptions.csv'), 'utf8');
    expect(exceptions).toMatch(/INGEST_CODE_SYSTEM_NOT_BILLABLE.*3 coded entries.*diagnosis SNOMED-CT 38341003, diagnosis ICD-9-CM 493\.90, procedure SNOMED-CT 271442007.*ICD-9-CM is not accepted/);
    // The held claim as the run stored it: coded from the names (hypertension I10, asthma
    // J45.909); 493.90 and the SNOMED CT line are never billed.
    const db = new Database(join(dir, 'run', 'nightcode.db'), { readonly: true });
    const payload = (db.prepare("SELECT payload FROM run_records WHERE encounter_id = 'A1/V1'").get() as { payload: string }).payload;
    db.close();
    const claim = JSON.parse(payload) as { diagnoses: { code: string }[]; lines: { code?: string }[] };
    expect(claim.diagnoses.map((d) => d.code)).toEqual(expect.arrayContaining(['I10', 'J45.909']));
    expect(claim.lines.map((l) => l.code)).toEqual(['99213']);
    expect(payload).not.toMatch(/271442007|493\.?90/);
  });
});
