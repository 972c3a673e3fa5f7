import { z } from 'zod';
import { ADMISSION_SOURCES, ADMISSION_TYPES, CLAIM_FILING_INDICATORS, DISCHARGE_STATUSES } from './nubc-codes.js';

/**
 * The column mapping of a CSV export: for each file role, the file-name pattern and the
 * column that holds each canonical field, the value tables that turn the export's words
 * into canonical values, and repeated column groups for wide layouts (one row carrying
 * PRIN_DX, DX1…DX24, PX1, PX1_DT…). Every field is described here once; the README's
 * field table is generated from these descriptions (`mappingFieldsMarkdown`).
 */
export const ROLE_FIELDS = {
  encounters: {
    encounterId: 'visit / account number: the encounter key with the pipeline\'s source system (required)',
    patientId: 'patient id (MRN) joining the patients file (required)',
    kind: 'professional or institutional (through `values.kind`); else the pipeline\'s defaultKind',
    serviceDate: 'date of service (professional; outpatient)',
    admissionDate: 'admission date (837I DTP*435, statement from)',
    dischargeDate: 'discharge date (statement through)',
    placeOfService: '837P CLM05-1 place of service (CMS POS code)',
    telehealth: 'a visit by telehealth: video, audio-only or in person (through `values.telehealth`); place of service and modifiers follow config `telehealth`',
    facilityType: '837I type of bill (`111`, `0111`, `131`): CLM05-1 is its first two digits after a leading zero',
    admissionType: '837I CL101 priority of admission, NUBC code or a word through `values.admissionType`',
    admissionSource: '837I CL102 point of origin, NUBC code or a word through `values.admissionSource`',
    dischargeStatus: '837I CL103 patient discharge status, NUBC code or a word through `values.dischargeStatus`',
    billingNpi: 'billing provider NPI (2010AA)',
    renderingNpi: 'rendering provider NPI (837P 2310B)',
    attendingNpi: 'attending provider NPI (837I 2310A)',
    payerId: 'payer id (2010BB NM109; the receiver of the claim file unless `x12.receivers` says otherwise)',
    payerName: 'payer name (2010BB NM103)',
    memberId: 'subscriber member id (2010BA NM109)',
    relationship: 'patient\'s relationship to the subscriber (X12 code list 1069; 18 self)',
    financialClass: 'claim filing indicator (SBR09), X12 code or a word through `values.claimFilingIndicator`',
    firstName: 'patient first name', lastName: 'patient last name', birthDate: 'patient birth date', sex: 'patient sex (through `values.sex`)',
    addressLine1: 'patient address line', city: 'patient city', state: 'patient state', zip: 'patient ZIP code',
    noteText: 'a clinical note inline in the encounter row',
    diagnosisCodes: 'ICD-10-CM codes inline, separated by `listSeparator`',
    procedureCodes: 'procedure codes inline (reported: lines need a charges file)',
    totalCharge: 'the claim total the source computed (balanced against the lines)',
    status: 'encounter status (through `values.encounterStatus`: withdrawn or not)',
  },
  patients: {
    patientId: 'patient id (required)',
    firstName: 'first name', lastName: 'last name', birthDate: 'birth date', sex: 'sex (through `values.sex`)',
    addressLine1: 'address line', city: 'city', state: 'state', zip: 'ZIP code',
    payerId: 'payer id', payerName: 'payer name', memberId: 'member id', relationship: 'relationship to the subscriber',
    financialClass: 'claim filing indicator (as on encounters)',
  },
  notes: {
    encounterId: 'encounter id (required)', noteId: 'note id', noteType: 'note type (discharge summary, progress note …)', text: 'note text (required)',
  },
  diagnoses: {
    encounterId: 'encounter id (required)', code: 'diagnosis code (required; dots optional)', codeSystem: 'code system (through `values.codeSystem`; default ICD-10-CM)',
    sequence: 'order on the claim (1 = principal / first-listed)', description: 'description as exported', poa: 'present-on-admission indicator (Y, N, U, W; 1 or blank exempt)',
    status: 'problem status (through `values.diagnosisStatus`)',
    type: 'admitting, reason for visit, principal or other (through `values.diagnosisType`; 837I HI ABJ, APR)',
  },
  procedures: {
    encounterId: 'encounter id (required)', code: 'procedure code (required): ICD-10-PCS on inpatient claims (837I HI BBR/BBQ)',
    codeSystem: 'code system (default ICD-10-PCS)', sequence: 'order (1 = principal procedure)', date: 'procedure date (837I HI BBR/BBQ date)',
    description: 'description as exported',
  },
  charges: {
    encounterId: 'encounter id (required)', line: 'line number', code: 'CPT/HCPCS code', codeSystem: 'code system (default CPT, HCPCS for a letter)',
    modifiers: 'modifiers, separated by `listSeparator`', units: 'units (default 1)', charge: 'line charge', serviceDate: 'line date of service',
    revenueCode: 'revenue code (837I SV201)',
    diagnosisPointers: 'the diagnoses the line is for, separated by `listSeparator`: positions in the exported diagnosis order (1–12) or codes',
  },
  observations: {
    encounterId: 'encounter id (required)', code: 'LOINC / SNOMED CT / RxNorm code (required)', codeSystem: 'code system', description: 'description',
    value: 'result value', unit: 'unit', status: 'status as exported',
  },
} as const;

export type FileRole = keyof typeof ROLE_FIELDS;
export const FILE_ROLES = Object.keys(ROLE_FIELDS) as FileRole[];
/** Roles whose rows join an encounter (everything but the encounter and patient files). */
export const CHILD_ROLES = ['notes', 'diagnoses', 'procedures', 'charges', 'observations'] as const;
export type ChildRole = (typeof CHILD_ROLES)[number];

const fieldsOf = <R extends FileRole>(role: R) => Object.keys(ROLE_FIELDS[role]) as (keyof (typeof ROLE_FIELDS)[R] & string)[];
export const ENCOUNTER_FIELDS = fieldsOf('encounters');
export const PATIENT_FIELDS = fieldsOf('patients');
export const NOTE_FIELDS = fieldsOf('notes');
export const DIAGNOSIS_FIELDS = fieldsOf('diagnoses');
export const PROCEDURE_FIELDS = fieldsOf('procedures');
export const CHARGE_FIELDS = fieldsOf('charges');
export const OBSERVATION_FIELDS = fieldsOf('observations');

/** Fields without which a row of that role cannot be joined or read. */
export const REQUIRED_FIELDS = {
  encounters: ['encounterId', 'patientId'],
  patients: ['patientId'],
  notes: ['encounterId', 'text'],
  diagnoses: ['encounterId', 'code'],
  procedures: ['encounterId', 'code'],
  charges: ['encounterId'],
  observations: ['encounterId', 'code'],
} as const satisfies Record<FileRole, readonly string[]>;

/**
 * Status of an exported encounter: withdrawn when the source cancelled it or entered it in
 * error (FHIR Encounter.status cancelled / entered-in-error). A withdrawn encounter is not
 * billed; one already billed is held for a person to void (issue INGEST_ENCOUNTER_WITHDRAWN).
 */
export const ENCOUNTER_STATUSES = ['active', 'withdrawn'] as const;
/**
 * Status of an exported diagnosis (problem-list status, C-CDA negationInd, FHIR
 * clinicalStatus / verificationStatus): refuted, negated and entered-in-error entries are
 * not coded, resolved ones are history, uncertain ones follow the uncertain-diagnosis rules.
 */
export const DIAGNOSIS_STATUSES = ['active', 'resolved', 'refuted', 'negated', 'entered-in-error', 'uncertain'] as const;
/** What an exported diagnosis is on the claim: the principal or another diagnosis, only the admitting one (837I ABJ), or a reason for the visit (APR). */
export const DIAGNOSIS_TYPES = ['principal', 'other', 'admitting', 'reason-for-visit'] as const;
/** How an encounter was held: by video (synchronous audio-video), audio-only, or in person (none). */
export const TELEHEALTH_MODES = ['video', 'audio', 'none'] as const;
export const CODE_SYSTEMS = ['ICD-10-CM', 'ICD-10-PCS', 'ICD-9-CM', 'CPT', 'HCPCS', 'SNOMED-CT', 'LOINC', 'RXNORM', 'OTHER'] as const;

const nubc = <T extends Record<string, string>>(codes: T) => z.string().refine((v) => Object.prototype.hasOwnProperty.call(codes, v), {
  message: `one of the NUBC codes ${Object.keys(codes).join(', ')}`,
});

/** Default value tables: common words; the codes themselves always pass through. */
export const DEFAULT_VALUES = {
  kind: { professional: 'professional', institutional: 'institutional', P: 'professional', I: 'institutional' },
  sex: { M: 'M', F: 'F', U: 'U', male: 'M', female: 'F', unknown: 'U' },
  codeSystem: {
    'ICD-10-CM': 'ICD-10-CM', ICD10CM: 'ICD-10-CM', 'ICD-10-PCS': 'ICD-10-PCS', ICD10PCS: 'ICD-10-PCS',
    CPT: 'CPT', HCPCS: 'HCPCS', SNOMED: 'SNOMED-CT', 'SNOMED-CT': 'SNOMED-CT', LOINC: 'LOINC', RXNORM: 'RXNORM',
    'ICD-9-CM': 'ICD-9-CM', ICD9CM: 'ICD-9-CM', ICD9: 'ICD-9-CM', 'ICD-9': 'ICD-9-CM',
    // A local or unlisted system: coded from its name, never billed as exported.
    OTHER: 'OTHER',
  },
  diagnosisStatus: {
    active: 'active', confirmed: 'active', A: 'active', recurrence: 'active', relapse: 'active',
    resolved: 'resolved', inactive: 'resolved', remission: 'resolved', R: 'resolved',
    refuted: 'refuted', 'ruled out': 'refuted', negated: 'negated', 'entered-in-error': 'entered-in-error',
    unconfirmed: 'uncertain', provisional: 'uncertain', differential: 'uncertain',
  },
  encounterStatus: {
    active: 'active', A: 'active', final: 'active', finished: 'active', completed: 'active', 'in-progress': 'active',
    arrived: 'active', triaged: 'active', onleave: 'active', planned: 'active', unknown: 'active',
    cancelled: 'withdrawn', canceled: 'withdrawn', C: 'withdrawn', 'entered-in-error': 'withdrawn', void: 'withdrawn',
    voided: 'withdrawn', deleted: 'withdrawn', withdrawn: 'withdrawn',
  },
  diagnosisType: {
    principal: 'principal', primary: 'principal', P: 'principal', secondary: 'other', other: 'other', S: 'other',
    admitting: 'admitting', A: 'admitting', 'reason for visit': 'reason-for-visit', RFV: 'reason-for-visit',
  },
  telehealth: {
    video: 'video', telehealth: 'video', virtual: 'video', 'audio-video': 'video', 'audio and video': 'video', Y: 'video', yes: 'video', true: 'video', V: 'video',
    audio: 'audio', 'audio-only': 'audio', 'audio only': 'audio', telephone: 'audio', phone: 'audio', A: 'audio',
    none: 'none', N: 'none', no: 'none', false: 'none', 'in person': 'none', 'in-person': 'none', office: 'none',
  },
  admissionType: { emergency: '1', urgent: '2', elective: '3', newborn: '4', trauma: '5', unknown: '9' },
  admissionSource: {
    'non-health care facility': '1', home: '1', clinic: '2', 'physician referral': '2', 'transfer from a hospital': '4',
    'transfer from a snf': '5', 'transfer from another facility': '6', 'court/law enforcement': '8', unknown: '9',
  },
  dischargeStatus: {
    home: '01', 'home or self care': '01', 'short-term hospital': '02', 'acute hospital': '02', snf: '03', 'skilled nursing facility': '03',
    'home health': '06', 'home health care': '06', 'against medical advice': '07', ama: '07', expired: '20', died: '20', deceased: '20',
    'still patient': '30', 'hospice - home': '50', 'hospice - medical facility': '51', 'inpatient rehabilitation facility': '62', rehab: '62',
    'long term care hospital': '63', ltch: '63', 'psychiatric hospital': '65',
  },
  claimFilingIndicator: {
    commercial: 'CI', medicare: 'medicare', 'medicare part a': 'MA', 'medicare part b': 'MB', medicaid: 'MC', 'blue cross': 'BL', hmo: 'HM',
    tricare: 'CH', champus: 'CH', va: 'VA', 'workers comp': 'WC', "workers' compensation": 'WC',
  },
} as const;

/** A fixed value for a field the columns do not give, or a column per repetition (`DX{n}`). */
const groupSchema = z.object({
  /** The role the group's values join as. */
  role: z.enum(CHILD_ROLES),
  /** Canonical field → column header; `{n}` stands for the repetition number. */
  columns: z.record(z.string(), z.string().min(1)),
  /** Repetitions `{n}` from..to (both included); absent: the group occurs once. */
  repeat: z.object({ from: z.number().int().min(0), to: z.number().int().min(0) }).strict().optional(),
  /** Constant values of fields for every row of the group (`{"type": "admitting"}`, `{"codeSystem": "ICD-10-PCS"}`). */
  values: z.record(z.string(), z.string()).default({}),
}).strict().superRefine((g, ctx) => {
  const fields = Object.keys(ROLE_FIELDS[g.role]);
  for (const f of [...Object.keys(g.columns), ...Object.keys(g.values)]) {
    if (f === 'encounterId') ctx.addIssue({ code: 'custom', path: ['columns', f], message: 'a group joins the encounter of its row: it takes no encounterId column' });
    else if (!fields.includes(f)) ctx.addIssue({ code: 'custom', path: ['columns', f], message: `not a ${g.role} field (${fields.join(', ')})` });
  }
  if (g.repeat && g.repeat.to < g.repeat.from) ctx.addIssue({ code: 'custom', path: ['repeat'], message: 'to is before from' });
  if (g.repeat && !Object.values(g.columns).some((c) => c.includes('{n}'))) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'a repeated group needs {n} in its column names' });
  const required = REQUIRED_FIELDS[g.role].filter((f) => f !== 'encounterId');
  for (const f of required) if (!(f in g.columns)) ctx.addIssue({ code: 'custom', path: ['columns', f], message: `a ${g.role} group needs a column for ${f}` });
});
export type ColumnGroup = z.infer<typeof groupSchema>;

function columnsOf(fields: readonly string[]) {
  const shape = Object.fromEntries(fields.map((f) => [f, z.string().min(1).optional()])) as Record<string, z.ZodOptional<z.ZodString>>;
  return z.object(shape).strict();
}

const fileSpec = (role: FileRole) =>
  z.object({
    /** Glob-like file name pattern inside the export folder (`*` and `?`). */
    pattern: z.string().min(1),
    /** Canonical field → column header in the file. */
    columns: columnsOf(Object.keys(ROLE_FIELDS[role])),
    /** A role may be absent from an export (e.g. no charges file) unless required. */
    required: z.boolean().default(true),
    /** Wide layouts: groups of columns in each row that are rows of another role (diagnoses DX1…DX24). */
    groups: z.array(groupSchema).default([]),
  }).strict();

const table = <T extends z.ZodType>(value: T, defaults: Record<string, z.infer<T>>) => z.record(z.string(), value).default(defaults);

const valuesSchema = z.object({
  kind: table(z.enum(['professional', 'institutional']), DEFAULT_VALUES.kind),
  sex: table(z.enum(['M', 'F', 'U']), DEFAULT_VALUES.sex),
  codeSystem: table(z.enum(CODE_SYSTEMS), DEFAULT_VALUES.codeSystem),
  diagnosisStatus: table(z.enum(DIAGNOSIS_STATUSES), DEFAULT_VALUES.diagnosisStatus),
  encounterStatus: table(z.enum(ENCOUNTER_STATUSES), DEFAULT_VALUES.encounterStatus),
  telehealth: table(z.enum(TELEHEALTH_MODES), DEFAULT_VALUES.telehealth),
  diagnosisType: table(z.enum(DIAGNOSIS_TYPES), DEFAULT_VALUES.diagnosisType),
  admissionType: table(nubc(ADMISSION_TYPES), DEFAULT_VALUES.admissionType),
  admissionSource: table(nubc(ADMISSION_SOURCES), DEFAULT_VALUES.admissionSource),
  dischargeStatus: table(nubc(DISCHARGE_STATUSES), DEFAULT_VALUES.dischargeStatus),
  claimFilingIndicator: table(z.enum(CLAIM_FILING_INDICATORS), DEFAULT_VALUES.claimFilingIndicator),
}).strict();

/** Fields that hold free text: the only ones a quoted value may continue over several lines in, and whose control characters are removed. */
export const TEXT_FIELDS = new Set(['noteText', 'text']);
/** Fields of prose a line long (descriptions, result values). */
export const DESCRIPTION_FIELDS = new Set(['description', 'value', 'payerName']);

/**
 * What one field of an export may hold, checked at staging (a CSV row or a document with a
 * field over its limit is quarantined, INGEST_FIELD_TOO_LONG).
 */
export const limitsSchema = z.object({
  /** Characters of a note (text, noteText). */
  noteChars: z.number().int().min(1000).default(1_000_000),
  /** Lines a quoted note may span. */
  noteLines: z.number().int().min(1).default(20_000),
  /** Characters of a description or result value. */
  descriptionChars: z.number().int().min(16).default(2000),
  /** Characters of any other field (identifiers, codes, names, dates, amounts). */
  fieldChars: z.number().int().min(16).default(256),
}).strict();
export type FieldLimits = z.infer<typeof limitsSchema>;

/** The limit of one canonical field: notes, descriptions, or anything else. */
export function fieldLimit(limits: FieldLimits, field: string): number {
  return TEXT_FIELDS.has(field) ? limits.noteChars : DESCRIPTION_FIELDS.has(field) ? limits.descriptionChars : limits.fieldChars;
}

export const mappingSchema = z.object({
  /** Encoding of the files; a UTF-16 byte-order mark is honoured whatever this says. */
  encoding: z.enum(['utf-8', 'latin1', 'windows-1252', 'utf-16le', 'utf-16be']).default('utf-8'),
  delimiter: z.string().length(1).default(','),
  dateFormat: z.enum(['YYYY-MM-DD', 'MM/DD/YYYY', 'YYYYMMDD']).default('YYYY-MM-DD'),
  /** Separator inside list cells (modifiers, inline diagnosis codes, pointers). */
  listSeparator: z.string().min(1).default('|'),
  files: z.object({
    encounters: fileSpec('encounters'),
    patients: fileSpec('patients').optional(),
    notes: fileSpec('notes').optional(),
    diagnoses: fileSpec('diagnoses').optional(),
    procedures: fileSpec('procedures').optional(),
    charges: fileSpec('charges').optional(),
    /** Coded results, vital signs and medications (LOINC, SNOMED CT, RxNorm) kept as structured data. */
    observations: fileSpec('observations').optional(),
  }).strict(),
  /** Export values → canonical values, for coded columns. A table given replaces its default. */
  values: valuesSchema.default(valuesSchema.parse({})),
  limits: limitsSchema.default(limitsSchema.parse({})),
}).strict();
export type Mapping = z.infer<typeof mappingSchema>;

const identity = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, f]));

/**
 * The mapping of rows that document readers (C-CDA …) stage: canonical field names, ISO
 * dates, canonical values. A pipeline's own mapping adds value tables for its CSV files only.
 */
export const CANONICAL_MAPPING: Mapping = mappingSchema.parse({
  files: {
    encounters: { pattern: '(documents)', columns: identity(ENCOUNTER_FIELDS) },
    notes: { pattern: '(documents)', columns: identity(NOTE_FIELDS), required: false },
    diagnoses: { pattern: '(documents)', columns: identity(DIAGNOSIS_FIELDS), required: false },
    procedures: { pattern: '(documents)', columns: identity(PROCEDURE_FIELDS), required: false },
    charges: { pattern: '(documents)', columns: identity(CHARGE_FIELDS), required: false },
    observations: { pattern: '(documents)', columns: identity(OBSERVATION_FIELDS), required: false },
  },
});

/** The field table of the README (a test keeps the README in sync). */
export function mappingFieldsMarkdown(): string {
  const rows: string[] = [];
  for (const role of FILE_ROLES) {
    for (const [field, doc] of Object.entries(ROLE_FIELDS[role])) rows.push(`| \`${role}\` | \`${field}\` | ${doc} |`);
  }
  const values = Object.entries(DEFAULT_VALUES).map(([k]) => `\`${k}\``).join(', ');
  return `| role | field | meaning |\n|---|---|---|\n${rows.join('\n')}\n\nValue tables (\`values.*\`): ${values}. A table given in a mapping replaces that table's defaults; for \`admissionType\`, \`admissionSource\`, \`dischargeStatus\` and \`claimFilingIndicator\` the codes themselves always pass through.\n`;
}
