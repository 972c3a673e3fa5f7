import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { applyTelehealth, telehealthInNotes, type TelehealthConfig } from '../../src/code/telehealth.js';
import type { CodedEncounter, CodedProcedure, Encounter, Note } from '../../src/contract/types.js';
import type { ClaimRecord } from '../../src/emit/claims/claim-record.js';
import { telehealthEdits } from '../../src/validate/edits/telehealth-edits.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Telehealth visits billed right the first time: recognized from the export (a mapped field,
 * FHIR Encounter.class VR) or the note; place of service 10/02 and modifiers 95/93 (or the
 * payer's own: in-person POS, FQ, GT); edits for a telehealth POS or modifier that
 * contradicts the visit and for services off the payer's telehealth list.
 */
const src = { file: 'notes.csv', line: 2 };
const note = (text: string, id = 'N1'): Note => ({ id, type: 'Progress Note', text, source: src });
function encounter(over: Partial<Encounter> = {}): Encounter {
  return {
    key: { source: 's', encounterId: 'E1' }, contentHash: 'h', source: src, kind: 'professional',
    patient: { id: 'P1', birthDate: '1960-01-01', sex: 'F' }, coverage: { payerId: 'ACME01', memberId: 'M1', relationship: '18' }, providers: { billingNpi: '1234567893' },
    serviceDate: '2026-11-27', placeOfService: '11', placeOfServiceDefaulted: true, notes: [], diagnoses: [], charges: [], issues: [], ...over,
  };
}
const line = (n: number, code: string, modifiers: string[] = []): CodedProcedure => ({
  line: n, code, system: 'CPT', modifiers, units: 1, charge: 100, source: src, diagnosisPointers: [1], confidence: 1, rulePath: 'exported',
});
const coded = (e: Encounter, lines: CodedProcedure[]): CodedEncounter => ({ encounter: e, findings: [], diagnoses: [], procedures: lines, pcsProcedures: [], notCoded: [], confidence: 1, issues: [] });
const editsOf = (e: Encounter, lines: CodedProcedure[], config?: TelehealthConfig) => telehealthEdits(coded(e, lines), config).map((i) => i.code);

describe('what the note says about how the visit was held', () => {
  test.each([
    ['This visit was conducted via secure video with the patient at home.', 'video', 'home'],
    ['Video visit. The video connection failed and the visit was completed by telephone.', 'audio', undefined],
    ['Audio-only visit; patient declined video.', 'audio', undefined],
    ['Telehealth visit. Originating site: the patient is at the clinic.', 'video', 'other'],
    ['Patient seen in person today; offered a video visit next time.', 'none', undefined],
  ])('%s', (text, mode, where) => {
    expect(telehealthInNotes([note(text)])).toMatchObject({ mode, ...(where ? { where } : {}) });
  });

  test('a refused or unrelated mention is not a telehealth visit', () => {
    expect(telehealthInNotes([note('Patient declined a video visit. Vitals stable. Called pharmacy about refills.')])).toBeUndefined();
    expect(telehealthInNotes([note('Hypertension follow-up; BP 128/80.')])).toBeUndefined();
  });
});

describe('coding a telehealth visit', () => {
  const lines = [line(1, '99213'), line(2, '80053'), line(3, '99214', ['25', '59', 'XU', 'GA'])];

  test('video from the note: POS 10 (patient at home) for the default, 95 on the services payable by telehealth', () => {
    const r = applyTelehealth(encounter({ notes: [note('Video visit with the patient at her home.')] }), lines, undefined);
    expect(r.encounter).toMatchObject({ placeOfService: '10', telehealth: { mode: 'video', from: 'note', where: 'home', evidence: 'Video visit' } });
    expect(r.encounter.placeOfServiceDefaulted).toBeUndefined();
    expect(r.lines.map((l) => l.modifiers)).toEqual([['95'], [], ['25', '59', 'XU', 'GA']]);
    expect(r.lines[0]!.rulePath).toContain('telehealth video (note): modifier 95');
  });

  test("audio-only: 93 by default, the payer's FQ when configured; POS 02 when the site's patients are not at home", () => {
    const e = encounter({ telehealth: { mode: 'audio', from: 'export' } });
    expect(applyTelehealth(e, lines, undefined).lines[0]!.modifiers).toEqual(['93']);
    const config: TelehealthConfig = { pos: 'telehealth', location: 'other', video: '95', audio: '93', codes: [], payers: { ACME01: { audio: 'FQ' } } };
    const r = applyTelehealth(e, lines, config);
    expect(r.lines[0]!.modifiers).toEqual(['FQ']);
    expect(r.encounter.placeOfService).toBe('02');
  });

  test("a payer that wants the in-person POS keeps it and gets the modifier; an exported POS is never changed", () => {
    const e = encounter({ telehealth: { mode: 'video', from: 'export' } });
    const inPerson = applyTelehealth(e, lines, { pos: 'telehealth', location: 'home', video: '95', audio: '93', codes: [], payers: { ACME01: { pos: 'in-person' } } });
    expect(inPerson.encounter.placeOfService).toBe('11');
    expect(inPerson.lines[0]!.modifiers).toEqual(['95']);
    const exported = applyTelehealth(encounter({ telehealth: { mode: 'video', from: 'export' }, placeOfService: '11', placeOfServiceDefaulted: undefined }), lines, undefined);
    expect(exported.encounter.placeOfService).toBe('11');
    expect(editsOf(exported.encounter, exported.lines)).toEqual(['EDIT_TELEHEALTH_CONFLICT']);
  });

  test('the export wins over the note, and the disagreement is reported; institutional claims are left alone', () => {
    const r = applyTelehealth(encounter({ telehealth: { mode: 'none', from: 'export' }, notes: [note('Telephone visit.')] }), lines, undefined);
    expect(r.issues.map((i) => i.code)).toEqual([]);
    expect(r.encounter.placeOfService).toBe('11');
    const v = applyTelehealth(encounter({ telehealth: { mode: 'video', from: 'export' }, notes: [note('Telephone visit.')] }), lines, undefined);
    expect(v.issues.map((i) => i.code)).toEqual(['CODE_TELEHEALTH_MODE']);
    expect(v.lines[0]!.modifiers).toEqual(['95']);
    const inst = applyTelehealth(encounter({ kind: 'institutional', notes: [note('Video visit.')] }), lines, undefined);
    expect(inst.lines).toEqual(lines);
  });
});

describe('telehealth edits', () => {
  test('a telehealth POS or modifier on a visit nothing says was telehealth', () => {
    expect(editsOf(encounter({ placeOfService: '10' }), [line(1, '99213')])).toEqual(['EDIT_TELEHEALTH_CONFLICT']);
    expect(editsOf(encounter(), [line(1, '99213', ['95'])])).toEqual(['EDIT_TELEHEALTH_CONFLICT']);
    expect(editsOf(encounter({ telehealth: { mode: 'none', from: 'export' } }), [line(1, '99213', ['93'])])).toEqual(['EDIT_TELEHEALTH_CONFLICT']);
    expect(editsOf(encounter(), [line(1, '99213')])).toEqual([]);
  });

  test('an audio-only modifier on a video visit, a video one on an audio-only visit', () => {
    expect(editsOf(encounter({ placeOfService: '10', telehealth: { mode: 'video', from: 'note', evidence: 'video visit' } }), [line(1, '99213', ['93'])])).toEqual(['EDIT_TELEHEALTH_CONFLICT']);
    expect(editsOf(encounter({ placeOfService: '10', telehealth: { mode: 'audio', from: 'export' } }), [line(1, '99213', ['95'])])).toEqual(['EDIT_TELEHEALTH_CONFLICT']);
    expect(editsOf(encounter({ placeOfService: '10', telehealth: { mode: 'audio', from: 'export' } }), [line(1, '99213', ['93'])])).toEqual([]);
  });

  test("a service off the payer's telehealth list; labs and drugs aside; the payer's own list", () => {
    const e = encounter({ placeOfService: '10', telehealth: { mode: 'video', from: 'export' } });
    expect(editsOf(e, [line(1, '99213', ['95']), line(2, '36415'), line(3, '80053'), line(4, 'J1885')])).toEqual(['EDIT_TELEHEALTH_NOT_ELIGIBLE']);
    const own: TelehealthConfig = { pos: 'telehealth', location: 'home', video: '95', audio: '93', codes: [], payers: { ACME01: { codes: ['99214'] } } };
    expect(editsOf(e, [line(1, '99213', ['95'])], own)).toEqual(['EDIT_TELEHEALTH_NOT_ELIGIBLE']);
    expect(editsOf(e, [line(1, '99214', ['95'])], own)).toEqual([]);
  });
});

describe('telehealth end to end', () => {
  const dir = tempDir('nightcode-telehealth-');

  test('FHIR Encounter.class VR: POS 10 and 95 in the 837 (valid under pyx12), the lab line as it was', () => {
    const input = join(dir, 'fhir');
    mkdirSync(input, { recursive: true });
    for (const f of ['Claim', 'Condition', 'Coverage', 'Encounter', 'Patient']) cpSync(resolve('test/conformance/fhir', `${f}.ndjson`), join(input, `${f}.ndjson`));
    const enc = join(input, 'Encounter.ndjson');
    writeFileSync(enc, readFileSync(enc, 'utf8').replace('"class": {"code": "AMB"}', '"class": {"code": "VR"}'));
    const r = runCli(['run', '--pipeline', 'pipelines/nightly-fhir.json', '--input', input, '--date', '2026-11-27', '--db', join(dir, 'f.db'), '--out', join(dir, 'out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'out', 'nightly-fhir', '2026-11-27');
    const claims = readFileSync(join(out, 'claims.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ClaimRecord);
    const tele = claims.find((c) => c.telehealth)!;
    expect(tele).toMatchObject({ placeOfService: '10', telehealth: { mode: 'video', from: 'export' } });
    expect(tele.lines.map((l) => [l.code, l.modifiers])).toEqual([['99213', ['95']], ['80053', []]]);
    const x12 = readdirSync(out).filter((f) => f.endsWith('.837')).map((f) => readFileSync(join(out, f), 'utf8')).join('');
    expect(x12).toContain(`CLM*${tele.claimId}*155.00***10:B:1*`);
    expect(x12).toContain('SV1*HC:99213:95*');
  });

  test("a mapped telehealth column: the export's POS stands (a conflict is an edit); without one, POS 10 and the modifier; an unknown value is named", () => {
    const input = join(dir, 'csv');
    cpSync(resolve('data/sample-export'), input, { recursive: true });
    const file = join(input, 'encounters.csv');
    const rows = readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);
    const header = rows[0]!.split(',');
    const pos = header.indexOf('PlaceOfService');
    // E0000003: audio-only with POS 11 exported; E0000004: video with no POS; E0000006: a value the mapping does not know.
    const telehealth: Record<string, string> = { E0000003: 'audio-only', E0000004: 'video', E0000006: 'carrier pigeon' };
    writeFileSync(file, `${[`${rows[0]},Telehealth`, ...rows.slice(1).map((r) => {
      const cells = r.split(',');
      if (cells[0] === 'E0000004') cells[pos] = '';
      return `${cells.join(',')},${telehealth[cells[0]!] ?? ''}`;
    })].join('\n')}\n`);
    const mapping = JSON.parse(readFileSync(resolve('config/mappings/sample-csv.json'), 'utf8')) as { files: Record<string, { columns: Record<string, string> }> };
    mapping.files.encounters!.columns.telehealth = 'Telehealth';
    writeFileSync(join(dir, 'mapping.json'), JSON.stringify(mapping));
    const pipeline = JSON.parse(readFileSync(resolve('pipelines/nightly-csv.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'pipeline.json'), JSON.stringify({ ...pipeline, mapping: join(dir, 'mapping.json'), input }));
    const db = join(dir, 'c.db');
    const r = runCli(['run', '--pipeline', join(dir, 'pipeline.json'), '--date', '2026-11-27', '--db', db, '--out', join(dir, 'out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const exceptions = readFileSync(join(dir, 'out', 'nightly-csv', '2026-11-27', 'exceptions.csv'), 'utf8').split('\n');
    const of = (id: string, code: string) => exceptions.filter((l) => l.includes(`,${id},`) && l.includes(`,${code},`));
    expect(of('E0000003', 'EDIT_TELEHEALTH_CONFLICT').join()).toContain('audio-only (the export), but the place of service is 11');
    expect(of('E0000004', 'EDIT_TELEHEALTH_CONFLICT')).toEqual([]);
    expect(of('E0000006', 'INGEST_INVALID_VALUE').join()).toContain('telehealth ""carrier pigeon"" is not in the mapping\'s telehealth values');
    const store = new Database(db, { readonly: true });
    try {
      const claim = JSON.parse((store.prepare("SELECT payload FROM run_records WHERE encounter_id = 'E0000004'").get() as { payload: string }).payload) as ClaimRecord;
      expect(claim).toMatchObject({ placeOfService: '10', telehealth: { mode: 'video', from: 'export' } });
      const em = claim.lines.filter((l) => /^992\d\d$/.test(l.code ?? ''));
      expect(em.length).toBeGreaterThan(0);
      for (const l of em) expect(l.modifiers).toContain('95');
    } finally {
      store.close();
    }
  });
});
