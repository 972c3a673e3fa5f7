import { join } from 'node:path';
import { DATA_DIR, readJsonData } from '../../paths.js';

/**
 * One spelling per word before matching, so a term written one way in the code set and
 * another way in a note still matches: British spellings, Latin and English plurals the
 * simple plural rule misses, adjective/noun pairs that name the same organ in ICD-10-CM
 * titles and in notes ("renal failure" / "kidney failure"), single-word synonyms and the
 * words of case reports translated from Spanish ("lithiasis" / "calculus"). Team-written, in
 * data/lexicon/word-forms.json (groups of word → canonical word).
 */
export const WORD_FORMS_FILE = join(DATA_DIR, 'lexicon', 'word-forms.json');

interface WordFormsFile {
  groups: Record<string, Record<string, string>>;
}

/** The word forms of a file, every group merged (a word may be canonicalized once only). */
export function readWordForms(file: string = WORD_FORMS_FILE): Map<string, string> {
  const parsed = readJsonData<WordFormsFile>(file);
  const forms = new Map<string, string>();
  for (const [group, words] of Object.entries(parsed.groups)) {
    for (const [word, canonical] of Object.entries(words)) {
      if (forms.has(word) && forms.get(word) !== canonical) throw new Error(`${file}: "${word}" has two canonical forms (group "${group}")`);
      forms.set(word, canonical);
    }
  }
  return forms;
}

const FORMS: ReadonlyMap<string, string> = readWordForms();

/** A word's first and last character (7 bits each): a cheap key that most words share with no form. */
const pairOf = (word: string) => ((word.charCodeAt(0) & 127) << 7) | (word.charCodeAt(word.length - 1) & 127);

/**
 * The pairs of the words that have a form: a word whose pair is not among them has none, and
 * is known so by one array read instead of a map lookup (the tokenizer asks for every word).
 */
const PAIRS = new Uint8Array(1 << 14);
for (const word of FORMS.keys()) PAIRS[pairOf(word)] = 1;

export function canonicalWord(word: string): string {
  return PAIRS[pairOf(word)] === 1 ? FORMS.get(word) ?? word : word;
}
