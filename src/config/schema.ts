import { ISSUE_CODES } from '../contract/issue-codes.js';
import { SUGGESTED_ACTIONS } from '../contract/vocabulary.js';
import { z } from 'zod';
import { limitsSchema } from './mapping-schema.js';
import { ADMISSION_SOURCES, ADMISSION_TYPES, DISCHARGE_STATUSES } from './nubc-codes.js';

export {
  CANONICAL_MAPPING, CHARGE_FIELDS, CHILD_ROLES, DIAGNOSIS_FIELDS, DIAGNOSIS_STATUSES, DIAGNOSIS_TYPES, ENCOUNTER_FIELDS, ENCOUNTER_STATUSES,
  FILE_ROLES, NOTE_FIELDS, OBSERVATION_FIELDS, PATIENT_FIELDS, PROCEDURE_FIELDS, REQUIRED_FIELDS, ROLE_FIELDS, mappingSchema,
  type ChildRole, type ColumnGroup, type FileRole, type Mapping,
} from './mapping-schema.js';

/** Export formats a pipeline can read; one run may read several (`sources`). */
export const EXPORT_FORMATS = ['csv', 'ccda', 'hl7v2', 'fhir'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** File-name pattern of each document format when the pipeline does not give one. */
export const DEFAULT_PATTERNS: Record<Exclude<ExportFormat, 'csv'>, string> = { ccda: '*.xml', hl7v2: '*.hl7', fhir: '*.*json' };

const sourceSchema = z.object({
  format: z.enum(EXPORT_FORMATS),
  /** File-name pattern of this format's files in the export folder (CSV files are matched by the mapping). */
  pattern: z.string().min(1).optional(),
}).strict();

/**
 * What an HL7 v2 message does to its visit: `bill` ends the visit and bills it (ADT^A03),
 * `charges` posts charges and bills (DFT), `notes` and `update` add notes and data but never
 * bill alone, `cancel` withdraws the visit (A11, A13), `ignore` counts the message as ignored.
 */
export const HL7_EVENT_ROLES = ['bill', 'charges', 'notes', 'update', 'cancel', 'ignore'] as const;
export type Hl7EventRole = (typeof HL7_EVENT_ROLES)[number];

export const pipelineSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  description: z.string().optional(),
  /** Source system prefix of every encounter key, so two EHRs' ids never collide. */
  sourceSystem: z.string().min(1),
  /** The export's format; `sources` lists several when one export mixes them. */
  format: z.enum(EXPORT_FORMATS).optional(),
  sources: z.array(sourceSchema).min(1).optional(),
  /** Export folder; `{date}` is replaced by the business date. Relative to this file. */
  input: z.string().min(1),
  /** Column mapping file, relative to this file (CSV sources; document formats stage canonical rows). */
  mapping: z.string().min(1).optional(),
  /** Setting assumed when the export does not say (outpatient professional by default). */
  defaultKind: z.enum(['professional', 'institutional']).default('professional'),
  /**
   * What the export leaves unsaid and the site's interface setup knows: the billing provider
   * NPI (HL7 v2 carries none), the place of service of professional claims, the type of bill
   * of institutional ones. A record's own value always wins. Without a billing NPI here, the
   * one billing provider configured in `x12.billingProviders`, when there is exactly one.
   */
  claimDefaults: z.object({
    billingNpi: z.string().regex(/^\d{10}$/, 'a 10-digit NPI').optional(),
    placeOfService: z.string().regex(/^\d{2}$/, 'a 2-digit CMS place of service code').optional(),
    facilityType: z.string().regex(/^0?\d{3}$/, 'a 3-digit type of bill').optional(),
  }).strict().optional(),
  /** Documents (C-CDA …): size limit and which encounter of a document the export is about. */
  documents: z.object({
    /**
     * A document over this many bytes is quarantined unread. 10 MB keeps a hostile document
     * at the limit under 1 GB and a few seconds (the XML parser needs ~70 bytes per byte of
     * one huge text node); real C-CDA and FHIR documents are far smaller.
     */
    maxBytes: z.number().int().min(1024).default(10_000_000),
    /**
     * encompassing-or-latest: the header's encompassing encounter, else the latest encounter entry;
     * latest / earliest: by start time; business-date: the encounter that starts on the run's business date.
     */
    encounterRule: z.enum(['encompassing-or-latest', 'latest', 'earliest', 'business-date']).default('encompassing-or-latest'),
    /** Characters a field of a document may hold, as for CSV exports: a document with a longer one is quarantined. */
    limits: limitsSchema.default(limitsSchema.parse({})),
    /**
     * HL7 v2: what a message type does to its visit, over the defaults of
     * `src/ingest/hl7v2/hl7-events.ts` ("ADT^A04": "ignore", "MDM": "bill" …).
     */
    hl7Events: z.record(z.string().regex(/^[A-Z0-9]{3}(\^[A-Z0-9]{1,3})?$/, 'a message type, or type^trigger, as in MSH-9 ("ADT^A03", "ORU")'), z.enum(HL7_EVENT_ROLES)).default({}),
  }).strict().default({ maxBytes: 10_000_000, encounterRule: 'encompassing-or-latest', limits: limitsSchema.parse({}), hl7Events: {} }),
}).strict().superRefine((p, ctx) => {
  if (!p.format && !p.sources) ctx.addIssue({ code: 'custom', path: ['format'], message: 'name the export format (format) or formats (sources)' });
  const formats = p.sources?.map((x) => x.format) ?? (p.format ? [p.format] : []);
  if (formats.includes('csv') && !p.mapping) ctx.addIssue({ code: 'custom', path: ['mapping'], message: 'a CSV export needs a column mapping file' });
});
export type PipelineDef = z.infer<typeof pipelineSchema>;

/** Edit ids (the EDIT_ issue codes) and what a site may set their severity to. */
const EDIT_IDS = Object.keys(ISSUE_CODES).filter((c) => c.startsWith('EDIT_')) as [string, ...string[]];
const editSeveritySchema = z.partialRecord(z.enum(EDIT_IDS), z.enum(['error', 'warning', 'off']));

const HCPCS_OR_CPT = z.string().regex(/^([0-9]{4}[0-9A-Z]|[A-V][0-9]{4})$/, 'a CPT or HCPCS code');

/**
 * How telehealth visits are billed (professional claims): the place of service (POS 10 the
 * patient at home, 02 elsewhere; or, for payers that want it, the in-person POS with the
 * modifier), the modifier for video (95; GT for some institutional payers) and for audio-only
 * (93; FQ for RHC/FQHC and some payers; "" for none), and the services payable by telehealth.
 */
const TELEHEALTH_MODIFIER = z.enum(['95', 'GT', '93', 'FQ', '']);
const telehealthFields = {
  /** telehealth: POS 10 or 02; in-person: keep the visit's in-person POS (e.g. 11) and rely on the modifier. */
  pos: z.enum(['telehealth', 'in-person']),
  /** Where the patient was when the note does not say: home (POS 10) or other (02). */
  location: z.enum(['home', 'other']),
  video: TELEHEALTH_MODIFIER,
  audio: TELEHEALTH_MODIFIER,
  /** CPT/HCPCS codes payable by telehealth; empty: the team list (src/code/tables/telehealth.ts). */
  codes: z.array(HCPCS_OR_CPT),
};
const telehealthSchema = z.object(telehealthFields).strict();

const payerSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** This payer's severity for some edits, over the defaults and the global `editSeverity`. */
  editSeverity: editSeveritySchema.optional(),
  /** This payer's telehealth billing, over config `telehealth`. */
  telehealth: telehealthSchema.partial().optional(),
}).strict();

/** A team name as staff write it in the worklist's team column. */
const TEAM_NAME = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes');

/** A coverage policy (LCD/NCD style): the procedures covered only for the listed diagnoses. */
const coverageSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  procedures: z.array(HCPCS_OR_CPT).min(1),
  /** ICD-10-CM codes or ranges: "E11", "D51.0", "D50-D53". */
  diagnoses: z.array(z.string().regex(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?(-[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?)?$/, 'an ICD-10-CM code or range')).min(1),
  payers: z.array(z.string().min(1)).optional(),
}).strict();

/**
 * Declarative configuration: what to run, where, how often, with which limits.
 * Every field has a default so `nightcode run` works with no config file at all.
 */
export const configSchema = z.object({
  /** SQLite run repository (created on first use). */
  database: z.string().min(1).default('nightcode.db'),
  /** Output root; each run writes to `<outDir>/<pipeline>/<business date>/`. */
  outDir: z.string().min(1).default('out'),
  /** IANA time zone for business dates and the schedule. */
  timezone: z.string().min(1).default('UTC'),
  /** Pipeline file used when `--pipeline` is not given. */
  defaultPipeline: z.string().min(1).default('pipelines/nightly-csv.json'),
  schedule: z.object({
    cron: z.string().min(1).default('30 1 * * *'),
    pipelines: z.array(z.string().min(1)).min(1).default(['pipelines/nightly-csv.json']),
    catchUp: z.object({
      /** Run business dates missed since the last completed run, oldest first. */
      enabled: z.boolean().default(true),
      /** Never go back further than this many days. */
      maxDays: z.number().int().min(0).max(366).default(7),
    }).strict().default({ enabled: true, maxDays: 7 }),
  }).strict().default({ cron: '30 1 * * *', pipelines: ['pipelines/nightly-csv.json'], catchUp: { enabled: true, maxDays: 7 } }),
  run: z.object({
    /** Records per committed chunk (the commit interval). */
    chunkSize: z.number().int().min(1).max(100_000).default(500),
    /** Records in flight at once inside a chunk. */
    concurrency: z.number().int().min(1).max(1024).default(16),
    /**
     * worker_threads for the CPU-bound stages (assemble, abstract, code, validate); 0 runs them
     * on the main thread; "auto" one per core the machine offers (os.availableParallelism).
     */
    workers: z.union([z.number().int().min(0).max(64), z.literal('auto')]).default(2),
    /** Fail the run when more records than this are quarantined. */
    maxQuarantined: z.number().int().min(0).default(1000),
    /** … or when more than this share of input records is quarantined. */
    maxQuarantinedRatio: z.number().min(0).max(1).default(0.05),
    /** A lock whose holder has not written a heartbeat for this long is taken over. */
    lockStaleSeconds: z.number().int().min(5).default(120),
    /** Time one record may take to abstract and code before it is held (RUN_RECORD_BUDGET_EXCEEDED). */
    recordBudgetMs: z.number().int().min(100).default(30_000),
    /** Characters of notes one encounter may hold; more is held unread (RUN_RECORD_BUDGET_EXCEEDED). */
    maxNoteChars: z.number().int().min(10_000).default(2_000_000),
    /**
     * Scale-out: `redis://HOST:PORT[/DB]`. Chunks go to `nightcode worker` processes through
     * BullMQ on that Redis instead of the in-process pool (`run --queue` sets it for one run).
     */
    queue: z.string().regex(/^rediss?:\/\//, 'a redis:// URL, as in redis://127.0.0.1:6379/0').optional(),
    /** Attempts a chunk gets on the workers before its records are held as RUN_CHUNK_FAILED. */
    queueAttempts: z.number().int().min(1).max(20).default(3),
    /** Chunks on the queue ahead of the one being committed (keep it above the workers' total concurrency). */
    queueAhead: z.number().int().min(1).max(1024).default(16),
    /** The run fails (QUEUE_STALLED, resumable) when no chunk finishes for this long. */
    queueWaitSeconds: z.number().int().min(5).default(600),
    /** Longest a chunk's records and results stay in Redis if the run never completes (it deletes them itself). */
    queueTtlSeconds: z.number().int().min(60).default(86_400),
  }).strict().default({
    chunkSize: 500, concurrency: 16, workers: 2, maxQuarantined: 1000, maxQuarantinedRatio: 0.05, lockStaleSeconds: 120, recordBudgetMs: 30_000, maxNoteChars: 2_000_000,
    queueAttempts: 3, queueAhead: 16, queueWaitSeconds: 600, queueTtlSeconds: 86_400,
  }),
  /**
   * Staff answers to exceptions. `inbox`: a folder of resolutions CSVs that each run applies
   * before it processes records (files already applied are skipped; a file with problems is
   * reported in the run summary and log, and left for staff to fix). `nightcode resolve
   * FILE` applies a file at once.
   */
  resolutions: z.object({
    inbox: z.string().min(1).optional(),
  }).strict().default({}),
  /**
   * Payers' answers to our claims. `inbox`: a folder of X12 999, 277CA and 835 files that
   * each run reads before it processes records (files read before are skipped by content; a
   * file that cannot be read is quarantined with its code and segment, and the rest read).
   * `nightcode remit import FILE...` reads files at once.
   */
  remit: z.object({
    inbox: z.string().min(1).optional(),
  }).strict().default({}),
  /**
   * The morning worklist: the team each finding goes to, by its suggested action
   * (query-physician, add-modifier, review, correct-demographics, correct-coverage,
   * correct-provider, correct-export, and for payers' answers resubmit, appeal, write-off)
   * and, over that, by finding code. Defaults: coding,
   * registration, provider-enrollment and billing (README, "Teams").
   */
  worklist: z.object({
    teams: z.partialRecord(z.enum(SUGGESTED_ACTIONS), TEAM_NAME).default({}),
    teamsByCode: z.record(z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'a finding code, as in EDIT_NPI_INVALID'), TEAM_NAME).default({}),
  }).strict().default({ teams: {}, teamsByCode: {} }),
  thresholds: z.object({
    /** Claims whose confidence is below this go to exceptions. */
    autoReleaseConfidence: z.number().min(0).max(1).default(0.8),
  }).strict().default({ autoReleaseConfidence: 0.8 }),
  /** Payers the site bills; a claim to another payer is an exception. Empty: accept any. */
  payers: z.array(payerSchema).default([]),
  /**
   * Price per CPT/HCPCS code, for service lines coding adds when a note documents a
   * procedure the export did not bill, and for a document's procedures without an amount.
   * A code with no price here becomes an exception (CODE_PROCEDURE_UNPRICED). An entry may
   * give the UB-04 revenue code the hospital bills the code under (`{"price": 95,
   * "revenueCode": "0324"}`), which an institutional line without one takes. Empty: the
   * starter table's typical charges.
   */
  chargemaster: z.record(HCPCS_OR_CPT, z.union([
    z.number().positive(),
    z.object({ price: z.number().positive(), revenueCode: z.string().regex(/^\d{4}$/, 'a 4-digit UB-04 revenue code').optional() }).strict(),
  ])).default({}),
  /** Severity of some edits for every claim ("error", "warning", "off"); see docs/EDITS.md. */
  editSeverity: editSeveritySchema.default({}),
  /** Telehealth billing for every payer (a payer's `telehealth` overrides parts of it). */
  telehealth: telehealthSchema.default({ pos: 'telehealth', location: 'home', video: '95', audio: '93', codes: [] }),
  /** Medical-necessity coverage policies (EDIT_MEDICAL_NECESSITY). */
  coverage: z.array(coverageSchema).default([]),
  /**
   * X12 837 claim files: the submitter (sender), the receiver of each payer's claims, the
   * billing providers' names, tax ids and addresses (loop 2010AA), providers' names by NPI.
   * Unknown billing providers and receivers get placeholders a site must replace.
   */
  x12: z.object({
    enabled: z.boolean().default(true),
    /** ISA15: P production, T test. */
    usage: z.enum(['P', 'T']).default('T'),
    sender: z.object({
      id: z.string().min(1).max(15).default('NIGHTCODE'),
      qualifier: z.string().length(2).default('ZZ'),
      name: z.string().min(1).default('NIGHTCODE'),
      contactName: z.string().min(1).default('BILLING OFFICE'),
      contactPhone: z.string().regex(/^\d{10}$/).default('0000000000'),
    }).strict().default({ id: 'NIGHTCODE', qualifier: 'ZZ', name: 'NIGHTCODE', contactName: 'BILLING OFFICE', contactPhone: '0000000000' }),
    receivers: z.record(z.string(), z.object({
      id: z.string().min(1).max(15), qualifier: z.string().length(2).default('ZZ'), name: z.string().min(1),
      /** SBR09: CI commercial, MB Medicare Part B, MA Medicare Part A, MC Medicaid, BL Blue Cross … */
      claimFilingIndicator: z.string().length(2).default('CI'),
    }).strict()).default({}),
    billingProviders: z.record(z.string().regex(/^\d{10}$/), z.object({
      name: z.string().min(1), taxId: z.string().regex(/^\d{9}$/),
      // 837 2010AA N403: the billing provider's full nine-digit ZIP code (TR3 5010).
      address: z.object({ line1: z.string().min(1), city: z.string().min(1), state: z.string().length(2), zip: z.string().regex(/^\d{5}-?\d{4}$/, 'the full nine-digit ZIP code (ZIP+4), as the 837 billing provider address requires') }).strict(),
    }).strict()).default({}),
    providerNames: z.record(z.string().regex(/^\d{10}$/), z.object({ last: z.string().min(1), first: z.string().optional() }).strict()).default({}),
    separators: z.object({
      element: z.string().length(1).default('*'), component: z.string().length(1).default(':'),
      repetition: z.string().length(1).default('^'), segment: z.string().length(1).default('~'),
    }).strict().default({ element: '*', component: ':', repetition: '^', segment: '~' }),
    /**
     * 837I CL1 when the export does not give it: priority of admission and point of origin
     * default to 9 (information not available). The discharge status has no safe default: an
     * inpatient claim without one is held (EDIT_PATIENT_STATUS_MISSING) unless a site sets
     * `patientStatus` here; outpatient claims without one go out as 01.
     */
    institutional: z.object({
      admissionType: z.enum(Object.keys(ADMISSION_TYPES) as [string, ...string[]]).default('9'),
      admissionSource: z.enum(Object.keys(ADMISSION_SOURCES) as [string, ...string[]]).default('9'),
      patientStatus: z.enum(Object.keys(DISCHARGE_STATUSES) as [string, ...string[]]).optional(),
    }).strict().default({ admissionType: '9', admissionSource: '9' }),
    /**
     * One file per receiver (an interchange with a functional group per claim type), or one
     * per receiver and claim type for receivers that take 837P and 837I apart.
     */
    filePer: z.enum(['receiver', 'receiver-and-claim-type']).default('receiver'),
  }).strict().default({
    filePer: 'receiver',
    enabled: true, usage: 'T', sender: { id: 'NIGHTCODE', qualifier: 'ZZ', name: 'NIGHTCODE', contactName: 'BILLING OFFICE', contactPhone: '0000000000' },
    receivers: {}, billingProviders: {}, providerNames: {}, separators: { element: '*', component: ':', repetition: '^', segment: '~' },
    institutional: { admissionType: '9', admissionSource: '9' },
  }),
  /** Site additions to the team procedure tables. */
  edits: z.object({
    /** Add-on code → its primary codes (EDIT_ADDON_WITHOUT_PRIMARY). */
    addOnCodes: z.record(HCPCS_OR_CPT, z.array(HCPCS_OR_CPT).min(1)).default({}),
    /** Modifiers billed beyond the CPT/HCPCS table (EDIT_MODIFIER_INVALID). */
    extraModifiers: z.array(z.string().regex(/^[0-9A-Z]{2}$/)).default([]),
    /** A line charge above this is held (EDIT_CHARGE_OUT_OF_RANGE): a typo, or a number no payer reads. */
    maxLineCharge: z.number().positive().max(99_999_999.99).default(999_999.99),
    /** A claim total above this is held (EDIT_CHARGE_OUT_OF_RANGE); X12 amounts carry at most 8 digits before the point here. */
    maxClaimTotal: z.number().positive().max(99_999_999.99).default(9_999_999.99),
    /** Units above this on one line are held (EDIT_UNITS_INVALID), with or without an MUE table. */
    maxUnits: z.number().int().positive().max(99_999).default(999),
  }).strict().default({ addOnCodes: {}, extraModifiers: [], maxLineCharge: 999_999.99, maxClaimTotal: 9_999_999.99, maxUnits: 999 }),
}).strict();
export type Config = z.infer<typeof configSchema>;

/** The formats and file patterns a pipeline reads. */
export function pipelineSources(def: PipelineDef): { format: ExportFormat; pattern?: string }[] {
  if (def.sources) return def.sources.map((x) => ({ format: x.format, ...(x.pattern ? { pattern: x.pattern } : {}) }));
  return def.format ? [{ format: def.format }] : [];
}
