import type { CodeSet } from '../codesets/reference-library.js';
import type { PoaExemptLookup } from '../codesets/official-lists.js';
import type { ValidateOptions } from '../validate/validate-claim.js';
import type { RecordContext } from './record-context.js';
import type { RecordTools } from './record-tools.js';

type Shared = Omit<ValidateOptions, 'diagnosis' | 'billedClaim'>;

/**
 * The validation options every record of a context shares (config edits, payer ids, the NCCI
 * and add-on tables, coverage policies), built once per context and thread's tools instead of
 * once per record: a context arrives with each slice, so a slice's records share them. Built
 * property by property; nothing downstream writes to them.
 */
const SHARED = new WeakMap<RecordContext, { tools: RecordTools; options: Shared; excludedRuns: readonly number[] }>();

function shared(ctx: RecordContext, tools: RecordTools): { options: Shared; excludedRuns: readonly number[] } {
  const cached = SHARED.get(ctx);
  if (cached?.tools === tools) return cached;
  const v = ctx.validate;
  const options: Shared = { businessDate: v.businessDate, autoReleaseConfidence: v.autoReleaseConfidence, payerIds: new Set(v.payerIds) };
  if (v.patientStatusDefault) options.patientStatusDefault = v.patientStatusDefault;
  if (v.limits) options.limits = v.limits;
  if (tools.codeSets) options.codeSets = tools.codeSets;
  const procedure: NonNullable<Shared['procedure']> = { coverage: v.coverage ?? [] };
  if (tools.edits) procedure.edits = tools.edits;
  if (ctx.telehealth) procedure.telehealth = ctx.telehealth;
  if (v.addOnCodes) procedure.addOns = v.addOnCodes;
  if (v.extraModifiers) procedure.extraModifiers = v.extraModifiers;
  options.procedure = procedure;
  if (v.editSeverity) options.editSeverity = v.editSeverity;
  if (v.payerEditSeverity) options.payerEditSeverity = v.payerEditSeverity;
  // The runs whose claims are not duplicates of this night's: those a forced re-run replaces, and tonight's.
  const entry = { tools, options, excludedRuns: [...(v.supersededRunIds ?? []), ctx.runId] };
  SHARED.set(ctx, entry);
  return entry;
}

/**
 * A record's validation options: the context's shared ones, the tabular, MCE and POA-exempt
 * lists in force for its date, and the ledger's billed-claims lookup for its encounter.
 */
export function validationOptions(ctx: RecordContext, tools: RecordTools, record: {
  encounterId: string; date: string; icd10cm?: CodeSet; poaExempt?: PoaExemptLookup;
}): ValidateOptions {
  const common = shared(ctx, tools);
  const options: ValidateOptions = { ...common.options };
  if (record.icd10cm) {
    const diagnosis: NonNullable<ValidateOptions['diagnosis']> = { icd10cm: record.icd10cm };
    if (tools.mceFor) diagnosis.mce = tools.mceFor(record.icd10cm, record.date);
    if (record.poaExempt) diagnosis.poaExempt = record.poaExempt;
    options.diagnosis = diagnosis;
  }
  const billed = tools.billedClaims;
  if (billed) options.billedClaim = (fp: string) => billed(fp, ctx.sourceSystem, record.encounterId, common.excludedRuns);
  return options;
}
