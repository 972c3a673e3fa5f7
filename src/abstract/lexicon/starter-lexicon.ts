import { join } from 'node:path';
import { DATA_DIR, readJsonData } from '../../paths.js';
import { readAbbreviations } from '../text/tokens.js';
import { Lexicon, type LexiconEntry } from './lexicon.js';

// The team-written terms every lexicon starts from: the starter diagnosis lexicon, clinical
// abbreviations and synonyms (data/starter, data/lexicon). The matcher is lexicon.ts.

interface StarterFile {
  entries: { code: string; title: string; terms: string[]; laterality?: LexiconEntry['laterality']; symptom?: boolean }[];
}

export const STARTER_LEXICON_FILE = join(DATA_DIR, 'starter', 'diagnosis-lexicon.json');

/** Weight of the team-written starter terms: curated, one code each. */
export const STARTER_WEIGHT = 0.9;

/** Adds the team-written starter lexicon to a lexicon (a new one by default). */
export function loadStarterLexicon(file: string = STARTER_LEXICON_FILE, lexicon: Lexicon = new Lexicon()): Lexicon {
  const parsed = readJsonData<StarterFile>(file);
  for (const e of parsed.entries) {
    for (const term of e.terms) {
      lexicon.add({
        code: e.code, system: 'ICD-10-CM', title: e.title, term, symptom: e.symptom ?? false, source: 'starter', weight: STARTER_WEIGHT,
        ...(e.laterality ? { laterality: e.laterality } : {}),
      });
    }
  }
  addAbbreviations(lexicon);
  return lexicon;
}

/** The team's clinical synonyms: phrase → the term it means (data/lexicon/synonyms.json). */
export const SYNONYMS_FILE = join(DATA_DIR, 'lexicon', 'synonyms.json');

export function readSynonyms(file: string = SYNONYMS_FILE): Record<string, string> {
  return readJsonData<{ phrases: Record<string, string> }>(file).phrases;
}

let aliases: { abbreviations: Record<string, string>; synonyms: Record<string, string> } | undefined;

/**
 * Each clinical abbreviation ("afib" → atrial fibrillation) and each synonym ("pollakiuria" →
 * frequency of micturition) becomes an alias of the entries its expansion names.
 */
export function addAbbreviations(lexicon: Lexicon): void {
  aliases ??= { abbreviations: readAbbreviations(), synonyms: readSynonyms() };
  for (const [table, source, factor] of [[aliases.abbreviations, 'abbreviation', 0.95], [aliases.synonyms, 'synonym', 0.95]] as const) {
    for (const [alias, expansion] of Object.entries(table)) {
      for (const target of lexicon.lookup(expansion)) {
        if (target.source === 'abbreviation' || target.source === 'synonym') continue;
        lexicon.add({ ...target, term: alias, source, weight: target.weight * factor, detail: `${alias} = ${expansion}` });
      }
    }
  }
}
