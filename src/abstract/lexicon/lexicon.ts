import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from '../../paths.js';
import { ABBREVIATION_EXPANSIONS, normalizeTerm, type Token } from '../text/tokens.js';

export interface LexiconEntry {
  code: string;
  title: string;
  /** The term as written in the lexicon source. */
  term: string;
  laterality?: Partial<Record<'right' | 'left' | 'bilateral' | 'unspecified', string>>;
  /** A sign or symptom: not coded when a confirmed diagnosis explains it. */
  symptom: boolean;
  source: string;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  entry?: LexiconEntry;
}

export interface LexiconMatch {
  entry: LexiconEntry;
  /** Token index range [from, to). */
  from: number;
  to: number;
}

/** A token trie over normalized terms: longest match at each position. */
export class Lexicon {
  private readonly root: TrieNode = { next: new Map() };
  size = 0;

  add(entry: LexiconEntry): void {
    const words = normalizeTerm(entry.term);
    if (words.length === 0) return;
    let node = this.root;
    for (const w of words) {
      let child = node.next.get(w);
      if (!child) {
        child = { next: new Map() };
        node.next.set(w, child);
      }
      node = child;
    }
    if (!node.entry) this.size++;
    node.entry ??= entry; // the first source to define a term wins
  }

  /** Non-overlapping longest matches, left to right. */
  match(tokens: readonly Token[]): LexiconMatch[] {
    const out: LexiconMatch[] = [];
    let i = 0;
    while (i < tokens.length) {
      let node: TrieNode | undefined = this.root;
      let best: LexiconMatch | undefined;
      for (let j = i; j < tokens.length; j++) {
        node = node.next.get(tokens[j]!.norm);
        if (!node) break;
        if (node.entry) best = { entry: node.entry, from: i, to: j + 1 };
      }
      if (best) {
        out.push(best);
        i = best.to;
      } else {
        i++;
      }
    }
    return out;
  }
}

interface StarterFile {
  entries: { code: string; title: string; terms: string[]; laterality?: LexiconEntry['laterality']; symptom?: boolean }[];
}

export const STARTER_LEXICON_FILE = join(DATA_DIR, 'starter', 'diagnosis-lexicon.json');

/**
 * The team-written starter lexicon, plus each clinical abbreviation as an alias of
 * the entry its expansion names ("afib" → atrial fibrillation).
 */
export function loadStarterLexicon(file: string = STARTER_LEXICON_FILE): Lexicon {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as StarterFile;
  const lexicon = new Lexicon();
  const byTerm = new Map<string, LexiconEntry>();
  for (const e of parsed.entries) {
    for (const term of e.terms) {
      const entry: LexiconEntry = {
        code: e.code, title: e.title, term, symptom: e.symptom ?? false, source: 'starter',
        ...(e.laterality ? { laterality: e.laterality } : {}),
      };
      lexicon.add(entry);
      byTerm.set(normalizeTerm(term).join(' '), entry);
    }
  }
  for (const [abbr, expansion] of Object.entries(ABBREVIATION_EXPANSIONS)) {
    const target = byTerm.get(normalizeTerm(expansion).join(' '));
    if (target) lexicon.add({ ...target, term: abbr, source: 'abbreviation' });
  }
  return lexicon;
}
