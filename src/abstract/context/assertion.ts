import type { Assertion } from '../../contract/types.js';
import { meaningOf, TRIGGER_RE } from './trigger-regex.js';
import { NEGATION_CONTINUES, type ScopeDirection, type TriggerCategory } from './triggers.js';

/**
 * ConText-style assertion detection over one sentence (Harkema et al. 2009): triggers open a
 * scope forward or backward that ends at a terminator, the sentence end or the trigger's
 * word limit; pseudo-triggers mask phrases that contain a trigger word but are not one.
 * The four ConText properties are kept apart (negation, certainty, temporality,
 * experiencer) and summed up in one `Assertion` for coding.
 */

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
  /** By start. */
  hits: TriggerHit[];
  /** By start. */
  terminators: { start: number; end: number; text: string }[];
  /** Terminators that end a negation's scope too (not "but"-like continuations). */
  hardTerminators: { start: number; end: number; text: string }[];
  /** Character position of each word's start (words: runs of [a-z0-9]), ascending; none when there are no hits. */
  wordStarts: readonly number[];
  /** The widest scope of the sentence's triggers, in words. */
  maxWords: number;
}

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

export function analyzeSentence(sentence: string): SentenceContext {
  const lower = sentence.toLowerCase();
  const hits: TriggerHit[] = [];
  const terminators: SentenceContext['terminators'] = [];
  TRIGGER_RE.lastIndex = 0;
  for (let m = TRIGGER_RE.exec(lower); m; m = TRIGGER_RE.exec(lower)) {
    if (m[0].length === 0) {
      TRIGGER_RE.lastIndex++;
      continue;
    }
    const start = m.index;
    const end = start + m[0].length;
    const meaning = meaningOf(lower, start, m[0]);
    if (!meaning) continue;
    const text = m[0].replace(/\s+/g, ' ');
    if (meaning.terminator) terminators.push({ start, end, text });
    // The same phrase may be listed in both directions ("resolved"): one hit with both.
    const byCategory = new Map<TriggerCategory, TriggerHit>();
    for (const d of meaning.defs) {
      if (d.category === 'pseudo') continue; // matched only to mask what it covers
      const prev = byCategory.get(d.category);
      if (prev) {
        if (prev.direction !== d.direction) prev.direction = 'both';
        prev.maxWords = Math.max(prev.maxWords, d.maxWords);
      } else {
        const hit: TriggerHit = { category: d.category, direction: d.direction, maxWords: d.maxWords, start, end, text: m[0] };
        byCategory.set(d.category, hit);
        hits.push(hit);
      }
    }
  }
  // A section header inside the sentence ("CLINICAL HISTORY:", "REFERRING DIAGNOSIS:") starts
  // new content: reports that run header and text together end every scope there.
  // Every header ends in a colon, and the other mark is "***": without either, none is looked for.
  INLINE_HEADER_RE.lastIndex = sentence.includes(':') || sentence.includes('***') ? 0 : sentence.length;
  let headers = 0;
  for (let m = INLINE_HEADER_RE.exec(sentence); m; m = INLINE_HEADER_RE.exec(sentence)) {
    terminators.push({ start: m.index, end: m.index + m[0].length, text: 'header' });
    headers++;
  }
  // Each expression's hits come in text order: only headers found among other terminators need
  // a sort (Array.prototype.sort allocates even when nothing moves).
  if (headers > 0 && headers < terminators.length) terminators.sort((a, b) => a.start - b.start);
  // Word starts only, in a plain array: a count of words before each character (a typed
  // array per sentence) cost more to allocate than the rest of this function together. Only
  // a trigger's scope is measured in words: two sentences in three that hold a concept hold
  // no trigger (CodiEsp), and need none.
  const starts: number[] = [];
  if (hits.length > 0) {
    let wordChar = false;
    for (let i = 0; i < lower.length; i++) {
      const isWord = isWordChar(lower.charCodeAt(i));
      if (isWord && !wordChar) starts.push(i);
      wordChar = isWord;
    }
  }
  return {
    lower, hits, terminators, hardTerminators: terminators.filter((t) => !NEGATION_CONTINUES.has(t.text)),
    wordStarts: starts, maxWords: hits.reduce((m, h) => Math.max(m, h.maxWords), 0),
  };
}

/** Words in [from, to), a word cut at `from` counting as one: what /[a-z0-9]+/g finds in the slice. */
function wordsBetween(ctx: SentenceContext, from: number, to: number): number {
  if (to <= from) return 0;
  const cut = from > 0 && isWordChar(ctx.lower.charCodeAt(from)) && isWordChar(ctx.lower.charCodeAt(from - 1)) ? 1 : 0;
  return wordsBefore(ctx, to) - wordsBefore(ctx, from) + cut;
}

/** Words that start before character `at` (binary search over the word starts). */
function wordsBefore(ctx: SentenceContext, at: number): number {
  const starts = ctx.wordStarts;
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index of a list sorted by start whose start is at least `at`. */
function firstFrom<T extends { start: number }>(list: readonly T[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A terminator lies wholly inside [from, to). */
function terminatedBetween(list: readonly { start: number; end: number }[], from: number, to: number): boolean {
  for (let i = firstFrom(list, from); i < list.length && list[i]!.start < to; i++) if (list[i]!.end <= to) return true;
  return false;
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

/**
 * Sections whose content is by default not about this encounter's problem (ConText's section
 * defaults, Harkema et al. 2009): past medical and surgical history, and the social history and
 * allergy lists, which record standing habits and past reactions.
 */
const HISTORICAL_SECTIONS = new Set(['pmh', 'psh', 'social_history', 'allergies']);
const FAMILY_SECTIONS = new Set(['family_history']);
const SECTION_NAMES: Record<string, string> = { pmh: 'past medical history', psh: 'past surgical history', social_history: 'social history', allergies: 'allergies' };

/**
 * The assertion of the concept at [start, end) of the analyzed sentence. The section name
 * (from section detection) supplies the default: family history makes the experiencer
 * someone else, past medical/surgical history makes it historical.
 */
export function assertConcept(ctx: SentenceContext, start: number, end: number, section: string): AssertionResult {
  // The nearest trigger of each category in scope; one object shape, and no closure per call
  // (assertConcept runs for every mention).
  const nearest: Record<Exclude<TriggerCategory, 'pseudo'>, TriggerHit | undefined> = {
    negated: undefined, uncertain: undefined, historical: undefined, hypothetical: undefined, 'other-experiencer': undefined,
  };
  // Only triggers within the widest scope (in words, with a margin for the trigger's own
  // words) can reach the concept: the rest of a long sentence is not looked at.
  const words = ctx.wordStarts.length;
  const reach = ctx.maxWords + 12;
  const lo = words === 0 ? 0 : ctx.wordStarts[Math.max(0, wordsBefore(ctx, start) - reach)]!;
  const hiWord = wordsBefore(ctx, Math.min(end, ctx.lower.length)) + reach;
  const hi = hiWord >= words ? ctx.lower.length : ctx.wordStarts[hiWord]!;
  for (let i = firstFrom(ctx.hits, lo); i < ctx.hits.length && ctx.hits[i]!.start <= hi; i++) {
    const h = ctx.hits[i]!;
    if (h.category === 'pseudo' || !inScope(ctx, h, start, end)) continue;
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
    temporalTrigger = `section: ${SECTION_NAMES[section] ?? section}`;
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
  let assertion: Assertion = 'present';
  let trigger: string | undefined;
  if (nearest.negated) {
    assertion = 'negated';
    trigger = clean(nearest.negated.text);
  } else if (temporality === 'hypothetical') {
    assertion = 'hypothetical';
    trigger = clean(temporalTrigger!);
  } else if (experiencer === 'other') {
    assertion = 'family';
    trigger = clean(experiencerTrigger!);
  } else if (nearest.uncertain) {
    assertion = 'uncertain';
    trigger = clean(nearest.uncertain.text);
  } else if (temporality === 'historical' && nearest.historical) {
    // Past medical history lists chronic conditions the patient still has: a section default
    // makes them historical for the ConText property, but they stay codable (ICD-10-CM
    // guidelines Section IV.J: code all documented conditions that coexist and affect care).
    assertion = 'historical';
    trigger = clean(temporalTrigger!);
  } else if (temporality === 'historical' && section === 'psh') {
    assertion = 'historical';
    trigger = temporalTrigger!;
  }
  // Built in the order the spread form gave its properties, without a trigger when none set it.
  const result = { negated, uncertain, temporality, experiencer, assertion } as AssertionResult;
  if (trigger !== undefined) result.trigger = trigger;
  return result;
}

/** A trigger's text with its whitespace as one space. */
const clean = (s: string) => s.replace(/\s+/g, ' ');

/** The trigger's scope reaches the concept at [start, end) of the sentence. */
function inScope(ctx: SentenceContext, h: TriggerHit, start: number, end: number): boolean {
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
  if (wordsBetween(ctx, from, to) > h.maxWords) return false;
  return !terminatedBetween(h.category === 'negated' ? ctx.hardTerminators : ctx.terminators, from, to);
}

function distance(h: TriggerHit, start: number, end: number): number {
  return h.start < start ? Math.max(0, start - h.end) : h.start - end;
}
