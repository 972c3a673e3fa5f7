import { icd10cmDisplay, icd10cmKey } from '../codesets/icd10cm-code.js';
import type { CodeSet } from '../codesets/reference-library.js';
import type {
  CodedDiagnosis, CodedEncounter, CodedPcsProcedure, Encounter, Finding, Issue,
} from '../contract/types.js';
import { auditExportedCodes } from './audit.js';
import { codingIssue, isInpatient, type CodingContext } from './coding-context.js';
import { CODABLE_SCORE, chooseDiagnoses, type DxItem } from './diagnoses.js';
import type { NotCoded } from './diagnosis-conventions.js';
import { ruleOn } from './coding-rules.js';
import { evaluateMdm } from './evaluation-management.js';
import { buildPcs, documentedProcedures } from './pcs.js';
import { assignPoa } from './poa.js';
import { codeServiceLines } from './service-lines.js';
import { matchesAny } from './tables/code-ranges.js';
import { DROP_FIRST_OVER_LIMIT, KEEP_OVER_LIMIT } from './tables/limit-priority.js';
import { applyTelehealth } from './telehealth.js';
import { ISSUE_CODES } from '../contract/issue-codes.js';

export { CODABLE_SCORE } from './diagnoses.js';
export { MAX_POINTERS } from './service-lines.js';
export type { CodingContext } from './coding-context.js';

/** Sections whose procedures are not this stay's: past surgery, plans, family and social history. */
const NOT_THIS_STAY = new Set(['psh', 'plan', 'family_history', 'social_history', 'medications', 'allergies']);

/**
 * What a claim carries (X12 837P 2300 HI: 12 diagnoses; 837I 2300 HI: a principal, two HI
 * of 12 other diagnoses, one HI of 12 external causes of injury).
 */
export const DIAGNOSIS_LIMIT = { professional: 12, institutional: 25 } as const;
export const EXTERNAL_CAUSE_LIMIT_837I = 12;

/** Codes that may not be first-listed or principal: external causes (Guidelines I.C.20), history and status Z codes that only describe. */
const NEVER_FIRST = ['V00-Y99'];
const isExternalCause = (key: string) => matchesAny(key, NEVER_FIRST);

/**
 * Diagnosis order (Guidelines II for inpatient principal diagnosis, IV.G for the
 * outpatient first-listed one): exported codes, then conclusions (discharge diagnoses,
 * assessment) in the order written, the reason for the visit, other conditions, status,
 * history. A code that must follow another (manifestation after etiology, "use
 * additional code") follows it; a manifestation or an external cause is never first.
 * `moved` names a code that would have led and may not.
 */
export function sequenceDiagnoses(items: readonly DxItem[], cs: CodeSet | undefined): { order: DxItem[]; moved?: { item: DxItem; why: 'manifestation' | 'external-cause' } } {
  const base = [...items].sort((a, b) => a.rank - b.rank || a.order - b.order);
  const present = new Set(base.map((i) => i.key));
  const out: DxItem[] = [];
  const placed = new Set<DxItem>();
  const place = (item: DxItem) => {
    if (placed.has(item)) return;
    placed.add(item);
    out.push(item);
    for (const follower of base) if (follower.after === item.key) place(follower);
  };
  for (const item of base) if (!item.after || !present.has(item.after) || item.after === item.key) place(item);
  for (const item of base) place(item); // a cycle of "after" links: keep whatever is left in order
  const firstOk = out.findIndex((i) => !cs?.isManifestation(i.key) && !isExternalCause(i.key));
  if (firstOk > 0) {
    const displaced = out[0]!;
    const why = isExternalCause(displaced.key) ? 'external-cause' : 'manifestation';
    const [lead] = out.splice(firstOk, 1);
    lead!.steps.push(`sequenced first: ${icd10cmDisplay(displaced.key)} may not be first-listed (${why === 'manifestation' ? 'manifestation; Guidelines I.A.13' : 'external cause; Guidelines I.C.20'})`);
    out.unshift(lead!);
    return { order: out, moved: { item: displaced, why } };
  }
  return { order: out };
}

/** Over the limit: the principal stays, then codes that change care or payment; history and descriptive status codes go first, last ones first. */
function applyLimit(sequenced: DxItem[], limit: number): { kept: DxItem[]; dropped: DxItem[] } {
  if (sequenced.length <= limit) return { kept: sequenced, dropped: [] };
  const tier = (item: DxItem, i: number) => (i === 0 || matchesAny(item.key, KEEP_OVER_LIMIT) ? 0 : matchesAny(item.key, DROP_FIRST_OVER_LIMIT) ? 2 : 1);
  const byPriority = sequenced.map((item, i) => ({ item, i, t: tier(item, i) })).sort((a, b) => a.t - b.t || a.i - b.i);
  const keep = new Set(byPriority.slice(0, limit).map((x) => x.item));
  return { kept: sequenced.filter((x) => keep.has(x)), dropped: sequenced.filter((x) => !keep.has(x)) };
}

/**
 * Coding changes to the codes the export sent, as findings naming before → after: a new
 * first-listed code under the edit that required it, other changes of order as
 * CODE_RESEQUENCED, combination codes that replace exported codes as CODE_COMBINATION_APPLIED.
 */
function reportChanges(
  structured: readonly string[], sequenced: readonly DxItem[], items: readonly DxItem[], moved: ReturnType<typeof sequenceDiagnoses>['moved'], inpatient: boolean,
  cannotLead: (key: string) => 'manifestation' | 'external-cause' | undefined,
): Issue[] {
  const issues: Issue[] = [];
  const show = (keys: readonly string[]) => keys.map(icd10cmDisplay).join(', ');
  for (const item of items) {
    // A combination code a rule made from the export's codes: replacing them, or added beside them ("with" presumed).
    const rule = item.steps.filter((st) => st.startsWith('combination')).at(-1);
    if (!rule || !(item.replacesExported?.length || item.combinedFrom?.some((k) => structured.includes(k)))) continue;
    const what = item.replacesExported?.length ? `exported ${show(item.replacesExported)} → ${icd10cmDisplay(item.key)}` : `${icd10cmDisplay(item.key)} added`;
    issues.push(codingIssue('CODE_COMBINATION_APPLIED', `${what}: ${rule}`, {
      codes: [...(item.replacesExported ?? []).map(icd10cmDisplay), icd10cmDisplay(item.key)],
      ...(item.evidence[0] ? { evidence: item.evidence[0].text, source: item.evidence[0].source } : {}),
    }));
  }
  const after = sequenced.map((i) => i.key).filter((k) => structured.includes(k));
  const before = structured.filter((k) => after.includes(k));
  if (before.join() === after.join()) return issues;
  const at = moved?.item.evidence[0] ?? sequenced[0]?.evidence[0];
  const where = at ? { evidence: at.text, source: at.source } : {};
  // The exported first code lost its place because it may not lead: reported under the edit that forbids it.
  const why = before[0] !== after[0] ? (moved && moved.item.key === before[0] ? moved.why : cannotLead(before[0]!)) : undefined;
  if (why) {
    const code = why === 'manifestation' ? 'EDIT_MANIFESTATION_FIRST' : 'EDIT_EXTERNAL_CAUSE_FIRST';
    const def = ISSUE_CODES[code];
    issues.push({
      code, severity: 'warning', stage: 'code', action: def.action, codes: [icd10cmDisplay(before[0]!), icd10cmDisplay(sequenced[0]!.key)], ...where,
      message: `${icd10cmDisplay(before[0]!)} is ${why === 'manifestation' ? 'a manifestation code' : 'an external-cause code'} and may not be ${inpatient ? 'the principal diagnosis' : 'first-listed'}: resequenced ${show(before)} → ${show(after)} (Guidelines ${why === 'manifestation' ? 'I.A.13 "code first"' : 'I.C.20'})`,
    });
  } else {
    issues.push(codingIssue('CODE_RESEQUENCED', `exported order ${show(before)} → ${show(after)}: ${sequenced.find((i) => i.after && structured.includes(i.key))?.steps.at(-1) ?? 'sequencing convention'}`, {
      codes: after.map(icd10cmDisplay), ...where,
    }));
  }
  return issues;
}

/**
 * Turns the export's structured codes and the abstracted findings into the claim's
 * diagnoses, service lines and (inpatient) ICD-10-PCS procedures, as a certified coder
 * would under the ICD-10-CM Official Guidelines: the most specific code the documentation
 * supports, combination codes, "use additional"/"code first" pairs, uncertain, negated,
 * historical and family mentions handled by setting, integral symptoms left off, the
 * diagnosis limit, POA, modifiers, E/M level from MDM, and an audit of the codes the
 * export already carries. Every code keeps its rule path and evidence; missing
 * documentation becomes a query. Pure: the reference data comes in `ctx`.
 */
export function codeEncounter(encounter: Encounter, allFindings: readonly Finding[], ctx: CodingContext = {}): CodedEncounter {
  // A term inside a longer mention is coded as part of the whole ("low back pain" is M54.5, not also R52).
  const off = ctx.rulesOff;
  const findings = ruleOn(off, 'nested-mention') ? allFindings.filter((f) => !f.nested) : [...allFindings];
  const cs = ctx.icd10cm;
  const inpatient = isInpatient(encounter);
  const chosen = chooseDiagnoses(encounter, findings, cs, off);
  if (ruleOn(off, 'nested-mention')) {
    for (const f of allFindings) {
      if (!f.nested) continue;
      for (const c of f.candidates) {
        if (c.score >= CODABLE_SCORE) chosen.notCoded.push({ code: c.code, rule: 'nested-mention', reason: `"${f.text}" is part of a longer mention, coded as a whole` });
      }
    }
  }
  const issues: Issue[] = [...chosen.issues];
  const items = new Map(chosen.items.map((i) => [i.key, i]));

  const documentedCodes = [...items.keys()];
  const em = evaluateMdm(encounter, findings, documentedCodes.map(icd10cmDisplay));
  issues.push(...auditExportedCodes(encounter, items, findings, cs, em, chosen.notCoded));

  const structured = encounter.diagnoses.filter((d) => d.system === 'ICD-10-CM' && d.type !== 'admitting' && d.type !== 'reason-for-visit').map((d) => icd10cmKey(d.code) ?? d.code);
  const { order, moved } = sequenceDiagnoses([...items.values()], cs);
  const cannotLead = (key: string) => (isExternalCause(key) ? 'external-cause' as const : cs?.isManifestation(key) ? 'manifestation' as const : undefined);
  issues.push(...reportChanges(structured, order, [...items.values()], moved, inpatient, cannotLead));
  // 837I carries external causes in their own HI (ABN): they do not count against the other diagnoses.
  const external = encounter.kind === 'institutional' ? order.filter((i) => isExternalCause(i.key)) : [];
  const listed = order.filter((i) => !external.includes(i));
  const limit = ruleOn(off, 'diagnosis-limit') ? DIAGNOSIS_LIMIT[encounter.kind] : Infinity;
  const main = applyLimit(listed, limit);
  const ext = applyLimit(external, EXTERNAL_CAUSE_LIMIT_837I);
  const dropped = [...main.dropped, ...ext.dropped];
  if (dropped.length > 0) {
    const carries = encounter.kind === 'institutional' ? `a principal and ${limit - 1} other diagnoses and ${EXTERNAL_CAUSE_LIMIT_837I} external causes` : `${limit} diagnoses`;
    const kept = main.kept.filter((i, n) => n > 0 && matchesAny(i.key, KEEP_OVER_LIMIT));
    issues.push(codingIssue('CODE_DIAGNOSIS_LIMIT', `${order.length} diagnoses; the ${encounter.kind === 'institutional' ? '837I' : '837P'} carries ${carries}: dropped ${dropped.map((c) => icd10cmDisplay(c.key)).join(', ')}${kept.length > 0 ? `; kept ${kept.map((c) => icd10cmDisplay(c.key)).join(', ')} (status codes that change care or payment)` : ''}`, {
      codes: dropped.map((c) => icd10cmDisplay(c.key)),
    }));
  }
  // The claim keeps one order (the 837I writer puts external causes in their own HI).
  const keep = new Set([...main.kept, ...ext.kept]);
  const sequenced = order.filter((i) => keep.has(i));

  const poa = inpatient ? assignPoa(sequenced, ctx.poaExempt) : undefined;
  if (poa) issues.push(...poa.issues);
  const diagnoses: CodedDiagnosis[] = sequenced.map((c, i) => {
    const indicator = poa?.poa.get(c);
    return {
      code: icd10cmDisplay(c.key), system: 'ICD-10-CM', sequence: i + 1, confidence: Math.round(c.confidence * 1000) / 1000,
      rulePath: c.steps.join(' → '), evidence: c.evidence, ...(indicator ? { poa: indicator } : {}),
    };
  });
  if (diagnoses.length === 0) {
    issues.push(codingIssue('CODE_NO_DIAGNOSIS', 'no structured diagnosis and no affirmed condition in the notes', { source: encounter.source }));
  }

  const service = codeServiceLines(encounter, findings, diagnoses, ctx.prices, ctx.revenueCodes);
  issues.push(...service.issues);
  // A telehealth visit: the place of service and modifiers its payer wants.
  const tele = applyTelehealth(encounter, service.lines, ctx.telehealth);
  issues.push(...tele.issues);
  const procedures = tele.lines;
  if (procedures.length === 0) {
    issues.push(codingIssue('CODE_NO_PROCEDURE', 'the encounter has no charge line to bill', { source: encounter.source }));
  }

  const pcsProcedures = inpatient ? codePcs(encounter, findings, ctx.pcs, issues, chosen.notCoded, off) : [];

  const confidences = [...diagnoses.map((d) => d.confidence), ...procedures.map((p) => p.confidence), ...pcsProcedures.map((p) => p.confidence)];
  const confidence = confidences.length === 0 ? 0 : Math.min(...confidences);
  return {
    encounter: tele.encounter, findings: [...allFindings], diagnoses, procedures, pcsProcedures,
    ...(em ? { evaluationManagement: em } : {}),
    notCoded: [...chosen.notCoded, ...dropped.map((c) => ({ code: icd10cmDisplay(c.key), rule: 'diagnosis-limit' as const, reason: `over the ${encounter.kind === 'institutional' ? '837I' : '837P'} diagnosis limit` }))], confidence, issues,
  };
}

/** Why a procedure mention that is not affirmed as done is not coded, under the diagnosis rules' names. */
function pcsNotPerformed(f: Finding, code: string): NotCoded {
  switch (f.assertion) {
    case 'historical': return { code, rule: 'personal-history', reason: `"${f.text}" was done before this stay (${f.assertionTrigger ?? 'section'})` };
    case 'family': return { code, rule: 'family-history', reason: `"${f.text}" is a relative's procedure` };
    case 'uncertain': return { code, rule: 'uncertain', reason: `"${f.text}" is not documented as done (${f.assertionTrigger ?? 'uncertain'})` };
    default: return { code, rule: 'negated-hypothetical', reason: `"${f.text}" is ${f.assertion} (${f.assertionTrigger ?? f.assertion}): not done` };
  }
}

/**
 * ICD-10-PCS section 4 (Measurement and Monitoring) with the external approach (5th character
 * X): ECG 4A02X4Z, EEG 4A00X4Z, Holter 4A12X45, visual acuity 4A07X0Z. No surgery, no
 * procedural or anesthetic risk: not a significant procedure in the UHDDS sense, so a note's
 * mention is not put on the claim (an exported code is the facility's choice and stays).
 */
const EXTERNAL_MEASUREMENT = /^4[AB][01].X/;

/** An imaging code completed without documented contrast is for a person to confirm. */
const IMAGING_COMPLETION_CAP = 0.75;
const CONTRAST = /\b(?:contrast|enhanced|enhancement|gadolinium|iodinated|angiograph\w*|arteriograph\w*|venograph\w*)\b/i;

/**
 * An imaging procedure (ICD-10-PCS section B) read to its body part ("abdominal CT" → BW20): its
 * last three characters are the contrast and two qualifiers. With no contrast in the
 * sentence the code is the one that asserts nothing undocumented, contrast None and no
 * qualifier (BW20ZZZ); with contrast mentioned, its kind (high or low osmolar) is not known,
 * and the 4-character candidate stays evidence.
 */
function completeImaging(code: string, sentence: string, pcs: CodeSet): { code: string; step: string } | undefined {
  if (code.length !== 4 || code[0] !== 'B' || CONTRAST.test(sentence)) return undefined;
  const full = `${code}ZZZ`;
  return pcs.isBillable(full) ? { code: full, step: `imaging, no contrast documented: ${code} → ${full} (contrast None, no qualifier)` } : undefined;
}

/**
 * Inpatient procedures: ICD-10-PCS codes exported with the stay, then those built from the
 * documentation (validated against the PCS version in force). The principal procedure is
 * the first definitive one (UHDDS; a procedure for the principal diagnosis first).
 */
function codePcs(e: Encounter, findings: readonly Finding[], pcs: CodeSet | undefined, issues: Issue[], notCoded: NotCoded[], off: CodingContext['rulesOff']): CodedPcsProcedure[] {
  const out: CodedPcsProcedure[] = [];
  // Exported ICD-10-PCS procedures in their order, each on its own date (documents stage them with the diagnoses).
  const exported = [...(e.procedures ?? []), ...e.diagnoses].filter((d) => d.system === 'ICD-10-PCS');
  for (const d of exported) {
    if (out.some((p) => p.code === d.code)) continue;
    const date = 'date' in d ? d.date : undefined;
    out.push({
      code: d.code, sequence: out.length + 1, confidence: 0.95, ...(date ? { date } : {}),
      rulePath: `structured: exported ICD-10-PCS ${d.code} (${d.source.file}${d.source.line !== undefined ? ` line ${d.source.line}` : ''}${d.source.path ? ` ${d.source.path}` : ''})`,
      evidence: [{ text: d.description ?? d.code, source: d.source }],
    });
  }
  // PCS codes the lexicon names for a performed procedure (site-learned terms, PCS titles), valid in the version in force.
  for (const f of findings) {
    const best = f.candidates[0];
    if (f.kind !== 'procedure' || !best || best.system !== 'ICD-10-PCS' || best.score < CODABLE_SCORE) continue;
    for (const c of f.candidates.slice(1)) {
      if (c.system === 'ICD-10-PCS' && c.score >= CODABLE_SCORE) notCoded.push({ code: c.code, rule: 'one-code-per-mention', reason: `"${f.text}" is read as ${best.code} (${best.score}), its best reading (one code per mention)` });
    }
    if (f.assertion !== 'present') {
      notCoded.push(pcsNotPerformed(f, best.code));
      continue;
    }
    const imaging = pcs ? completeImaging(best.code, f.sentence, pcs) : undefined;
    const code = imaging?.code ?? best.code;
    if (NOT_THIS_STAY.has(f.section)) {
      notCoded.push({ code: best.code, rule: 'non-coding-section', reason: `"${f.text}" is in section ${f.section}: not a procedure of this stay` });
      continue;
    }
    if (pcs && !pcs.isBillable(code)) {
      notCoded.push({ code: best.code, rule: 'specificity', reason: `"${f.text}": an ICD-10-PCS code needs all seven characters (PCS Guidelines A.1-A.2); the documentation gives ${code}${code[0] === 'B' && code.length === 4 && CONTRAST.test(f.sentence) ? ', with contrast of an unknown kind' : ''}` });
      continue;
    }
    if (EXTERNAL_MEASUREMENT.test(code) && ruleOn(off, 'not-significant')) {
      notCoded.push({ code, rule: 'not-significant', reason: `"${f.text}": ${code} is an external measurement or monitoring, not a significant procedure (UHDDS); reported by facility policy only` });
      continue;
    }
    if (out.some((p) => p.code === code)) continue;
    const note = e.notes.find((n) => n.id === f.noteId);
    out.push({
      code, sequence: out.length + 1, confidence: imaging ? Math.min(best.score, IMAGING_COMPLETION_CAP) : best.score,
      rulePath: `${best.lexiconEntry}; section ${f.section}${imaging ? `; ${imaging.step}` : ''}`,
      evidence: [{ text: f.sentence, source: { ...(note?.source ?? e.source), path: `note ${f.noteId} [${f.start},${f.end})` } }],
    });
  }
  if (!pcs) return out;
  for (const doc of documentedProcedures(e.notes)) {
    const note = e.notes.find((n) => n.id === doc.noteId);
    const source = { ...(note?.source ?? e.source), path: `note ${doc.noteId} [${doc.start},${doc.end})` };
    const built = buildPcs(doc.proc, doc.sentence, doc.laterality, pcs);
    if (built.problem) {
      if (!issues.some((i) => i.code === 'CODE_PCS_NOT_BUILT' && i.message === built.problem)) {
        issues.push(codingIssue('CODE_PCS_NOT_BUILT', built.problem, { evidence: doc.sentence, source, tableVersion: `ICD-10-PCS ${pcs.version.version}` }));
      }
      continue;
    }
    if (out.some((p) => p.code === built.code)) continue;
    out.push({ code: built.code, sequence: out.length + 1, confidence: 0.9, rulePath: built.steps.join(' → '), evidence: [{ text: doc.sentence, source }] });
  }
  return out;
}
