import { icd10cmDisplay } from '../codesets/icd10cm-code.js';
import type { Encounter } from '../contract/types.js';
import type { Evidence } from './coding-context.js';
import type { DxItem } from './dx-item.js';
import type { CodeSpec } from './tables/code-ranges.js';

/** Drugs and devices whose long-term use or presence has a status code (Guidelines I.C.21.c.3). */
export const STATUS_RULES: readonly { re: RegExp; code: string; why: string; when?: (items: Map<string, DxItem>) => boolean }[] = [
  // Z79.4 for type 2 diabetes treated with insulin; not with type 1, where insulin is implied (I.C.4.a.3).
  { re: /\binsulin\b|\b(?:glargine|lispro|aspart|detemir|degludec|lantus|humalog|novolog)\b/i, code: 'Z794', why: 'long-term (current) use of insulin (Guidelines I.C.4.a.3)', when: (m) => [...m.keys()].some((k) => /^E1[13]/.test(k)) && ![...m.keys()].some((k) => k.startsWith('E10')) },
  { re: /\b(?:metformin|glipizide|glyburide|glimepiride|sitagliptin|pioglitazone)\b/i, code: 'Z7984', why: 'long-term (current) use of oral hypoglycemic drugs (Guidelines I.C.4.a.3)', when: (m) => [...m.keys()].some((k) => /^E1[13]/.test(k)) },
  { re: /\b(?:warfarin|coumadin|apixaban|eliquis|rivaroxaban|xarelto|dabigatran|edoxaban)\b/i, code: 'Z7901', why: 'long-term (current) use of anticoagulants' },
  { re: /\b(?:clopidogrel|plavix|ticagrelor|prasugrel)\b/i, code: 'Z7902', why: 'long-term (current) use of antithrombotics/antiplatelets' },
  // Dependence on dialysis is a status of chronic dialysis patients; dialysis given during an
  // acute kidney injury is a procedure of the stay, not a status (the ESRD patient's
  // "hemodialysis" is the status: N18.6 "use additional code to identify dialysis status").
  { re: /\b(?:(?:chronic|maintenance|long[- ]term|regular|periodic|home) (?:hemo|peritoneal )?dialysis|on (?:hemo|peritoneal )?dialysis|dialysis[- ]dependent|dependen(?:t|ce) on (?:hemo)?dialysis|peritoneal dialysis)\b/i, code: 'Z992', why: 'dependence on renal dialysis' },
  { re: /\b(?:hemodialysis|dialysis)\b/i, code: 'Z992', why: 'dependence on renal dialysis (end-stage renal disease)', when: (m) => m.has('N186') },
  { re: /\bpacemaker\b/i, code: 'Z950', why: 'presence of cardiac pacemaker' },
];
/**
 * Status codes only the rules above assign, whatever the abstraction read: a note's plain
 * "hemodialysis" (the lexicon's reading of "Hemodialysis status") is as often the treatment of
 * an acute kidney injury as the dependence Z99.2 names.
 */
export const STATUS_BY_RULE_ONLY = ['Z99.2'] as const satisfies readonly CodeSpec[];

const ANY_STATUS = new RegExp(STATUS_RULES.map((r) => r.re.source).join('|'), 'i');
const NEGATED_USE = /\b(?:no|not on|not taking|stopped|discontinued|denies|without)\b[^.;]{0,30}$/i;

/**
 * Status codes from the documentation (long-term drug use, dialysis, devices): the first
 * mention of each, unless negated nearby ("stopped warfarin"). Ranked by the caller.
 */
export function addStatusCodes(e: Encounter, items: Map<string, DxItem>, add: (item: Omit<DxItem, 'order' | 'rank'>) => DxItem): void {
  const texts: Evidence[] = [
    ...e.notes.map((n) => ({ text: n.text, source: n.source })),
    ...(e.observations ?? []).filter((o) => o.system === 'RXNORM' && o.description && o.status !== 'negated').map((o) => ({ text: o.description!, source: o.source })),
  ];
  if (!texts.some((t) => ANY_STATUS.test(t.text))) return;
  for (const rule of STATUS_RULES) {
    if (items.has(rule.code) || (rule.when && !rule.when(items))) continue;
    for (const t of texts) {
      const m = rule.re.exec(t.text);
      if (!m || NEGATED_USE.test(t.text.slice(Math.max(0, m.index - 40), m.index))) continue;
      const start = Math.max(0, t.text.lastIndexOf('\n', m.index) + 1);
      const snippet = t.text.slice(start, Math.min(t.text.length, m.index + 80)).split('\n')[0]!;
      add({ key: rule.code, confidence: 0.9, origin: 'rule', symptom: false, steps: [`status: "${m[0]}" documented → ${icd10cmDisplay(rule.code)} ${rule.why}`], evidence: [{ text: snippet, source: t.source }] });
      break;
    }
  }
}
