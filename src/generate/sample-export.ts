import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { csvLine } from '../emit/csv-cells.js';
import { addDays } from '../run/business-date.js';
import { npiCheckDigit } from '../validate/edits/npi.js';
import {
  ANCILLARIES, CITIES, EXAM_FINDINGS, MEDICATIONS, FAMILY_CONDITIONS, FIRST_NAMES, LAST_NAMES, OFFICE_VISITS, PAST_CONDITIONS,
  PLAN_LINES, RELATIVES, REVENUE_LINES, ROS_SYMPTOMS, SAMPLE_CONDITIONS, SAMPLE_PAYERS, SECTION_SPELLINGS,
  type SampleCondition,
} from './clinical-phrases.js';
import { Prng } from './prng.js';

export type SampleKind = 'professional' | 'institutional' | 'mixed';

export interface GenerateOptions {
  outDir: string;
  encounters: number;
  seed: number;
  kind: SampleKind;
  /** Business date of the export: services happen on it (discharges for inpatient stays). */
  businessDate: string;
  /** Share of deliberately broken records (each kind of breakage in turn). */
  brokenRate: number;
  /** Prefix of encounter ids, so several exports can share patients but not encounters. */
  idPrefix?: string;
}

export interface GenerateReport {
  dir: string;
  encounters: number;
  /** Encounter rows written (including duplicates and unreadable rows). */
  encounterRows: number;
  patients: number;
  notes: number;
  diagnoses: number;
  charges: number;
  /** How many of each deliberate defect the export holds, by the code it should raise. */
  defects: Record<string, number>;
  bytes: number;
}

export const SAMPLE_HEADERS = {
  encounters: ['EncounterID', 'PatientID', 'EncounterType', 'ServiceDate', 'AdmitDate', 'DischargeDate', 'PlaceOfService', 'FacilityType', 'BillingNPI', 'RenderingNPI', 'AttendingNPI', 'AdmitType', 'AdmitSource', 'DischargeStatus'],
  patients: ['PatientID', 'FirstName', 'LastName', 'DOB', 'Sex', 'Address', 'City', 'State', 'Zip', 'PayerID', 'PayerName', 'MemberID', 'Relationship'],
  notes: ['NoteID', 'EncounterID', 'NoteType', 'NoteText'],
  diagnoses: ['EncounterID', 'Seq', 'Code', 'CodeSystem', 'Description', 'POA'],
  charges: ['EncounterID', 'Line', 'Code', 'CodeSystem', 'Modifiers', 'Units', 'Charge', 'ServiceDate', 'RevenueCode'],
} as const;

/** Deliberate defects, cycled through so every kind appears in a small export. */
const DEFECTS = [
  'INGEST_INVALID_DATE', // encounter row: impossible service date → quarantined
  'INGEST_ROW_UNPARSEABLE', // encounter row with an extra field → quarantined
  'INGEST_DUPLICATE_KEY', // the same encounter id twice → second quarantined
  'INGEST_ORPHAN_ROW', // a note for an encounter that is not in the export
  'EDIT_MEMBER_ID_MISSING', // coverage without member id → exception
  'EDIT_NPI_INVALID', // rendering NPI with a wrong check digit → exception
  'INGEST_INVALID_NUMBER', // a charge of "12..50" → exception
  'EDIT_BIRTH_DATE_MISSING', // patient without birth date → exception
] as const;

class CsvFile {
  private readonly out: WriteStream;
  bytes = 0;
  rows = 0;

  constructor(path: string, header: readonly string[]) {
    this.out = createWriteStream(path, { mode: 0o600 });
    this.raw(csvLine(header));
  }

  async row(cells: readonly (string | number | undefined)[]): Promise<void> {
    this.rows++;
    await this.raw(csvLine(cells));
  }

  async raw(text: string): Promise<void> {
    this.bytes += Buffer.byteLength(text);
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}

function makeNpi(rng: Prng): string {
  const first9 = `1${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
  return `${first9}${npiCheckDigit(first9)}`;
}

function phrase(rng: Prng, c: SampleCondition): string {
  if (c.misspellings && rng.chance(0.04)) return rng.pick(c.misspellings);
  return rng.pick(c.phrases);
}

interface NotePlan {
  text: string;
  codes: { code: string; description: string }[];
}

/** A clinic or discharge note of about 1.5 KB with the language coders meet. */
function writeNote(rng: Prng, institutional: boolean, age: number, sexWord: string): NotePlan {
  const pool = SAMPLE_CONDITIONS.filter((c) => (institutional ? c.inpatient || c.chronic : !c.inpatient));
  const acute = rng.sample(pool.filter((c) => !c.chronic), institutional ? 1 : rng.int(0, 1));
  const chronic = rng.sample(pool.filter((c) => c.chronic), rng.int(1, 3));
  const codes: NotePlan['codes'] = [];
  const mention = (c: SampleCondition): string => {
    let text = phrase(rng, c);
    let code = c.code;
    if (c.sides) {
      const side = rng.pick(['left', 'right', 'bilateral', 'none'] as const);
      if (side !== 'none' && c.sides[side]) {
        code = c.sides[side]!;
        text = side === 'bilateral' ? `bilateral ${text}` : `${side} ${text}`;
      }
    }
    codes.push({ code, description: c.description });
    return text;
  };
  const acuteText = acute.map(mention);
  const chronicText = chronic.map(mention);
  const h = (k: keyof typeof SECTION_SPELLINGS) => rng.pick(SECTION_SPELLINGS[k]);
  const lines: string[] = [];
  const who = `${age}-year-old ${sexWord}`;
  const reason = acuteText[0] ?? `follow-up of ${chronicText[0]}`;
  lines.push(`${h('hpi')} ${who} ${institutional ? 'admitted with' : 'presents for'} ${reason}. Symptoms began ${rng.int(2, 10)} days ago.`);
  const negated = rng.sample(ROS_SYMPTOMS, rng.int(2, 3));
  lines.push(`Patient denies ${negated.slice(0, -1).join(', ')} or ${negated[negated.length - 1]}.`);
  if (rng.chance(0.3)) lines.push(`No history of ${rng.pick(['stroke', 'myocardial infarction', 'asthma'])}.`);
  lines.push(`${h('pmh')} ${chronicText.join(', ')}.`);
  if (rng.chance(0.5)) lines.push(`History of ${rng.pick(PAST_CONDITIONS)} ${rng.int(2, 15)} years ago, resolved.`);
  lines.push(`${h('fh')} ${rng.pick(RELATIVES)} had ${rng.pick(FAMILY_CONDITIONS)}. ${rng.pick(RELATIVES)} with ${rng.pick(FAMILY_CONDITIONS)}.`);
  lines.push(`${h('sh')} ${rng.pick(['Never smoker.', 'Former smoker, quit 10 years ago.', 'Drinks alcohol socially.', 'Lives with spouse; works as a teacher.'])}`);
  lines.push(`Medications: ${rng.sample(MEDICATIONS, rng.int(2, 5)).join('; ')}. Allergies: ${rng.pick(['NKDA', 'penicillin (rash)', 'sulfa drugs', 'no known drug allergies'])}.`);
  lines.push(`${h('ros')} Fever: none. Cough: ${rng.pick(['none', 'mild, non-productive'])}. All other systems reviewed and negative.`);
  lines.push(`${h('exam')} ${rng.sample(EXAM_FINDINGS, rng.int(7, 9)).join(' ')}`);
  const ap: string[] = [];
  acuteText.forEach((t, i) => ap.push(`${i + 1}. ${t.charAt(0).toUpperCase()}${t.slice(1)} - ${rng.pick(['start treatment as discussed', 'supportive care', 'antibiotics prescribed'])}.`));
  chronicText.forEach((t, i) => ap.push(`${acuteText.length + i + 1}. ${t.charAt(0).toUpperCase()}${t.slice(1)}, ${rng.pick(['stable', 'controlled on current regimen', 'improving'])}.`));
  if (rng.chance(0.25)) ap.push(`Rule out ${rng.pick(['pneumonia', 'pulmonary embolism', 'urinary tract infection'])}; ${rng.pick(['imaging ordered', 'will reassess'])}.`);
  if (rng.chance(0.15)) ap.push(`Possible ${rng.pick(['migraine', 'GERD', 'sinusitis'])}, consider trial of therapy.`);
  lines.push(`${h('ap')}\n${ap.join('\n')}`);
  lines.push(rng.sample(PLAN_LINES, 4).join(' '));
  lines.push(`Total time spent on the date of the encounter: ${rng.int(15, 45)} minutes, including review of records, examination, counseling and documentation.`);
  lines.push(`Return if ${rng.pick(['chest pain', 'shortness of breath', 'fever'])} develops or symptoms worsen.`);
  return { text: lines.join('\n'), codes };
}

/**
 * Writes a realistic nightly CSV export (encounters, patients with coverage, notes,
 * structured diagnoses, charges) that the default pipeline reads. Deterministic: the
 * same options write byte-identical files.
 */
export async function generateSampleExport(options: GenerateOptions): Promise<GenerateReport> {
  const rng = new Prng(options.seed);
  mkdirSync(options.outDir, { recursive: true });
  const files = {
    encounters: new CsvFile(join(options.outDir, 'encounters.csv'), SAMPLE_HEADERS.encounters),
    patients: new CsvFile(join(options.outDir, 'patients.csv'), SAMPLE_HEADERS.patients),
    notes: new CsvFile(join(options.outDir, 'notes.csv'), SAMPLE_HEADERS.notes),
    diagnoses: new CsvFile(join(options.outDir, 'diagnoses.csv'), SAMPLE_HEADERS.diagnoses),
    charges: new CsvFile(join(options.outDir, 'charges.csv'), SAMPLE_HEADERS.charges),
  };
  const providers = Array.from({ length: 24 }, () => makeNpi(rng));
  const organizations = Array.from({ length: 4 }, () => makeNpi(rng));
  const prefix = options.idPrefix ?? 'E';
  const defects: Record<string, number> = {};
  const brokenEvery = options.brokenRate > 0 ? Math.max(1, Math.round(1 / options.brokenRate)) : 0;
  let defectTurn = 0;
  const patientsWritten = new Set<string>();
  let lastEncounterRow: (string | number | undefined)[] | undefined;

  for (let i = 1; i <= options.encounters; i++) {
    const defect = brokenEvery > 0 && i % brokenEvery === 0 ? DEFECTS[defectTurn++ % DEFECTS.length]! : undefined;
    if (defect) defects[defect] = (defects[defect] ?? 0) + 1;
    const encounterId = `${prefix}${String(i).padStart(7, '0')}`;
    // Patients come back: about one in three encounters belongs to an earlier patient.
    const patientLevelDefect = defect === 'EDIT_MEMBER_ID_MISSING' || defect === 'EDIT_BIRTH_DATE_MISSING';
    const returning = i > 3 && rng.chance(0.33);
    const patientNo = returning && !patientLevelDefect ? rng.int(1, Math.ceil(i * 0.67)) : Math.ceil(i * 0.67) + (i % 3);
    // A patient-level defect gets a patient of its own, so it breaks exactly this encounter's claim.
    const patientId = patientLevelDefect ? `Q${String(i).padStart(7, '0')}` : `P${String(patientNo).padStart(7, '0')}`;
    const prng = new Prng(options.seed * 31 + patientNo); // a patient's own attributes never change
    const age = prng.chance(0.04) ? 0 : prng.chance(0.18) ? prng.int(1, 17) : prng.int(18, 96);
    const sex = prng.chance(0.52) ? 'F' : 'M';
    const birthDate = addDays(options.businessDate, -(age * 365 + prng.int(1, 360)));
    const institutional = options.kind === 'institutional' || (options.kind === 'mixed' && rng.chance(0.2));

    if (!patientsWritten.has(patientId)) {
      patientsWritten.add(patientId);
      const [city, state, zip] = prng.pick(CITIES);
      const payer = age >= 65 ? SAMPLE_PAYERS[0] : age < 18 && prng.chance(0.5) ? SAMPLE_PAYERS[1] : prng.pick(SAMPLE_PAYERS.slice(2));
      const memberId = defect === 'EDIT_MEMBER_ID_MISSING' ? '' : `${payer.id.slice(0, 3)}${String(prng.int(0, 999_999_999)).padStart(9, '0')}`;
      await files.patients.row([
        patientId, prng.pick(FIRST_NAMES), prng.pick(LAST_NAMES), defect === 'EDIT_BIRTH_DATE_MISSING' ? '' : birthDate, sex,
        `${prng.int(1, 9999)} ${prng.pick(['Oak', 'Maple', 'Main', 'Cedar', 'Elm'])} St`, city, state, zip,
        payer.id, payer.name, memberId, '18',
      ]);
    }

    const los = institutional ? rng.int(1, 6) : 0;
    const serviceDate = defect === 'INGEST_INVALID_DATE' ? `${options.businessDate.slice(0, 4)}-13-45` : options.businessDate;
    const admitDate = institutional ? addDays(options.businessDate, -los) : '';
    const rendering = rng.pick(providers);
    const billing = rng.pick(organizations);
    const badNpi = defect === 'EDIT_NPI_INVALID' ? `${rendering.slice(0, 9)}${(Number(rendering[9]) + 1) % 10}` : rendering;
    // 837I CL1 from the export: priority of admission and point of origin as NUBC codes, the
    // discharge status in words (the mapping's value table) — drawn from their own stream so the
    // rest of the export stays what it was.
    const cl1 = new Prng(options.seed * 17 + i);
    const stay = institutional
      ? [cl1.pick(['1', '1', '2', '3']), cl1.pick(['1', '1', '2', '4']), cl1.pick(['Home', 'Home', 'Home', 'Home health', 'SNF', 'Expired'])]
      : ['', '', ''];
    const row = [
      encounterId, patientId, institutional ? 'institutional' : 'professional', serviceDate,
      admitDate, institutional ? options.businessDate : '', institutional ? '' : rng.pick(['11', '11', '11', '22']),
      institutional ? '11' : '', billing, institutional ? '' : badNpi, institutional ? badNpi : '', ...stay,
    ];
    if (defect === 'INGEST_ROW_UNPARSEABLE') {
      await files.encounters.row([...row, 'unexpected extra field']);
      continue;
    }
    await files.encounters.row(row);
    if (defect === 'INGEST_DUPLICATE_KEY' && lastEncounterRow) {
      // The same id again with other content: the second occurrence is quarantined.
      await files.encounters.row([lastEncounterRow[0], ...row.slice(1)]);
    }
    lastEncounterRow = row;

    const note = writeNote(rng, institutional, age, sex === 'F' ? 'female' : 'male');
    await files.notes.row([`N${encounterId.slice(1)}`, encounterId, institutional ? 'Discharge Summary' : 'Progress Note', note.text]);
    if (defect === 'INGEST_ORPHAN_ROW') {
      await files.notes.row([`N${encounterId.slice(1)}X`, `${encounterId}X`, 'Addendum', 'Addendum to a visit that is not in this export.']);
    }
    // Structured diagnoses: inpatient abstracts usually carry them, clinic exports sometimes.
    if (institutional || rng.chance(0.3)) {
      let seq = 1;
      for (const c of note.codes) {
        await files.diagnoses.row([encounterId, seq++, c.code, 'ICD-10-CM', c.description, institutional ? rng.pick(['Y', 'Y', 'Y', 'N']) : '']);
      }
    }
    let line = 1;
    if (institutional) {
      for (const [rev, hcpcs, amount, perDay] of REVENUE_LINES) {
        if (!perDay && !rng.chance(0.6)) continue;
        const units = perDay ? los : 1;
        const charge = defect === 'INGEST_INVALID_NUMBER' && line === 1 ? '12..50' : (amount * units).toFixed(2);
        // Numeric HCPCS Level I codes are CPT codes.
        await files.charges.row([encounterId, line++, hcpcs, hcpcs ? 'CPT' : '', '', units, charge, options.businessDate, rev]);
      }
    } else {
      const [code, system, amount] = rng.pick(OFFICE_VISITS);
      const charge = defect === 'INGEST_INVALID_NUMBER' ? '12..50' : amount.toFixed(2);
      await files.charges.row([encounterId, line++, code, system, rng.chance(0.1) ? '25' : '', 1, charge, options.businessDate, '']);
      for (const [acode, asystem, aamount] of rng.sample(ANCILLARIES, rng.int(0, 2))) {
        await files.charges.row([encounterId, line++, acode, asystem, '', 1, aamount.toFixed(2), options.businessDate, '']);
      }
    }
  }
  await Promise.all(Object.values(files).map((f) => f.close()));
  return {
    dir: options.outDir,
    encounters: options.encounters,
    encounterRows: files.encounters.rows,
    patients: files.patients.rows,
    notes: files.notes.rows,
    diagnoses: files.diagnoses.rows,
    charges: files.charges.rows,
    defects: Object.fromEntries(Object.entries(defects).filter(([, n]) => n > 0)),
    bytes: Object.values(files).reduce((sum, f) => sum + f.bytes, 0),
  };
}
