import type { Lexicon } from '../abstract/lexicon/lexicon.js';
import type { CodingContext } from '../code/coding-context.js';
import { CODING_RULE_IDS, CODING_RULES, type CodingRule } from '../code/coding-rules.js';
import type { Finding } from '../contract/types.js';
import type { CodedDocument } from '../learn/coded-corpus.js';
import { evaluateCoding, type CodingEvalReport, type EvalMode } from './coding-eval.js';

/** What one convention costs or gains on a coded corpus: the scores with it switched off, less the scores with every rule on. */
export interface RuleCost {
  rule: CodingRule;
  guideline: string;
  /** Diagnosis exact-code precision, recall, F1 with the rule off. */
  diagnosis: { precision: number; recall: number; f1: number };
  procedure: { f1: number };
  /** Off minus on: a positive F1 delta means the corpus's gold agrees better without the rule. */
  delta: { precision: number; recall: number; f1: number; procedureF1: number };
}

export interface RuleCostReport {
  split: string;
  documents: number;
  setting: 'inpatient' | 'outpatient';
  baseline: { diagnosis: { precision: number; recall: number; f1: number }; procedure: { f1: number } };
  rules: RuleCost[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const dxOf = (r: CodingEvalReport) => ({ precision: round(r.diagnosis.exact.precision), recall: round(r.diagnosis.exact.recall), f1: round(r.diagnosis.exact.f1) });

/**
 * The coding stage's cost, rule by rule (issue 17): the documents are abstracted once, then
 * coded with every convention on and with each one switched off in turn. A rule whose
 * removal raises F1 costs agreement with the corpus; whether it stays depends on the
 * guideline behind it (a corpus annotated mention by mention, like CodiEsp, codes what the
 * guidelines leave off), which `CODING_RULES` names.
 */
export function measureRuleCosts(split: string, documents: readonly CodedDocument[], lexicon: Lexicon, ctx: CodingContext, options: { setting: 'inpatient' | 'outpatient'; threshold: number; mode?: EvalMode; rules?: readonly CodingRule[] }): RuleCostReport {
  const findingsCache = new Map<string, Finding[]>();
  const run = (rulesOff: ReadonlySet<CodingRule>) => evaluateCoding(split, documents, lexicon, {
    mode: options.mode ?? 'guideline', threshold: options.threshold, findingsCache, coding: { ctx: { ...ctx, rulesOff }, setting: options.setting },
  });
  const base = run(new Set());
  const baseline = { diagnosis: dxOf(base), procedure: { f1: round(base.procedure.exact.f1) } };
  const rules = (options.rules ?? CODING_RULE_IDS).map((rule): RuleCost => {
    const r = run(new Set([rule]));
    const dx = dxOf(r);
    const pf1 = round(r.procedure.exact.f1);
    return {
      rule, guideline: CODING_RULES[rule], diagnosis: dx, procedure: { f1: pf1 },
      delta: { precision: round(dx.precision - baseline.diagnosis.precision), recall: round(dx.recall - baseline.diagnosis.recall), f1: round(dx.f1 - baseline.diagnosis.f1), procedureF1: round(pf1 - baseline.procedure.f1) },
    };
  });
  return { split, documents: documents.length, setting: options.setting, baseline, rules };
}

/** The report as a table, the rules that cost most first. */
export function ruleCostsText(r: RuleCostReport): string {
  const sign = (x: number) => `${x > 0 ? '+' : x < 0 ? '' : ' '}${x.toFixed(3)}`;
  const lines = [
    `${r.split}: ${r.documents} documents, coding stage (${r.setting} rules); each convention switched off in turn`,
    `  all rules on           dx P ${r.baseline.diagnosis.precision.toFixed(3)}  R ${r.baseline.diagnosis.recall.toFixed(3)}  F1 ${r.baseline.diagnosis.f1.toFixed(3)}   px F1 ${r.baseline.procedure.f1.toFixed(3)}`,
    '  off                    ΔP      ΔR      ΔF1     Δpx F1',
  ];
  for (const c of [...r.rules].sort((a, b) => b.delta.f1 - a.delta.f1)) {
    lines.push(`  ${c.rule.padEnd(22)} ${sign(c.delta.precision)}  ${sign(c.delta.recall)}  ${sign(c.delta.f1)}  ${sign(c.delta.procedureF1)}`);
  }
  return `${lines.join('\n')}\n`;
}
