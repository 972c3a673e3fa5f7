import type { CodeSystem, Finding } from '../contract/types.js';
import { corpusCodeForm } from './metrics.js';

/**
 * Why a document's code was missed or wrongly predicted, so an evaluation says where the
 * accuracy goes rather than only how much of it there is (issue 17):
 * - `no-candidate`: nothing in the text proposed the code, nor any code of its category;
 * - `wrong-subcode`: the category was found with another code (side, site, stage, acuity…);
 * - `below-threshold`: the code was a candidate but scored under the threshold;
 * - `assertion`: found, but the mention is negated / uncertain / hypothetical / family and
 *   the mode drops it;
 * - `dropped-by-coding`: abstraction predicted it and the coding stage left it off (the
 *   detail names the rule);
 * - `not-in-gold`: predicted, and neither the code nor its category is in the gold.
 */
export type ErrorCategory = 'no-candidate' | 'wrong-subcode' | 'below-threshold' | 'assertion' | 'dropped-by-coding' | 'not-in-gold';

export interface EvalError {
  document: string;
  system: CodeSystem;
  error: 'false-negative' | 'false-positive';
  /** As the corpus writes codes: lower case, dots kept, no injury 7th character (`corpusCodeForm`). */
  code: string;
  category: ErrorCategory;
  /** The evidence: the lexicon entry and its score, the assertion, the rule, the sibling code. */
  detail: string;
}

export interface DocumentOutcome {
  document: string;
  system: CodeSystem;
  gold: readonly string[];
  /** What was predicted (at or above the threshold), normalized. */
  predicted: readonly string[];
  /** All of the document's findings (every assertion). */
  findings: readonly Finding[];
  threshold: number;
  /** Whether the mode keeps a finding. */
  keep: (f: Finding) => boolean;
  /** Coding stage: the codes abstraction predicted in this mode, and why coding left codes off. */
  coding?: { abstracted: readonly string[]; notCoded: readonly { code: string; rule: string; reason: string }[] };
}

const norm = corpusCodeForm;
/** The category as CodiEsp's codes compare: ICD-10-CM 3 characters, ICD-10-PCS 4 (its truncated codes). */
const categoryOf = (system: CodeSystem, c: string) => norm(c).slice(0, system === 'ICD-10-PCS' ? 4 : 3);

/** The best candidate of a code among findings, with the finding that carries it. */
function bestOf(findings: readonly Finding[], system: CodeSystem, code: string, filter: (f: Finding) => boolean) {
  let best: { f: Finding; score: number; entry: string } | undefined;
  for (const f of findings) {
    if (!filter(f)) continue;
    for (const c of f.candidates) {
      if (c.system !== system || norm(c.code) !== code) continue;
      if (!best || c.score > best.score) best = { f, score: c.score, entry: c.lexiconEntry };
    }
  }
  return best;
}

const quote = (f: Finding) => `"${f.text}"`;

/** The best candidate of the code's category (another code) among all findings. */
function siblingCandidate(findings: readonly Finding[], system: CodeSystem, code: string) {
  let best: { f: Finding; code: string; score: number } | undefined;
  for (const f of findings) {
    for (const c of f.candidates) {
      if (c.system !== system || norm(c.code) === code || categoryOf(system, c.code) !== categoryOf(system, code)) continue;
      if (!best || c.score > best.score) best = { f, code: c.code, score: c.score };
    }
  }
  return best;
}

/** The false negatives and false positives of one document and system, each with its category. */
export function classifyErrors(o: DocumentOutcome): EvalError[] {
  const out: EvalError[] = [];
  const gold = new Set(o.gold.map(norm));
  const predicted = new Set(o.predicted.map(norm));
  const goldCategories = new Set([...gold].map((c) => categoryOf(o.system, c)));
  const push = (error: EvalError['error'], code: string, category: ErrorCategory, detail: string) =>
    out.push({ document: o.document, system: o.system, error, code, category, detail });
  const all = () => true;

  for (const code of [...gold].sort()) {
    if (predicted.has(code)) continue;
    const kept = bestOf(o.findings, o.system, code, o.keep);
    const abstracted = o.coding?.abstracted.map(norm).includes(code);
    if (o.coding && abstracted) {
      // The last rule that left it off decides: each mention's own rules come first (one
      // mention negated), the conventions over the whole claim after them (the present
      // mention dropped as an integral symptom).
      const why = o.coding.notCoded.findLast((n) => norm(n.code) === code);
      const sibling = [...predicted].find((p) => categoryOf(o.system, p) === categoryOf(o.system, code));
      push('false-negative', code, 'dropped-by-coding', why ? `${why.rule}: ${why.reason}` : sibling ? `coded as ${sibling} instead` : 'not on the claim');
      continue;
    }
    if (kept && kept.score >= o.threshold) {
      // Predicted by a candidate that is not the finding's best: another reading won the mention.
      push('false-negative', code, 'below-threshold', `${quote(kept.f)} scored ${kept.score} but another reading was kept; ${kept.entry}`);
      continue;
    }
    if (kept) {
      push('false-negative', code, 'below-threshold', `${quote(kept.f)} scored ${kept.score}; ${kept.entry}`);
      continue;
    }
    const any = bestOf(o.findings, o.system, code, all);
    if (any) {
      push('false-negative', code, 'assertion', `${quote(any.f)} is ${any.f.assertion}${any.f.assertionTrigger ? ` (${any.f.assertionTrigger})` : ''}`);
      continue;
    }
    const sibling = [...predicted].find((p) => categoryOf(o.system, p) === categoryOf(o.system, code));
    if (sibling) {
      push('false-negative', code, 'wrong-subcode', `predicted ${sibling}`);
      continue;
    }
    const weak = siblingCandidate(o.findings, o.system, code);
    if (weak) {
      push('false-negative', code, 'wrong-subcode', `candidate ${norm(weak.code)} scored ${weak.score} (below the threshold) from ${quote(weak.f)}`);
      continue;
    }
    push('false-negative', code, 'no-candidate', 'no candidate in its category');
  }

  for (const code of [...predicted].sort()) {
    if (gold.has(code)) continue;
    const why = bestOf(o.findings, o.system, code, all);
    const evidence = why ? `${quote(why.f)} ${why.f.assertion}, score ${why.score}; ${why.entry}` : 'coding rule';
    if (goldCategories.has(categoryOf(o.system, code))) {
      const want = [...gold].filter((g) => categoryOf(o.system, g) === categoryOf(o.system, code)).join(' ');
      push('false-positive', code, 'wrong-subcode', `gold has ${want}; ${evidence}`);
    } else {
      push('false-positive', code, 'not-in-gold', evidence);
    }
  }
  return out;
}

/** Counts by error and category: the summary an evaluation prints beside its file. */
export function summarizeErrors(errors: readonly EvalError[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of errors) {
    const key = `${e.system} ${e.error} ${e.category}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const tsvCell = (s: string) => s.replace(/[\t\r\n]+/g, ' ');

/** The errors of one or more evaluations (stage × mode) as a TSV file: a header, then one row per error. */
export function errorsTsv(runs: readonly { stage: string; mode: string; errors: readonly EvalError[] }[]): string {
  const rows = runs.flatMap((r) => r.errors.map((e) => [r.stage, r.mode, e.document, e.system, e.error, e.code, e.category, e.detail].map(tsvCell).join('\t')));
  return `${['stage', 'mode', 'document', 'system', 'error', 'code', 'category', 'detail'].join('\t')}\n${rows.map((r) => `${r}\n`).join('')}`;
}
