import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { DocumentReaderOptions } from '../../src/ingest/documents/document-rows.js';
import { field, splitMessages, unescape } from '../../src/ingest/hl7v2/hl7-message.js';
import { readHl7Export } from '../../src/ingest/hl7v2/read-hl7v2.js';
import { runCli, writeTestConfig } from '../helpers/cli.js';
import { readSource, recordOf } from '../helpers/source-reader.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-hl7-');
const OPTIONS: DocumentReaderOptions = { maxBytes: 1_000_000, encounterRule: 'encompassing-or-latest', businessDate: '2026-11-27' };
const VT = '\u000b';
const FS = '\u001c';

/** ADT^A03 discharge, DFT^P03 charges and MDM^T02 note of one visit, MLLP-framed in a batch. */
const VISIT = [
  'FHS|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|20261127230000',
  'BHS|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|20261127230000',
  `${VT}MSH|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|20261127080000||ADT^A03^ADT_A03|MSG001|P|2.5.1`,
  'EVN|A03|20261127080000',
  'PID|1||MRN123^^^HOSP^MR||Lopez^Ana^Maria||19600214|F|||1 Main St^^Boston^MA^02110||||||ACC555',
  'PV1|1|I|MED^201^A||||1245319599^Smith^John^^^^^^NPI||||||||||||V1001|||||||||||||||||||||||||20261120080000|20261126100000',
  'PV2|||^Community acquired pneumonia',
  'DG1|1|I10|J18.9^Pneumonia, unspecified organism^I10|Pneumonia||F',
  'DG1|2|I10|E11.9^Type 2 diabetes mellitus without complications^I10|||F',
  'PR1|1|I10P|BW03ZZZ^Plain Radiography of Chest^I10P||20261120',
  'IN1|1|MCR|MCR01|Medicare Part A|||||||||||||SEL|||||||||||||||||||1EG4TE5MK73',
  'GT1|1||Lopez^Ana',
  `${FS}\r${VT}MSH|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|20261127081000||DFT^P03|MSG002|P|2.5.1`,
  'PID|1||MRN123^^^HOSP^MR||Lopez^Ana',
  'PV1|1|I|||||||||||||||||V1001',
  'FT1|1|||20261120||CG|71046^Chest x-ray 2 views^C4|||1|85.00||||||||||||||71046^Chest x-ray 2 views^C4|26~LT',
  `${FS}\r${VT}MSH|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|20261127082000||MDM^T02|MSG003|P|2.5.1`,
  'PID|1||MRN123^^^HOSP^MR||Lopez^Ana',
  'PV1|1|I|||||||||||||||||V1001',
  'TXA|1|DS^Discharge summary|TX|||||||||DOC-9',
  'OBX|1|TX|DS^Discharge summary||Hospital course: improved on antibiotics.\\.br\\Denies chest pain.',
  'OBX|2|TX|DS^Discharge summary||Discharge diagnoses: pneumonia \\T\\ diabetes; fields \\F\\ comps \\S\\ reps \\R\\ esc \\E\\.',
  `${FS}\r`,
  'BTS|3',
  'FTS|1',
].join('\r');

const ORU = [
  'MSH|^~\\&|LAB|HOSP|NIGHTCODE|BILLING|20261121090000||ORU^R01|MSG010|P|2.5.1',
  'PID|1||MRN123^^^HOSP^MR||Lopez^Ana',
  'PV1|1|I|||||||||||||||||V1001',
  'OBR|1|||24323-8^Comprehensive metabolic panel^LN',
  'OBX|1|NM|2345-7^Glucose^LN||212|mg/dL',
  'OBX|2|FT|59283-3^Comment^LN||Hyperglycemia noted.~Repeat in the morning.',
].join('\n');

const readAll = (files: Record<string, string>) => readSource(readHl7Export, dir, files, OPTIONS);

describe('HL7 v2 message syntax', () => {
  test('MLLP framing, batch envelopes and delimiters from each MSH', () => {
    const { messages, errors } = splitMessages(VISIT);
    expect(errors).toEqual([]);
    expect(messages.map((m) => field(m.segments[0], 9, m.delimiters).component(1) + '^' + field(m.segments[0], 9, m.delimiters).component(2))).toEqual(['ADT^A03', 'DFT^P03', 'MDM^T02']);
    expect(messages[0]!.segments.map((s) => s.id)).toEqual(['MSH', 'EVN', 'PID', 'PV1', 'PV2', 'DG1', 'DG1', 'PR1', 'IN1', 'GT1']);
    // Other delimiters, declared in MSH-1/MSH-2.
    const alt = splitMessages('MSH#*!/@#A#B\rPID#1##X*Y!Z');
    expect(field(alt.messages[0]!.segments[1], 3, alt.messages[0]!.delimiters).component(2)).toBe('Y');
  });

  test.each([
    ['\\F\\', '|'], ['\\S\\', '^'], ['\\T\\', '&'], ['\\R\\', '~'], ['\\E\\', '\\'], ['a\\.br\\b', 'a\nb'], ['\\X41\\', 'A'], ['\\H\\bold\\N\\', 'bold'],
  ])('escape %s', (raw, text) => {
    expect(unescape(raw, { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' })).toBe(text);
  });

  test.each([
    ['no MSH at all', 'PID|1||X', /segment "PID" before any MSH/],
    ['wrong delimiters', 'MSH|^^\\&|EHR', /MSH delimiters/],
    ['a segment with another separator', 'MSH|^~\\&|A|B\rPID#1##X', /not a segment "PID" with the message's field separator/],
  ])('%s', (_name, text, message) => {
    expect(splitMessages(text).errors[0]?.message).toMatch(message);
  });
});

describe('one visit from ADT, DFT, MDM and ORU messages in two files', () => {
  test('merged into one record: patient, visit, diagnoses, PCS, coverage, charges, notes', async () => {
    const results = await readAll({ 'visit.hl7': VISIT, 'labs.hl7': ORU });
    expect(results).toHaveLength(1);
    const r = recordOf(results[0]);
    expect(r.rows.encounter).toMatchObject({ encounterId: 'MRN123/V1001', patientId: 'MRN123' });
    expect(r.rows.encounter.data).toMatchObject({
      kind: 'institutional', serviceDate: '2026-11-20', admissionDate: '2026-11-20', dischargeDate: '2026-11-26',
      attendingNpi: '1245319599', '$path.attendingNpi': 'visit.hl7 line 6: PV1-7',
    });
    expect(r.rows.patient!.data).toMatchObject({
      lastName: 'Lopez', firstName: 'Ana', birthDate: '1960-02-14', sex: 'F', addressLine1: '1 Main St', city: 'Boston', state: 'MA', zip: '02110',
      payerId: 'MCR01', payerName: 'Medicare Part A', memberId: '1EG4TE5MK73', relationship: '18',
    });
    const rows = (role: string) => r.rows.children.filter((c) => c.role === role).map((c) => c.data);
    expect(rows('diagnoses').map((d) => [d.code, d.codeSystem])).toEqual([['J18.9', 'ICD-10-CM'], ['E11.9', 'ICD-10-CM']]);
    expect(rows('procedures')).toEqual([expect.objectContaining({ code: 'BW03ZZZ', codeSystem: 'ICD-10-PCS', date: '2026-11-20', sequence: '1' })]);
    expect(rows('charges')).toEqual([expect.objectContaining({ code: '71046', codeSystem: 'CPT', charge: '85.00', units: '1', serviceDate: '2026-11-20', modifiers: '26|LT' })]);
    const notes = rows('notes');
    expect(notes.map((n) => n.text)).toEqual([
      'Reason for Admission: Community acquired pneumonia',
      'Hospital course: improved on antibiotics.\nDenies chest pain.\nDischarge diagnoses: pneumonia & diabetes; fields | comps ^ reps ~ esc \\.',
      'Glucose: 212 mg/dL\nComment:\nHyperglycemia noted.\nRepeat in the morning.',
    ]);
    expect(notes[1]).toMatchObject({ noteId: 'DOC-9', noteType: 'Discharge summary' });
    expect(rows('observations')).toEqual([expect.objectContaining({ code: '2345-7', codeSystem: 'LOINC', description: 'Glucose', value: '212', unit: 'mg/dL' })]);
  });

  test('bad files are refused with file, line and code; the good visit still comes out', async () => {
    const results = await readAll({ 'a.hl7': VISIT, 'empty.hl7': 'just text', 'delims.hl7': 'MSH|^^\\&|EHR|HOSP' });
    expect(results.filter((x) => !x.ok).map((x) => [x.file, x.line, !x.ok && x.code])).toEqual([
      ['empty.hl7', 1, 'INGEST_DOCUMENT_MALFORMED'],
      ['delims.hl7', 1, 'INGEST_DOCUMENT_MALFORMED'],
    ]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
  });
});

describe('nightcode run --pipeline pipelines/nightly-hl7v2.json', () => {
  test('a folder of HL7 files: one claim per visit, reconciled', () => {
    const input = join(dir, 'export');
    mkdirSync(input, { recursive: true });
    writeFileSync(join(input, 'visit.hl7'), VISIT);
    writeFileSync(join(input, 'labs.hl7'), ORU);
    const r = runCli(['run', '--pipeline', 'pipelines/nightly-hl7v2.json', '--input', input, '--date', '2026-11-27', '--db', join(dir, 'n.db'), '--out', join(dir, 'out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { counts: Record<string, number>; reconciled: boolean };
    expect(s.reconciled).toBe(true);
    expect(s.counts.input).toBe(1);
    expect(s.counts.quarantined).toBe(0);
    const exceptions = readFileSync(join(dir, 'out', 'nightly-hl7v2', '2026-11-27', 'exceptions.csv'), 'utf8');
    // No billing NPI in ADT: the claim is held, and the finding points at the message.
    expect(exceptions).toMatch(/EDIT_NPI_MISSING/);
  });

  test('a field over documents.limits, or an id with control characters, quarantines its visit naming the field and where it was; the others go on', () => {
    const input = join(dir, 'export-long');
    mkdirSync(input, { recursive: true });
    writeFileSync(join(input, 'visit.hl7'), VISIT);
    writeFileSync(join(input, 'long-id.hl7'), VISIT.replaceAll('V1001', 'V'.repeat(300_000)));
    writeFileSync(join(input, 'control.hl7'), VISIT.replaceAll('V1001', 'V3003').replaceAll('MRN123', 'MRN\u0000123'));
    writeFileSync(join(input, 'long-name.hl7'), VISIT.replaceAll('V1001', 'V2002').replaceAll('Lopez^Ana', `${'L'.repeat(5000)}^Ana`));
    const config = writeTestConfig(join(dir, 'long'), { run: { maxQuarantinedRatio: 1 } });
    const r = runCli(['run', '--config', config, '--pipeline', 'pipelines/nightly-hl7v2.json', '--input', input, '--date', '2026-11-27', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { counts: Record<string, number>; reconciled: boolean };
    expect(s.reconciled).toBe(true);
    expect(s.counts).toMatchObject({ input: 4, quarantined: 3 });
    const q = readFileSync(join(dir, 'long', 'out', 'nightly-hl7v2', '2026-11-27', 'quarantine.csv'), 'utf8');
    expect(q).toMatch(/long-id\.hl7,3,,INGEST_FIELD_TOO_LONG,"long-id\.hl7: encounterId holds 300007 characters, more than the 256 allowed/);
    // The encounter id holds the patient id: unreadable, it is left off the row.
    expect(q).toMatch(/control\.hl7,3,,INGEST_INVALID_CHARACTERS,control\.hl7: encounterId holds control characters/);
    expect(q).toMatch(/long-name\.hl7,\d+,MRN123\/V2002,INGEST_FIELD_TOO_LONG,"long-name\.hl7: lastName \(long-name\.hl7 line \d+: PID-5\) holds 5000 characters/);
  });
});
