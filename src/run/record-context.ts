import { resolve } from 'node:path';
import { claimDefaultsOf, telehealthConfig, type LoadedPipeline } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { CoveragePolicy } from '../validate/edits/procedure-edits.js';
import type { RecordContext } from './process-record.js';

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
