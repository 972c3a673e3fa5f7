import { icd10cmDisplay, icd10cmKey } from '../codesets/icd10cm-code.js';
import type { CodeSet } from '../codesets/reference-library.js';
import { ageInYears } from '../contract/setting.js';
import type { Encounter, Finding, Issue } from '../contract/types.js';
import { codingIssue, evidenceOf, isInpatient, type Evidence } from './coding-context.js';
import { completeNotes } from './tabular-notes.js';
import { refineCode, type DocumentationQuery } from './specificity.js';
import { matchesAny } from './tables/code-ranges.js';
import { CHRONIC_CONDITIONS, FAMILY_HISTORY, PERSONAL_HISTORY, STATUS_OR_HISTORY_CODES, type HistoryRow } from './tables/history-codes.js';
import { addStatusCodes, doneInThisEncounter, STATUS_BY_RULE_ONLY } from './status-codes.js';
import { applyCombinations, dropIntegralSymptoms, resolveExcludes1, type NotCoded } from './diagnosis-conventions.js';
import type { DxItem } from './dx-item.js';
import { ruleOn, type CodingRule } from './coding-rules.js';
import { applyReportedWith, REPORTED_WITH_CODES } from './reported-with.js';

/** Candidates scoring lower are evidence to show, not codes to bill (the eval's default threshold). */
export const CODABLE_SCORE = 0.5;
/** A header candidate ("S93.4", "G56.0") is completed by coding from this score; its confidence stays low. */
export const HEADER_SCORE = 0.35;

/** Sections where a clinician states conclusions, which lead the diagnosis order. */
export const CONCLUSION_SECTIONS = new Set(['discharge_diagnoses', 'diagnoses', 'assessment', 'plan']);

/** Where a discharge summary states the diagnoses at discharge (not the plan: "rule out PE" there is a work-up). */
const AT_DISCHARGE = new Set(['discharge_diagnoses', 'diagnoses', 'assessment']);

/**
 * Sections a coder does not code diagnoses from: lists of drugs and allergies, social
 * history, and the review of systems, exam and results, whose signs are either integral to
 * the diagnosis or, when they matter, restated in the assessment. They stay findings.
 */
export const NON_CODING_SECTIONS = new Set(['medications', 'allergies', 'social_history', 'ros', 'exam', 'results']);

/** Sequencing buckets, lowest first: exported codes, conclusions, the reason for the visit, the rest, status, history. */
const RANK = { structured: 0, conclusion: 1, reason: 2, other: 3, status: 4, history: 5 } as const;

export type { DxItem } from './dx-item.js';

export type { NotCoded } from './diagnosis-conventions.js';

export interface DiagnosisResult {
  items: DxItem[];
  issues: Issue[];
  notCoded: NotCoded[];
}

const historyRow = (table: readonly HistoryRow[], key: string) => table.find((r) => matchesAny(key, r.when));

const isSymptomCode = (key: string) => key.startsWith('R') && key < 'R70';


/**
 * One mention, one code: where two diagnosis findings overlap in the text and their best
 * codes share a category (or are both neoplasm codes), the better-scoring reading is kept
 * ("diabetes with chronic kidney disease stage 3" is not also "stage 2" from the "type 2" a
 * few words before). Returns the readings kept and, for each one left off, the reading that won.
 */
function oneCodePerMention(findings: readonly Finding[], on = true): { kept: Finding[]; lostTo: Map<Finding, Finding> } {
  const dx = findings.filter((f) => f.kind === 'diagnosis' && f.candidates[0]);
  const lostTo = new Map<Finding, Finding>();
  if (!on) return { kept: dx, lostTo };
  // Mentions by note and start: the readings that can contain or overlap one lie within the
  // longest mention's reach, so each is compared with its neighbours, not with every other.
  const byNote = new Map<string, Finding[]>();
  for (const f of dx) {
    const list = byNote.get(f.noteId);
    if (list) list.push(f);
    else byNote.set(f.noteId, [f]);
  }
  for (const list of byNote.values()) {
    list.sort((a, b) => a.start - b.start);
    const longest = list.reduce((m, f) => Math.max(m, f.end - f.start), 0);
    // A shorter reading inside a longer one of the same chapter is part of it: "osteoarthritis"
    // inside "osteoarthritis of the left knee", "pain" inside "chest pain".
    list.forEach((f, i) => {
      for (let j = i; j >= 0 && list[j]!.start >= f.start - longest; j--) if (contains(list[j]!, f)) return void lostTo.set(f, list[j]!);
      for (let j = i + 1; j < list.length && list[j]!.start === f.start; j++) if (contains(list[j]!, f)) return void lostTo.set(f, list[j]!);
    });
  }
  const ranked = dx.filter((f) => !lostTo.has(f)).sort((a, b) => b.candidates[0]!.score - a.candidates[0]!.score || (b.end - b.start) - (a.end - a.start));
  // The text each category's kept readings cover, per note (an out-of-order reading's words
  // only). Kept spans never overlap, so the first covered character a reading meets has one owner.
  const covered = new Map<string, { start: number; end: number; f: Finding }[]>();
  const kept = new Set<Finding>();
  for (const f of ranked) {
    const key = `${f.noteId}\u0000${overlapGroup(f.candidates[0]!.code)}`;
    const spans = covered.get(key);
    let winner: Finding | undefined;
    if (spans) {
      for (const r of rangesOf(f)) {
        let first = Infinity;
        for (const s of spans) {
          if (s.start < r.end && r.start < s.end && Math.max(r.start, s.start) < first) {
            first = Math.max(r.start, s.start);
            winner = s.f;
          }
        }
        if (winner) break;
      }
    }
    if (winner) {
      lostTo.set(f, winner);
      continue;
    }
    const own = rangesOf(f).map((r) => ({ start: r.start, end: r.end, f }));
    if (spans) spans.push(...own);
    else covered.set(key, own);
    kept.add(f);
  }
  return { kept: dx.filter((f) => kept.has(f)), lostTo };
}

/**
 * Readings of the same words compete within a category; all neoplasm codes (C00–D49) are one
 * group, because a mention names one neoplasm and the Neoplasm Table gives it one behavior
 * (malignant, in situ, benign, uncertain or unspecified: Guidelines I.C.2): "malignant
 * neoplasm of the lung" is C34.90, not also D49.1 from the words "lung neoplasm".
 */
function overlapGroup(code: string): string {
  const c = code.toUpperCase();
  return c[0] === 'C' || (c[0] === 'D' && c.slice(1, 3) < '50') ? 'neoplasm' : c.slice(0, 3);
}

/** The note ranges a reading takes: its span, or the words a reading found out of order used. */
const rangesOf = (f: Finding): readonly { start: number; end: number }[] => f.words ?? [f];

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Every word of `f` is a word of `k`'s reading. A reading found out of order spans words it
 * did not use: "generalized weakness and epigastric colic pain", read as "generalized pain",
 * does not hold "epigastric colic pain" or "weakness", only "pain".
 */
function wordsWithin(k: Finding, f: Finding): boolean {
  if (f.start < k.start || f.end > k.end) return false;
  if (!k.words) return true;
  for (const r of rangesOf(f)) {
    for (let c = r.start; c < r.end; c++) {
      if (WORD_CHAR.test(f.text[c - f.start]!) && !k.words.some((w) => w.start <= c && c < w.end)) return false;
    }
  }
  return true;
}

/** `k` is a longer codable reading of the same chapter whose words hold `f`'s. */
function contains(k: Finding, f: Finding): boolean {
  return k !== f && k.end - k.start > f.end - f.start && wordsWithin(k, f)
    && k.candidates[0]!.score >= CODABLE_SCORE && k.candidates[0]!.code[0] === f.candidates[0]!.code[0];
}

/** A history trigger that is a duration: the condition has lasted until now ("a 15-year history of syncope"). */
const DURATION_HISTORY = /\byears?[- ]history of|\blong(?:[- ]?standing)? history of/;

/**
 * A past-tense mention of a condition that still exists (history codes are for conditions
 * that "no longer exist", Guidelines I.C.21.c.4; IV.J codes the chronic conditions a patient
 * has): the note calls it chronic ("a history of chronic alcoholism"; the acuity modifier,
 * which keeps to the mention's list item), its code's title does
 * ("Chronic maxillary sinusitis"), or its history is a duration that runs until now.
 */
function documentedOngoing(f: Finding, title: string | undefined): boolean {
  return f.modifiers.acuity === 'chronic' || f.modifiers.acuity === 'acute-on-chronic'
    || (title !== undefined && /\bchronic\b/i.test(title) && !/\bnot specified as (?:acute or )?chronic\b/i.test(title))
    || (f.assertionTrigger !== undefined && DURATION_HISTORY.test(f.assertionTrigger));
}

/**
 * The claim's diagnoses from the export's coded diagnoses and the abstracted findings,
 * the way the ICD-10-CM Official Guidelines ask a coder to choose them (sequencing is
 * done by `sequenceDiagnoses`).
 */
export function chooseDiagnoses(e: Encounter, findings: readonly Finding[], cs: CodeSet | undefined, off?: ReadonlySet<CodingRule>): DiagnosisResult {
  const on = (rule: CodingRule) => ruleOn(off, rule);
  const inpatient = isInpatient(e);
  const issues: Issue[] = [];
  const notCoded: NotCoded[] = [];
  const items = new Map<string, DxItem>();
  let order = 0;
  const query = (q: DocumentationQuery, ev?: Evidence) => {
    const code = q.axis === 'laterality' ? 'CODE_QUERY_LATERALITY' : q.axis === 'episode' ? 'CODE_QUERY_EPISODE' : q.axis === 'diabetes-type' ? 'CODE_QUERY_DIABETES_TYPE' : 'CODE_QUERY_SPECIFICITY';
    if (issues.some((i) => i.code === code && i.message === q.message)) return;
    issues.push(codingIssue(code, q.message, { ...(ev ? { evidence: ev.text, source: ev.source } : {}), codes: [q.code] }));
  };
  const add = (item: Omit<DxItem, 'order'>): DxItem => {
    const existing = items.get(item.key);
    if (existing) {
      for (const ev of item.evidence) if (existing.evidence.length < 3) existing.evidence.push(ev);
      existing.confidence = Math.max(existing.confidence, item.confidence);
      // A condition restated in the conclusions takes its place in them (the discharge diagnoses' order).
      if (item.rank < existing.rank) {
        existing.rank = item.rank;
        existing.order = order++;
      }
      existing.finding ??= item.finding;
      return existing;
    }
    const created = { ...item, order: order++ };
    items.set(item.key, created);
    return created;
  };

  for (const d of e.diagnoses) {
    // The admitting diagnosis and the reasons for visit have their own places on the 837I (HI ABJ, APR).
    if (d.system !== 'ICD-10-CM' || d.type === 'admitting' || d.type === 'reason-for-visit') continue;
    // Structured entries keep their own status: refuted, negated and entered-in-error are not
    // conditions of the patient; resolved ones are history; uncertain ones follow the same
    // rules as uncertain documentation (Guidelines IV.H outpatient, II.H inpatient).
    if (d.status === 'refuted' || d.status === 'negated' || d.status === 'entered-in-error' || d.status === 'resolved' || (d.status === 'uncertain' && !inpatient)) {
      issues.push(codingIssue('CODE_STRUCTURED_NOT_CODED', `exported diagnosis ${d.code} has status "${d.status}"; not coded for this encounter`, {
        codes: [d.code], source: d.source, ...(d.description ? { evidence: d.description } : {}),
      }));
      notCoded.push({ code: d.code, rule: d.status === 'uncertain' ? 'uncertain' : d.status === 'resolved' ? 'personal-history' : 'negated-hypothetical', reason: `exported with status ${d.status}` });
      continue;
    }
    const key = icd10cmKey(d.code) ?? d.code;
    add({
      key, confidence: 0.95, rank: RANK.structured, origin: 'structured', symptom: isSymptomCode(key), structured: d,
      steps: [`structured: exported diagnosis ${d.code} (${d.source.file}${d.source.line !== undefined ? ` line ${d.source.line}` : ''}${d.mappedFrom ? `; ${d.mappedFrom}` : ''})`],
      evidence: [{ text: d.description ?? d.code, source: d.source }],
    });
  }

  const { kept: readings, lostTo } = oneCodePerMention(findings, on('one-code-per-mention'));
  for (const f of findings) {
    if (f.kind !== 'diagnosis') continue;
    const best = f.candidates[0];
    const winner = lostTo.get(f);
    if (best && winner && best.score >= CODABLE_SCORE) {
      notCoded.push({ code: best.code, rule: 'one-code-per-mention', reason: `"${f.text}" (${best.code}): the reading "${winner.text}" (${winner.candidates[0]!.code}) of the same words was kept (one code per mention)` });
    }
    // The mention's other readings: coding codes its best one.
    for (const c of f.candidates.slice(1)) {
      if (c.score >= CODABLE_SCORE && c.system === 'ICD-10-CM') notCoded.push({ code: c.code, rule: 'one-code-per-mention', reason: `"${f.text}" is read as ${best!.code} (${best!.score}), its best reading (one code per mention)` });
    }
  }
  for (const f of readings) {
    const best = f.candidates[0];
    if (!best || best.system !== 'ICD-10-CM') continue;
    const key = icd10cmKey(best.code);
    if (!key) continue;
    if (NON_CODING_SECTIONS.has(f.section) && on('non-coding-section') && !(on('reported-with') && matchesAny(key, REPORTED_WITH_CODES))) {
      if (best.score >= CODABLE_SCORE) notCoded.push({ code: best.code, rule: 'non-coding-section', reason: `"${f.text}" is in section ${f.section}, which diagnoses are not coded from` });
      continue;
    }
    if (matchesAny(key, STATUS_BY_RULE_ONLY) && on('status-codes')) {
      if (best.score >= CODABLE_SCORE) notCoded.push({ code: best.code, rule: 'status-codes', reason: `"${f.text}" alone is not the status: the status rules read it (long-term use, not a brief course; dialysis as a dependence, not for an acute kidney injury; Guidelines I.C.21.c.3)` });
      continue;
    }
    const now = on('status-codes') ? doneInThisEncounter(cs?.get(key)?.title ?? best.title, f.text, f.sentence, f.assertion === 'historical') : undefined;
    if (now) {
      if (best.score >= CODABLE_SCORE) notCoded.push({ code: best.code, rule: 'status-codes', reason: `"${f.text}" is done in this encounter ("${now}"): a procedure of the stay, not the status an earlier one left (Guidelines I.C.21.c.3)` });
      continue;
    }
    // A category or subcategory the abstraction could not complete scores lower; with the
    // tabular at hand coding completes it from the documentation, so it is taken from HEADER_SCORE.
    if (best.score < CODABLE_SCORE && !(cs && best.score >= HEADER_SCORE && cs.get(key) && !cs.isBillable(key))) continue;
    const ev = evidenceOf(e, f);
    const conclusion = CONCLUSION_SECTIONS.has(f.section);
    if ((f.assertion === 'negated' || f.assertion === 'hypothetical') && on('negated-hypothetical')) {
      notCoded.push({ code: best.code, rule: 'negated-hypothetical', reason: `"${f.text}" is ${f.assertion} (${f.assertionTrigger ?? f.assertion}); Guidelines IV.H/I.B` });
      continue;
    }
    if (f.assertion === 'family' && on('family-history')) {
      const row = historyRow(FAMILY_HISTORY, key);
      if (row) {
        add({
          key: icd10cmKey(row.code)!, confidence: Math.min(best.score, 0.9), rank: RANK.history, origin: 'rule', symptom: false, finding: f,
          steps: [`${best.lexiconEntry}`, `family history of ${row.why} → ${row.code} (Guidelines I.C.21.c.4)`], evidence: [ev],
        });
        notCoded.push({ code: best.code, rule: 'family-history', reason: `a family member's condition: coded as family history ${row.code}` });
      } else notCoded.push({ code: best.code, rule: 'family-history', reason: `family member's condition with no family-history code in our table` });
      continue;
    }
    const stillCurrent = () => matchesAny(key, CHRONIC_CONDITIONS) || matchesAny(key, STATUS_OR_HISTORY_CODES) || documentedOngoing(f, cs?.get(key)?.title);
    if (f.assertion === 'historical' && on('personal-history') && !stillCurrent()) {
      const row = historyRow(PERSONAL_HISTORY, key);
      if (row) {
        add({
          key: icd10cmKey(row.code)!, confidence: Math.min(best.score, 0.9), rank: row.code === 'I25.2' ? RANK.other : RANK.history, origin: 'rule', symptom: false, finding: f,
          steps: [`${best.lexiconEntry}`, `history of ${row.why} → ${row.code} (Guidelines I.C.21.c.4)`], evidence: [ev],
        });
        notCoded.push({ code: best.code, rule: 'personal-history', reason: `"${f.text}" is a past condition (${f.assertionTrigger ?? 'section'}): coded as history ${row.code}` });
      } else notCoded.push({ code: best.code, rule: 'personal-history', reason: `"${f.text}" is a past condition (${f.assertionTrigger ?? 'section'}) with no personal-history code in our table` });
      continue;
    }
    if (f.assertion === 'uncertain' && on('uncertain')) {
      if (!inpatient || !AT_DISCHARGE.has(f.section)) {
        issues.push(codingIssue('CODE_UNCERTAIN_NOT_CODED', inpatient
          ? `"${f.text}" is documented as uncertain (${f.assertionTrigger ?? 'uncertain'}) outside the discharge diagnoses; not coded (Guidelines II.H: uncertain diagnoses are coded when documented at discharge)`
          : `"${f.text}" is documented as uncertain (${f.assertionTrigger ?? 'uncertain'}); not coded on an outpatient claim, its signs and symptoms are (Guidelines IV.H)`, {
          codes: [best.code], evidence: f.sentence, source: ev.source,
        }));
        notCoded.push({ code: best.code, rule: 'uncertain', reason: `uncertain (${f.assertionTrigger ?? 'uncertain'})` });
        continue;
      }
    }
    const refined = on('specificity') ? refineCode(key, f.modifiers, cs, f.sentence, f.text) : { key, steps: [], queries: [] };
    for (const q of refined.queries) query(q, ev);
    if (refined.key !== key) notCoded.push({ code: icd10cmDisplay(key), rule: 'specificity', reason: `refined to ${icd10cmDisplay(refined.key)}: ${refined.steps.join('; ')}` });
    const steps = [best.lexiconEntry, `section ${f.section}`, ...refined.steps];
    if (f.assertion === 'historical') {
      steps.push(matchesAny(key, STATUS_OR_HISTORY_CODES)
        ? '"history of": the code is itself the status or history (Guidelines I.C.21.c.3–4)'
        : '"history of" a chronic condition still present: coded as current (Guidelines IV.J, I.C.21.c.4)');
    }
    if (f.assertion === 'uncertain') steps.push('uncertain at discharge, coded as established (Guidelines II.H)');
    // Bilateral where the code set has no bilateral code: the right side's code and the left's (I.B.13).
    for (const sideKey of refined.otherSide ? [refined.key, refined.otherSide] : [refined.key]) {
      add({
        key: sideKey, confidence: Math.min(best.score, refined.confidenceCap ?? 1), finding: f,
        rank: conclusion ? RANK.conclusion : f.section === 'chief_complaint' || f.section === 'hpi' ? RANK.reason : RANK.other,
        origin: 'documentation', symptom: f.modifiers.symptom === 'true' || isSymptomCode(sideKey), steps: [...steps], evidence: [ev],
      });
    }
  }

  if (on('diabetes-type')) applyDiabetesType(items, findings, cs, query, notCoded);
  if (on('status-codes')) addStatusCodes(e, items, (item) => add({ ...item, rank: RANK.status }));
  if (on('combinations')) applyCombinations(items, cs, notCoded);
  if (on('code-notes')) {
    const present = findings.filter((f) => f.kind === 'diagnosis' && (f.assertion === 'present' || (f.assertion === 'uncertain' && inpatient)) && !NON_CODING_SECTIONS.has(f.section));
    // A status read from a procedure of this stay is no status a note can ask for either.
    const notStatus = on('status-codes') ? (f: Finding, c: Finding['candidates'][number]) => doneInThisEncounter(c.title, f.text, f.sentence, f.assertion === 'historical') !== undefined : undefined;
    completeNotes(e, items, present, cs, add, issues, notStatus);
  }
  if (on('reported-with')) applyReportedWith(items, notCoded, e.patient.birthDate && e.serviceDate ? ageInYears(e.patient.birthDate, e.serviceDate) : undefined);
  if (on('integral-symptoms')) dropIntegralSymptoms(items, notCoded, cs);
  if (on('excludes1')) resolveExcludes1(items, cs, notCoded);
  // A status the rules did code is on the claim, not left off.
  const onClaim = new Set([...items.keys()].map(icd10cmDisplay));
  return { items: [...items.values()], issues, notCoded: notCoded.filter((n) => n.rule !== 'status-codes' || !onClaim.has(n.code)) };
}

/**
 * Diabetes type (Guidelines I.C.4.a.2): the documented type picks the category (E10 for
 * type 1, E11 for type 2); when the type is not documented the default is E11, and the
 * physician is asked.
 */
function applyDiabetesType(items: Map<string, DxItem>, findings: readonly Finding[], cs: CodeSet | undefined, query: (q: DocumentationQuery, ev?: Evidence) => void, notCoded: NotCoded[]): void {
  const typeWords = findings.filter((f) => f.kind === 'diagnosis' && f.modifiers.diabetesType).map((f) => f.modifiers.diabetesType!);
  const documented = typeWords.includes('1') ? '1' : typeWords.includes('2') ? '2' : undefined;
  for (const item of [...items.values()]) {
    if (item.origin !== 'documentation' || !/^E1[01]/.test(item.key)) continue;
    const own = item.finding?.modifiers.diabetesType ?? documented;
    const want = own === '1' ? 'E10' : own === '2' ? 'E11' : undefined;
    if (want && !item.key.startsWith(want)) {
      const key = want + item.key.slice(3);
      if (!cs || cs.isBillable(key)) {
        items.delete(item.key);
        notCoded.push({ code: icd10cmDisplay(item.key), rule: 'diabetes-type', reason: `type ${own} documented: coded as ${icd10cmDisplay(key)} (Guidelines I.C.4.a)` });
        item.steps.push(`type ${own} documented: ${icd10cmDisplay(item.key)} → ${icd10cmDisplay(key)} (Guidelines I.C.4.a)`);
        item.key = key;
        if (!items.has(key)) items.set(key, item);
      }
    } else if (!own && item.key.startsWith('E11')) {
      item.steps.push('diabetes type not documented: type 2 by default (Guidelines I.C.4.a.2)');
      query({ axis: 'diabetes-type', code: icd10cmDisplay(item.key), message: `${icd10cmDisplay(item.key)}: diabetes type not documented; coded as type 2 by default (Guidelines I.C.4.a.2)` }, item.evidence[0]);
    }
  }
}
