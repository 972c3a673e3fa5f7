import { telehealthConfig } from '../config/load.js';
import type { TelehealthConfig } from '../code/telehealth.js';
import { EditTables } from '../codesets/edit-tables.js';
import { MedicareCodeEditor } from '../codesets/medicare-code-editor.js';
import { ReferenceLibrary } from '../codesets/reference-library.js';
import type { CodeSystem, CodedEncounter, Encounter, Issue, Sex } from '../contract/types.js';
import type { ClaimRecord } from '../emit/claims/claim-record.js';
import type { Config } from '../config/schema.js';
import type { Db } from '../store/database.js';
import type { EditId } from '../validate/catalog.js';
import type { CoveragePolicy } from '../validate/edits/procedure-edits.js';
import type { ClaimEditContext } from '../validate/edits/claim-data.js';
import { validateClaim, type SeverityOverride } from '../validate/validate-claim.js';
import { claimDate } from './answer-checks.js';

/** What the coding edits read from config (the same keys a run uses). */
export interface RecodeEditOptions {
  coverage: readonly CoveragePolicy[];
  addOnCodes?: Readonly<Record<string, readonly string[]>>;
  extraModifiers?: readonly string[];
  editSeverity?: Partial<Record<EditId, SeverityOverride>>;
  payerEditSeverity?: Readonly<Record<string, Partial<Record<EditId, SeverityOverride>>>>;
  /** For the claim-data edits an answer about the whole claim runs: the payers billed, ceilings, 837I discharge status default. */
  payerIds?: readonly string[];
  limits?: ClaimEditContext['limits'];
  patientStatusDefault?: string;
  telehealth?: TelehealthConfig;
}

/** The options from the site's config: coverage policies, add-on and modifier tables, severities. */
export function recodeEditOptions(config: Config, learned: readonly CoveragePolicy[] = []): RecodeEditOptions {
  return {
    coverage: [...config.coverage, ...learned], telehealth: telehealthConfig(config), addOnCodes: config.edits.addOnCodes, extraModifiers: config.edits.extraModifiers,
    editSeverity: config.editSeverity as RecodeEditOptions['editSeverity'],
    payerEditSeverity: Object.fromEntries(config.payers.filter((p) => p.editSeverity).map((p) => [p.id, p.editSeverity!])) as RecodeEditOptions['payerEditSeverity'],
    payerIds: config.payers.map((p) => p.id),
    limits: { maxLineCharge: config.edits.maxLineCharge, maxClaimTotal: config.edits.maxClaimTotal, maxUnits: config.edits.maxUnits },
    ...(config.x12.institutional.patientStatus ? { patientStatusDefault: config.x12.institutional.patientStatus } : {}),
  };
}

const FROM_RESOLUTION = { file: 'resolution' };

/** The coded claim a ClaimRecord stands for, enough for the coding edits (no notes, no evidence). */
function codedFromClaim(c: ClaimRecord): CodedEncounter {
  const p = c.patient;
  const encounter: Encounter = {
    key: { source: c.source, encounterId: c.encounterId }, contentHash: c.contentHash, source: FROM_RESOLUTION,
    kind: c.claimType === '837I' ? 'institutional' : 'professional',
    patient: {
      id: p.id, ...(p.firstName ? { firstName: p.firstName } : {}), ...(p.lastName ? { lastName: p.lastName } : {}), ...(p.birthDate ? { birthDate: p.birthDate } : {}),
      ...(p.sex ? { sex: p.sex as Sex } : {}), ...(p.address ? { address: p.address } : {}),
    } as Encounter['patient'],
    coverage: c.coverage as Encounter['coverage'], providers: c.providers,
    ...(c.serviceDate ? { serviceDate: c.serviceDate } : {}), ...(c.admissionDate ? { admissionDate: c.admissionDate } : {}), ...(c.dischargeDate ? { dischargeDate: c.dischargeDate } : {}),
    ...(c.placeOfService ? { placeOfService: c.placeOfService } : {}), ...(c.facilityType ? { facilityType: c.facilityType } : {}),
    ...(c.institutional ? { institutional: c.institutional as Encounter['institutional'] } : {}), ...(c.claimFilingIndicator ? { claimFilingIndicator: c.claimFilingIndicator } : {}),
    ...(c.telehealth ? { telehealth: c.telehealth } : {}),
    notes: [], diagnoses: [], charges: [], issues: [],
  };
  return {
    encounter, findings: [], notCoded: [], confidence: 1, issues: [],
    diagnoses: c.diagnoses.map((d) => ({ code: d.code, system: 'ICD-10-CM', sequence: d.sequence, ...(d.poa ? { poa: d.poa } : {}), confidence: d.confidence, rulePath: d.rulePath, evidence: [] })),
    procedures: c.lines.map((l) => ({
      line: l.line, ...(l.code ? { code: l.code } : {}), system: l.system as CodeSystem, modifiers: l.modifiers, units: l.units, charge: l.charge,
      ...(l.serviceDate ? { serviceDate: l.serviceDate } : {}), ...(l.revenueCode ? { revenueCode: l.revenueCode } : {}),
      source: FROM_RESOLUTION, diagnosisPointers: l.diagnosisPointers, confidence: 1, rulePath: 'coder recode',
    })),
    pcsProcedures: (c.icd10pcs ?? []).map((x) => ({ code: x.code, sequence: x.sequence, confidence: x.confidence, rulePath: x.rulePath, evidence: [] })),
  };
}

/**
 * The coding edits on a claim as a coder recoded it, before it may be released: code
 * validity for the date of service, the diagnosis edits (Excludes1, manifestation and
 * external-cause sequencing, MCE age, sex and principal lists) and the procedure edits
 * (NCCI PTP and MUE, add-ons, modifiers, coverage), with the site's severity overrides.
 * The claim-data edits (NPI, member id, dates) run only when `claimData` is given (an answer
 * about the whole claim, which may set a field); a recode alone does not change them, and a
 * person may have released the claim over them.
 */
export function recodeFindings(db: Db, claim: ClaimRecord, options: RecodeEditOptions, claimData?: ClaimEditContext): Issue[] {
  const library = new ReferenceLibrary(db);
  const date = claimDate(claim);
  const icd10cm = date && !library.isStarterOnly('ICD-10-CM') ? library.codeSetFor('ICD-10-CM', date) : undefined;
  const coded = codedFromClaim(claim);
  const v = validateClaim(coded, { claimId: claim.claimId, frequency: '1' }, {
    ...(claimData ?? { codingEditsOnly: true, businessDate: date ?? '9999-12-31', payerIds: new Set<string>() }), autoReleaseConfidence: 0, codeSets: library,
    ...(icd10cm ? { diagnosis: { icd10cm, mce: new MedicareCodeEditor(icd10cm, db, date) } } : {}),
    procedure: {
      edits: new EditTables(db), coverage: options.coverage, ...(options.telehealth ? { telehealth: options.telehealth } : {}),
      ...(options.addOnCodes ? { addOns: options.addOnCodes } : {}), ...(options.extraModifiers ? { extraModifiers: options.extraModifiers } : {}),
    },
    ...(options.editSeverity ? { editSeverity: options.editSeverity } : {}),
    ...(options.payerEditSeverity ? { payerEditSeverity: options.payerEditSeverity } : {}),
  });
  return v.issues;
}
