import { ISSUE_CODES, type IssueCode } from '../contract/issue-codes.js';
import type { Severity, SuggestedAction } from '../contract/types.js';

export type EditId = Extract<IssueCode, `EDIT_${string}`>;

export interface EditEntry {
  family: 'code set' | 'diagnosis' | 'procedure' | 'claim data';
  /** What the edit checks, in one line. */
  checks: string;
  /** Where the rule, or the table it reads, comes from. */
  source: string;
  /** Bumped whenever the rule's logic changes, so a finding can be traced to the rule that made it. */
  version: number;
}

/**
 * Every edit, by its stable id. The type requires an entry for every EDIT_ issue code, so
 * an edit cannot ship without its catalog line; `nightcode edits list` prints this and
 * docs/EDITS.md is generated from it (a test keeps the file in sync).
 */
export const EDIT_CATALOG = {
  EDIT_CODE_FORMAT: { family: 'code set', checks: 'Every code is well formed for its system (ICD-10-CM, ICD-10-PCS, CPT, HCPCS) and every line of an 837P has a procedure code, of an 837I a revenue code', source: 'ICD-10-CM Guidelines I.A; HCPCS and CPT code formats; X12 837 SV1/SV2', version: 1 },
  EDIT_CODE_INVALID: { family: 'code set', checks: 'The code is in the code-set version in force on the date of service (deleted and not-yet-valid codes fail): diagnoses, ICD-10-PCS procedures on their own dates, CPT/HCPCS lines', source: 'imported ICD-10-CM / ICD-10-PCS / HCPCS / CPT versions', version: 2 },
  EDIT_CODE_NOT_BILLABLE: { family: 'code set', checks: 'The ICD-10-CM code is a billable leaf, not a header', source: 'ICD-10-CM tabular and order file (Guidelines I.B.2)', version: 1 },
  EDIT_SEVENTH_CHARACTER: { family: 'code set', checks: 'A code under a 7th-character definition has its 7th character, with placeholder X', source: 'ICD-10-CM tabular sevenChrDef (Guidelines I.A.4-5)', version: 1 },
  EDIT_CODE_UNVERIFIED: { family: 'code set', checks: 'With only the starter tables loaded, a code outside them cannot be verified', source: 'starter library', version: 1 },
  EDIT_CODE_SET_UNAVAILABLE: { family: 'code set', checks: 'A code set the claim uses (ICD-10-PCS, HCPCS, CPT) has a version for the date of service; otherwise its codes are unverified (an older HCPCS year is used and named)', source: 'imported code-set versions', version: 1 },
  EDIT_DUPLICATE_DIAGNOSIS: { family: 'diagnosis', checks: 'No diagnosis is listed twice', source: 'X12 837 HI segment', version: 1 },
  EDIT_EXCLUDES1: { family: 'diagnosis', checks: 'No two diagnoses an Excludes1 note (of the code, its category, section or chapter) keeps apart', source: 'ICD-10-CM tabular Excludes1 notes (Guidelines I.A.12.a)', version: 1 },
  EDIT_MANIFESTATION_FIRST: { family: 'diagnosis', checks: 'The first-listed or principal diagnosis is not a manifestation code ("in diseases classified elsewhere")', source: 'ICD-10-CM Guidelines I.A.13; MCE', version: 1 },
  EDIT_EXTERNAL_CAUSE_FIRST: { family: 'diagnosis', checks: 'The first-listed or principal diagnosis is not an external-cause code (V00-Y99)', source: 'ICD-10-CM Guidelines I.C.20; MCE', version: 1 },
  EDIT_UNACCEPTABLE_PRINCIPAL: { family: 'diagnosis', checks: 'On inpatient claims, the principal diagnosis is not on the MCE unacceptable-principal list', source: 'MCE lists (imported)', version: 1 },
  EDIT_AGE_CONFLICT: { family: 'diagnosis', checks: "A newborn, pediatric, maternity or adult diagnosis fits the patient's age on the date of service", source: 'MCE age lists (imported; maternity and newborn derived from the tabular)', version: 1 },
  EDIT_SEX_CONFLICT: { family: 'diagnosis', checks: "A diagnosis or an ICD-10-PCS procedure on the female or male list fits the patient's sex", source: 'MCE sex lists, diagnoses and procedures (imported; genital-organ sections and maternity derived from the tabular)', version: 2 },
  EDIT_POA_INVALID: { family: 'diagnosis', checks: 'On inpatient claims every diagnosis has a POA indicator Y, N, U or W, and only codes on the POA exempt list are blank (1)', source: 'ICD-10-CM Official Guidelines Appendix I; CMS POA exempt list (imported); X12 837I HI-09', version: 1 },
  EDIT_USE_ADDITIONAL_CODE: { family: 'diagnosis', checks: 'A "use additional code" note asking for the stage, type or site of the condition (E11.22 → N18.-, I11.0 → I50.-) has a code of its range on the claim', source: 'ICD-10-CM tabular useAdditionalCode notes (Guidelines I.A.13)', version: 1 },
  EDIT_UNSPECIFIED_LATERALITY: { family: 'diagnosis', checks: 'No unspecified-side code while the evidence names a side', source: 'ICD-10-CM Guidelines I.B.13', version: 1 },
  EDIT_NCCI_PTP: { family: 'procedure', checks: 'No NCCI procedure-to-procedure pair active on the date of service billed together (modifier indicator 0), or without an NCCI-associated modifier (indicator 1)', source: 'CMS NCCI PTP tables, practitioner (837P) and hospital (837I), quarterly (imported)', version: 1 },
  EDIT_MUE: { family: 'procedure', checks: 'Units per line (adjudication indicator 1) or per date of service (2, 3) within the Medically Unlikely Edit', source: 'CMS MUE tables (imported)', version: 1 },
  EDIT_ADDON_WITHOUT_PRIMARY: { family: 'procedure', checks: 'An add-on code has one of its primary procedures on the same date', source: 'team add-on table after CMS add-on code edits; config edits.addOnCodes', version: 1 },
  EDIT_MODIFIER_INVALID: { family: 'procedure', checks: 'Modifiers are known and used by their definition (no LT with RT, 50 with a side, 91 off a lab code, 26 with TC, repeats)', source: 'CPT Appendix A and HCPCS Level II modifiers (team table; config edits.extraModifiers)', version: 1 },
  EDIT_TELEHEALTH_CONFLICT: { family: 'procedure', checks: 'A telehealth place of service (02, 10) or modifier (95, 93, FQ, GT, GQ) only on a visit held by telehealth; a telehealth visit with the place of service its payer wants; audio-only modifiers only on audio-only visits, video ones only on video visits', source: 'CMS place of service code set (02, 10); CPT/HCPCS modifier definitions (95, 93, FQ, GT, GQ); config telehealth by payer', version: 1 },
  EDIT_TELEHEALTH_NOT_ELIGIBLE: { family: 'procedure', checks: 'Each service of a telehealth visit is on the payer\'s list of services payable by telehealth', source: 'config telehealth.codes (by payer), else the team list after the CMS List of Medicare Telehealth Services', version: 1 },
  EDIT_MEDICAL_NECESSITY: { family: 'procedure', checks: 'A procedure under a coverage policy points to a covered diagnosis', source: 'coverage policies in config (LCD/NCD style)', version: 1 },
  EDIT_UNITS_INVALID: { family: 'procedure', checks: 'Service units are a positive number, at most edits.maxUnits (999) on a line whether or not an MUE table is loaded', source: 'X12 837 SV104/SV205; config', version: 2 },
  EDIT_CHARGE_INVALID: { family: 'procedure', checks: 'Line charges are positive', source: 'X12 837 SV102/SV203', version: 1 },
  EDIT_CHARGE_OUT_OF_RANGE: { family: 'procedure', checks: 'No line charge above edits.maxLineCharge (999,999.99) and no claim total above edits.maxClaimTotal (9,999,999.99)', source: 'X12 837 CLM02, SV102/SV203 (R, decimal); config', version: 1 },
  EDIT_DX_POINTER_RANGE: { family: 'procedure', checks: "Diagnosis pointers fall within the claim's diagnoses", source: 'X12 837P SV107', version: 1 },
  EDIT_MEMBER_ID_MISSING: { family: 'claim data', checks: 'The subscriber member ID is present', source: 'X12 837 2010BA NM109', version: 1 },
  EDIT_PAYER_MISSING: { family: 'claim data', checks: 'The payer is present and one the site bills (config payers)', source: 'X12 837 2010BB; config', version: 1 },
  EDIT_BIRTH_DATE_MISSING: { family: 'claim data', checks: 'The patient birth date is present', source: 'X12 837 DMG02', version: 1 },
  EDIT_SEX_MISSING: { family: 'claim data', checks: 'The patient administrative sex is present and known', source: 'X12 837 DMG03', version: 1 },
  EDIT_PATIENT_ADDRESS_MISSING: { family: 'claim data', checks: 'The patient address has a street line, city, state and ZIP code', source: 'X12 837 2010BA N3/N4 (patient is the subscriber), 2010CA N3/N4 (a dependent): required', version: 1 },
  EDIT_NPI_MISSING: { family: 'claim data', checks: 'The billing NPI, and the rendering (837P) or attending (837I) NPI, are present', source: 'X12 837P 2010AA, 2310B; 837I 2010AA, 2310A', version: 2 },
  EDIT_NPI_INVALID: { family: 'claim data', checks: 'Every NPI on the claim (billing, rendering, attending) has 10 digits, starts with 1 or 2, and passes the Luhn check computed with the prefix 80840; the message names the role', source: 'CMS NPI standard (45 CFR 162.406)', version: 2 },
  EDIT_PLACE_OF_SERVICE_MISSING: { family: 'claim data', checks: 'Place of service (837P) or facility type (837I) is present', source: 'X12 837 CLM05', version: 1 },
  EDIT_SERVICE_DATE_MISSING: { family: 'claim data', checks: 'A date of service is present', source: 'X12 837 DTP', version: 1 },
  EDIT_SERVICE_DATE_FUTURE: { family: 'claim data', checks: 'No date of service or discharge after the business date', source: 'team', version: 1 },
  EDIT_SERVICE_BEFORE_BIRTH: { family: 'claim data', checks: 'No date of service before the patient was born', source: 'team', version: 1 },
  EDIT_ADMISSION_DATE_MISSING: { family: 'claim data', checks: 'Institutional claims have admission and discharge dates', source: 'X12 837I DTP*435, statement dates', version: 1 },
  EDIT_ADMISSION_AFTER_DISCHARGE: { family: 'claim data', checks: 'Admission is on or before discharge', source: 'team', version: 1 },
  EDIT_PATIENT_STATUS_MISSING: { family: 'claim data', checks: 'An inpatient claim carries the patient discharge status the export gives (never assumed "home")', source: 'X12 837I 2300 CL103; NUBC UB-04 FL17', version: 1 },
  EDIT_CLAIM_TOTAL: { family: 'claim data', checks: 'An exported claim total equals the sum of the line charges', source: 'X12 837 CLM02 = sum of SV102/SV203 (balancing, SNIP level 3)', version: 1 },
  EDIT_DUPLICATE_CLAIM: { family: 'claim data', checks: 'Not the same patient, date of service and services as a claim already billed under another encounter, in an earlier night or earlier in the same night', source: 'encounter ledger (claim fingerprints)', version: 2 },
} as const satisfies Record<EditId, EditEntry>;

export interface EditDefinition extends EditEntry {
  id: EditId;
  severity: Severity;
  action: SuggestedAction;
  text: string;
}

/** The catalog with each edit's default severity and suggested action, by family then id. */
export function listEdits(): EditDefinition[] {
  const order = ['code set', 'diagnosis', 'procedure', 'claim data'];
  return (Object.entries(EDIT_CATALOG) as [EditId, EditEntry][])
    .map(([id, e]) => ({ id, ...e, severity: ISSUE_CODES[id].severity, action: ISSUE_CODES[id].action, text: ISSUE_CODES[id].text }))
    .sort((a, b) => order.indexOf(a.family) - order.indexOf(b.family) || a.id.localeCompare(b.id));
}

/** docs/EDITS.md, generated: `nightcode edits list --markdown > docs/EDITS.md`. */
export function editsMarkdown(): string {
  const rows = listEdits().map((e) => `| \`${e.id}\` | ${e.family} | ${e.checks} | ${e.source} | ${e.severity} | ${e.action} | ${e.version} |`);
  return `# Edits

Generated from \`src/validate/catalog.ts\` by \`nightcode edits list --markdown\`; a test fails
when this file and the catalog differ. Do not edit by hand.

Every finding in \`exceptions.csv\` (held claims) and \`released-warnings.csv\` names its edit id (\`code\`), severity, message, the codes
involved, the evidence and its source location, the suggested action and the version of the
table that produced it (\`table_version\`). An error holds the claim; a warning travels with
the released claim (or waits with a held one). A payer's \`editSeverity\` in config overrides the default severity for that
payer's claims (\`error\`, \`warning\` or \`off\`); \`editSeverity\` at the top level applies to all.

| id | family | checks | source | default severity | suggested action | version |
|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
}
