import { join } from 'node:path';
import { DATA_DIR, readJsonData } from '../../paths.js';
import { canonicalWord } from './word-forms.js';

/**
 * Tokens normalized for matching: lower case, punctuation dropped, simple plurals
 * folded, and the common clinical abbreviations expanded to the words the lexicon uses.
 */
export interface Token {
  norm: string;
  start: number;
  end: number;
  /**
   * `wordHash(norm)`, computed while the word's characters are read: the lexicon finds the
   * word's record by it without hashing the string again. Tokens made by hand may leave it out.
   */
  hash?: number;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over a word's character codes: the key of the lexicon's word table. */
export function wordHash(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Clinical abbreviations and the term each stands for (team-written, data/lexicon/abbreviations.json). */
export const ABBREVIATIONS_FILE = join(DATA_DIR, 'lexicon', 'abbreviations.json');

export function readAbbreviations(file: string = ABBREVIATIONS_FILE): Record<string, string> {
  return readJsonData<{ abbreviations: Record<string, string> }>(file).abbreviations;
}

// A word is a run of [a-z0-9] in the lower-cased text, and a slash between two short runs
// keeps them one word ("s/p", "h/o", "n/v"); hyphens split words ("gastro-esophageal", "left-sided");
// a possessive "'s" after a word is dropped.
// Scanned by character code: a regular expression's match array per word was most of what
// tokenizing allocated.
const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
/** The longest run of a slashed abbreviation ("s/p", "and/or", "mg/dl"). */
const MAX_SLASHED_RUN = 3;

const isApostrophe = (c: number) => c === 39 /* ' */ || c === 8217 /* ’ */;

/** Singular words that end like plurals. */
const SINGULAR_ES = new Set(['diabetes', 'herpes', 'rabies', 'scabies', 'caries', 'series', 'species', 'measles', 'shingles', 'rickets',
  'hives', 'ascites', 'lues', 'tabes', 'pubes', 'mumps', 'feces', 'biceps', 'triceps', 'nares', 'menses']);

/**
 * Medical nouns in -a whose plural adds an s: hematomas, edemas, arrhythmias, fistulas. The
 * singular words ending so are a genus or a name ("pseudomonas" ends -onas; "pancreas",
 * "atlas", "alias", "bias" are not matched or too short).
 */
const A_PLURAL = /(?:omas|emas|ias|ulas)$/;

/**
 * Nouns whose plural adds -es after a sibilant: masses, abscesses, reflexes, rashes,
 * stitches, branches, and the Latin -us nouns sinuses, viruses, boluses, fetuses. Not
 * -aches (headaches, backaches: the singular ends in e) nor -uses after other letters
 * (causes, abuses, excuses).
 */
const SIBILANT_PLURAL = /(?:sses|xes|shes|tches|nches|[nrtl]uses)$/;

/**
 * Folds plurals so "migraines" matches "migraine"; leaves -ss, -is, -us, -as and -os words
 * alone, except the -a nouns of A_PLURAL ("hematomas"), and drops the -es of SIBILANT_PLURAL.
 */
export function foldPlural(word: string): string {
  const n = word.length;
  // Every rule below, and every word of SINGULAR_ES, ends in s: most words stop here.
  if (n <= 3 || word.charCodeAt(n - 1) !== 115 /* s */ || SINGULAR_ES.has(word)) return word;
  if (n > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (n > 5 && word.charCodeAt(n - 2) === 97 /* a */ && A_PLURAL.test(word)) return word.slice(0, -1);
  const before = word.charCodeAt(n - 2);
  if (n > 5 && before === 101 /* e */ && SIBILANT_PLURAL.test(word)) return word.slice(0, -2);
  // s, i, u, a, o
  if (before !== 115 && before !== 105 && before !== 117 && before !== 97 && before !== 111) return word.slice(0, -1);
  return word;
}

/**
 * Latin letters with a diacritic (U+00C0–U+024F) and the plain letter each decomposes to
 * (Unicode canonical decomposition): "Sjögren", "Behçet", "Ménière" written either way are
 * one word. One character for one, so offsets into the text stay right.
 */
const PLAIN_LETTER = new Map<number, string>();
for (let c = 0xc0; c <= 0x24f; c++) {
  const base = String.fromCharCode(c).normalize('NFD');
  if (base.length > 1 && /^[A-Za-z][\u0300-\u036f]+$/.test(base)) PLAIN_LETTER.set(c, base[0]!.toLowerCase());
}
const HAS_DIACRITIC = /[\u00c0-\u024f]/;

/** The lower-cased text with each letter that has a diacritic written plain, at the same offsets. */
function plainLower(text: string): string {
  const lower = text.toLowerCase();
  if (!HAS_DIACRITIC.test(lower)) return lower;
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    out += (c >= 0xc0 && c <= 0x24f ? PLAIN_LETTER.get(c) : undefined) ?? lower[i];
  }
  return out;
}

export function tokenize(text: string, offset = 0): Token[] {
  const lower = plainLower(text);
  const out: Token[] = [];
  const n = lower.length;
  for (let i = 0; i < n; ) {
    if (!isWordCode(lower.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    // The word's hash (wordHash) as its characters go by: one read of each character.
    let h = FNV_OFFSET;
    let c = lower.charCodeAt(i);
    const c0 = c;
    do {
      h = Math.imul(h ^ c, FNV_PRIME);
      i++;
    } while (i < n && isWordCode((c = lower.charCodeAt(i))));
    // Short runs joined by a slash are one word ("s/p", "h/o", "n/v", "mg/dl"); a slash after
    // or before a longer run separates two words ("cigarettes/day", "nausea/vomiting").
    for (let run = start; i - run <= MAX_SLASHED_RUN && i + 1 < n && lower.charCodeAt(i) === 47 /* / */ && isWordCode(lower.charCodeAt(i + 1)); ) {
      let next = i + 1;
      while (next < n && isWordCode(lower.charCodeAt(next))) next++;
      if (next - (i + 1) > MAX_SLASHED_RUN) break;
      h = Math.imul(h ^ 47, FNV_PRIME);
      for (let k = i + 1; k < next; k++) h = Math.imul(h ^ lower.charCodeAt(k), FNV_PRIME);
      run = i + 1;
      i = next;
    }
    // A possessive's "s" (right after a word and an apostrophe) is no word of its own: "Crohn's
    // disease" matches "Crohn disease", "Turner syndrome" the tabular's "Turner's syndrome".
    if (i - start === 1 && c0 === 115 /* s */ && start >= 2 && isApostrophe(lower.charCodeAt(start - 1)) && isWordCode(lower.charCodeAt(start - 2))) continue;
    // Irregular forms first ("metastases"), then the plural rule, then the spelling table again.
    const word = lower.slice(start, i);
    const known = canonicalWord(word);
    let norm = known;
    if (known === word) {
      const folded = foldPlural(word);
      norm = folded === word ? word : canonicalWord(folded);
    }
    out.push({ norm, start: offset + start, end: offset + i, hash: norm === word ? h : wordHash(norm) });
  }
  return out;
}

/** Normalizes a lexicon term to the token sequence the matcher compares against. */
export function normalizeTerm(term: string): string[] {
  return tokenize(term).map((t) => t.norm);
}
