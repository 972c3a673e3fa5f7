import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from '../../paths.js';
import { canonicalWord } from './word-forms.js';

/**
 * Tokens normalized for matching: lower case, punctuation dropped, simple plurals
 * folded, and the common clinical abbreviations expanded to the words the lexicon uses.
 */
export interface Token {
  norm: string;
  start: number;
  end: number;
}

/** Clinical abbreviations and the term each stands for (team-written, data/lexicon/abbreviations.json). */
export const ABBREVIATIONS_FILE = join(DATA_DIR, 'lexicon', 'abbreviations.json');

export function readAbbreviations(file: string = ABBREVIATIONS_FILE): Record<string, string> {
  return (JSON.parse(readFileSync(file, 'utf8')) as { abbreviations: Record<string, string> }).abbreviations;
}

// Hyphens split words ("gastro-esophageal", "left-sided"); a slash keeps "s/p", "h/o", "n/v" whole.
const TOKEN = /[a-z0-9]+(?:\/[a-z0-9]+)*/g;

/** Folds plurals so "migraines" matches "migraine"; leaves -ss, -is, -us words alone. */
/** Singular words that end like plurals. */
const SINGULAR_ES = new Set(['diabetes', 'herpes', 'rabies', 'scabies', 'caries', 'series', 'species', 'measles', 'shingles', 'rickets',
  'hives', 'ascites', 'lues', 'tabes', 'pubes', 'mumps', 'feces', 'biceps', 'triceps', 'nares', 'menses']);

export function foldPlural(word: string): string {
  if (SINGULAR_ES.has(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(ss|is|us|as|os)$/.test(word)) return word.slice(0, -1);
  return word;
}

export function tokenize(text: string, offset = 0): Token[] {
  const lower = text.toLowerCase();
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(lower); m; m = TOKEN.exec(lower)) {
    // Irregular forms first ("metastases"), then the plural rule, then the spelling table again.
    const word = m[0];
    const known = canonicalWord(word);
    let norm = known;
    if (known === word) {
      const folded = foldPlural(word);
      norm = folded === word ? word : canonicalWord(folded);
    }
    out.push({ norm, start: offset + m.index, end: offset + m.index + word.length });
  }
  return out;
}

/** Normalizes a lexicon term to the token sequence the matcher compares against. */
export function normalizeTerm(term: string): string[] {
  return tokenize(term).map((t) => t.norm);
}
