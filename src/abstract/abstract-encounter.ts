import type { CandidateCode, CodeSystem, Finding, Note } from '../contract/types.js';
import { analyzeSentence, assertConcept, type SentenceContext } from './context/assertion.js';
import type { Lexicon, LexiconEntry, LexiconMatch } from './lexicon/lexicon.js';
import { inferredCodeTitle } from './lexicon/code-titles.js';
import { findMeasurements, MEASUREMENT_SCORE, type Measurement } from './measurements.js';
import { PAST_PROCEDURE_STATUS_SCORE, statusAfterProcedure } from './past-procedures.js';
import { findModifiers, linkFindings, scanModifiers, type ModifierScan } from './modifiers.js';
import { sortSmall } from './small-sort.js';
import { detectSections } from './text/sections.js';
import { splitSentences } from './text/sentences.js';
import { tokenize, type Token } from './text/tokens.js';

/** Longest evidence sentence kept on a finding; the offsets always point to the full text. */
const MAX_SENTENCE_CHARS = 400;
/** Candidate codes kept per finding, best first. */
const MAX_CANDIDATES = 5;
/**
 * A term inside a longer one ("renal failure" in "acute renal failure") is a weaker reading
 * than the same term standing alone: a coder codes the whole, and the site's statistics
 * measure a term where it stands alone (learn/site-lexicon.ts).
 */
const NESTED_FACTOR = 0.85;
/** Words found out of order are a weaker match than the term as written. */
const UNORDERED_FACTOR = 0.85;
/**
 * An official term (tabular title or inclusion, Neoplasm Table) that a site's coded history
 * did not measure, found out of order, is right far less often than its source weight says:
 * on CodiEsp train (site lexicon learned on dev) such candidates scoring 0.5 or more were
 * right 17% (Neoplasm Table) to 29–34% (tabular) of the time, against 72–86% as written, and
 * 28–48% when the words lay together. Scored just under the threshold: evidence and ranking,
 * not a code alone. Without site statistics nothing says the term is unusual: 0.85 applies.
 * It applies too to one phrase of the term's own words in another order (isOnePhrase): of
 * the readings that then pass the threshold on dev, about half are right (16 of 31), which
 * is what a score of 0.5 should mean.
 */
const UNMEASURED_UNORDERED_FACTOR = 0.65;
const OFFICIAL_SOURCES: ReadonlySet<LexiconEntry['source']> = new Set(['tabular-title', 'tabular-inclusion', 'index']);
/** A laterality-dependent code chosen without a documented side is a guess. */
const UNSPECIFIED_SIDE_SCORE = 0.6;
/** A code for one side picked with no side documented (PCS has no unspecified side): evidence only. */
const NO_SIDE_SCORE = 0.3;
/**
 * A code whose title names the other acuity than the words qualifying the mention
 * ("chronic pharyngitis" matched only as "pharyngitis" → J02.9 "Acute pharyngitis") is
 * likely wrong: the Alphabetic Index sends chronic pharyngitis to J31.2. Kept as evidence
 * with a score that is codable but below the release threshold, so a person decides.
 */
export const ACUITY_CONFLICT_FACTOR = 0.6;
/** "chronic" or "acute" qualifying a mention: right before it, at most two words between, one statement. */
const QUALIFYING_ACUITY = /\b(acute|chronic)(?:[ -](?!(?:and|or|with|without|of|on|in|to|exacerbation|flare)\b)[a-z]+){0,2}[ -]*$/;

/** The acuity the words right before a mention give it, if any. */
export function qualifyingAcuity(lowerBefore: string): 'acute' | 'chronic' | undefined {
  const m = QUALIFYING_ACUITY.exec(lowerBefore.slice(-40));
  if (!m) return undefined;
  // "acute on chronic" names both: neither contradicts.
  if (/\bacute[- ]on[- ]chronic\b/.test(lowerBefore.slice(-50))) return undefined;
  return m[1] as 'acute' | 'chronic';
}

/** The acuity a code title names alone ("Acute pharyngitis, unspecified" → acute). */
function titleAcuity(title: string): 'acute' | 'chronic' | undefined {
  // "without acute cor pulmonale", "not specified as acute or chronic" name no acuity.
  const t = title.toLowerCase().replace(/\b(?:without|not specified as)\b[^,;]*/g, '');
  const acute = /\b(?:acute|subacute)\b/.test(t);
  const chronic = /\bchronic\b/.test(t);
  return acute && !chronic ? 'acute' : chronic && !acute ? 'chronic' : undefined;
}

const PROCEDURE_SYSTEMS: ReadonlySet<CodeSystem> = new Set(['ICD-10-PCS', 'CPT', 'HCPCS']);

const NONE: readonly LexiconEntry[] = [];

/** A match's entries by kind, in their order; the match's own list when all are of one kind (most are). */
function partitionEntries(entries: readonly LexiconEntry[]): { diagnosisEntries: readonly LexiconEntry[]; procedureEntries: readonly LexiconEntry[] } {
  let procedures = 0;
  for (const e of entries) if (PROCEDURE_SYSTEMS.has(e.system)) procedures++;
  if (procedures === 0) return { diagnosisEntries: entries, procedureEntries: NONE };
  if (procedures === entries.length) return { diagnosisEntries: NONE, procedureEntries: entries };
  return { diagnosisEntries: entries.filter((e) => !PROCEDURE_SYSTEMS.has(e.system)), procedureEntries: entries.filter((e) => PROCEDURE_SYSTEMS.has(e.system)) };
}

function describe(entry: LexiconEntry, code: string, mode: LexiconMatch['mode']): string {
  const detail = entry.detail ? `; ${entry.detail}` : '';
  const order = mode === 'unordered' ? '; words found out of order' : mode === 'nested' ? '; within a longer mention' : '';
  return `${entry.source}: "${entry.term}" → ${code} (${entry.title})${detail}${order}`;
}

/**
 * Descriptions of an entry's own code, by match mode, written once per entry: the same
 * entries match in note after note, and writing the description was most of what a
 * candidate allocated. Weakly held, so a lexicon that is replaced takes its descriptions along.
 */
const DESCRIBED = new WeakMap<LexiconEntry, Partial<Record<LexiconMatch['mode'], string>>>();

function describeOnce(entry: LexiconEntry, code: string, mode: LexiconMatch['mode']): string {
  if (code !== entry.code) return describe(entry, code, mode);
  let byMode = DESCRIBED.get(entry);
  if (!byMode) DESCRIBED.set(entry, (byMode = {}));
  return (byMode[mode] ??= describe(entry, code, mode));
}

function candidatesOf(entries: readonly LexiconEntry[], mode: LexiconMatch['mode'], laterality: string | undefined, acuity: 'acute' | 'chronic' | undefined, siteMeasured: boolean, onePhrase: boolean): CandidateCode[] {
  const scored = entries.map((entry) => {
    let code = entry.code;
    const unorderedFactor = siteMeasured && !onePhrase && !entry.siteWeighted && OFFICIAL_SOURCES.has(entry.source) ? UNMEASURED_UNORDERED_FACTOR : UNORDERED_FACTOR;
    let score = entry.weight * (mode === 'unordered' ? unorderedFactor : mode === 'nested' ? NESTED_FACTOR : 1);
    const named = acuity ? titleAcuity(entry.title) : undefined;
    const conflict = named !== undefined && named !== acuity;
    if (conflict) score *= ACUITY_CONFLICT_FACTOR;
    if (entry.laterality) {
      const side = (laterality ?? 'unspecified') as keyof NonNullable<LexiconEntry['laterality']>;
      code = entry.laterality[side] ?? entry.laterality.unspecified ?? code;
      // No side documented: the unspecified code is a guess; without one (ICD-10-PCS body parts), a side is.
      if (!laterality) score = Math.min(score, entry.laterality.unspecified ? UNSPECIFIED_SIDE_SCORE : NO_SIDE_SCORE);
    }
    return { entry, code, score: Math.round(score * 1000) / 1000, named: conflict ? named : undefined };
  });
  sortSmall(scored, (a, b) => b.score - a.score || a.code.localeCompare(b.code));
  // One candidate per code: the words of several terms found out of order ("x ray cervical",
  // "cervical x ray", "x ray of cervical") are one match naming one code, not five candidates.
  // Only those kept get their description written (most of a candidate's cost).
  const kept: CandidateCode[] = [];
  for (const c of scored) {
    if (kept.length === MAX_CANDIDATES) break;
    if (kept.some((k) => k.code === c.code && k.system === c.entry.system)) continue;
    const note = c.named ? `; the note says ${acuity}, the code's title ${c.named}` : '';
    kept.push({ code: c.code, system: c.entry.system, score: c.score, lexiconEntry: describeOnce(c.entry, c.code, mode) + note, title: c.entry.title });
  }
  return kept;
}

/** Words and marks that split a sentence into separate statements. */
const STATEMENT_BREAK = /[;:()]|\b(?:no|not|without|denies|negative|but|however|except)\b/i;

/**
 * Words found out of order must belong to one statement and one list item: "Heart: regular
 * rhythm, no murmurs" does not say "heart murmur". And a longer term matched as written inside the
 * same words is the better reading ("chronic kidney disease", not "kidney disease" again).
 */
function acceptUnordered(m: LexiconMatch, all: readonly LexiconMatch[], sentence: string, tokens: readonly { start: number; end: number }[]): boolean {
  const between = sentence.slice(tokens[m.from]!.start, tokens[m.to - 1]!.end);
  if (STATEMENT_BREAK.test(between)) return false;
  // A comma between words of other mentions separates list items ("chronic bronchitis,
  // appendicitis" is not chronic appendicitis); within the reading's own words it is the
  // index's inverted order ("renal failure, acute").
  if (between.includes(',')) {
    if (m.at !== undefined && m.at.length < m.to - m.from) return false;
    // Words after the comma that begin the next mention are its own ("right total hip
    // replacement, left knee arthroplasty" is not a left hip replacement): a list again.
    if (all.some((x) => x !== m && x.mode === 'exact' && x.from > m.from && x.from < m.to && x.to > m.to)) return false;
  }
  return !all.some((x) => x.mode === 'exact' && x.from <= m.from && x.to >= m.to && x.to - x.from > 1);
}

/** Words that join a head noun to its site or qualifier without adding a concept ("carcinoma of the larynx"). */
const CONNECTORS: ReadonlySet<string> = new Set(['of', 'the', 'in', 'a', 'an', 'on', 'at']);

/**
 * An out-of-order reading whose span holds nothing but its own words and connectors: the
 * term in the other order English allows ("carcinoma of the larynx" for the Neoplasm Table's
 * "larynx carcinoma", "hypoplasia of the optic nerve" for "optic nerve hypoplasia") or with
 * an article the title leaves out ("pain in the left knee"). One phrase, not words gathered
 * from a sentence.
 */
function isOnePhrase(m: LexiconMatch, tokens: readonly Token[]): boolean {
  const at = m.at;
  if (at === undefined) return false;
  let k = 0;
  for (let i = m.from; i < m.to; i++) {
    if (k < at.length && at[k] === i) {
      k++;
      continue;
    }
    if (!CONNECTORS.has(tokens[i]!.norm)) return false;
  }
  return true;
}

/**
 * A list or coordination inside an out-of-order reading's span: the words between its own
 * are other mentions ("generalized weakness and epigastric colic pain" read as "generalized
 * pain"), so the finding records its own words. Without one, the span is one phrase
 * ("epigastric colic pain" read as "epigastric pain") and the words between are part of it.
 */
const COORDINATED = /[,;]|\b(?:and|or)\b/i;

/** The ConText properties behind an assertion, as a finding carries them. */
function contextOf(a: ReturnType<typeof assertConcept>): NonNullable<Finding['context']> {
  return { negated: a.negated, uncertain: a.uncertain, temporality: a.temporality, experiencer: a.experiencer };
}

const VALUE_NAMES: Record<Measurement['kind'], string> = { bmi: 'body mass index', gestationalWeeks: 'weeks of gestation' };

/** A value's finding at sentence offset `at` of note `noteId`: the one code the value picks. */
function measuredFinding(v: Measurement, title: string, sentence: string, noteId: string, at: number, section: string, a: ReturnType<typeof assertConcept>): Finding {
  return {
    kind: 'diagnosis', text: sentence.slice(v.start, v.end), noteId, start: at + v.start, end: at + v.end, section,
    sentence: sentence.length > MAX_SENTENCE_CHARS ? `${sentence.slice(0, MAX_SENTENCE_CHARS)}…` : sentence,
    assertion: a.assertion, ...(a.trigger ? { assertionTrigger: a.trigger } : {}),
    context: contextOf(a),
    modifiers: { [v.kind]: v.value },
    candidates: [{
      code: v.code, system: 'ICD-10-CM', score: MEASUREMENT_SCORE, title,
      lexiconEntry: `value: ${VALUE_NAMES[v.kind]} ${v.value} → ${v.code} (${title}); the ${v.code.slice(0, 3)} code of the documented value`,
    }],
  };
}

/**
 * A past procedure's mention is also the status it left (past-procedures.ts): "history of
 * hysterectomy" is Z90.710, "aortic valve replacement in 2001" Z95.2, as well as the
 * procedure itself. A finding of its own, on the same words and with the same assertion,
 * when the release has the code.
 */
function pastProcedureStatus(procedure: Finding, lexicon: Lexicon): Finding | undefined {
  for (const c of procedure.candidates) {
    if (c.system !== 'ICD-10-PCS') continue;
    const code = statusAfterProcedure(c.code);
    const title = code ? inferredCodeTitle(lexicon, code) : undefined;
    if (!code || !title) continue;
    // The side is the procedure's body part's, already in the code: no side read around the words.
    const { laterality: _side, ...modifiers } = procedure.modifiers;
    return {
      ...procedure, kind: 'diagnosis', modifiers,
      candidates: [{ code, system: 'ICD-10-CM', score: PAST_PROCEDURE_STATUS_SCORE, title, lexiconEntry: `past procedure: "${procedure.text}" (${c.code}) → ${code} (${title}); the status a past procedure leaves (Guidelines I.C.21.c.3)` }],
    };
  }
  return undefined;
}

export interface AbstractOptions {
  /**
   * Also report shorter terms inside longer mentions, marked `nested` ("pain" in "low back
   * pain"): every mention in the annotators' sense, for evaluation and learning. The nightly
   * run leaves them out (coding codes the mention as a whole), and saves their cost.
   */
  nested?: boolean;
}

/**
 * Every diagnosis and procedure mention in the notes, with its offsets, section, sentence,
 * assertion (and the ConText properties behind it), modifiers and candidate codes with the
 * lexicon entry each came from. Pure: the lexicon is passed in.
 */
export function abstractNotes(notes: readonly Pick<Note, 'id' | 'text'>[], lexicon: Lexicon, options: AbstractOptions = {}): Finding[] {
  const findings: Finding[] = [];
  for (const note of notes) {
    const text = note.text;
    for (const section of detectSections(text)) {
      for (const span of splitSentences(text, section.start, section.end)) {
        const sentence = text.slice(span.start, span.end);
        const tokens = tokenize(sentence);
        const matches = lexicon.match(tokens, { nested: options.nested ?? false });
        const measured = findMeasurements(sentence, tokens);
        if (matches.length === 0 && measured.length === 0) continue;
        let ctx: SentenceContext | undefined;
        let scan: ModifierScan | undefined;
        const first = findings.length;
        // The contiguous match nested ones lie in (they follow it): its assertion and modifiers are theirs.
        let outer: { a: ReturnType<typeof assertConcept>; modifiers: Record<string, string> } | undefined;
        for (const m of matches) {
          if (m.mode === 'unordered' && !acceptUnordered(m, matches, sentence, tokens)) continue;
          ctx ??= analyzeSentence(sentence);
          const lower = ctx.lower;
          const start = tokens[m.from]!.start;
          const end = tokens[m.to - 1]!.end;
          const reuse = m.mode === 'nested' ? outer : undefined;
          const a = reuse?.a ?? assertConcept(ctx, start, end, section.name);
          const modifiers = reuse?.modifiers ?? findModifiers(lower, start, end, (scan ??= scanModifiers(lower)));
          if (m.mode === 'exact') outer = { a, modifiers };
          const { diagnosisEntries, procedureEntries } = partitionEntries(m.entries);
          const onePhrase = m.mode === 'unordered' && isOnePhrase(m, tokens);
          for (let k = 0; k < 2; k++) {
            const kind = k === 0 ? 'diagnosis' : 'procedure';
            const entries = k === 0 ? diagnosisEntries : procedureEntries;
            if (entries.length === 0) continue;
            const symptom = kind === 'diagnosis' && entries.every((e) => e.symptom);
            // Built property by property in the order a finding's JSON shows them: spreading
            // optional parts ({...(x ? {y} : {})}) made a temporary object per part.
            const finding = {
              kind,
              text: sentence.slice(start, end),
              noteId: note.id,
              start: span.start + start,
              end: span.start + end,
              section: section.name,
              sentence: sentence.length > MAX_SENTENCE_CHARS ? `${sentence.slice(0, MAX_SENTENCE_CHARS)}…` : sentence,
              assertion: a.assertion,
            } as Finding;
            if (a.trigger) finding.assertionTrigger = a.trigger;
            finding.context = contextOf(a);
            // Each finding owns its modifiers: links are added to them below.
            finding.modifiers = symptom ? { ...modifiers, symptom: 'true' } : { ...modifiers };
            finding.candidates = candidatesOf(entries, m.mode, modifiers.laterality, kind === 'diagnosis' ? qualifyingAcuity(lower.slice(Math.max(0, start - 50), start)) : undefined, lexicon.siteMeasured, onePhrase);
            if (m.mode === 'nested') finding.nested = true;
            if (m.at && COORDINATED.test(finding.text)) finding.words = m.at.map((q) => ({ start: span.start + tokens[q]!.start, end: span.start + tokens[q]!.end }));
            findings.push(finding);
            // From the procedure's own words only: words gathered out of order ("right total hip
            // replacement, left knee arthroplasty" read as a left hip replacement) leave no status.
            if (kind === 'procedure' && a.assertion === 'historical' && m.mode === 'exact') {
              const status = pastProcedureStatus(finding, lexicon);
              if (status) findings.push(status);
            }
          }
        }
        if (findings.length > first) linkFindings(text, findings.slice(first).filter((f) => f.kind === 'diagnosis' && !f.nested));
        for (const v of measured) {
          const title = inferredCodeTitle(lexicon, v.code);
          if (!title) continue;
          ctx ??= analyzeSentence(sentence);
          findings.push(measuredFinding(v, title, sentence, note.id, span.start, section.name, assertConcept(ctx, v.start, v.end, section.name)));
        }
      }
    }
  }
  return findings;
}
