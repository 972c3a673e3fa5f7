import { icd10cmDisplay, icd10cmKey } from '../codesets/icd10cm-code.js';
import type { CodeSet } from '../codesets/reference-library.js';
import type { Encounter, Finding, Issue } from '../contract/types.js';
import { codingIssue } from './coding-context.js';
import type { DxItem } from './diagnoses.js';
import type { NotCoded } from './diagnosis-conventions.js';
import { isOfficeEm, mdmName, type EvaluationManagement } from './evaluation-management.js';

const category = (key: string) => key.slice(0, 3);
const STOP = new Set(['of', 'the', 'a', 'an', 'and', 'in', 'with', 'without', 'to', 'unspecified', 'other']);
const significantWords = (text: string) => text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2 && !STOP.has(w));

/** A documented code says more than an exported one of the same category. */
function moreSpecific(exported: string, documented: string, cs: CodeSet | undefined): boolean {
  if (exported === documented || category(exported) !== category(documented)) return false;
  if (!cs) return documented.startsWith(exported) && documented.length > exported.length;
  const ex = cs.get(exported);
  const doc = cs.get(documented);
  if (!doc?.billable) return false;
  if (!ex || !ex.billable) return documented.startsWith(ex?.key ?? exported);
  const unspecified = /\bunspecified\b|without complications/i;
  return unspecified.test(ex.title) && !unspecified.test(doc.title);
}

/**
 * Reviews the codes the export already carries (problem list, a previous coder, the
 * physician) against what the documentation supports, the way a coding auditor does:
 * - an exported code with nothing in the notes behind it (AUDIT_CODE_UNSUPPORTED) or only
 *   a negation of it (AUDIT_CODE_CONTRADICTED) is reported; it stays on the claim, since
 *   only the provider can withdraw it;
 * - an exported code less specific than the documentation (AUDIT_LESS_SPECIFIC) is
 *   replaced on the claim by the documented one;
 * - a documented condition the export left uncoded (AUDIT_CONDITION_UNCODED) is added and
 *   reported;
 * - a billed office E/M level the documented medical decision making does not match
 *   (AUDIT_EM_LEVEL) is reported, never changed.
 * Auditing needs notes: an export without them is not audited. A documented code an
 * exported one stands for is added to `notCoded` with the rule behind it.
 */
export function auditExportedCodes(e: Encounter, items: Map<string, DxItem>, findings: readonly Finding[], cs: CodeSet | undefined, em: EvaluationManagement | undefined, notCoded: NotCoded[] = []): Issue[] {
  const issues: Issue[] = [];
  if (e.notes.length === 0) return issues;
  const exported = [...items.values()].filter((i) => i.origin === 'structured');
  const documented = [...items.values()].filter((i) => i.origin !== 'structured');
  const dxFindings = findings.filter((f) => f.kind === 'diagnosis');
  const mentions = (cat: string, ok: (f: Finding) => boolean) => dxFindings.find((f) => ok(f) && f.candidates.some((c) => icd10cmKey(c.code)?.slice(0, 3) === cat));

  for (const x of exported) {
    const better = documented.find((d) => moreSpecific(x.key, d.key, cs));
    if (better) {
      issues.push(codingIssue('AUDIT_LESS_SPECIFIC', `exported ${icd10cmDisplay(x.key)} is less specific than the documentation supports: ${icd10cmDisplay(better.key)} is coded instead (Guidelines I.B.2)`, {
        codes: [icd10cmDisplay(x.key), icd10cmDisplay(better.key)], ...(better.evidence[0] ? { evidence: better.evidence[0].text, source: better.evidence[0].source } : {}),
      }));
      better.rank = Math.min(better.rank, x.rank);
      better.order = Math.min(better.order, x.order);
      better.steps.push(`audit: replaces exported ${icd10cmDisplay(x.key)}, less specific`);
      items.delete(x.key);
      notCoded.push({ code: icd10cmDisplay(x.key), rule: 'specificity', reason: `exported, less specific than the documented ${icd10cmDisplay(better.key)} (Guidelines I.B.2)` });
      continue;
    }
    if (x.key.startsWith('Z')) continue; // status and history codes are rarely restated in the note
    const cat = category(x.key);
    if (mentions(cat, (f) => f.assertion !== 'negated') || documented.some((d) => category(d.key) === cat)) continue;
    const negated = mentions(cat, (f) => f.assertion === 'negated');
    if (negated) {
      issues.push(codingIssue('AUDIT_CODE_CONTRADICTED', `exported ${icd10cmDisplay(x.key)} is contradicted by the note ("${negated.text}" is ${negated.assertionTrigger ?? 'negated'})`, {
        codes: [icd10cmDisplay(x.key)], evidence: negated.sentence, source: x.evidence[0]?.source ?? e.source,
      }));
      x.confidence = Math.min(x.confidence, 0.5);
      x.steps.push('audit: contradicted by the documentation');
    } else {
      issues.push(codingIssue('AUDIT_CODE_UNSUPPORTED', `exported ${icd10cmDisplay(x.key)} has no support in the encounter's notes`, {
        codes: [icd10cmDisplay(x.key)], source: x.evidence[0]?.source ?? e.source,
      }));
    }
  }

  // A mention an exported code already names is that code: "dementia" with exported F02.80
  // "Dementia in other diseases classified elsewhere" is not also F03.90; nor is a mention of
  // the category coded as its unspecified code beside the exported specific one.
  for (const d of documented) {
    if (!items.has(d.key) || d.origin !== 'documentation' || !d.finding) continue;
    // An unspecified code of a category an exported code names more specifically is that
    // code ("sore throat" J02.9 with exported J02.0 streptococcal pharyngitis; Guidelines I.B.2).
    // Without the tabular (starter library), the title is the one the finding's candidate gives.
    const title = d.finding.candidates.find((c) => icd10cmKey(c.code) === d.key)?.title ?? '';
    const specific = exported.find((x) => items.has(x.key) && (cs
      ? moreSpecific(d.key, x.key, cs)
      : x.key !== d.key && category(x.key) === category(d.key) && /\bunspecified\b/i.test(title)));
    if (specific) {
      items.delete(d.key);
      specific.steps.push(`audit: says more than the documented "${d.finding.text}" (not coded again as ${icd10cmDisplay(d.key)})`);
      notCoded.push({ code: icd10cmDisplay(d.key), rule: 'specificity', reason: `"${d.finding.text}": the exported ${icd10cmDisplay(specific.key)} names it more specifically (Guidelines I.B.2)` });
    }
  }
  if (cs) {
    for (const d of documented) {
      if (!items.has(d.key) || d.origin !== 'documentation' || !d.finding) continue;
      const mention = significantWords(d.finding.text);
      const namedBy = mention.length > 0 ? exported.find((x) => items.has(x.key) && category(x.key) !== category(d.key) && mention.every((w) => significantWords(cs.title(x.key) ?? '').includes(w))) : undefined;
      if (!namedBy) continue;
      items.delete(d.key);
      namedBy.steps.push(`audit: also names the documented "${d.finding.text}" (not coded again as ${icd10cmDisplay(d.key)})`);
      notCoded.push({ code: icd10cmDisplay(d.key), rule: 'one-code-per-mention', reason: `"${d.finding.text}" is the exported ${icd10cmDisplay(namedBy.key)}, whose title names it (one code per mention)` });
    }
  }
  if (exported.length > 0) {
    for (const d of documented) {
      if (!items.has(d.key) || d.key.startsWith('Z') || d.replacesExported?.length || d.steps.some((s) => s.startsWith('audit: replaces'))) continue;
      if (exported.some((x) => x.key === d.key)) continue;
      issues.push(codingIssue('AUDIT_CONDITION_UNCODED', `documented ${icd10cmDisplay(d.key)} was not among the exported codes; added`, {
        codes: [icd10cmDisplay(d.key)], ...(d.evidence[0] ? { evidence: d.evidence[0].text, source: d.evidence[0].source } : {}),
      }));
    }
  }

  const billed = e.charges.find((c) => isOfficeEm(c.code));
  if (em && billed?.code && billed.code !== em.code && billed.code !== '99211') {
    issues.push(codingIssue('AUDIT_EM_LEVEL', `billed ${billed.code}; the documented medical decision making supports ${em.code} (problems ${mdmName(em.mdm.problems)}, data ${mdmName(em.mdm.data)}, risk ${mdmName(em.mdm.risk)})`, {
      codes: [billed.code, em.code], source: billed.source,
    }));
  }
  return issues;
}
