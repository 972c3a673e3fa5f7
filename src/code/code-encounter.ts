import { ISSUE_CODES, type IssueCode } from '../contract/issue-codes.js';
import type {
  CodedDiagnosis, CodedEncounter, CodedProcedure, Encounter, Finding, Issue, SourceLocation,
} from '../contract/types.js';

/** 837P carries 12 diagnoses (HI, 2300); 837I a principal plus 24 others. */
export const DIAGNOSIS_LIMIT = { professional: 12, institutional: 25 } as const;
/** SV107: up to four diagnosis pointers per service line. */
export const MAX_POINTERS = 4;

/** Sections where a clinician states conclusions, which lead the diagnosis order. */
const CONCLUSION_SECTIONS = new Set(['assessment', 'diagnoses', 'discharge_diagnoses', 'plan']);

/**
 * Sections a coder does not code diagnoses from: lists of drugs and allergies, social
 * history, and the review of systems, exam and results, whose signs are either integral to
 * the diagnosis or, when they matter, restated in the assessment. They stay findings.
 */
const NON_CODING_SECTIONS = new Set(['medications', 'allergies', 'social_history', 'ros', 'exam', 'results']);

/** Candidates scoring lower are evidence to show, not codes to bill (the eval's default threshold). */
export const CODABLE_SCORE = 0.5;

function issue(code: IssueCode, message: string, extra: Partial<Issue> = {}): Issue {
  const def = ISSUE_CODES[code];
  return { code, severity: def.severity, stage: 'code', message, action: def.action, ...extra };
}

interface Candidate {
  code: string;
  confidence: number;
  priority: number;
  order: number;
  rulePath: string;
  evidence: { text: string; source: SourceLocation }[];
  symptom: boolean;
}

/**
 * Turns the export's structured codes and the abstracted findings into the claim's
 * diagnoses and service lines, applying the guidelines this stage knows so far:
 * - negated, family, hypothetical and historical mentions are not coded;
 * - uncertain diagnoses: not coded for outpatient/professional claims (ICD-10-CM
 *   guidelines Section IV.H), coded as established for inpatient (Section II.H);
 * - signs and symptoms are coded only when no definitive diagnosis is documented
 *   (Section IV.D; a simplification until the coding issue lands);
 * - the claim limit (12 on 837P, 25 on 837I) drops the lowest-priority codes.
 */
export function codeEncounter(encounter: Encounter, findings: readonly Finding[]): CodedEncounter {
  const issues: Issue[] = [];
  const byCode = new Map<string, Candidate>();
  let order = 0;
  const consider = (c: Omit<Candidate, 'order'>) => {
    const existing = byCode.get(c.code);
    if (existing) {
      existing.evidence.push(...c.evidence.slice(0, 3 - existing.evidence.length));
      existing.confidence = Math.max(existing.confidence, c.confidence);
      existing.priority = Math.min(existing.priority, c.priority);
      return;
    }
    byCode.set(c.code, { ...c, order: order++ });
  };

  const inpatient = encounter.kind === 'institutional';
  for (const d of encounter.diagnoses) {
    if (d.system !== 'ICD-10-CM') continue;
    // Structured entries keep their own status: refuted, negated and entered-in-error are not
    // conditions of the patient; resolved ones are history; uncertain ones follow the same
    // rules as uncertain documentation (Guidelines IV.H outpatient, II.H inpatient).
    if (d.status === 'refuted' || d.status === 'negated' || d.status === 'entered-in-error' || d.status === 'resolved' || (d.status === 'uncertain' && !inpatient)) {
      issues.push(issue('CODE_STRUCTURED_NOT_CODED', `exported diagnosis ${d.code} has status "${d.status}"; not coded for this encounter`, {
        codes: [d.code], source: d.source, ...(d.description ? { evidence: d.description } : {}),
      }));
      continue;
    }
    consider({
      code: d.code, confidence: 0.95, priority: 0, symptom: false,
      rulePath: `structured: exported diagnosis ${d.code} (${d.source.file} line ${d.source.line ?? '?'})`,
      evidence: [{ text: d.description ?? d.code, source: d.source }],
    });
  }

  for (const f of findings) {
    if (f.kind !== 'diagnosis') continue;
    const best = f.candidates[0];
    if (!best || best.system !== 'ICD-10-CM' || best.score < CODABLE_SCORE || NON_CODING_SECTIONS.has(f.section)) continue;
    const noteSource = encounter.notes.find((n) => n.id === f.noteId)?.source ?? encounter.source;
    const evidence = { text: f.sentence, source: { ...noteSource, path: `note ${f.noteId} [${f.start},${f.end})` } };
    if (f.assertion === 'uncertain' && !inpatient) {
      issues.push(issue('CODE_UNCERTAIN_NOT_CODED', `"${f.text}" is documented as uncertain (${f.assertionTrigger ?? 'uncertain'}); not coded on an outpatient claim`, {
        codes: [best.code], evidence: f.sentence, source: evidence.source,
      }));
      continue;
    }
    if (f.assertion !== 'present' && f.assertion !== 'uncertain') continue;
    const guideline = f.assertion === 'uncertain' ? '; uncertain at discharge coded as established (inpatient)' : '';
    consider({
      code: best.code,
      confidence: best.score,
      priority: CONCLUSION_SECTIONS.has(f.section) ? 1 : 2,
      symptom: f.modifiers.symptom === 'true',
      rulePath: `${best.lexiconEntry}; section ${f.section}${f.modifiers.laterality ? `; side ${f.modifiers.laterality}` : ''}${guideline}`,
      evidence: [evidence],
    });
  }

  let candidates = [...byCode.values()];
  const definitive = candidates.some((c) => !c.symptom);
  if (definitive) candidates = candidates.filter((c) => !c.symptom || c.priority === 0);
  candidates.sort((a, b) => a.priority - b.priority || a.order - b.order);

  const limit = DIAGNOSIS_LIMIT[encounter.kind];
  if (candidates.length > limit) {
    const dropped = candidates.slice(limit);
    issues.push(issue('CODE_DIAGNOSIS_LIMIT', `${candidates.length} diagnoses; the claim carries ${limit}, dropped ${dropped.map((c) => c.code).join(', ')}`, {
      codes: dropped.map((c) => c.code),
    }));
    candidates = candidates.slice(0, limit);
  }

  const diagnoses: CodedDiagnosis[] = candidates.map((c, i) => {
    const poa = inpatient ? encounter.diagnoses.find((d) => d.code === c.code)?.poa : undefined;
    return { code: c.code, system: 'ICD-10-CM', sequence: i + 1, confidence: c.confidence, rulePath: c.rulePath, evidence: c.evidence, ...(poa ? { poa } : {}) };
  });
  if (diagnoses.length === 0) {
    issues.push(issue('CODE_NO_DIAGNOSIS', 'no structured diagnosis and no affirmed condition in the notes', { source: encounter.source }));
  }

  const pointers = diagnoses.slice(0, MAX_POINTERS).map((d) => d.sequence);
  const procedures: CodedProcedure[] = encounter.charges.map((c) => ({
    line: c.line, ...(c.code ? { code: c.code } : {}), system: c.system, modifiers: c.modifiers, units: c.units, charge: c.charge,
    ...(c.serviceDate ? { serviceDate: c.serviceDate } : {}),
    ...(c.revenueCode ? { revenueCode: c.revenueCode } : {}),
    diagnosisPointers: pointers,
    confidence: 0.99,
    rulePath: `structured: exported charge line ${c.line} (${c.source.file} line ${c.source.line ?? '?'})`,
    source: c.source,
  }));
  if (procedures.length === 0) {
    issues.push(issue('CODE_NO_PROCEDURE', 'the encounter has no charge line to bill', { source: encounter.source }));
  }

  const confidences = [...diagnoses.map((d) => d.confidence), ...procedures.map((p) => p.confidence)];
  const confidence = confidences.length === 0 ? 0 : Math.min(...confidences);
  return { encounter, findings: [...findings], diagnoses, procedures, confidence, issues };
}
