import type { SiteLexiconRow } from '../abstract/lexicon/compile-lexicon.js';
import type { Lexicon } from '../abstract/lexicon/lexicon.js';
import { splitSentences } from '../abstract/text/sentences.js';
import { normalizeTerm, tokenize, type Token } from '../abstract/text/tokens.js';
import type { CodeSystem } from '../contract/types.js';
import type { Db } from '../store/database.js';
import { binomialUpperTail } from './binomial.js';
import type { CodedDocument } from './coded-corpus.js';
import { crossFitted, type Counts } from './cross-fit.js';
import { siblingRows, siblingsOf, type SiblingDocument } from './sibling-readings.js';

/**
 * Learning from coded history. Documents come with the codes a coder assigned but not
 * with the words that justified each code, so two statistics are taken per document:
 * - for every lexicon term found, whether each of its codes was assigned: this re-weights
 *   the reference lexicon to how the site documents and codes ("pain" is coded R52 in 37%
 *   of the documents that say it);
 * - for every code the lexicon did not find, the word sequences the document holds: a
 *   sequence that keeps coming with the code ("febrile syndrome" → R50.9) becomes a learned
 *   term. Only sequences seen in several documents, with a minimum precision, are kept,
 *   and each keeps the precision it showed on training folds it was not learned from. It
 *   must come with the code more often than the code's own rate explains (a binomial test:
 *   a code in most documents comes with every common word). A sequence the reference
 *   lexicon reads as a code of another system is not learned for this one ("syncope" is a
 *   diagnosis, not a name for the ECG done for it).
 */
export interface LearnOptions {
  /** Longest learned word sequence. */
  maxWords?: number;
  /** Documents in which a learned term must come with its code. */
  minTogether?: number;
  /** Share of a learned term's documents that carry its code. */
  minPrecision?: number;
  /** Sequences in more than this share of documents say nothing about a code. */
  maxDocumentShare?: number;
  /**
   * A learned term must share a content word with what the reference lexicon says of the
   * code (its title, inclusion and index terms), unless it is seen this many times with it.
   */
  minTogetherUnrelated?: number;
  /**
   * The same for procedure codes (default 3): the reference says little of how notes name a
   * procedure, so fewer of its terms share a word with it; their held-out precision still decides.
   */
  minTogetherUnrelatedProcedure?: number;
  /**
   * Systems whose learned terms must hold a word of the reference's own terms of the system
   * (default ICD-10-CM). Not ICD-10-PCS: notes name procedures in words the PCS axes do not
   * use ("surgery", "scan"), and requiring them cost procedure F1 0.015 on CodiEsp dev.
   */
  vocabularySystems?: readonly CodeSystem[];
  /** Folds of the training split a learned term's precision is measured on (default 5; under 2, no measure). */
  folds?: number;
  /** Least precision a learned term shows on the folds it was not learned from (default 0.1: weaker terms still rank, they are never predicted alone). */
  minHeldOutPrecision?: number;
  /**
   * Most chance (default 0.01) that a sequence saying nothing of a code would come with it as
   * often as it does, the code coming at its base rate (a one-sided binomial test): a code in
   * most documents ("R69 Illness, unspecified") comes with every common word, which is no
   * reason to read the word as the code.
   */
  maxChance?: number;
}

/** Words too general to tie a term to a code. */
const GENERIC_WORDS = new Set(['disease', 'disorder', 'syndrome', 'condition', 'unspecified', 'other', 'specified', 'left', 'right',
  'bilateral', 'acute', 'chronic', 'primary', 'secondary', 'type', 'site', 'abnormal', 'finding', 'level', 'without', 'with', 'due',
  'use', 'history', 'elsewhere', 'classified', 'part', 'organ', 'system', 'encounter', 'initial', 'subsequent', 'sequela', 'nos', 'nec']);

/**
 * What the reference lexicon says, in one pass over its entries: the content words of each
 * code, by code and by ICD-10-CM category (for gold codes the lexicon lacks), and the code
 * systems each term names ("syncope": ICD-10-CM).
 */
export function referenceIndex(lexicon: Lexicon): { codeWords: Map<string, Set<string>>; termSystems: Map<string, Set<CodeSystem>>; vocabulary: Map<CodeSystem, Set<string>> } {
  const codeWords = new Map<string, Set<string>>();
  const termSystems = new Map<string, Set<CodeSystem>>();
  const vocabulary = new Map<CodeSystem, Set<string>>();
  const add = (key: string, words: readonly string[]) => {
    let set = codeWords.get(key);
    if (!set) {
      set = new Set();
      codeWords.set(key, set);
    }
    for (const w of words) if (!STOP.has(w) && !GENERIC_WORDS.has(w) && w.length > 2) set.add(w);
  };
  for (const e of lexicon.entries()) {
    const term = normalizeTerm(e.term);
    const words = [...term, ...normalizeTerm(e.title)];
    add(`${e.system}\t${e.code}`, words);
    let vocab = vocabulary.get(e.system);
    if (!vocab) vocabulary.set(e.system, (vocab = new Set()));
    for (const w of words) if (!STOP.has(w)) vocab.add(w);
    if (e.system === 'ICD-10-CM') add(`${e.system}\t${e.code.slice(0, 3)}`, words);
    const key = term.join(' ');
    let systems = termSystems.get(key);
    if (!systems) termSystems.set(key, (systems = new Set()));
    systems.add(e.system);
  }
  return { codeWords, termSystems, vocabulary };
}

export interface LearnedLexicon {
  documents: number;
  rows: SiteLexiconRow[];
  codeStats: { code: string; system: CodeSystem; documents: number }[];
  /** Gold codes the reference lexicon found in their document, and all gold codes. */
  goldFound: number;
  goldTotal: number;
}

const STOP = new Set(['of', 'the', 'a', 'an', 'and', 'in', 'on', 'to', 'for', 'by', 'at', 'or', 'with', 'as', 'from', 'was', 'is', 'were', 'are', 'be', 'been', 'which', 'that', 'this', 'his', 'her', 'he', 'she', 'it', 'we', 'no', 'not', 'patient', 'case', 'year', 'old', 'after', 'before', 'during', 'since', 'but', 'also', 'than', 'then', 'there', 'who', 'had', 'has', 'have']);

function systemOf(kind: 'D' | 'P'): CodeSystem {
  return kind === 'D' ? 'ICD-10-CM' : 'ICD-10-PCS';
}

function sentencesTokens(text: string): Token[][] {
  return splitSentences(text).map((s) => tokenize(text.slice(s.start, s.end)));
}

/** Word sequences of 1..maxWords tokens that start and end on a content word. */
function sequences(tokens: readonly Token[], maxWords: number, into: Set<string>): void {
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i]!.norm;
    if (STOP.has(first) || /^\d/.test(first) || first.length < 2) continue;
    let seq = '';
    for (let j = i; j < Math.min(tokens.length, i + maxWords); j++) {
      const w = tokens[j]!.norm;
      seq = seq ? `${seq} ${w}` : w;
      if (STOP.has(w) || /^\d/.test(w) || w.length < 2) continue;
      into.add(seq);
    }
  }
}

/** What one training document says: its word sequences, its gold codes, and those the reference lexicon missed (`code\tsystem`). */
interface DocumentStats extends SiblingDocument {
  seqs: Set<string>;
  gold: Set<string>;
  missed: string[];
}

interface SelectOptions {
  minTogether: number;
  minPrecision: number;
  maxShare: number;
  minUnrelated: number;
  minUnrelatedProcedure: number;
  maxChance: number;
  related: (seq: string, key: string) => boolean;
  /**
   * The sequence is a reference term of another code system: "syncope" names a diagnosis, so
   * its coming with an ECG (4A02X4Z) says what was done for it, not how notes name the ECG.
   */
  namesOtherSystem: (seq: string, key: string) => boolean;
  /**
   * The sequence holds a word the reference uses in its terms of the system: "adjuvant",
   * "could", "ago", "value" kept coming with R69 (Illness, unspecified) on CodiEsp, which
   * says how often that code is assigned, not how notes name an illness.
   */
  inVocabulary: (seq: string, system: CodeSystem) => boolean;
}

/**
 * Word sequences that keep coming with a code the reference lexicon missed, in these
 * documents: `seq\tcode\tsystem` → documents together, with the sequence's document count.
 */
function selectLearned(docs: readonly DocumentStats[], o: SelectOptions): Map<string, { together: number; documents: number }> {
  const seqDocs = new Map<string, number>();
  for (const d of docs) for (const s of d.seqs) seqDocs.set(s, (seqDocs.get(s) ?? 0) + 1);
  const n = docs.length;
  const seqCode = new Map<string, number>();
  const codeDocs = new Map<string, number>();
  for (const { seqs, missed } of docs) {
    for (const m of missed) codeDocs.set(m, (codeDocs.get(m) ?? 0) + 1);
    if (missed.length === 0) continue;
    for (const s of seqs) {
      const count = seqDocs.get(s)!;
      // Too common to say anything about a code (only meaningful on a corpus of some size).
      if (count < o.minTogether || count > Math.max(o.maxShare * n, 20)) continue;
      for (const m of missed) seqCode.set(`${s}\t${m}`, (seqCode.get(`${s}\t${m}`) ?? 0) + 1);
    }
  }
  const out = new Map<string, { together: number; documents: number }>();
  for (const [key, together] of seqCode) {
    if (together < o.minTogether) continue;
    const tab = key.indexOf('\t');
    const term = key.slice(0, tab);
    const documents = seqDocs.get(term)!;
    if (together / documents < o.minPrecision) continue;
    const codeKey = key.slice(tab + 1);
    // Single words are not required to share a word with the code: on CodiEsp that cost recall
    // ("ultrasound", "anemia" are good terms); the held-out precision keeps generic ones low.
    const [code, system] = codeKey.split('\t') as [string, string];
    const minUnrelated = system === 'ICD-10-PCS' ? o.minUnrelatedProcedure : o.minUnrelated;
    if (together < minUnrelated && !o.related(term, `${system}\t${code}`)) continue;
    if (o.namesOtherSystem(term, `${system}\t${code}`)) continue;
    if (!o.inVocabulary(term, system as CodeSystem)) continue;
    // Together more often than the code's own rate explains (the documents the reference
    // missed it in); last, as the costliest check.
    if (binomialUpperTail(together, documents, (codeDocs.get(codeKey) ?? 0) / n) > o.maxChance) continue;
    out.set(key, { together, documents });
  }
  return out;
}

export function learnSiteLexicon(documents: readonly CodedDocument[], lexicon: Lexicon, options: LearnOptions = {}): LearnedLexicon {
  const maxWords = options.maxWords ?? 4;
  const folds = options.folds ?? 5;
  const minHeldOutPrecision = options.minHeldOutPrecision ?? 0.1;
  const { codeWords, termSystems, vocabulary } = referenceIndex(lexicon);
  const vocabularySystems = options.vocabularySystems ?? ['ICD-10-CM'];
  const select: SelectOptions = {
    minTogether: options.minTogether ?? 2,
    minPrecision: options.minPrecision ?? 0.3,
    maxShare: options.maxDocumentShare ?? 0.4,
    minUnrelated: options.minTogetherUnrelated ?? 5,
    minUnrelatedProcedure: options.minTogetherUnrelatedProcedure ?? 3,
    maxChance: options.maxChance ?? 0.01,
    related: (seq: string, key: string): boolean => {
      const [system, code] = key.split('\t') as [string, string];
      const words = codeWords.get(key) ?? (system === 'ICD-10-CM' ? codeWords.get(`${system}\t${code.slice(0, 3)}`) : undefined);
      return words !== undefined && seq.split(' ').some((w) => words.has(w));
    },
    inVocabulary: (seq: string, system: CodeSystem): boolean => {
      const vocab = vocabularySystems.includes(system) ? vocabulary.get(system) : undefined;
      return vocab === undefined || seq.split(' ').some((w) => !STOP.has(w) && vocab.has(w));
    },
    namesOtherSystem: (seq: string, key: string): boolean => {
      const systems = termSystems.get(seq);
      return systems !== undefined && !systems.has(key.slice(0, key.indexOf('\t')) as CodeSystem);
    },
  };

  const termDocs = new Map<string, number>();
  const pairTogether = new Map<string, number>(); // term \t code \t system
  const codeDocs = new Map<string, number>(); // code \t system
  const stats: DocumentStats[] = [];
  let goldFound = 0;
  let goldTotal = 0;

  for (const doc of documents) {
    const gold = new Map<string, CodeSystem>();
    for (const c of doc.diagnoses) gold.set(c, systemOf('D'));
    for (const c of doc.procedures) gold.set(c, systemOf('P'));
    for (const [c, system] of gold) codeDocs.set(`${c}\t${system}`, (codeDocs.get(`${c}\t${system}`) ?? 0) + 1);
    const terms = new Set<string>();
    const pairs = new Set<string>();
    const found = new Set<string>();
    const seqs = new Set<string>();
    for (const tokens of sentencesTokens(doc.text)) {
      sequences(tokens, maxWords, seqs);
      for (const m of lexicon.match(tokens, { nested: true })) {
        // A term's statistics are those of its own mentions: inside a longer term ("renal
        // failure" in "acute renal failure") it is coded as part of the whole, and counting
        // those documents made "renal failure" → N19 look right in 8 of 26 documents.
        // Nested readings are scored apart (abstraction's NESTED_FACTOR).
        if (m.mode === 'nested') {
          for (const e of m.entries) if (gold.has(e.code)) found.add(e.code);
          continue;
        }
        for (const e of m.entries) {
          const term = normalizeTerm(e.term).join(' ');
          terms.add(term);
          pairs.add(`${term}\t${e.code}\t${e.system}`);
          if (gold.has(e.code)) found.add(e.code);
        }
      }
    }
    for (const t of terms) termDocs.set(t, (termDocs.get(t) ?? 0) + 1);
    for (const p of pairs) {
      const code = p.split('\t')[1]!;
      pairTogether.set(p, (pairTogether.get(p) ?? 0) + (gold.has(code) ? 1 : 0));
    }
    goldTotal += gold.size;
    goldFound += found.size;
    const missed = [...gold.entries()].filter(([c]) => !found.has(c)).map(([c, system]) => `${c}\t${system}`);
    stats.push({ seqs, gold: new Set([...gold.entries()].map(([c, system]) => `${c}\t${system}`)), missed, terms, siblings: siblingsOf(pairs, gold) });
  }

  const rows: SiteLexiconRow[] = [];
  // Reference terms seen in at least two documents: their codes re-weighted (also to ~0).
  for (const [pair, together] of pairTogether) {
    const [term, code, system] = pair.split('\t') as [string, string, CodeSystem];
    const docs = termDocs.get(term) ?? 0;
    if (docs < 2) continue;
    rows.push({ term, code, system, together, documents: docs, origin: 'reference' });
  }

  // Learned terms, each with a precision measured on documents it was not learned from:
  // the training split in folds, terms selected on the other folds and counted on this one
  // (a sequence picked among thousands for its precision on the same documents looks
  // better than it is). A term never selected without its fold cannot be measured: left out.
  const measured = folds >= 2 && stats.length >= folds * 2;
  const heldOut = measured
    ? crossFitted(stats, folds, (training) => selectLearned(training, select).keys(),
      (key, d) => d.seqs.has(key.slice(0, key.indexOf('\t'))), (key, d) => d.gold.has(key.slice(key.indexOf('\t') + 1)))
    : new Map<string, Counts>();
  const known = new Set(rows.map((r) => `${r.term}\t${r.code}\t${r.system}`));
  for (const [key, counts] of selectLearned(stats, select)) {
    if (known.has(key)) continue;
    const [term, code, system] = key.split('\t') as [string, string, CodeSystem];
    const row: SiteLexiconRow = { term, code, system, together: counts.together, documents: counts.documents, origin: 'learned' };
    if (measured) {
      const h = heldOut.get(key);
      if (!h || h.documents === 0 || h.together / h.documents < minHeldOutPrecision) continue;
      row.heldOut = h;
    }
    rows.push(row);
    known.add(key);
  }
  // Last: a pair the learned selection took is a term of its own, not an alternative.
  rows.push(...siblingRows(stats, termDocs, known, { folds, minHeldOutPrecision }));
  rows.sort((a, b) => a.term.localeCompare(b.term) || a.code.localeCompare(b.code));
  const codeStats = [...codeDocs.entries()].map(([k, documents]) => {
    const [code, system] = k.split('\t') as [string, CodeSystem];
    return { code, system, documents };
  });
  return { documents: stats.length, rows, codeStats, goldFound, goldTotal };
}

/** A term the site's notes taught (not a re-weighted reference term, not an alternative reading of one). */
export const isLearnedTerm = (r: SiteLexiconRow): boolean => r.origin === 'learned' && !r.alternative;

/** Replaces the site lexicon in the run repository (one per site), with a record of what it was learned from. */
export function saveSiteLexicon(db: Db, source: { corpus: string; split: string }, learned: LearnedLexicon, at: string = new Date().toISOString()): void {
  db.transaction(() => {
    db.prepare('DELETE FROM site_lexicon').run();
    db.prepare('DELETE FROM site_code_stats').run();
    const insert = db.prepare('INSERT INTO site_lexicon (term, code, system, together, documents, origin, held_out_together, held_out_documents, alternative) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of learned.rows) insert.run(r.term, r.code, r.system, r.together, r.documents, r.origin, r.heldOut?.together ?? null, r.heldOut?.documents ?? null, r.alternative ? 1 : 0);
    const stat = db.prepare('INSERT INTO site_code_stats (code, system, documents) VALUES (?, ?, ?)');
    for (const s of learned.codeStats) stat.run(s.code, s.system, s.documents);
    db.prepare('INSERT INTO site_learning (corpus, split, documents, terms, learned_at, details) VALUES (?, ?, ?, ?, ?, ?)').run(
      source.corpus, source.split, learned.documents, learned.rows.length, at,
      JSON.stringify({ learnedTerms: learned.rows.filter(isLearnedTerm).length, alternativeReadings: learned.rows.filter((r) => r.alternative).length, goldFound: learned.goldFound, goldTotal: learned.goldTotal }),
    );
  })();
}

export function loadSiteLexicon(db: Db): SiteLexiconRow[] {
  const rows = db.prepare('SELECT term, code, system, together, documents, origin, held_out_together, held_out_documents, alternative FROM site_lexicon').raw().all() as
    [string, string, CodeSystem, number, number, 'reference' | 'learned', number | null, number | null, number][];
  return rows.map(([term, code, system, together, documents, origin, hot, hod, alternative]) => ({
    term, code, system, together, documents, origin, ...(hot !== null && hod !== null ? { heldOut: { together: hot, documents: hod } } : {}),
    ...(alternative ? { alternative: true } : {}),
  }));
}

export interface SiteLearningInfo {
  corpus: string;
  split: string;
  documents: number;
  terms: number;
  learnedAt: string;
}

export function lastSiteLearning(db: Db): SiteLearningInfo | undefined {
  const row = db.prepare('SELECT corpus, split, documents, terms, learned_at FROM site_learning ORDER BY id DESC LIMIT 1').get() as
    { corpus: string; split: string; documents: number; terms: number; learned_at: string } | undefined;
  return row ? { corpus: row.corpus, split: row.split, documents: row.documents, terms: row.terms, learnedAt: row.learned_at } : undefined;
}
