import { icd10cmDisplay } from '../codesets/icd10cm-code.js';
import type { CodeSet } from '../codesets/reference-library.js';
import type {
  CodedDiagnosis, CodedEncounter, CodedPcsProcedure, Encounter, Finding, Issue,
} from '../contract/types.js';
import { auditExportedCodes } from './audit.js';
import { codingIssue, isInpatient, type CodingContext } from './coding-context.js';
import { CODABLE_SCORE, chooseDiagnoses, type DxItem } from './diagnoses.js';
import { evaluateMdm } from './evaluation-management.js';
import { buildPcs, documentedProcedures } from './pcs.js';
import { assignPoa } from './poa.js';
import { codeServiceLines } from './service-lines.js';
import { matchesAny } from './tables/code-ranges.js';

export { CODABLE_SCORE } from './diagnoses.js';
export { MAX_POINTERS } from './service-lines.js';
export type { CodingContext } from './coding-context.js';

/** Sections whose procedures are not this stay's: past surgery, plans, family and social history. */
const NOT_THIS_STAY = new Set(['psh', 'plan', 'family_history', 'social_history', 'medications', 'allergies']);

/** 837P carries 12 diagnoses (HI, 2300); 837I a principal plus 24 others. */
export const DIAGNOSIS_LIMIT = { professional: 12, institutional: 25 } as const;

/** Codes that may not be first-listed or principal: external causes (Guidelines I.C.20), history and status Z codes that only describe. */
const NEVER_FIRST = ['V00-Y99'];

/**
 * Diagnosis order (Guidelines II for inpatient principal diagnosis, IV.G for the
 * outpatient first-listed one): exported codes, then conclusions (discharge diagnoses,
 * assessment) in the order written, the reason for the visit, other conditions, status,
 * history. A code that must follow another (manifestation after etiology, "use
 * additional code") follows it; a manifestation or an external cause is never first.
 */
export function sequenceDiagnoses(items: readonly DxItem[], cs: CodeSet | undefined): DxItem[] {
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
  const firstOk = out.findIndex((i) => !cs?.isManifestation(i.key) && !matchesAny(i.key, NEVER_FIRST));
  if (firstOk > 0) {
    const [lead] = out.splice(firstOk, 1);
    lead!.steps.push(`sequenced first: ${out[0] ? icd10cmDisplay(out[0].key) : 'the code before it'} may not be first-listed (manifestation or external cause; Guidelines I.A.13, I.C.20)`);
    out.unshift(lead!);
  }
  return out;
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
export function codeEncounter(encounter: Encounter, findings: readonly Finding[], ctx: CodingContext = {}): CodedEncounter {
  const cs = ctx.icd10cm;
  const inpatient = isInpatient(encounter);
  const chosen = chooseDiagnoses(encounter, findings, cs);
  const issues: Issue[] = [...chosen.issues];
  const items = new Map(chosen.items.map((i) => [i.key, i]));

  const documentedCodes = [...items.keys()];
  const em = evaluateMdm(encounter, findings, documentedCodes.map(icd10cmDisplay));
  issues.push(...auditExportedCodes(encounter, items, findings, cs, em));

  let sequenced = sequenceDiagnoses([...items.values()], cs);
  const limit = DIAGNOSIS_LIMIT[encounter.kind];
  if (sequenced.length > limit) {
    const dropped = sequenced.slice(limit);
    issues.push(codingIssue('CODE_DIAGNOSIS_LIMIT', `${sequenced.length} diagnoses; the claim carries ${limit}, dropped ${dropped.map((c) => icd10cmDisplay(c.key)).join(', ')}`, {
      codes: dropped.map((c) => icd10cmDisplay(c.key)),
    }));
    sequenced = sequenced.slice(0, limit);
  }

  const poa = inpatient ? assignPoa(sequenced) : undefined;
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

  const service = codeServiceLines(encounter, findings, diagnoses, ctx.prices);
  issues.push(...service.issues);
  const procedures = service.lines;
  if (procedures.length === 0) {
    issues.push(codingIssue('CODE_NO_PROCEDURE', 'the encounter has no charge line to bill', { source: encounter.source }));
  }

  const pcsProcedures = inpatient ? codePcs(encounter, findings, ctx.pcs, issues) : [];

  const confidences = [...diagnoses.map((d) => d.confidence), ...procedures.map((p) => p.confidence), ...pcsProcedures.map((p) => p.confidence)];
  const confidence = confidences.length === 0 ? 0 : Math.min(...confidences);
  return {
    encounter, findings: [...findings], diagnoses, procedures, pcsProcedures,
    ...(em ? { evaluationManagement: em } : {}),
    notCoded: chosen.notCoded, confidence, issues,
  };
}

/**
 * Inpatient procedures: ICD-10-PCS codes exported with the stay, then those built from the
 * documentation (validated against the PCS version in force). The principal procedure is
 * the first definitive one (UHDDS; a procedure for the principal diagnosis first).
 */
function codePcs(e: Encounter, findings: readonly Finding[], pcs: CodeSet | undefined, issues: Issue[]): CodedPcsProcedure[] {
  const out: CodedPcsProcedure[] = [];
  for (const d of e.diagnoses) {
    if (d.system !== 'ICD-10-PCS' || out.some((p) => p.code === d.code)) continue;
    out.push({ code: d.code, sequence: out.length + 1, confidence: 0.95, rulePath: `structured: exported ICD-10-PCS ${d.code} (${d.source.file})`, evidence: [{ text: d.description ?? d.code, source: d.source }] });
  }
  // PCS codes the lexicon names for a performed procedure (site-learned terms, PCS titles), valid in the version in force.
  for (const f of findings) {
    const best = f.candidates[0];
    if (f.kind !== 'procedure' || f.assertion !== 'present' || !best || best.system !== 'ICD-10-PCS' || best.score < CODABLE_SCORE) continue;
    if (NOT_THIS_STAY.has(f.section) || out.some((p) => p.code === best.code) || (pcs && !pcs.isBillable(best.code))) continue;
    const note = e.notes.find((n) => n.id === f.noteId);
    out.push({
      code: best.code, sequence: out.length + 1, confidence: best.score, rulePath: `${best.lexiconEntry}; section ${f.section}`,
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
