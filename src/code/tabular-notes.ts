import { icd10cmDisplay, icd10cmKey, inRange } from '../codesets/icd10cm-code.js';
import type { CodeSet } from '../codesets/reference-library.js';
import type { Encounter, Finding, Issue } from '../contract/types.js';
import { codingIssue, evidenceOf } from './coding-context.js';
import type { DxItem } from './dx-item.js';
import { refineCode } from './specificity.js';

/**
 * "Use additional code" and "code first" notes of the tabular (Guidelines I.A.13, I.B.7):
 * the code the note asks for is added when the documentation supports it (a finding of the
 * encounter names a code in the note's range); a manifestation is sequenced after its
 * etiology, and one without a documented etiology becomes a query. `present`: the
 * encounter's diagnosis findings that document a condition (asserted, in a section coded from);
 * `excluded`: readings of them that document nothing here (a status read from a procedure of this stay).
 */
export function completeNotes(e: Encounter, items: Map<string, DxItem>, present: readonly Finding[], cs: CodeSet | undefined, add: (item: Omit<DxItem, 'order'>) => DxItem, issues: Issue[],
  excluded?: (f: Finding, c: Finding['candidates'][number]) => boolean): void {
  if (!cs) return;
  const documented = (ranges: readonly { from: string; to: string }[]) => {
    for (const f of present) {
      for (const c of f.candidates) {
        const k = icd10cmKey(c.code);
        if (k && c.score >= 0.4 && ranges.some((r) => inRange(k, r)) && !excluded?.(f, c)) return { f, k, c };
      }
    }
    return undefined;
  };
  for (const item of [...items.values()]) {
    if (!cs.get(item.key)) continue;
    for (const note of cs.notes(item.key, 'useAdditionalCode')) {
      if (note.ranges.length === 0) continue;
      const already = [...items.values()].filter((i) => i !== item && note.ranges.some((r) => inRange(i.key, r)));
      if (already.length > 0) {
        // Coded already: a condition follows the code whose note asks for it (I11.0, then the
        // heart failure's type); status codes keep their place after the conditions, and the
        // export's own order stands.
        for (const i of already) if (i.origin !== 'structured' && !i.key.startsWith('Z') && i.after === undefined && item.after !== i.key) i.after = item.key;
        continue;
      }
      const hit = documented(note.ranges);
      if (!hit) continue;
      const refined = refineCode(hit.k, hit.f.modifiers, cs, hit.f.sentence);
      if (!cs.isBillable(refined.key)) continue;
      const added = add({
        key: refined.key, confidence: Math.min(hit.c.score, refined.confidenceCap ?? 1), rank: item.rank, origin: 'documentation', symptom: false, finding: hit.f,
        steps: [hit.c.lexiconEntry, ...refined.steps, `use additional code: ${note.at} "${note.text}" (Guidelines I.A.13)`],
        evidence: [evidenceOf(e, hit.f)],
      });
      added.after ??= item.key;
    }
    if (cs.isManifestation(item.key)) {
      const first = cs.notes(item.key, 'codeFirst').filter((n) => n.ranges.length > 0);
      const etiology = [...items.values()].find((i) => i !== item && first.some((n) => n.ranges.some((r) => inRange(i.key, r))));
      if (etiology) {
        item.after = etiology.key;
        item.steps.push(`manifestation: sequenced after its etiology ${icd10cmDisplay(etiology.key)} (Guidelines I.A.13 "code first")`);
        continue;
      }
      const hit = first.length > 0 ? documented(first.flatMap((n) => n.ranges)) : undefined;
      if (hit) {
        const refined = refineCode(hit.k, hit.f.modifiers, cs, hit.f.sentence);
        const added = add({
          key: refined.key, confidence: hit.c.score, rank: item.rank, origin: 'documentation', symptom: false, finding: hit.f,
          steps: [hit.c.lexiconEntry, ...refined.steps, `code first: etiology of ${icd10cmDisplay(item.key)} (Guidelines I.A.13)`], evidence: [evidenceOf(e, hit.f)],
        });
        added.order = Math.min(added.order, item.order);
        item.after = added.key;
        item.steps.push(`manifestation: sequenced after its etiology ${icd10cmDisplay(added.key)} (Guidelines I.A.13 "code first")`);
      } else {
        issues.push(codingIssue('CODE_QUERY_ETIOLOGY', `${icd10cmDisplay(item.key)} is a manifestation code ("in diseases classified elsewhere"); the underlying condition is not documented and must be coded first`, {
          codes: [icd10cmDisplay(item.key)], ...(item.evidence[0] ? { evidence: item.evidence[0].text, source: item.evidence[0].source } : {}),
        }));
      }
    }
  }
}
