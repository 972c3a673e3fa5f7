import { join } from 'node:path';
import { DATA_DIR, readJsonData } from '../paths.js';

/** What usually fixes a claim a payer rejected or denied for a reason. */
export type PayerAction = 'correct-resubmit' | 'appeal' | 'write-off' | 'correct-coverage' | 'correct-provider' | 'none';

interface ReasonFile {
  carc: Record<string, { text: string; action: PayerAction }>;
  rarc: Record<string, string>;
  statusCategory: Record<string, string>;
  status: Record<string, string>;
}

let cached: ReasonFile | undefined;
/** The team-written words for common codes (data/payer/reason-codes.json). */
export function reasonCodes(): ReasonFile {
  cached ??= readJsonData<ReasonFile>(join(DATA_DIR, 'payer', 'reason-codes.json'));
  return cached;
}

/**
 * An adjustment that is part of ordinary payment, not a denial: the contractual write-down
 * (CO-45), the patient's deductible, coinsurance and co-payment (PR-1/2/3), a prior payer's
 * payment (23) and sequestration (253); the codes whose action in the reason file is none.
 */
export function isOrdinaryAdjustment(group: string, carc: string): boolean {
  const action = reasonCodes().carc[carc]?.action;
  if (action === 'none') return group === 'PR' ? ['1', '2', '3'].includes(carc) : true;
  return false;
}

/** The publisher's full lists as a site imported them (nightcode remit codes import): words for codes the team's list lacks. */
export type ImportedReasons = (list: 'carc' | 'rarc', code: string) => { description: string; stop?: string } | undefined;

const imported = (lookup: ImportedReasons | undefined, list: 'carc' | 'rarc', code: string) => {
  const r = lookup?.(list, code);
  return r ? `${r.description}${r.stop ? ` (code stopped ${r.stop})` : ''}` : undefined;
};

/** "CO-50 not covered: …" for a CARC: the team's words, else the imported list's, else "(no description on file)". */
export function describeAdjustment(group: string, carc: string, lookup?: ImportedReasons): string {
  const text = reasonCodes().carc[carc]?.text ?? imported(lookup, 'carc', carc);
  return `${group}-${carc} ${text ?? '(no description on file)'}`;
}

export function describeRemark(rarc: string, lookup?: ImportedReasons): string {
  return `${rarc} ${reasonCodes().rarc[rarc] ?? imported(lookup, 'rarc', rarc) ?? '(no description on file)'}`;
}

/** "A7:164:IL rejected for invalid information: the member's contract or id number". */
export function describeStatus(composite: string): string {
  const [category = '', code = ''] = composite.split(':');
  const r = reasonCodes();
  const words = [r.statusCategory[category], r.status[code]].filter(Boolean).join(': ');
  return `${composite} ${words || '(no description on file)'}`;
}

/** The suggested action for a denial or rejection from its reasons: the first reason with an action. */
export function suggestedAction(reasons: readonly { group: string; carc: string }[], rejected: boolean): PayerAction {
  if (rejected) return 'correct-resubmit';
  for (const r of reasons) {
    const action = reasonCodes().carc[r.carc]?.action;
    if (action && action !== 'none') return action;
  }
  return 'appeal';
}
