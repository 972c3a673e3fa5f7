import { resolve } from 'node:path';
import { claimDefaultsOf, telehealthConfig, type LoadedPipeline } from '../config/load.js';
import type { TelehealthConfig } from '../code/telehealth.js';
import type { Config, Mapping } from '../config/schema.js';
import type { ClaimKind } from '../contract/types.js';
import type { EditId } from '../validate/catalog.js';
import type { CoveragePolicy } from '../validate/edits/procedure-edits.js';
import type { SeverityOverride } from '../validate/validate-claim.js';

/**
 * Everything a record needs besides its own data. Plain data (it is sent to worker
 * threads), the same for every record of a run.
 */
export interface RecordContext {
  runId: number;
  businessDate: string;
  sourceSystem: string;
  defaultKind: ClaimKind;
  mapping: Mapping;
  claimDefaults?: { billingNpi?: string; placeOfService?: string; facilityType?: string };
  validate: {
    businessDate: string; payerIds: string[]; autoReleaseConfidence: number;
    editSeverity?: Partial<Record<EditId, SeverityOverride>>;
    payerEditSeverity?: Record<string, Partial<Record<EditId, SeverityOverride>>>;
    coverage?: CoveragePolicy[];
    addOnCodes?: Record<string, string[]>;
    extraModifiers?: string[];
    /** Runs a forced re-run replaces: their claims are not duplicates of this night's. */
    supersededRunIds?: number[];
    /** config x12.institutional.patientStatus: the discharge status assumed when the export gives none. */
    patientStatusDefault?: string;
    /** config edits: line charge, claim total and units ceilings. */
    limits?: { maxLineCharge: number; maxClaimTotal: number; maxUnits: number };
  };
  /** How payers want telehealth billed (config telehealth, payers[].telehealth). */
  telehealth?: TelehealthConfig;
  /** Prices for service lines added from the documentation (config `chargemaster`). */
  chargemaster?: Record<string, number | { price: number; revenueCode?: string | undefined }>;
  /** The run repository file, opened read-only by each worker for the reference library. */
  database: string;
  /** A record taking longer than this (abstraction and coding) is held: RUN_RECORD_BUDGET_EXCEEDED. */
  recordBudgetMs?: number;
  /** A record whose notes hold more characters than this is held unread: RUN_RECORD_BUDGET_EXCEEDED. */
  maxNoteChars?: number;
}

/**
 * What every record of a run is processed with, from the config and the pipeline: the run's
 * own facts (id, business date, the coverage policies staff accepted from payers, the runs a
 * forced re-run replaces) come from the caller. The night and the record bench build it here,
 * so the bench measures the work a night does.
 */
export function recordContext(config: Config, pipeline: LoadedPipeline, run: {
  runId: number; businessDate: string; acceptedPolicies?: readonly CoveragePolicy[]; supersededRunIds?: Iterable<number>;
}): RecordContext {
  return {
    runId: run.runId, businessDate: run.businessDate, sourceSystem: pipeline.def.sourceSystem, defaultKind: pipeline.def.defaultKind, mapping: pipeline.mapping,
    claimDefaults: claimDefaultsOf(pipeline.def, config),
    validate: {
      businessDate: run.businessDate, payerIds: config.payers.map((p) => p.id), autoReleaseConfidence: config.thresholds.autoReleaseConfidence,
      editSeverity: config.editSeverity as RecordContext['validate']['editSeverity'],
      payerEditSeverity: Object.fromEntries(config.payers.filter((p) => p.editSeverity).map((p) => [p.id, p.editSeverity!])) as RecordContext['validate']['payerEditSeverity'],
      // The config's coverage policies and those staff accepted from payers' denials (nightcode remit rules).
      coverage: [...config.coverage, ...(run.acceptedPolicies ?? [])], addOnCodes: config.edits.addOnCodes, extraModifiers: config.edits.extraModifiers,
      supersededRunIds: [...(run.supersededRunIds ?? [])],
      ...(config.x12.institutional.patientStatus ? { patientStatusDefault: config.x12.institutional.patientStatus } : {}),
      limits: { maxLineCharge: config.edits.maxLineCharge, maxClaimTotal: config.edits.maxClaimTotal, maxUnits: config.edits.maxUnits },
    },
    chargemaster: config.chargemaster,
    telehealth: telehealthConfig(config),
    recordBudgetMs: config.run.recordBudgetMs,
    maxNoteChars: config.run.maxNoteChars,
    database: config.database === ':memory:' ? ':memory:' : resolve(config.database),
  };
}
