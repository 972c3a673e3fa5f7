/**
 * The contract between stages. Every stage imports its record types from here and
 * never from another stage (DESIGN.md, "The contract between stages").
 */
import type { IssueCode } from './issue-codes.js';
import type { Severity, StageName, SuggestedAction } from './vocabulary.js';

export type { Severity, StageName, SuggestedAction } from './vocabulary.js';

/** Where a value came from in the export, so an exception points back to it. */
export interface SourceLocation {
  file: string;
  /** 1-based physical line where the CSV record starts. */
  line?: number;
  /** Column, XPath, HL7 segment/field or JSON path inside the record. */
  path?: string;
}

export interface Issue {
  code: IssueCode;
  severity: Severity;
  stage: StageName;
  message: string;
  /** Dotted path of the field concerned (e.g. `patient.birthDate`). */
  path?: string;
  /** Codes involved (ICD-10-CM, CPT …) when the issue is about codes. */
  codes?: string[];
  source?: SourceLocation;
  /** Short evidence snippet (may contain PHI: goes to output files, never to logs). */
  evidence?: string;
  /** What fixes it: query-physician | add-modifier | correct-demographics | correct-export | review. */
  action?: SuggestedAction;
  /** The reference table (and its version) the finding was checked against: "ICD-10-CM 2021". */
  tableVersion?: string;
}


export interface RecordKey {
  /** Source system (pipeline's `sourceSystem`), so ids from two EHRs never collide. */
  source: string;
  encounterId: string;
}

export type ClaimKind = 'professional' | 'institutional';
export type Sex = 'M' | 'F' | 'U';

export interface Patient {
  id: string;
  firstName?: string;
  lastName?: string;
  birthDate?: string; // YYYY-MM-DD
  sex?: Sex;
  address?: { line1?: string; city?: string; state?: string; zip?: string };
}

export interface Coverage {
  payerId?: string;
  payerName?: string;
  memberId?: string;
  /** Patient's relationship to subscriber: 18 self (X12 code list 1069). */
  relationship?: string;
  subscriber?: { firstName?: string; lastName?: string; birthDate?: string; sex?: Sex };
}

export interface Providers {
  billingNpi?: string;
  renderingNpi?: string;
  attendingNpi?: string;
}

export interface Note {
  id: string;
  type: string;
  text: string;
  source: SourceLocation;
}

export interface StructuredCode {
  code: string;
  system: CodeSystem;
  description?: string;
  /** Present-on-admission indicator as exported (inpatient). */
  poa?: string;
  /** Status as exported (problem-list status, negationInd, verificationStatus); absent = active. */
  status?: 'active' | 'resolved' | 'refuted' | 'negated' | 'entered-in-error' | 'uncertain';
  /** Position as exported (1 = principal or first-listed). */
  sequence?: number;
  /**
   * Only the admitting diagnosis (837I HI ABJ) or a patient's reason for visit (APR), not a
   * diagnosis of the claim's list; principal and other are diagnoses of the list.
   */
  type?: 'principal' | 'other' | 'admitting' | 'reason-for-visit';
  /** The exported code this one was mapped from ("SNOMED CT 38341003 → I10 by the … map, group 1: TRUE"). */
  mappedFrom?: string;
  source: SourceLocation;
}

/** A procedure as exported: ICD-10-PCS on an inpatient stay (837I HI BBR/BBQ, each with its date). */
export interface StructuredProcedure {
  code: string;
  system: CodeSystem;
  /** Position as exported (1 = principal procedure). */
  sequence?: number;
  date?: string;
  description?: string;
  source: SourceLocation;
}

export interface ChargeLine {
  line: number;
  /** CPT/HCPCS; absent on institutional revenue-code-only lines (room and board). */
  code?: string;
  system: CodeSystem;
  modifiers: string[];
  units: number;
  charge: number;
  serviceDate?: string;
  revenueCode?: string;
  /** The diagnoses the export says the line is for: positions in the exported diagnosis order, or codes. */
  diagnosisRefs?: string[];
  /** A document's procedure with no amount (C-CDA, HL7 PR1): coding prices it from the chargemaster. */
  unpriced?: true;
  source: SourceLocation;
}

export type CodeSystem = 'ICD-10-CM' | 'ICD-10-PCS' | 'ICD-9-CM' | 'CPT' | 'HCPCS' | 'SNOMED-CT' | 'LOINC' | 'RXNORM' | 'OTHER';

/** A coded result, vital sign or medication as exported (C-CDA entries, HL7 OBX, …). */
export interface StructuredObservation {
  code: string;
  system: CodeSystem;
  description?: string;
  value?: string;
  unit?: string;
  /** negated (negationInd), or the entry's status as exported. */
  status?: string;
  source: SourceLocation;
}

/** One canonical record per encounter, whatever the export format. */
export interface Encounter {
  key: RecordKey;
  /** SHA-256 of the canonical content (everything that would change the claim). */
  contentHash: string;
  source: SourceLocation;
  kind: ClaimKind;
  patient: Patient;
  coverage: Coverage;
  providers: Providers;
  serviceDate?: string;
  admissionDate?: string;
  dischargeDate?: string;
  /** 837P CLM05-1 place of service (CMS POS code set). */
  placeOfService?: string;
  /** The place of service is the pipeline's default (claimDefaults), not the export's: coding may set it (telehealth). */
  placeOfServiceDefaulted?: true;
  /**
   * A visit by telecommunication: video (synchronous audio-video) or audio-only, as the
   * export says (a mapped field, FHIR Encounter.class VR) or the note does ("video visit",
   * "telephone visit", "audio-only"); none: the export says in person. `where`: the patient
   * at home or elsewhere (POS 10 or 02) when said.
   */
  telehealth?: { mode: 'video' | 'audio' | 'none'; from: 'export' | 'note'; where?: 'home' | 'other'; evidence?: string; source?: SourceLocation };
  /** 837I CLM05-1 facility type + CLM05-3 … here the two-digit type of bill prefix. */
  facilityType?: string;
  /** The claim total the export states (balanced against the lines by EDIT_CLAIM_TOTAL). */
  declaredTotal?: number;
  /** 837I CL1 as exported, NUBC codes: priority of admission, point of origin, patient discharge status. */
  institutional?: { admissionType?: string; admissionSource?: string; dischargeStatus?: string };
  /** SBR09 claim filing indicator as exported (X12 code list 1032, or `medicare`). */
  claimFilingIndicator?: string;
  notes: Note[];
  diagnoses: StructuredCode[];
  /** Procedures exported apart from the charge lines (ICD-10-PCS), absent when none. */
  procedures?: StructuredProcedure[];
  charges: ChargeLine[];
  /** Coded results, vitals and medications (absent when the export has none). */
  observations?: StructuredObservation[];
  /** The source withdrew the encounter (cancelled, entered in error): it is not to be billed. */
  withdrawn?: { status: string; source: SourceLocation };
  /** Problems found while assembling the record that do not make it unreadable. */
  issues: Issue[];
}

export type Assertion = 'present' | 'negated' | 'uncertain' | 'historical' | 'family' | 'hypothetical';

export interface CandidateCode {
  code: string;
  system: CodeSystem;
  score: number;
  /** The lexicon entry that matched, so a person can see why. */
  lexiconEntry: string;
  /** The title the entry gives its code (the tabular's when imported, else the starter table's). */
  title: string;
}

export interface Finding {
  kind: 'diagnosis' | 'procedure';
  /** The matched text as written. */
  text: string;
  noteId: string;
  start: number;
  end: number;
  section: string;
  sentence: string;
  assertion: Assertion;
  /** The trigger that set the assertion, if any ("denies", "rule out"). */
  assertionTrigger?: string;
  /** The ConText properties behind the assertion. */
  context?: { negated: boolean; uncertain: boolean; temporality: 'recent' | 'historical' | 'hypothetical'; experiencer: 'patient' | 'other' };
  modifiers: Record<string, string>;
  candidates: CandidateCode[];
  /**
   * A shorter term inside a longer mention ("pain" in "low back pain"): a mention in the
   * annotators' sense, which a coder codes as part of the whole. Coding leaves it out.
   */
  nested?: true;
  /**
   * Words found out of order ("generalized weakness and epigastric colic pain" read as
   * "generalized pain"): the note offsets of the words the reading used. `start`–`end` spans
   * words it did not use, which are other mentions' words.
   */
  words?: { start: number; end: number }[];
}

export interface CodedDiagnosis {
  code: string;
  system: 'ICD-10-CM';
  sequence: number;
  poa?: string;
  confidence: number;
  /** How the code was reached ("structured: diagnoses.csv line 12", "lexicon: type 2 diabetes → E11.9"). */
  rulePath: string;
  evidence: { text: string; source: SourceLocation }[];
}

/** A service line as billed: the charge line with the diagnoses that support it. */
export interface CodedProcedure extends ChargeLine {
  /** 1-based pointers into the diagnosis list (837P SV107, up to 4). */
  diagnosisPointers: number[];
  confidence: number;
  rulePath: string;
}

/** How this encounter relates to what was billed before (the ledger). */
export interface BillingContext {
  /** 1 original, 7 replacement of prior claim (837 CLM05-3, NUBC frequency codes). */
  frequency: '1' | '7';
  claimId: string;
  /** Claim being replaced, for REF*F8. */
  originalClaimId?: string;
}

/** An inpatient ICD-10-PCS procedure (837I HI BBR principal, BBQ other). */
export interface CodedPcsProcedure {
  code: string;
  sequence: number;
  date?: string;
  confidence: number;
  rulePath: string;
  evidence: { text: string; source: SourceLocation }[];
}

/** The office/outpatient E/M level the note's medical decision making supports. */
export interface EvaluationManagementLevel {
  code: string;
  patient: 'new' | 'established';
  level: number;
  mdm: { problems: number; data: number; risk: number };
  reasons: string[];
}

export interface CodedEncounter {
  encounter: Encounter;
  findings: Finding[];
  diagnoses: CodedDiagnosis[];
  procedures: CodedProcedure[];
  /** Inpatient ICD-10-PCS procedures, principal first (empty for other claims). */
  pcsProcedures: CodedPcsProcedure[];
  evaluationManagement?: EvaluationManagementLevel;
  /** Codes the documentation named that coding left off or replaced, the convention that did it (a `CODING_RULES` id) and why (provenance for reviewers). */
  notCoded: { code: string; rule: string; reason: string }[];
  /** Claim confidence: the weakest code's confidence (1 when there is nothing uncertain). */
  confidence: number;
  issues: Issue[];
}

export type Route = 'release' | 'exception';

export interface ValidatedClaim {
  coded: CodedEncounter;
  billing: BillingContext;
  issues: Issue[];
  route: Route;
  totalCharge: number;
}

/** The four end states of an input record (README, "Nothing lost"). */
export type RecordState = 'released' | 'exception' | 'quarantined' | 'unchanged';
