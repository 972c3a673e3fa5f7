import {
  TERMINATOR_PHRASES, TRIGGER_ROWS, type ScopeDirection, type TriggerCategory,
} from './triggers.js';
import { topLevelAlternatives } from '../../contract/regex-source.js';

/**
 * The trigger lexicon (triggers.ts) compiled into the one regular expression assertion
 * detection scans each sentence with, and the way back from a hit to what its phrase means.
 */

/** Whitespace inside a phrase matches any run of whitespace; a phrase ending in a word gets a boundary. */
export function phraseBody(phrase: string): string {
  const body = phrase.replace(/ /g, '\\s+');
  const endsWord = /[a-z0-9)]$/i.test(phrase) && !phrase.endsWith('\\?');
  return `(?:${body})${endsWord ? '(?![a-z0-9/-])' : ''}`;
}

/** What a phrase means: one or more trigger definitions, and/or a terminator. */
export interface PhraseMeaning {
  defs: { category: TriggerCategory; direction: ScopeDirection; maxWords: number }[];
  terminator: boolean;
}

/** A phrase without regular-expression syntax (after its escapes), looked up by its text. */
function literalText(phrase: string): string | undefined {
  const unescaped = phrase.replace(/\\([.?+)])/g, '$1');
  return /[\\()[\]{}*+?|^$]/.test(phrase.replace(/\\[.?+)]/g, '')) ? undefined : unescaped;
}

/**
 * A trigger without its own window reaches to the sentence's end or its next terminator
 * (pyConText), but never further than this many words: clinical sentences are far shorter,
 * and a run-on "sentence" of a megabyte must not make every concept look at every trigger.
 */
export const UNBOUNDED_SCOPE_WORDS = 100;

const MEANINGS = new Map<string, PhraseMeaning>();
for (const row of TRIGGER_ROWS) {
  for (const phrase of row.phrases) {
    const m = MEANINGS.get(phrase) ?? { defs: [], terminator: false };
    m.defs.push({ category: row.category, direction: row.direction, maxWords: 'maxWords' in row ? row.maxWords : UNBOUNDED_SCOPE_WORDS });
    MEANINGS.set(phrase, m);
  }
}
for (const phrase of TERMINATOR_PHRASES) {
  const m = MEANINGS.get(phrase) ?? { defs: [], terminator: false };
  m.terminator = true;
  MEANINGS.set(phrase, m);
}

/** The character class a phrase (or an alternative of its leading group) starts with: a letter, or any digit. */
function firstCharacter(phrase: string, whole: string): string {
  if (/^(?:\\d|[0-9])/.test(phrase)) return '0-9';
  if (/^[a-z]/.test(phrase)) return phrase[0]!;
  throw new Error(`trigger phrase "${whole}": cannot tell which character it starts with (a letter, a digit, or a leading (?:…) group of those)`);
}

/**
 * A phrase's variants by the character they start with: a phrase starting with a letter or a
 * digit is one variant; one starting with a group (`(?:his|her|a) …`) gets one variant per
 * first character, with the group cut down to the alternatives that start with it.
 */
function variantsByFirstCharacter(phrase: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!phrase.startsWith('(?:')) {
    out.set(firstCharacter(phrase, phrase), phrase);
    return out;
  }
  let depth = 0;
  let end = -1;
  for (let i = 0; i < phrase.length && end < 0; i++) {
    if (phrase[i] === '\\') i++;
    else if (phrase[i] === '(') depth++;
    else if (phrase[i] === ')' && --depth === 0) end = i;
  }
  const rest = phrase.slice(end + 1);
  if (end < 0 || /^[?*{]/.test(rest)) throw new Error(`trigger phrase "${phrase}": a leading group must be closed and not optional`);
  const byFirst = new Map<string, string[]>();
  for (const alternative of topLevelAlternatives(phrase.slice(3, end))) {
    const first = firstCharacter(alternative, phrase);
    byFirst.set(first, [...(byFirst.get(first) ?? []), alternative]);
  }
  for (const [first, alternatives] of byFirst) out.set(first, `(?:${alternatives.join('|')})${rest}`);
  return out;
}

/** Phrases that start with a word (or a group of words); the rest start with a mark ("?", ";", ", he was"). */
const startsWithWord = (phrase: string) => /^[a-z0-9(]/i.test(phrase);

/**
 * One alternation of all phrases, as written: the reference the grouped form must equal, and
 * the specification of what a sentence's hits are. Longest phrases first, so the alternation
 * prefers "no history of" over "no" and "gram negative" over "negative"; the start-of-word
 * check is written once in front of all phrases that start with a word.
 */
export function plainAlternation(phrases: readonly string[]): RegExp {
  const word = phrases.filter(startsWithWord);
  const other = phrases.filter((p) => !startsWithWord(p));
  return new RegExp(
    [`(?<![a-z0-9/'-])(?:${word.map(phraseBody).join('|')})`, ...(other.length ? [`(?:${other.map(phraseBody).join('|')})`] : [])].join('|'),
    'g',
  );
}

/**
 * The same alternation with the phrases that start with a word grouped by their first
 * character, each group in the phrases' own order. At any position only the group of the
 * character there can match, and within it the order is unchanged, so every hit is the same;
 * but the engine rules out a group by its first character where it tried each of ~400
 * phrases: the scan takes 0.4 of the time on CodiEsp sentences.
 */
export function groupedAlternation(phrases: readonly string[]): RegExp {
  const groups = new Map<string, string[]>();
  for (const phrase of phrases.filter(startsWithWord)) {
    for (const [first, variant] of variantsByFirstCharacter(phrase)) groups.set(first, [...(groups.get(first) ?? []), variant]);
  }
  const other = phrases.filter((p) => !startsWithWord(p));
  const grouped = [...groups.values()].map((group) => `(?:${group.map(phraseBody).join('|')})`);
  return new RegExp(
    [`(?<![a-z0-9/'-])(?:${grouped.join('|')})`, ...(other.length ? [`(?:${other.map(phraseBody).join('|')})`] : [])].join('|'),
    'g',
  );
}

/** Every trigger, pseudo-trigger and terminator phrase, longest first. */
export const ALL_PHRASES: readonly string[] = [...MEANINGS.keys()].sort((a, b) => b.length - a.length);

/** One pass per sentence finds every phrase: a pass per category cost 2.5 times as much. */
export const TRIGGER_RE = groupedAlternation(ALL_PHRASES);

/** Literal phrases by their text; the few patterns are told apart by re-matching at the hit. */
const BY_TEXT = new Map<string, PhraseMeaning>();
const PATTERNS: { re: RegExp; meaning: PhraseMeaning }[] = [];
for (const phrase of ALL_PHRASES) {
  const literal = literalText(phrase);
  if (literal !== undefined) {
    if (!BY_TEXT.has(literal)) BY_TEXT.set(literal, MEANINGS.get(phrase)!);
  } else {
    PATTERNS.push({ re: new RegExp(phraseBody(phrase), 'y'), meaning: MEANINGS.get(phrase)! });
  }
}

/** What the phrase of a hit means: the hit's text at `at` in the lower-cased sentence. */
export function meaningOf(lower: string, at: number, text: string): PhraseMeaning | undefined {
  const literal = BY_TEXT.get(text.replace(/\s+/g, ' '));
  if (literal) return literal;
  for (const p of PATTERNS) {
    p.re.lastIndex = at;
    const m = p.re.exec(lower);
    if (m && m[0].length === text.length) return p.meaning;
  }
  return undefined;
}
