import type { Assertion } from '../../contract/types.js';
import {
  NEGATION_CONTINUES, TERMINATOR_PHRASES, TRIGGER_ROWS, type ScopeDirection, type TriggerCategory,
} from './triggers.js';

/**
 * ConText-style assertion detection over one sentence (Harkema et al. 2009): triggers open a
 * scope forward or backward that ends at a terminator, the sentence end or the trigger's
 * word limit; pseudo-triggers mask phrases that contain a trigger word but are not one.
 * The four ConText properties are kept apart (negation, certainty, temporality,
 * experiencer) and summed up in one `Assertion` for coding.
 */

interface CompiledTrigger {
  category: TriggerCategory;
  direction: ScopeDirection;
  maxWords: number;
  re: RegExp;
}

/** Whitespace inside a phrase matches any run of whitespace; a phrase ending in a word gets a boundary. */
function phraseBody(phrase: string): string {
  const body = phrase.replace(/ /g, '\\s+');
  const endsWord = /[a-z0-9)]$/i.test(phrase) && !phrase.endsWith('\\?');
  return `(?:${body})${endsWord ? '(?![a-z0-9/-])' : ''}`;
}

/**
 * One regular expression per row, longest phrases first so the alternation prefers "no
 * history of" over "no". The start-of-word check is written once in front of all phrases
 * that start with a word: per alternative it made the engine test it for every phrase at
 * every position, which was most of the cost of assertion detection.
 */
function compileRow(phrases: readonly string[]): RegExp {
  const sorted = [...phrases].sort((a, b) => b.length - a.length);
  const words = sorted.filter((p) => /^[a-z0-9(]/i.test(p)).map(phraseBody);
  const others = sorted.filter((p) => !/^[a-z0-9(]/i.test(p)).map(phraseBody);
  const parts = [];
  if (words.length > 0) parts.push(`(?<![a-z0-9/'-])(?:${words.join('|')})`);
  if (others.length > 0) parts.push(`(?:${others.join('|')})`);
  return new RegExp(parts.join('|'), 'g');
}

const COMPILED: readonly CompiledTrigger[] = TRIGGER_ROWS.map((row) => ({
  category: row.category,
  direction: row.direction,
  maxWords: 'maxWords' in row ? row.maxWords : Number.POSITIVE_INFINITY,
  re: compileRow(row.phrases),
}));

const TERMINATOR_RE = compileRow(TERMINATOR_PHRASES);
const INLINE_HEADER_RE = /(?<![A-Za-z])[A-Z][A-Z/&]+(?: [A-Z/&]+){0,4}:|\*{3}/g;

/** One trigger found in a sentence. */
export interface TriggerHit {
  category: TriggerCategory;
  direction: ScopeDirection;
  maxWords: number;
  start: number;
  end: number;
  text: string;
}

/** Triggers and terminators of one sentence, found once and shared by all its concepts. */
export interface SentenceContext {
  lower: string;
  hits: TriggerHit[];
  terminators: { start: number; end: number; text: string }[];
}

export function analyzeSentence(sentence: string): SentenceContext {
  const lower = sentence.toLowerCase();
  const raw: TriggerHit[] = [];
  for (const t of COMPILED) {
    t.re.lastIndex = 0;
    for (let m = t.re.exec(lower); m; m = t.re.exec(lower)) {
      if (m[0].length === 0) {
        t.re.lastIndex++;
        continue;
      }
      raw.push({ category: t.category, direction: t.direction, maxWords: t.maxWords, start: m.index, end: m.index + m[0].length, text: m[0] });
    }
  }
  // Overlaps resolve to the longest phrase (then the earlier one); pseudo-triggers that win
  // simply mask what they cover.
  raw.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: TriggerHit[] = [];
  for (const h of raw) {
    // The same phrase may be listed in both directions ("resolved"): one hit with both.
    const twin = kept.find((k) => k.start === h.start && k.end === h.end && k.category === h.category);
    if (twin) {
      if (twin.direction !== h.direction) twin.direction = 'both';
      twin.maxWords = Math.max(twin.maxWords, h.maxWords);
      continue;
    }
    if (kept.some((k) => h.start < k.end && h.end > k.start)) continue;
    kept.push({ ...h });
  }
  const hits = kept.filter((h) => h.category !== 'pseudo').sort((a, b) => a.start - b.start);
  const terminators: SentenceContext['terminators'] = [];
  TERMINATOR_RE.lastIndex = 0;
  for (let m = TERMINATOR_RE.exec(lower); m; m = TERMINATOR_RE.exec(lower)) {
    const start = m.index;
    const end = start + m[0].length;
    // A terminator word inside a trigger phrase ("significant for" in "family history significant for") is part of the trigger.
    if (kept.some((k) => start < k.end && end > k.start)) continue;
    terminators.push({ start, end, text: m[0].replace(/\s+/g, ' ') });
  }
  // A section header inside the sentence ("CLINICAL HISTORY:", "REFERRING DIAGNOSIS:") starts
  // new content: reports that run header and text together end every scope there.
  INLINE_HEADER_RE.lastIndex = 0;
  for (let m = INLINE_HEADER_RE.exec(sentence); m; m = INLINE_HEADER_RE.exec(sentence)) {
    terminators.push({ start: m.index, end: m.index + m[0].length, text: 'header' });
  }
  terminators.sort((a, b) => a.start - b.start);
  return { lower, hits, terminators };
}

export type Temporality = 'recent' | 'historical' | 'hypothetical';
export type Experiencer = 'patient' | 'other';

export interface AssertionResult {
  /** One summary for coding: negated > hypothetical > family > uncertain > historical > present. */
  assertion: Assertion;
  /** The trigger (or section) that set the summary. */
  trigger?: string;
  negated: boolean;
  uncertain: boolean;
  temporality: Temporality;
  experiencer: Experiencer;
}

/** Sections whose content is history or someone else's, unless a trigger says otherwise. */
const HISTORICAL_SECTIONS = new Set(['pmh', 'psh']);
const FAMILY_SECTIONS = new Set(['family_history']);

function wordsBetween(lower: string, from: number, to: number): number {
  if (to <= from) return 0;
  const m = lower.slice(from, to).match(/[a-z0-9]+/g);
  return m ? m.length : 0;
}

/**
 * The assertion of the concept at [start, end) of the analyzed sentence. The section name
 * (from section detection) supplies the default: family history makes the experiencer
 * someone else, past medical/surgical history makes it historical.
 */
export function assertConcept(ctx: SentenceContext, start: number, end: number, section: string): AssertionResult {
  const inScope = (h: TriggerHit): boolean => {
    // A trigger that starts before the concept and runs into it ("no acute" before "acute
    // fracture") still precedes it; one that starts inside the concept is part of its name.
    if (h.start >= start && h.start < end) return false;
    let from: number;
    let to: number;
    if (h.start < start && h.direction !== 'backward') {
      from = Math.min(h.end, start);
      to = start;
    } else if (h.start >= end && h.direction !== 'forward') {
      from = end;
      to = h.start;
    } else {
      return false;
    }
    if (wordsBetween(ctx.lower, from, to) > h.maxWords) return false;
    return !ctx.terminators.some((t) => t.start >= from && t.end <= to && !(h.category === 'negated' && NEGATION_CONTINUES.has(t.text)));
  };
  const nearest: Partial<Record<TriggerCategory, TriggerHit>> = {};
  for (const h of ctx.hits) {
    if (!inScope(h)) continue;
    const prev = nearest[h.category];
    if (!prev || distance(h, start, end) < distance(prev, start, end)) nearest[h.category] = h;
  }
  const negated = nearest.negated !== undefined;
  const uncertain = nearest.uncertain !== undefined;
  let temporality: Temporality = 'recent';
  let temporalTrigger: string | undefined;
  if (nearest.hypothetical) {
    temporality = 'hypothetical';
    temporalTrigger = nearest.hypothetical.text;
  } else if (nearest.historical) {
    temporality = 'historical';
    temporalTrigger = nearest.historical.text;
  } else if (HISTORICAL_SECTIONS.has(section)) {
    temporality = 'historical';
    temporalTrigger = `section: ${section === 'psh' ? 'past surgical history' : 'past medical history'}`;
  }
  let experiencer: Experiencer = 'patient';
  let experiencerTrigger: string | undefined;
  if (nearest['other-experiencer']) {
    experiencer = 'other';
    experiencerTrigger = nearest['other-experiencer'].text;
  } else if (FAMILY_SECTIONS.has(section)) {
    experiencer = 'other';
    experiencerTrigger = 'section: family history';
  }
  const base = { negated, uncertain, temporality, experiencer };
  const clean = (s: string) => s.replace(/\s+/g, ' ');
  if (nearest.negated) return { ...base, assertion: 'negated', trigger: clean(nearest.negated.text) };
  if (temporality === 'hypothetical') return { ...base, assertion: 'hypothetical', trigger: clean(temporalTrigger!) };
  if (experiencer === 'other') return { ...base, assertion: 'family', trigger: clean(experiencerTrigger!) };
  if (nearest.uncertain) return { ...base, assertion: 'uncertain', trigger: clean(nearest.uncertain.text) };
  // Past medical history lists chronic conditions the patient still has: a section default
  // makes them historical for the ConText property, but they stay codable (ICD-10-CM
  // guidelines Section IV.J: code all documented conditions that coexist and affect care).
  if (temporality === 'historical' && nearest.historical) return { ...base, assertion: 'historical', trigger: clean(temporalTrigger!) };
  if (temporality === 'historical' && section === 'psh') return { ...base, assertion: 'historical', trigger: temporalTrigger! };
  return { ...base, assertion: 'present' };
}

function distance(h: TriggerHit, start: number, end: number): number {
  return h.start < start ? Math.max(0, start - h.end) : h.start - end;
}
