import { CANONICAL_MAPPING, type Mapping } from '../config/schema.js';
import { ISSUE_CODES, type IssueCode } from '../contract/issue-codes.js';
import type {
  ChargeLine, ClaimKind, CodeSystem, Encounter, Issue, Note, SourceLocation, StructuredCode, StructuredObservation, StructuredProcedure,
} from '../contract/types.js';
import { CLAIM_DIAGNOSIS_SYSTEMS, CLAIM_PROCEDURE_SYSTEMS, codedEntryNotes, describeEntries, mapSnomedEntries, type CodedEntry } from './coded-entries.js';
import { encounterContentHash } from './content-hash.js';
import { ADMISSION_SOURCES, ADMISSION_TYPES, CLAIM_FILING_INDICATORS, DISCHARGE_STATUSES } from '../config/nubc-codes.js';
import { codeOrWord, lookup, normalizeCode, normalizeTypeOfBill, parseDate, parseNumber } from './export-values.js';
import type { StagedBundle, StagedRow } from './staging.js';
import type { ValueConflict } from './documents/value-conflicts.js';
import type { SnomedMapLookup } from '../codesets/snomed-map.js';

export type AssembleResult =
  | { ok: true; encounter: Encounter }
  | { ok: false; issues: Issue[] };

export type AssembleInput = StagedBundle;

export interface AssembleOptions {
  sourceSystem: string;
  defaultKind: ClaimKind;
  mapping: Mapping;
  /** The site's SNOMED CT to ICD-10-CM map in force, if one is imported. */
  snomedMap?: SnomedMapLookup;
  /** The pipeline's claimDefaults (billing NPI, place of service, type of bill) for what a record does not say. */
  claimDefaults?: { billingNpi?: string; placeOfService?: string; facilityType?: string };
}

function issue(code: IssueCode, message: string, source: SourceLocation, path?: string): Issue {
  const def = ISSUE_CODES[code];
  return { code, severity: def.severity, stage: 'ingest', message, source, action: def.action, ...(path ? { path } : {}) };
}

/** The patient's fields assembly reads, from the encounter row or else the patient row. */
const PATIENT_FIELDS = ['firstName', 'lastName', 'birthDate', 'sex', 'addressLine1', 'city', 'state', 'zip', 'payerId', 'payerName', 'memberId', 'relationship', 'financialClass'] as const;
type PatientField = (typeof PATIENT_FIELDS)[number];

/**
 * Builds the canonical encounter from its staged rows. Problems that make the record
 * unusable (no readable dates) quarantine it; problems in its notes, diagnoses or
 * charges keep it and are carried as issues, so it ends as an exception.
 */
export function assembleEncounter(input: AssembleInput, options: AssembleOptions): AssembleResult {
  const { staged } = input;
  const d = staged.data;
  // Rows a document reader staged are canonical (ISO dates, canonical values) whatever the
  // pipeline's CSV mapping says; `$path.<field>` names the element a value came from.
  const mapping = d.$canonical ? CANONICAL_MAPPING : options.mapping;
  const at = (field?: string): SourceLocation => {
    const path = field === undefined ? d.$path : d[`$path.${field}`] ?? (d.$path ? `${d.$path} (${field})` : field);
    return { file: staged.file, line: staged.line, ...(path ? { path } : {}) };
  };
  const fatal: Issue[] = [];
  const issues: Issue[] = [];

  const date = (value: string | undefined, field: string, row: StagedRow, into: Issue[]): string | undefined => {
    if (value === undefined) return undefined;
    const parsed = parseDate(value, mapping.dateFormat);
    if (!parsed) {
      into.push(issue('INGEST_INVALID_DATE', `${field} "${value}" is not a ${mapping.dateFormat} date`, { file: row.file, line: row.line, path: field }, field));
    }
    return parsed;
  };

  let kind: ClaimKind = options.defaultKind;
  if (d.kind !== undefined) {
    const k = lookup(mapping.values.kind, d.kind);
    if (k) kind = k;
    else fatal.push(issue('INGEST_INVALID_VALUE', `encounter type "${d.kind}" is not in the mapping's kind values`, at('kind'), 'kind'));
  }

  const serviceDate = date(d.serviceDate, 'serviceDate', staged, fatal);
  const admissionDate = date(d.admissionDate, 'admissionDate', staged, fatal);
  const dischargeDate = date(d.dischargeDate, 'dischargeDate', staged, fatal);

  // Patient and coverage: the patients file, with encounter-row values taking precedence.
  // The patient's fields, the encounter row's value first (it wins where both have one), then
  // the patient row's: only the fields read below, not a merged copy of both rows.
  const patientData = input.patient?.data;
  const p: Partial<Record<PatientField, string>> = {};
  for (const k of PATIENT_FIELDS) {
    const v = Object.hasOwn(d, k) ? d[k] : patientData?.[k];
    if (v !== undefined) p[k] = v;
  }
  if (mapping.files.patients && !input.patient) {
    issues.push(issue('INGEST_PATIENT_MISSING', `patient ${staged.patientId} is not in the patients file`, at('patientId'), 'patient.id'));
  }
  const patientRow = input.patient ?? staged;
  const birthDate = date(p.birthDate, 'birthDate', patientRow, issues);
  let sex: Encounter['patient']['sex'];
  if (p.sex !== undefined) {
    sex = lookup(mapping.values.sex, p.sex);
    if (!sex) issues.push(issue('INGEST_INVALID_VALUE', `sex "${p.sex}" is not in the mapping's sex values`, { file: patientRow.file, line: patientRow.line, path: 'sex' }, 'patient.sex'));
  }

  const codeSystem = (value: string | undefined, fallback: CodeSystem): CodeSystem | undefined =>
    value === undefined ? fallback : lookup(mapping.values.codeSystem, value);

  const notes: Note[] = [];
  const diagnoses: StructuredCode[] = [];
  const procedures: StructuredProcedure[] = [];
  const charges: ChargeLine[] = [];
  const observations: StructuredObservation[] = [];
  const foreign: CodedEntry[] = [];
  if (d.noteText) notes.push({ id: `${staged.encounterId}-inline`, type: 'note', text: d.noteText, source: at('noteText') });
  if (d.diagnosisCodes) {
    for (const code of d.diagnosisCodes.split(mapping.listSeparator).map((c) => c.trim()).filter(Boolean)) {
      diagnoses.push({ code: normalizeCode(code), system: 'ICD-10-CM', source: at('diagnosisCodes') });
    }
  }
  if (d.procedureCodes) {
    for (const code of d.procedureCodes.split(mapping.listSeparator).map((c) => c.trim()).filter(Boolean)) {
      issues.push(issue('CODE_NO_PROCEDURE', `inline procedure ${code} has no charge; export charges in a charges file`, at('procedureCodes'), 'procedureCodes'));
    }
  }

  let noteIndex = 0;
  for (const { role, row } of input.children) {
    const c = row.data;
    const src: SourceLocation = { file: row.file, line: row.line };
    if (c.$path) src.path = c.$path;
    if (role === 'notes') {
      noteIndex++;
      notes.push({ id: c.noteId ?? `${staged.encounterId}-n${noteIndex}`, type: c.noteType ?? 'note', text: c.text ?? '', source: src });
    } else if (role === 'diagnoses') {
      const system = codeSystem(c.codeSystem, 'ICD-10-CM');
      if (!system) {
        issues.push(issue('INGEST_INVALID_VALUE', `code system "${c.codeSystem}" is not in the mapping's codeSystem values`, { ...src, path: 'codeSystem' }));
        continue;
      }
      const status = c.status === undefined ? undefined : lookup(mapping.values.diagnosisStatus, c.status);
      if (c.status !== undefined && !status) {
        issues.push(issue('INGEST_INVALID_VALUE', `diagnosis status "${c.status}" is not in the mapping's diagnosisStatus values`, { ...src, path: 'status' }));
      }
      const type = c.type === undefined ? undefined : lookup(mapping.values.diagnosisType, c.type);
      if (c.type !== undefined && !type) {
        issues.push(issue('INGEST_INVALID_VALUE', `diagnosis type "${c.type}" is not in the mapping's diagnosisType values`, { ...src, path: 'type' }));
      }
      const sequence = c.sequence !== undefined && /^\d+$/.test(c.sequence) ? Number(c.sequence) : undefined;
      if (!CLAIM_DIAGNOSIS_SYSTEMS.has(system)) {
        foreign.push({ kind: system === 'ICD-10-PCS' ? 'procedure' : 'diagnosis', system, code: c.code!, ...(c.description ? { description: c.description } : {}), ...(status ? { status } : {}), source: src });
      }
      // Set part by part in the JSON's order, as the encounter is (no temporary object per optional part).
      const dx = { code: normalizeCode(c.code!), system } as StructuredCode;
      if (c.description) dx.description = c.description;
      if (c.poa) dx.poa = c.poa.toUpperCase();
      if (status && status !== 'active') dx.status = status;
      if (sequence !== undefined) dx.sequence = sequence;
      if (type && type !== 'other') dx.type = type;
      dx.source = src;
      diagnoses.push(dx);
    } else if (role === 'procedures') {
      const system = codeSystem(c.codeSystem, 'ICD-10-PCS');
      if (!system) {
        issues.push(issue('INGEST_INVALID_VALUE', `code system "${c.codeSystem}" is not in the mapping's codeSystem values`, { ...src, path: 'codeSystem' }));
        continue;
      }
      const when = date(c.date, 'procedures.date', row, issues);
      if (!CLAIM_PROCEDURE_SYSTEMS.has(system)) {
        foreign.push({ kind: 'procedure', system, code: c.code!, ...(c.description ? { description: c.description } : {}), source: src });
        continue;
      }
      const sequence = c.sequence !== undefined && /^\d+$/.test(c.sequence) ? Number(c.sequence) : undefined;
      procedures.push({
        code: normalizeCode(c.code!), system, ...(sequence !== undefined ? { sequence } : {}), ...(when ? { date: when } : {}),
        ...(c.description ? { description: c.description } : {}), source: src,
      });
    } else if (role === 'observations') {
      const system = codeSystem(c.codeSystem, 'OTHER') ?? 'OTHER';
      observations.push({
        code: c.code!, system, ...(c.description ? { description: c.description } : {}), ...(c.value ? { value: c.value } : {}),
        ...(c.unit ? { unit: c.unit } : {}), ...(c.status ? { status: c.status } : {}), source: src,
      });
    } else if (role === 'charges') {
      if (!c.code && !c.revenueCode) {
        issues.push(issue('INGEST_REQUIRED_FIELD_MISSING', 'charge row has neither a procedure code nor a revenue code', { ...src, path: 'code' }));
        continue;
      }
      const system = codeSystem(c.codeSystem, c.code === undefined ? 'OTHER' : /^[A-Z]/i.test(c.code) ? 'HCPCS' : 'CPT');
      const units = c.units === undefined ? 1 : parseNumber(c.units);
      const charge = c.charge === undefined ? undefined : parseNumber(c.charge);
      const serviceDateLine = date(c.serviceDate, 'charges.serviceDate', row, issues);
      if (!system) {
        issues.push(issue('INGEST_INVALID_VALUE', `code system "${c.codeSystem}" is not in the mapping's codeSystem values`, { ...src, path: 'codeSystem' }));
        continue;
      }
      if (c.code !== undefined && !CLAIM_PROCEDURE_SYSTEMS.has(system)) {
        // A line in SNOMED CT or a local code is not billed as such (its name is coded).
        foreign.push({ kind: 'procedure', system, code: c.code, ...(c.description ? { description: c.description } : {}), source: src });
        continue;
      }
      // A document's procedure carries no amount (C-CDA, HL7 PR1): coding prices it from the
      // chargemaster. A CSV export's charge line must give its amount.
      const unpriced = d.$canonical !== undefined && c.charge === undefined && c.code !== undefined;
      if (units === undefined || (charge === undefined && !unpriced)) {
        const what = units === undefined ? `units "${c.units}" is not a number` : c.charge === undefined ? 'the export gives no charge amount' : `charge "${c.charge}" is not a number`;
        issues.push(issue('INGEST_INVALID_NUMBER', `charge line ${c.code ?? c.revenueCode}: ${what}`, { ...src, path: units === undefined ? 'units' : 'charge' }));
        continue;
      }
      const line = c.line !== undefined && /^\d+$/.test(c.line) ? Number(c.line) : charges.length + 1;
      const chargeLine = { line } as ChargeLine;
      if (c.code) chargeLine.code = normalizeCode(c.code);
      chargeLine.system = system;
      chargeLine.units = units;
      chargeLine.charge = charge ?? 0;
      if (unpriced) chargeLine.unpriced = true;
      chargeLine.modifiers = (c.modifiers ?? '').split(mapping.listSeparator).map((m) => m.trim().toUpperCase()).filter(Boolean);
      if (serviceDateLine) chargeLine.serviceDate = serviceDateLine;
      if (c.revenueCode) chargeLine.revenueCode = c.revenueCode;
      if (c.diagnosisPointers) chargeLine.diagnosisRefs = c.diagnosisPointers.split(mapping.listSeparator).map((x) => x.trim().toUpperCase()).filter(Boolean);
      chargeLine.source = src;
      charges.push(chargeLine);
    }
  }
  // The site's SNOMED CT to ICD-10-CM map first; what it does not map is coded from its name.
  let unmapped = foreign;
  if (options.snomedMap && foreign.length > 0) {
    const ageYears = birthDate && serviceDate ? (Date.parse(serviceDate) - Date.parse(birthDate)) / (365.25 * 86_400_000) : undefined;
    const r = mapSnomedEntries(foreign, diagnoses, options.snomedMap, { ...(sex ? { sex } : {}), ...(ageYears !== undefined ? { ageYears } : {}) });
    unmapped = r.left;
    if (r.mapped.length > 0) issues.push(issue('INGEST_CODE_MAPPED', `${r.mapped.join('; ')} by the ${options.snomedMap.label}`, foreign[0]!.source));
  }
  if (unmapped.length > 0) {
    notes.push(...codedEntryNotes(staged.encounterId, unmapped));
    issues.push(issue('INGEST_CODE_SYSTEM_NOT_BILLABLE', describeEntries(unmapped), unmapped[0]!.source));
  }
  charges.sort((a, b) => a.line - b.line);
  // The exported order is the sequence when the export numbers its rows (stable otherwise).
  const bySequence = <T extends { sequence?: number }>(a: T, b: T) => (a.sequence ?? Infinity) - (b.sequence ?? Infinity);
  if (diagnoses.every((x) => x.sequence !== undefined)) diagnoses.sort(bySequence);
  if (procedures.every((x) => x.sequence !== undefined)) procedures.sort(bySequence);

  // 837I CL1 and SBR09: NUBC / X12 codes, or the export's words through the mapping's tables.
  const institutional: NonNullable<Encounter['institutional']> = {};
  const coded = (field: 'admissionType' | 'admissionSource' | 'dischargeStatus', codes: Record<string, string>) => {
    const value = d[field];
    if (value === undefined) return;
    const code = codeOrWord(codes, mapping.values[field], value);
    if (code) institutional[field] = code;
    else issues.push(issue('INGEST_INVALID_VALUE', `${field} "${value}" is neither a NUBC code nor in the mapping's ${field} values`, at(field), field));
  };
  coded('admissionType', ADMISSION_TYPES);
  coded('admissionSource', ADMISSION_SOURCES);
  coded('dischargeStatus', DISCHARGE_STATUSES);
  let claimFilingIndicator: string | undefined;
  if (p.financialClass !== undefined) {
    claimFilingIndicator = (CLAIM_FILING_INDICATORS as readonly string[]).includes(p.financialClass.toUpperCase()) ? p.financialClass.toUpperCase() : lookup(mapping.values.claimFilingIndicator, p.financialClass);
    if (!claimFilingIndicator) issues.push(issue('INGEST_INVALID_VALUE', `financial class "${p.financialClass}" is neither an X12 claim filing indicator nor in the mapping's claimFilingIndicator values`, at('financialClass'), 'financialClass'));
  }

  // Documents or messages of one encounter that disagree: the first C-CDA document stands,
  // the later HL7 message (an update) supersedes; either way a person sees it.
  if (d.$conflicts) {
    for (const c of JSON.parse(d.$conflicts) as ValueConflict[]) {
      const values = c.kept ? ` (kept ${c.kept}, not ${c.other})` : '';
      const rule = c.rule === 'last' ? 'the later message\'s value was kept (an update supersedes)' : 'the first document\'s value was kept';
      issues.push(issue('INGEST_VALUE_CONFLICT', `${c.field} differs between ${c.keptFrom} and ${c.otherFrom}${values}: ${rule}`, at(c.field), c.field));
    }
  }
  for (const r of input.rejectedChildren) {
    issues.push(issue('INGEST_CHILD_ROW_REJECTED', `${r.role} row at ${r.file} line ${r.line} was quarantined (${r.code}): the claim may be incomplete`, { file: r.file, line: r.line }));
  }

  if (!serviceDate && !admissionDate && !dischargeDate && fatal.length === 0) {
    fatal.push(issue('INGEST_REQUIRED_FIELD_MISSING', 'encounter has no service, admission or discharge date', at('serviceDate'), 'serviceDate'));
  }
  if (fatal.length > 0) return { ok: false, issues: fatal };
  // The site's defaults for what the record does not say (pipeline claimDefaults).
  const billingNpi = d.billingNpi || options.claimDefaults?.billingNpi;
  const placeOfService = d.placeOfService || (kind === 'professional' ? options.claimDefaults?.placeOfService : undefined);
  const placeOfServiceDefaulted = !d.placeOfService && placeOfService !== undefined;
  const facilityType = d.facilityType || (kind === 'institutional' ? options.claimDefaults?.facilityType : undefined);
  // The claim total as the source system computed it, when exported: validation balances it against the lines.
  const declaredTotal = d.totalCharge === undefined || d.totalCharge === '' ? undefined : parseNumber(d.totalCharge);
  if (d.totalCharge && declaredTotal === undefined) issues.push(issue('INGEST_INVALID_NUMBER', `total charge "${d.totalCharge}" is not a number`, at('totalCharge'), 'totalCharge'));

  // Withdrawn by the source (cancelled, entered in error): decided against the ledger later.
  let withdrawn: Encounter['withdrawn'];
  if (d.status !== undefined && d.status !== '') {
    const status = lookup(mapping.values.encounterStatus, d.status);
    if (!status) issues.push(issue('INGEST_INVALID_VALUE', `encounter status "${d.status}" is not in the mapping's encounterStatus values`, at('status'), 'status'));
    else if (status === 'withdrawn') withdrawn = { status: d.status, source: at('status') };
  }

  // A telehealth visit as the export says it (video, audio-only, or in person).
  let telehealth: Encounter['telehealth'];
  if (d.telehealth !== undefined && d.telehealth !== '') {
    const mode = lookup(mapping.values.telehealth, d.telehealth);
    if (!mode) issues.push(issue('INGEST_INVALID_VALUE', `telehealth "${d.telehealth}" is not in the mapping's telehealth values`, at('telehealth'), 'telehealth'));
    else telehealth = { mode, from: 'export', source: at('telehealth') };
  }

  // Built part by part in the order the encounter's JSON shows them (an optional part is set
  // only when present): spreading each optional part made a temporary object per part.
  const patient: Encounter['patient'] = { id: staged.patientId };
  if (p.firstName) patient.firstName = p.firstName;
  if (p.lastName) patient.lastName = p.lastName;
  if (birthDate) patient.birthDate = birthDate;
  if (sex) patient.sex = sex;
  if (p.addressLine1 || p.city || p.state || p.zip) {
    const address: NonNullable<Encounter['patient']['address']> = {};
    if (p.addressLine1) address.line1 = p.addressLine1;
    if (p.city) address.city = p.city;
    if (p.state) address.state = p.state;
    if (p.zip) address.zip = p.zip;
    patient.address = address;
  }
  const coverage = {} as Encounter['coverage'];
  if (p.payerId) coverage.payerId = p.payerId;
  if (p.payerName) coverage.payerName = p.payerName;
  if (p.memberId) coverage.memberId = p.memberId;
  coverage.relationship = p.relationship ?? '18';
  const providers: Encounter['providers'] = {};
  if (billingNpi) providers.billingNpi = billingNpi;
  if (d.renderingNpi) providers.renderingNpi = d.renderingNpi;
  if (d.attendingNpi) providers.attendingNpi = d.attendingNpi;
  const encounter = { key: { source: options.sourceSystem, encounterId: staged.encounterId }, kind, patient, coverage, providers } as Encounter;
  if (serviceDate) encounter.serviceDate = serviceDate;
  if (admissionDate) encounter.admissionDate = admissionDate;
  if (dischargeDate) encounter.dischargeDate = dischargeDate;
  if (placeOfService) encounter.placeOfService = placeOfService;
  if (placeOfServiceDefaulted) encounter.placeOfServiceDefaulted = true;
  if (telehealth) encounter.telehealth = telehealth;
  if (facilityType) encounter.facilityType = normalizeTypeOfBill(facilityType);
  if (declaredTotal !== undefined) encounter.declaredTotal = declaredTotal;
  if (Object.keys(institutional).length > 0) encounter.institutional = institutional;
  if (claimFilingIndicator) encounter.claimFilingIndicator = claimFilingIndicator;
  encounter.notes = notes;
  encounter.diagnoses = diagnoses;
  if (procedures.length > 0) encounter.procedures = procedures;
  encounter.charges = charges;
  if (observations.length > 0) encounter.observations = observations;
  if (withdrawn) encounter.withdrawn = withdrawn;
  // The hash reads the content fields only; then what is not content, after them.
  encounter.contentHash = encounterContentHash(encounter);
  encounter.source = at();
  encounter.issues = issues;
  return { ok: true, encounter };
}
