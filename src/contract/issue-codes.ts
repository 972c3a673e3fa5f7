import type { Severity, StageName, SuggestedAction } from './vocabulary.js';

export interface IssueDef {
  severity: Severity;
  stage: StageName;
  text: string;
  action: SuggestedAction;
}

/**
 * Every record-level problem has a stable code here. Never rename or reuse a code;
 * messages may change. Codes are prefixed by the stage that raises them.
 */
export const ISSUE_CODES = {
  // ingest: the row could not be read; the record is quarantined.
  INGEST_DOCUMENT_TOO_LARGE: { severity: 'error', stage: 'ingest', text: 'Document is over the configured size limit and was not read', action: 'correct-export' },
  INGEST_DOCUMENT_MALFORMED: { severity: 'error', stage: 'ingest', text: 'Document is not well-formed (XML, HL7 or JSON syntax)', action: 'correct-export' },
  INGEST_DOCUMENT_ENTITY: { severity: 'error', stage: 'ingest', text: 'Document declares XML entities (refused: entity expansion attacks)', action: 'correct-export' },
  INGEST_DOCUMENT_ENCODING: { severity: 'error', stage: 'ingest', text: 'Document bytes are not valid in its declared encoding', action: 'correct-export' },
  INGEST_DOCUMENT_NOT_RECOGNIZED: { severity: 'error', stage: 'ingest', text: 'File is not a document of the pipeline format', action: 'correct-export' },
  INGEST_ROW_UNPARSEABLE: { severity: 'error', stage: 'ingest', text: 'Row could not be parsed as CSV', action: 'correct-export' },
  INGEST_UNTERMINATED_QUOTE: { severity: 'error', stage: 'ingest', text: 'A quote opened in the row is not closed where the column allows: the row is set aside, the next line is read as the next row', action: 'correct-export' },
  INGEST_INVALID_ENCODING: { severity: 'error', stage: 'ingest', text: 'The row holds bytes that are not valid in the declared encoding', action: 'correct-export' },
  INGEST_FIELD_TOO_LONG: { severity: 'error', stage: 'ingest', text: "A field is longer than its limit (the mapping's, or the pipeline's documents.limits)", action: 'correct-export' },
  INGEST_CODE_MAPPED: { severity: 'warning', stage: 'ingest', text: 'SNOMED CT problems were coded through the site\'s SNOMED CT to ICD-10-CM map', action: 'review' },
  INGEST_CODE_SYSTEM_NOT_BILLABLE: { severity: 'warning', stage: 'ingest', text: 'Coded entries in a system a claim cannot carry (ICD-9-CM, SNOMED CT, a local code) were coded from their names, never billed as exported', action: 'review' },
  INGEST_VALUE_CONFLICT: { severity: 'warning', stage: 'ingest', text: 'Documents or messages of one encounter give a field different values: the first document\'s, or the later message\'s, value was kept', action: 'review' },
  INGEST_INVALID_CHARACTERS: { severity: 'error', stage: 'ingest', text: 'An identifier, code or name holds control characters', action: 'correct-export' },
  INGEST_REQUIRED_FIELD_MISSING: { severity: 'error', stage: 'ingest', text: 'A field the record cannot be identified without is empty', action: 'correct-export' },
  INGEST_INVALID_DATE: { severity: 'error', stage: 'ingest', text: 'A date is not a valid YYYY-MM-DD (or configured) date', action: 'correct-export' },
  INGEST_INVALID_NUMBER: { severity: 'error', stage: 'ingest', text: 'A number (units, charge) is not valid', action: 'correct-export' },
  INGEST_INVALID_VALUE: { severity: 'error', stage: 'ingest', text: 'A coded value is not one the mapping allows', action: 'correct-export' },
  INGEST_DUPLICATE_KEY: { severity: 'error', stage: 'ingest', text: 'The same encounter id appears twice in one export', action: 'correct-export' },
  INGEST_ORPHAN_ROW: { severity: 'error', stage: 'ingest', text: 'Row refers to an encounter or patient that is not in the export', action: 'correct-export' },
  // ingest: the record is readable but incomplete; it becomes an exception.
  INGEST_CHILD_ROW_REJECTED: { severity: 'error', stage: 'ingest', text: 'A note, diagnosis or charge row of this encounter was unreadable and quarantined', action: 'correct-export' },
  INGEST_ENCOUNTER_WITHDRAWN: { severity: 'error', stage: 'ingest', text: 'The source withdrew an encounter that was already billed: void the claim, or hold it while checking', action: 'review' },
  INGEST_PATIENT_MISSING: { severity: 'error', stage: 'ingest', text: 'The patient of this encounter is not in the export', action: 'correct-demographics' },

  // abstract
  ABSTRACT_NO_DOCUMENTATION: { severity: 'warning', stage: 'abstract', text: 'The encounter has no clinical note to abstract', action: 'review' },
  ABSTRACT_FAILED: { severity: 'error', stage: 'abstract', text: 'Abstraction failed on this record', action: 'review' },

  // code
  CODE_NO_DIAGNOSIS: { severity: 'error', stage: 'code', text: 'No diagnosis supports the claim', action: 'query-physician' },
  CODE_STRUCTURED_NOT_CODED: { severity: 'warning', stage: 'code', text: 'Exported diagnosis refuted, negated, resolved or uncertain; not coded', action: 'review' },
  CODE_TELEHEALTH_MODE: { severity: 'warning', stage: 'code', text: 'The export and the note disagree on how the visit was held (in person, video, audio-only): billed as the export says', action: 'review' },
  CODE_UNCERTAIN_NOT_CODED: { severity: 'warning', stage: 'code', text: 'Uncertain diagnosis documented; outpatient guidelines code the signs and symptoms instead', action: 'query-physician' },
  CODE_LOW_CONFIDENCE: { severity: 'error', stage: 'code', text: 'Code assigned with confidence below the release threshold', action: 'review' },
  CODE_NO_PROCEDURE: { severity: 'error', stage: 'code', text: 'No billable service line on the encounter', action: 'correct-export' },
  CODE_DIAGNOSIS_LIMIT: { severity: 'warning', stage: 'code', text: 'More diagnoses than the claim can carry; lowest-priority codes dropped', action: 'review' },
  CODE_COMBINATION_APPLIED: { severity: 'warning', stage: 'code', text: 'Exported codes replaced by the combination code that names both (Guidelines I.A.15, I.B.9)', action: 'review' },
  CODE_RESEQUENCED: { severity: 'warning', stage: 'code', text: 'Exported diagnoses put in another order by a sequencing convention (code first, use additional code)', action: 'review' },
  CODE_PROCEDURE_NOT_CHARGED: { severity: 'warning', stage: 'code', text: 'A CPT/HCPCS procedure exported without a charge line: not billed', action: 'correct-export' },
  CODE_CODESET_MISSING: { severity: 'error', stage: 'code', text: 'No ICD-10-CM version is loaded for the date of service: the claim cannot be coded or checked', action: 'review' },
  CODE_QUERY_LATERALITY: { severity: 'warning', stage: 'code', text: 'Side not documented for a code that has right/left forms; unspecified side coded, query the physician', action: 'query-physician' },
  CODE_QUERY_EPISODE: { severity: 'warning', stage: 'code', text: 'Episode of care not documented for a code that needs a 7th character; initial encounter assumed', action: 'query-physician' },
  CODE_QUERY_DIABETES_TYPE: { severity: 'warning', stage: 'code', text: 'Diabetes type not documented; type 2 coded by default (Guidelines I.C.4.a.2)', action: 'query-physician' },
  CODE_QUERY_SPECIFICITY: { severity: 'warning', stage: 'code', text: 'Documentation lacks detail the code set distinguishes (stage, type, acuity)', action: 'query-physician' },
  CODE_QUERY_ETIOLOGY: { severity: 'warning', stage: 'code', text: 'Manifestation code without its documented underlying condition (code first)', action: 'query-physician' },
  CODE_QUERY_POA: { severity: 'warning', stage: 'code', text: 'Present-on-admission status not documented; POA U reported', action: 'query-physician' },
  CODE_PROCEDURE_UNPRICED: { severity: 'error', stage: 'code', text: "A service line has no charge: a documented procedure, or a document's procedure without an amount, that the chargemaster does not price", action: 'review' },
  CODE_PCS_NOT_BUILT: { severity: 'warning', stage: 'code', text: 'An inpatient procedure is documented but no ICD-10-PCS code could be built from it', action: 'query-physician' },
  CODE_MODIFIER_REVIEW: { severity: 'warning', stage: 'code', text: 'A modifier the line may need is not supported by the documentation', action: 'review' },
  AUDIT_CODE_UNSUPPORTED: { severity: 'warning', stage: 'code', text: 'An exported code has no support in the notes', action: 'review' },
  AUDIT_CODE_CONTRADICTED: { severity: 'error', stage: 'code', text: 'An exported code is contradicted by the notes (documented as absent)', action: 'query-physician' },
  AUDIT_LESS_SPECIFIC: { severity: 'warning', stage: 'code', text: 'An exported code is less specific than the documentation supports; the specific code is billed', action: 'review' },
  AUDIT_CONDITION_UNCODED: { severity: 'warning', stage: 'code', text: 'A documented condition was not among the exported codes; it is added', action: 'review' },
  AUDIT_EM_LEVEL: { severity: 'warning', stage: 'code', text: 'Billed E/M level differs from the level the documented medical decision making supports', action: 'review' },

  // validate: claim data
  EDIT_MEMBER_ID_MISSING: { severity: 'error', stage: 'validate', text: 'Subscriber member ID is missing', action: 'correct-coverage' },
  EDIT_PAYER_MISSING: { severity: 'error', stage: 'validate', text: 'Payer is missing or not configured', action: 'correct-coverage' },
  EDIT_BIRTH_DATE_MISSING: { severity: 'error', stage: 'validate', text: 'Patient birth date is missing', action: 'correct-demographics' },
  EDIT_SEX_MISSING: { severity: 'error', stage: 'validate', text: 'Patient administrative sex is missing or unknown', action: 'correct-demographics' },
  EDIT_PATIENT_ADDRESS_MISSING: { severity: 'error', stage: 'validate', text: 'Patient address (street, city, state, ZIP) missing: the 837 requires it', action: 'correct-demographics' },
  EDIT_NPI_MISSING: { severity: 'error', stage: 'validate', text: 'Billing or rendering NPI is missing', action: 'correct-provider' },
  EDIT_NPI_INVALID: { severity: 'error', stage: 'validate', text: 'NPI fails the Luhn check (prefix 80840)', action: 'correct-provider' },
  EDIT_PLACE_OF_SERVICE_MISSING: { severity: 'error', stage: 'validate', text: 'Place of service (837P) or facility type (837I) is missing', action: 'correct-export' },
  EDIT_SERVICE_DATE_MISSING: { severity: 'error', stage: 'validate', text: 'Date of service is missing', action: 'correct-export' },
  EDIT_SERVICE_DATE_FUTURE: { severity: 'error', stage: 'validate', text: 'Date of service is after the business date', action: 'correct-export' },
  EDIT_SERVICE_BEFORE_BIRTH: { severity: 'error', stage: 'validate', text: 'Date of service is before the patient was born', action: 'correct-demographics' },
  EDIT_ADMISSION_AFTER_DISCHARGE: { severity: 'error', stage: 'validate', text: 'Admission date is after discharge date', action: 'correct-export' },
  EDIT_ADMISSION_DATE_MISSING: { severity: 'error', stage: 'validate', text: 'Institutional claim without admission or discharge date', action: 'correct-export' },
  EDIT_CHARGE_INVALID: { severity: 'error', stage: 'validate', text: 'Line charge is not positive', action: 'correct-export' },
  EDIT_CHARGE_OUT_OF_RANGE: { severity: 'error', stage: 'validate', text: 'A line charge or the claim total is above the configured maximum', action: 'correct-export' },
  EDIT_CODE_FORMAT: { severity: 'error', stage: 'validate', text: 'Code is not well formed for its code system', action: 'review' },
  EDIT_DX_POINTER_RANGE: { severity: 'error', stage: 'validate', text: 'Diagnosis pointer outside the claim diagnoses', action: 'review' },
  EDIT_DUPLICATE_DIAGNOSIS: { severity: 'warning', stage: 'validate', text: 'Same diagnosis listed twice', action: 'review' },
  EDIT_CODE_INVALID: { severity: 'error', stage: 'validate', text: 'Code is not in the code set in force on the date of service', action: 'review' },
  EDIT_CODE_NOT_BILLABLE: { severity: 'error', stage: 'validate', text: 'Header code: a more specific code is required', action: 'query-physician' },
  EDIT_SEVENTH_CHARACTER: { severity: 'error', stage: 'validate', text: 'Code requires a 7th character (with placeholder X where short)', action: 'query-physician' },
  EDIT_CODE_UNVERIFIED: { severity: 'warning', stage: 'validate', text: 'Code not in the starter library; import the official release to verify it', action: 'review' },
  EDIT_UNITS_INVALID: { severity: 'error', stage: 'validate', text: 'Service units must be a positive number no larger than the configured ceiling', action: 'correct-export' },
  EDIT_EXCLUDES1: { severity: 'error', stage: 'validate', text: 'Two diagnoses an Excludes1 note says are never coded together', action: 'review' },
  EDIT_MANIFESTATION_FIRST: { severity: 'error', stage: 'validate', text: 'Manifestation code first-listed or principal', action: 'review' },
  EDIT_EXTERNAL_CAUSE_FIRST: { severity: 'error', stage: 'validate', text: 'External-cause code first-listed or principal', action: 'review' },
  EDIT_UNACCEPTABLE_PRINCIPAL: { severity: 'error', stage: 'validate', text: 'Diagnosis unacceptable as principal diagnosis (MCE)', action: 'review' },
  EDIT_AGE_CONFLICT: { severity: 'error', stage: 'validate', text: "Diagnosis of an age group (newborn, pediatric, maternity, adult) the patient's age is outside", action: 'correct-demographics' },
  EDIT_SEX_CONFLICT: { severity: 'error', stage: 'validate', text: "Diagnosis for the other sex than the patient's", action: 'correct-demographics' },
  EDIT_USE_ADDITIONAL_CODE: { severity: 'warning', stage: 'validate', text: '"Use additional code" note not satisfied', action: 'query-physician' },
  EDIT_UNSPECIFIED_LATERALITY: { severity: 'warning', stage: 'validate', text: 'Unspecified-side code while the record documents a side', action: 'review' },
  EDIT_NCCI_PTP: { severity: 'error', stage: 'validate', text: 'NCCI procedure-to-procedure pair billed together without an allowed modifier', action: 'add-modifier' },
  EDIT_MUE: { severity: 'error', stage: 'validate', text: 'Units above the Medically Unlikely Edit for the line or the day', action: 'review' },
  EDIT_ADDON_WITHOUT_PRIMARY: { severity: 'error', stage: 'validate', text: 'Add-on code billed without its primary procedure', action: 'review' },
  EDIT_MODIFIER_INVALID: { severity: 'error', stage: 'validate', text: 'Modifier unknown or used against its definition', action: 'add-modifier' },
  EDIT_TELEHEALTH_CONFLICT: { severity: 'error', stage: 'validate', text: 'Telehealth place of service or modifier contradicts how the visit was held (in person, video or audio-only)', action: 'review' },
  EDIT_TELEHEALTH_NOT_ELIGIBLE: { severity: 'error', stage: 'validate', text: 'A service of a telehealth visit is not on the payer\'s list of services payable by telehealth', action: 'review' },
  EDIT_MEDICAL_NECESSITY: { severity: 'error', stage: 'validate', text: 'Procedure not covered for the diagnoses it points to (coverage policy)', action: 'query-physician' },
  EDIT_CLAIM_TOTAL: { severity: 'error', stage: 'validate', text: 'Claim total charge differs from the sum of its lines', action: 'correct-export' },
  EDIT_DUPLICATE_CLAIM: { severity: 'error', stage: 'validate', text: 'Same patient, date and services as a claim already billed', action: 'review' },
  EDIT_POA_INVALID: { severity: 'error', stage: 'validate', text: 'Inpatient diagnosis without a valid present-on-admission indicator (Y, N, U, W; blank only for exempt codes)', action: 'query-physician' },
  EDIT_PATIENT_STATUS_MISSING: { severity: 'error', stage: 'validate', text: 'Inpatient claim without the patient discharge status (837I CL103)', action: 'correct-export' },
  EDIT_CODE_SET_UNAVAILABLE: { severity: 'warning', stage: 'validate', text: 'No version of a code set covers the date of service: its codes were not verified', action: 'review' },
  // run: a record's processing threw; the record is held and the night goes on.
  RUN_RECORD_BUDGET_EXCEEDED: { severity: 'error', stage: 'run', text: 'The record is over its budget (notes over run.maxNoteChars, or slower than run.recordBudgetMs); it is held and the night went on', action: 'correct-export' },
  RUN_RECORD_FAILED: { severity: 'error', stage: 'run', text: 'Processing this record failed unexpectedly; it is held and the rest of the night went on', action: 'review' },
  // run: the chunk holding the record failed every attempt on the queue's workers (nightcode run --queue).
  RUN_CHUNK_FAILED: { severity: 'error', stage: 'run', text: 'The chunk holding this record failed every attempt on the queue\'s workers; it is held and the rest of the night went on', action: 'review' },
  // emit: the claim's file failed its self-check; the claim was not released.
  EMIT_X12_SELF_CHECK: { severity: 'error', stage: 'emit', text: 'The 837 file holding this claim failed its self-check and was not released', action: 'review' },
  EMIT_X12_NOT_CONFIGURED: { severity: 'error', stage: 'emit', text: 'Production 837 file refused: its sender, receiver or a provider is not configured (placeholders)', action: 'correct-provider' },
  // payer: answers to claims we sent (999, 277CA, 835); raised on the claim as it was sent.
  PAYER_CLAIM_REJECTED: { severity: 'error', stage: 'payer', text: 'The clearinghouse or payer rejected the claim before adjudication (999 or 277CA): correct it and send it again as a new claim', action: 'resubmit' },
  PAYER_CLAIM_DENIED: { severity: 'error', stage: 'payer', text: 'The payer denied the claim (835): correct and resubmit it as a replacement, appeal, or write it off', action: 'appeal' },
  PAYER_CLAIM_PARTIALLY_PAID: { severity: 'error', stage: 'payer', text: 'The payer paid part of the claim and denied the rest (835)', action: 'appeal' },
  PAYER_PAYMENT_REVERSED: { severity: 'error', stage: 'payer', text: 'The payer reversed a payment it had made (835 claim status 22)', action: 'review' },
} as const satisfies Record<string, IssueDef>;

export type IssueCode = keyof typeof ISSUE_CODES;
