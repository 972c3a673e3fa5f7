import { icd10cmDisplay, inRange } from '../codesets/icd10cm-code.js';
import type { CodeSet } from '../codesets/reference-library.js';
import type { Finding } from '../contract/types.js';
import type { CodingRule } from './coding-rules.js';
import type { DxItem } from './dx-item.js';
import { COMBINATION_RULES } from './tables/combinations.js';
import { matchesAny } from './tables/code-ranges.js';
import { INTEGRAL_SYMPTOMS } from './tables/integral-symptoms.js';

// The conventions applied to the chosen diagnoses as a whole: combination codes, integral
// symptoms, Excludes1 (diagnoses.ts chooses the diagnoses and calls these).

/** A code the documentation named that coding left off (or replaced), the rule that did it, and why. */
export interface NotCoded {
  code: string;
  rule: CodingRule;
  reason: string;
}

/** "with", "due to", "diabetic": the finding text and what it is linked to. */
function linkText(f: Finding | undefined): string {
  return f ? `${f.text} ${f.modifiers.linkedTo ?? ''}` : '';
}

/** Combination codes and the "with" convention, to a fixed point (I13 needs I11 and I12 first). */
export function applyCombinations(items: Map<string, DxItem>, cs: CodeSet | undefined, notCoded: NotCoded[]): void {
  const applied = new Set<string>();
  // The items as each rule finds them: listed again only after a rule changed them (most
  // rules match nothing, and listing them twice per rule was most of what coding allocated).
  let listed: DxItem[] | undefined;
  for (let pass = 0; pass < 4; pass++) {
    let changed = false;
    for (const rule of COMBINATION_RULES) {
      const all = (listed ??= [...items.values()]);
      const as = all.filter((i) => matchesAny(i.key, rule.a));
      if (as.length === 0) continue;
      const bs = all.filter((i) => matchesAny(i.key, rule.b));
      for (const a of as) {
        for (const b of bs) {
          if (!items.has(a.key) || !items.has(b.key) || a === b) continue;
          // Documentation that ties B to another cause breaks the presumed link (Guidelines I.A.15).
          const linked = b.finding?.modifiers.link === 'due-to' ? b.finding.modifiers.linkedTo ?? '' : undefined;
          if ('linkWord' in rule && rule.linkWord && linked !== undefined && !rule.linkWord.test(linked)) continue;
          const r = rule.combine(a.key, b.key);
          if (!r || (cs && !cs.isBillable(r.code))) continue;
          const signature = `${rule.id}|${b.key}|${r.code}`;
          if (applied.has(signature)) continue;
          applied.add(signature);
          const step = `combination (${rule.id}): ${icd10cmDisplay(a.key)} with ${icd10cmDisplay(b.key)} → ${icd10cmDisplay(r.code)} (Guidelines ${rule.guideline})`;
          const first = a.rank < b.rank || (a.rank === b.rank && a.order < b.order) ? a : b;
          const existing = items.get(r.code);
          const combined: DxItem = existing ?? {
            key: r.code, confidence: Math.min(a.confidence, b.confidence), rank: first.rank, order: first.order,
            origin: 'rule', symptom: false, steps: [], evidence: [...a.evidence, ...b.evidence].slice(0, 3),
            ...(a.finding ? { finding: a.finding } : b.finding ? { finding: b.finding } : {}),
          };
          combined.steps.push(...a.steps.filter((s) => !combined.steps.includes(s)), step);
          if (!existing) combined.combinedFrom = [a.key, b.key];
          // A code the export already carries keeps its place; a new one takes the place of the first it stands for.
          if (combined.origin !== 'structured') {
            combined.rank = Math.min(combined.rank, first.rank);
            combined.order = Math.min(combined.order, first.order);
          }
          if (!existing) items.set(r.code, combined);
          listed = undefined;
          for (const [x, keep] of [[a, r.keepA], [b, r.keepB]] as const) {
            if (keep || x.key === r.code) continue;
            items.delete(x.key);
            notCoded.push({ code: icd10cmDisplay(x.key), rule: 'combinations', reason: `combined into ${icd10cmDisplay(r.code)} (${rule.id}; Guidelines ${rule.guideline})` });
            if (x.origin === 'structured') (combined.replacesExported ??= []).push(x.key);
            combined.evidence.push(...x.evidence.slice(0, Math.max(0, 3 - combined.evidence.length)));
            // Codes that followed the replaced one follow the combination code now.
            for (const follower of items.values()) if (follower.after === x.key) follower.after = r.code;
          }
          if (r.keepB && items.has(b.key) && b.key !== r.code) {
            // "Use additional code": B follows the combination code, unless the export placed it
            // (no guideline orders other diagnoses; the hospital's order stands).
            if (b.origin !== 'structured') b.after ??= r.code;
            b.steps.push(`kept with ${icd10cmDisplay(r.code)} ("use additional code")`);
          }
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
}

/**
 * Signs and symptoms integral to a confirmed diagnosis are not coded (Guidelines I.B.5,
 * IV.D); those not routinely part of it are (I.B.6), and so is a symptom the documentation
 * ties to nothing coded. Exported (structured) codes are kept as the export sent them.
 * I.B.5 holds "unless otherwise instructed by the classification": a symptom the diagnosis's
 * own "use additional code" note asks for is coded (N40.1 "use additional code for
 * associated symptoms, when specified": urinary frequency R35.0, nocturia R35.1 ...).
 */
export function dropIntegralSymptoms(items: Map<string, DxItem>, notCoded: NotCoded[], cs?: CodeSet): void {
  const confirmed = [...items.values()].filter((i) => !i.symptom);
  const asksFor = (c: DxItem, symptom: string) => !!cs?.get(c.key) && cs.notes(c.key, 'useAdditionalCode').some((n) => n.ranges.some((r) => inRange(symptom, r)));
  for (const item of [...items.values()]) {
    if (!item.symptom || item.origin === 'structured') continue;
    const row = INTEGRAL_SYMPTOMS.find((r) => matchesAny(item.key, r.symptom));
    const explains = confirmed.find((c) => (row && matchesAny(c.key, row.integralTo))
      || (item.finding?.modifiers.link === 'due-to' && c.finding && linkText(c.finding).toLowerCase().includes((item.finding.modifiers.linkedTo ?? '\u0000').toLowerCase())));
    if (!explains) continue;
    const instructed = confirmed.find((c) => asksFor(c, item.key));
    if (instructed) {
      item.steps.push(`not integral: ${icd10cmDisplay(instructed.key)} "use additional code" asks for it (Guidelines I.B.5, I.A.13)`);
      continue;
    }
    items.delete(item.key);
    notCoded.push({ code: icd10cmDisplay(item.key), rule: 'integral-symptoms', reason: `symptom integral to ${icd10cmDisplay(explains.key)} (Guidelines I.B.5)` });
  }
}

/**
 * Excludes1 (Guidelines I.A.12.a): two codes the tabular says are never coded together. A
 * coder keeps the one the record supports better, here the exported code, else the one from
 * the conclusions, else the more confident, and leaves the other off; but a code the tabular
 * calls unspecified gives way to a specified diagnosis ("hepatitis", K75.9, beside "chronic
 * hepatitis C", B18.2: the documentation names the condition; Guidelines I.B.2), also one
 * whose side alone is unspecified ("pain", R52, beside "pain in the knee", M25.569), and a sign
 * or symptom code gives way to the code its own Excludes1 note names ("pain", R52, beside
 * "back pain", M54.9: "code to pain by site"; Guidelines I.B.4).
 */
export function resolveExcludes1(items: Map<string, DxItem>, cs: CodeSet | undefined, notCoded: NotCoded[]): void {
  if (!cs) return;
  const list = [...items.values()].sort((a, b) => a.rank - b.rank || b.confidence - a.confidence || a.order - b.order);
  // Each code's Excludes1 notes (its own and inherited) once, then the pairs checked both ways.
  const notes = new Map(list.map((i) => [i.key, cs.notes(i.key, 'excludes1').filter((n) => n.ranges.length > 0)]));
  const excluded = (from: string, to: string) => notes.get(from)!.find((n) => n.ranges.some((r) => inRange(to, r)));
  // The condition unspecified ("Pain, unspecified", "Unspecified kidney failure", "Respiratory
  // tuberculosis unspecified", "... NOS"), not only its side or part ("Pain in unspecified knee"
  // names the site R52's note sends pain to).
  const unspecified = (i: DxItem) => /^unspecified\b|,\s*unspecified\b|\bunspecified$|\bNOS\b/i.test(cs.get(i.key)?.title ?? '');
  const sign = (k: string) => k.startsWith('R');
  for (let i = 0; i < list.length; i++) {
    const first = list[i]!;
    for (const other of list.slice(i + 1)) {
      if (!items.has(first.key)) break;
      if (!items.has(other.key) || other.origin === 'structured') continue;
      const atFirst = excluded(first.key, other.key);
      const note = atFirst ?? excluded(other.key, first.key);
      if (!note) continue;
      // A sign or finding (R00–R99) is never the more specific of the two (Guidelines I.B.4–5),
      // and gives way to the other code where its own note sends it there ("pain": R52's
      // Excludes1 codes back pain to M54.9).
      const movable = first.origin !== 'structured' && !sign(other.key);
      const specifiedOther = movable && unspecified(first) && !unspecified(other);
      const sentBySign = movable && !specifiedOther && sign(first.key) && atFirst !== undefined;
      const [keep, drop] = specifiedOther || sentBySign ? [other, first] : [first, other];
      items.delete(drop.key);
      const why = specifiedOther ? 'which the record supports more specifically (Guidelines I.A.12.a, I.B.2)'
        : sentBySign ? `the code ${icd10cmDisplay(first.key)}'s note sends it to (Guidelines I.A.12.a, I.B.4)` : 'which the record supports better (Guidelines I.A.12.a)';
      notCoded.push({ code: icd10cmDisplay(drop.key), rule: 'excludes1', reason: `Excludes1 at ${note.at} with ${icd10cmDisplay(keep.key)}, ${why}` });
    }
  }
}
