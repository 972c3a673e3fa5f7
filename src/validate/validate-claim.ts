import { ISSUE_CODES } from '../contract/issue-codes.js';
import { isInpatient } from '../contract/setting.js';
import type { BillingContext, CodedEncounter, Issue, ValidatedClaim } from '../contract/types.js';
import type { EditId } from './catalog.js';
import { claimDataEdits, type ClaimEditContext } from './edits/claim-data.js';
import { codeSetEdits, type CodeSetLookup } from './edits/code-set.js';
import { diagnosisEdits, type DiagnosisEditContext } from './edits/diagnosis-edits.js';
import { procedureEdits, type ProcedureEditContext } from './edits/procedure-edits.js';
import { telehealthEdits } from './edits/telehealth-edits.js';

export type SeverityOverride = 'error' | 'warning' | 'off';

export interface ValidateOptions extends ClaimEditContext {
  /** Claims whose confidence is below this go to people. */
  autoReleaseConfidence: number;
  /** The reference library; without it the code-set edits do not run. */
  codeSets?: CodeSetLookup;
  /** Tabular and MCE lists in force for the claim (the diagnosis edits). */
  diagnosis?: Omit<DiagnosisEditContext, 'inpatient'>;
  /** NCCI tables, coverage policies, add-on and modifier tables (the procedure edits). */
  procedure?: ProcedureEditContext;
  /** Severity overrides for every claim (config `editSeverity`). */
  editSeverity?: Partial<Record<EditId, SeverityOverride>>;
  /** Severity overrides by payer id (config `payers[].editSeverity`), over the global ones. */
  payerEditSeverity?: Readonly<Record<string, Partial<Record<EditId, SeverityOverride>>>>;
  /** Only the code-set, diagnosis and procedure edits (a coder's recode), not the claim-data edits. */
  codingEditsOnly?: boolean;
}

/**
 * Runs the edits and routes the claim: any error-severity issue (from any stage) or a
 * confidence below the threshold sends it to exceptions; warnings travel with a
 * released claim. An edit's default severity (the catalog's) can be overridden for all
 * claims and, over that, for one payer's claims, down to "off".
 */
export function validateClaim(coded: CodedEncounter, billing: BillingContext, options: ValidateOptions): ValidatedClaim {
  const e = coded.encounter;
  const inpatient = isInpatient(e);
  const edits: Issue[] = [
    ...(options.codingEditsOnly ? [] : claimDataEdits(coded, options)),
    ...(options.codeSets ? codeSetEdits(coded, options.codeSets) : []),
    ...(options.diagnosis ? diagnosisEdits(coded, { ...options.diagnosis, inpatient }) : []),
    ...(options.procedure ? procedureEdits(coded, options.procedure) : []),
    ...(options.procedure ? telehealthEdits(coded, options.procedure.telehealth) : []),
  ];
  const payerOverrides = e.coverage.payerId ? options.payerEditSeverity?.[e.coverage.payerId] : undefined;
  const issues: Issue[] = [...e.issues, ...coded.issues];
  for (const i of edits) {
    const override = payerOverrides?.[i.code as EditId] ?? options.editSeverity?.[i.code as EditId];
    if (override === 'off') continue;
    issues.push(override ? { ...i, severity: override } : i);
  }
  if (coded.confidence < options.autoReleaseConfidence && coded.diagnoses.length > 0) {
    const weakest = coded.diagnoses.filter((d) => d.confidence < options.autoReleaseConfidence);
    const weakLines = coded.procedures.filter((p) => p.confidence < options.autoReleaseConfidence);
    const def = ISSUE_CODES.CODE_LOW_CONFIDENCE;
    const first = weakest[0]?.evidence[0];
    issues.push({
      code: 'CODE_LOW_CONFIDENCE', severity: def.severity, stage: 'validate', action: def.action,
      message: `claim confidence ${coded.confidence.toFixed(2)} is below ${options.autoReleaseConfidence}: ${[
        ...weakest.map((d) => `${d.code} (${d.rulePath})`), ...weakLines.map((p) => `line ${p.line} ${p.code ?? ''} (${p.rulePath})`),
      ].join('; ')}`,
      codes: [...weakest.map((d) => d.code), ...weakLines.flatMap((p) => (p.code ? [p.code] : []))],
      ...(first ? { evidence: first.text, source: first.source } : weakLines[0] ? { source: weakLines[0].source } : {}),
    });
  }
  const route = issues.some((i) => i.severity === 'error') ? 'exception' : 'release';
  const totalCharge = Math.round(coded.procedures.reduce((sum, p) => sum + p.charge, 0) * 100) / 100;
  return { coded, billing, issues, route, totalCharge };
}
