import { ISSUE_CODES } from '../contract/issue-codes.js';
import type { BillingContext, CodedEncounter, Issue, ValidatedClaim } from '../contract/types.js';
import { claimDataEdits, type ClaimEditContext } from './edits/claim-data.js';
import { codeSetEdits, type CodeSetLookup } from './edits/code-set.js';

export interface ValidateOptions extends ClaimEditContext {
  /** Claims whose confidence is below this go to people. */
  autoReleaseConfidence: number;
  /** The reference library; without it the code-set edits do not run. */
  codeSets?: CodeSetLookup;
}

/**
 * Runs the edits and routes the claim: any error-severity issue (from any stage) or a
 * confidence below the threshold sends it to exceptions; warnings travel with a
 * released claim.
 */
export function validateClaim(coded: CodedEncounter, billing: BillingContext, options: ValidateOptions): ValidatedClaim {
  const issues: Issue[] = [
    ...coded.encounter.issues, ...coded.issues, ...claimDataEdits(coded, options),
    ...(options.codeSets ? codeSetEdits(coded, options.codeSets) : []),
  ];
  if (coded.confidence < options.autoReleaseConfidence && coded.diagnoses.length > 0) {
    const weakest = coded.diagnoses.filter((d) => d.confidence < options.autoReleaseConfidence);
    const def = ISSUE_CODES.CODE_LOW_CONFIDENCE;
    issues.push({
      code: 'CODE_LOW_CONFIDENCE', severity: def.severity, stage: 'validate', action: def.action,
      message: `claim confidence ${coded.confidence.toFixed(2)} is below ${options.autoReleaseConfidence}: ${weakest.map((d) => `${d.code} (${d.rulePath})`).join('; ')}`,
      codes: weakest.map((d) => d.code),
      ...(weakest[0]?.evidence[0] ? { evidence: weakest[0].evidence[0].text, source: weakest[0].evidence[0].source } : {}),
    });
  }
  const route = issues.some((i) => i.severity === 'error') ? 'exception' : 'release';
  const totalCharge = Math.round(coded.procedures.reduce((sum, p) => sum + p.charge, 0) * 100) / 100;
  return { coded, billing, issues, route, totalCharge };
}
