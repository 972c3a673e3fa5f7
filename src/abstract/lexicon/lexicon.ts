import type { CodeSystem } from '../../contract/types.js';
import { sortSmall } from '../small-sort.js';
import { normalizeTerm, wordHash, type Token } from '../text/tokens.js';
import { WordTable } from './word-table.js';
import { WordTrie } from './word-trie.js';

/** Where a lexicon term comes from; shown on every finding so a person can see why. */
export type LexiconSource =
  | 'starter' | 'abbreviation' | 'synonym'
  | 'tabular-title' | 'tabular-inclusion' | 'index' | 'pcs-title' | 'pcs-axes' | 'hcpcs' | 'cpt'
  | 'site';

export interface LexiconEntry {
  code: string;
  system: CodeSystem;
  title: string;
  /** The term as written in the lexicon source. */
  term: string;
  laterality?: Partial<Record<'right' | 'left' | 'bilateral' | 'unspecified', string>>;
  /** A sign or symptom: not coded when a confirmed diagnosis explains it. */
  symptom: boolean;
  source: LexiconSource;
  /** How far this entry is trusted when it matches (0–1): learned precision or a source default. */
  weight: number;
  /** Index path or learning evidence ("index: Pneumonia > aspiration", "site: 14 of 20 documents"). */
  detail?: string;
  /** The weight is the site's measured precision for this term (re-weighted or learned), not a source default. */
  siteWeighted?: true;
  /** Matched only as written, never as its words out of order (a source's own judgement: PCS root-operation terms). */
  asWritten?: true;
}

export interface LexiconMatch {
  entries: readonly LexiconEntry[];
  /** Token index range [from, to) (unordered matches span the words they used). */
  from: number;
  to: number;
  /**
   * Contiguous in the lexicon's word order; a shorter term inside such a match ("pain" in
   * "low back pain"), a mention of its own that annotators code in the mentions sense but a
   * coder codes as part of the whole; or found as a bag of words within a window.
   */
  mode: 'exact' | 'nested' | 'unordered';
  /** Unordered matches: the positions of the words used, ascending (the span holds others too). */
  at?: readonly number[];
}

/** Words a term can lose without changing its meaning when matched out of order. */
const FUNCTION_WORDS = new Set([
  'of', 'the', 'a', 'an', 'and', 'in', 'on', 'to', 'for', 'by', 'at', 'or', 'with', 'as', 'from', 'into', 'its', 'his', 'her',
  'is', 'was', 'be', 'due', 'other', 'type', 'site', 'part', 'region',
]);

/** Words of an unordered match lie at most this many tokens apart. */
const UNORDERED_WINDOW = 8;

/**
 * The terms filed under one anchor word, with a 128-bit signature of each term's other
 * words in a flat array: a window around the anchor whose signature lacks one of a term's
 * bits cannot hold the term, which rules out most terms without touching them (the term
 * objects are scattered in memory; the flat array is not).
 */
interface AnchorGroup {
  /** Sorted by the signature bit of their rarest other word. */
  terms: UnorderedTerm[];
  /**
   * One array, so a check reaches one block of memory: terms whose rarest other word has
   * bit b are terms[data[b] .. data[b + 1]) (b from 0 to 128), and term t's signature is
   * data[SIGNATURES + 4t .. SIGNATURES + 4t + 4).
   */
  data: Int32Array;
}

/** Where the signatures start in an anchor group's data (after the 129 offsets). */
const SIGNATURES = 129;

interface UnorderedTerm {
  words: string[];
  /** The words other than the anchor, rarest first (set when indexed). */
  rest: string[];
  /** The records of the rest's words, in the same order (set when indexed). */
  restInfos: WordInfo[];
  entries: LexiconEntry[];
}

/** Positions found by `positionsOf` before it knows the term matches (most checks fail: none allocates). */
let foundAt = new Int32Array(16);

/**
 * The token positions of a term anchored at k whose other words all lie in [lo, hi], if they
 * do, ascending: each word at its first position in the window (tokens are compared by their
 * word's record, one per word of the lexicon).
 */
function positionsOf(term: UnorderedTerm, k: number, lo: number, hi: number, infos: readonly (WordInfo | undefined)[]): number[] | undefined {
  const rest = term.restInfos;
  if (foundAt.length < rest.length) foundAt = new Int32Array(rest.length * 2);
  for (let w = 0; w < rest.length; w++) {
    const info = rest[w];
    let near = lo;
    while (near <= hi && infos[near] !== info) near++;
    if (near > hi) return undefined;
    foundAt[w] = near;
  }
  const at = [k];
  for (let w = 0; w < rest.length; w++) if (!at.includes(foundAt[w]!)) at.push(foundAt[w]!);
  return sortSmall(at, (a, b) => a - b);
}

/** The same term already matched in its own word order. */
function matchedAsWritten(term: UnorderedTerm, out: readonly LexiconMatch[]): boolean {
  for (const m of out) if (m.mode === 'exact' && term.entries.some((e) => m.entries.includes(e))) return true;
  return false;
}

/** The first token from `lo` on whose signature bit is `bit` (one is known to be there). */
function firstWithBit(bits: Int16Array, lo: number, bit: number): number {
  let q = lo;
  while (bits[q] !== bit) q++;
  return q;
}

/**
 * Working memory of the unordered match, reused from sentence to sentence (typed arrays cost
 * far more to allocate than to fill): each token's signature bit, the window's count per bit
 * and its signature. A match runs to its end without yielding, so one set serves a thread.
 */
const scratch = { bits: new Int16Array(256), counts: new Uint8Array(128), sig: new Int32Array(4) };

/**
 * What the lexicon knows of one word, one record per word of any term: one lookup per token
 * answers all three questions, and the record's id is the word's key in the trie.
 */
interface WordInfo {
  /** The word's id in the trie. */
  id: number;
  /** The trie node of terms that start with the word (0: none). */
  root: number;
  /** Multi-word terms anchored on the word (its rarest word). */
  group: AnchorGroup | undefined;
  /**
   * The group's bits b whose range of terms is not empty (128 bits in four words), on the
   * record itself: most anchors' windows hold none of them, and are ruled out without
   * reaching the group.
   */
  m0: number;
  m1: number;
  m2: number;
  m3: number;
  /** Signature bit (0–127) when the word is a non-anchor word of a multi-word term, else -1. */
  bit: number;
}

/**
 * A token trie over normalized terms (longest contiguous match at each position), plus an
 * index of multi-word terms by their rarest content word so "fracture of the left distal
 * radius" finds "radius fracture" and "kidney failure, acute" finds "acute kidney failure".
 */
export class Lexicon {
  /** Normalized terms over word ids; a node's payload is the entries of the term that ends there. */
  private readonly trie = new WordTrie<LexiconEntry[]>();
  private readonly words = new Map<string, WordInfo>();
  /** The words again, for matching (built on the first match after words were added). */
  private table: WordTable<WordInfo> | undefined;
  private readonly unorderedKeys = new Map<string, UnorderedTerm>();
  private indexedTerms = 0;
  /** Distinct normalized terms. */
  size = 0;
  entryCount = 0;
  /**
   * A site's coded history measured the terms (`siteWeighted` entries): an official term it
   * did not measure is one the site's notes rarely write, and a weaker reading out of order.
   */
  siteMeasured = false;

  private info(word: string): WordInfo {
    let info = this.words.get(word);
    if (!info) {
      info = { id: this.words.size, root: 0, group: undefined, bit: -1, m0: 0, m1: 0, m2: 0, m3: 0 };
      this.words.set(word, info);
    }
    return info;
  }

  add(entry: LexiconEntry): boolean {
    const words = normalizeTerm(entry.term);
    if (words.length === 0) return false;
    let node = WordTrie.ROOT;
    for (const w of words) {
      const info = this.info(w);
      const parent = node;
      node = this.trie.childOrAdd(parent, info.id);
      if (parent === WordTrie.ROOT) info.root = node;
    }
    let entries = this.trie.payload(node);
    if (!entries) {
      this.trie.setPayload(node, (entries = []));
      this.size++;
    }
    const same = entries.find((e) => e.code === entry.code && e.system === entry.system);
    if (same) {
      // One entry per code and term: keep the most trusted source's.
      if (entry.weight > same.weight) Object.assign(same, entry);
      return false;
    }
    entries.push(entry);
    this.entryCount++;
    const content = [...new Set(words.filter((w) => !FUNCTION_WORDS.has(w)))];
    // Learned terms are word sequences seen verbatim: they match as written only, as do
    // entries their source marks so.
    if (entry.source !== 'site' && !entry.asWritten && content.length >= 2 && content.length <= 6) {
      const key = [...content].sort().join(' ');
      let term = this.unorderedKeys.get(key);
      if (!term) {
        term = { words: content, rest: [], restInfos: [], entries: [] };
        this.unorderedKeys.set(key, term);
      }
      if (!term.entries.includes(entry)) term.entries.push(entry);
    }
    return true;
  }

  /** The entries of exactly this term (normalized), if any. */
  lookup(term: string): readonly LexiconEntry[] {
    let node = WordTrie.ROOT;
    for (const w of normalizeTerm(term)) {
      const info = this.words.get(w);
      node = info ? this.trie.child(node, info.id) : 0;
      if (node === 0) return [];
    }
    return this.trie.payload(node) ?? [];
  }

  /** Every entry, once. */
  *entries(): IterableIterator<LexiconEntry> {
    for (const entries of this.trie.payloadsInOrder()) yield* entries;
  }

  /** Builds the indexes matching needs now rather than on the first match (timings, workers). */
  prepare(): this {
    this.indexUnordered();
    this.wordTable();
    return this;
  }

  private wordTable(): WordTable<WordInfo> {
    if (this.table?.size !== this.words.size) this.table = new WordTable(this.words);
    return this.table;
  }

  /**
   * Files multi-word terms under their rarest content word, the others rarest first with a
   * signature bit each. Done on the first match after terms were added.
   */
  private indexUnordered(): void {
    if (this.indexedTerms === this.unorderedKeys.size) return;
    const counts = new Map<string, number>();
    for (const t of this.unorderedKeys.values()) for (const w of t.words) counts.set(w, (counts.get(w) ?? 0) + 1);
    const lists = new Map<string, UnorderedTerm[]>();
    for (const t of this.unorderedKeys.values()) {
      const byRarity = [...t.words].sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0));
      const anchor = byRarity[0]!;
      t.rest = byRarity.slice(1);
      t.restInfos = t.rest.map((w) => this.info(w));
      const list = lists.get(anchor);
      if (list) list.push(t);
      else lists.set(anchor, [t]);
    }
    for (const info of this.words.values()) {
      info.group = undefined;
      info.m0 = info.m1 = info.m2 = info.m3 = 0;
    }
    for (const [anchor, unsorted] of lists) {
      const terms = unsorted.map((t) => ({ t, key: this.bitOf(t.rest[0]!) })).sort((a, b) => a.key - b.key).map((x) => x.t);
      const data = new Int32Array(SIGNATURES + terms.length * 4);
      terms.forEach((t, i) => {
        for (const w of t.rest) {
          const bit = this.bitOf(w);
          data[SIGNATURES + i * 4 + (bit >>> 5)]! |= 1 << (bit & 31);
        }
      });
      let i = 0;
      for (let b = 0; b <= 128; b++) {
        while (i < terms.length && this.bitOf(terms[i]!.rest[0]!) < b) i++;
        data[b] = i;
      }
      const buckets = [0, 0, 0, 0];
      for (let b = 0; b < 128; b++) if (data[b + 1]! > data[b]!) buckets[b >>> 5]! |= 1 << (b & 31);
      const info = this.info(anchor);
      info.group = { terms, data };
      [info.m0, info.m1, info.m2, info.m3] = buckets as [number, number, number, number];
    }
    this.indexedTerms = this.unorderedKeys.size;
  }

  private bitOf(word: string): number {
    const info = this.info(word);
    if (info.bit < 0) {
      let h = 0x811c9dc5;
      for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
      info.bit = (h >>> 0) & 127;
    }
    return info.bit;
  }

  /**
   * Contiguous longest matches, left to right and non-overlapping (with `nested`, also the
   * shorter terms inside each); then unordered matches of multi-word terms that the
   * contiguous pass did not already cover.
   */
  match(tokens: readonly Token[], options: { nested?: boolean } = {}): LexiconMatch[] {
    this.indexUnordered();
    const n = tokens.length;
    const infos: (WordInfo | undefined)[] = new Array(n);
    const table = this.wordTable();
    for (let q = 0; q < n; q++) {
      const token = tokens[q]!;
      infos[q] = table.find(token.norm, token.hash ?? wordHash(token.norm));
    }
    const out: LexiconMatch[] = [];
    const trie = this.trie;
    let i = 0;
    while (i < n) {
      const first = infos[i];
      let node = first === undefined ? 0 : first.root;
      let best: LexiconMatch | undefined;
      for (let j = i; node !== 0; ) {
        const entries = trie.payload(node);
        if (entries !== undefined) best = { entries, from: i, to: j + 1, mode: 'exact' };
        if (++j >= n) break;
        const info = infos[j];
        node = info === undefined ? 0 : trie.child(node, info.id);
      }
      if (best) {
        out.push(best);
        if (options.nested) this.nestedIn(infos, best, out);
        i = best.to;
      } else {
        i++;
      }
    }
    this.matchUnordered(infos, out);
    return out;
  }

  /** Shorter terms within a contiguous match, each once (the match itself excluded). */
  private nestedIn(infos: readonly (WordInfo | undefined)[], outer: LexiconMatch, out: LexiconMatch[]): void {
    for (let p = outer.from; p < outer.to; p++) {
      const first = infos[p];
      let node = first === undefined ? 0 : first.root;
      for (let j = p; node !== 0 && j < outer.to; ) {
        const entries = this.trie.payload(node);
        if (entries !== undefined && !(p === outer.from && j + 1 === outer.to)) out.push({ entries, from: p, to: j + 1, mode: 'nested' });
        if (++j >= outer.to) break;
        const info = infos[j];
        node = info === undefined ? 0 : this.trie.child(node, info.id);
      }
    }
  }

  /**
   * Only anchors start a check; a 128-bit signature of the words around the anchor rules out
   * most of its terms without touching them; survivors are checked word by word. The
   * signature slides along the sentence (a count per bit), so an anchor costs a few word
   * operations, not a pass over its window.
   */
  private matchUnordered(infos: readonly (WordInfo | undefined)[], out: LexiconMatch[]): void {
    const n = infos.length;
    let seen: Set<UnorderedTerm> | undefined;
    if (scratch.bits.length < n) scratch.bits = new Int16Array(Math.max(n, scratch.bits.length * 2));
    const { bits, counts, sig } = scratch;
    for (let q = 0; q < n; q++) bits[q] = infos[q]?.bit ?? -1;
    counts.fill(0);
    sig.fill(0);
    /** The window held in counts and sig: tokens [held, upTo). */
    let held = 0;
    let upTo = 0;
    const found: { term: number; bit: number; first: number; match: LexiconMatch }[] = [];
    // No closure in this loop may capture its variables: each iteration would allocate them a context.
    for (let k = 0; k < n; k++) {
      const info = infos[k];
      if (!info?.group) continue;
      const lo = Math.max(0, k - UNORDERED_WINDOW);
      const hi = Math.min(n - 1, k + UNORDERED_WINDOW);
      for (; upTo <= hi; upTo++) {
        const bit = bits[upTo]!;
        if (bit >= 0 && counts[bit]!++ === 0) sig[bit >>> 5]! |= 1 << (bit & 31);
      }
      for (; held < lo; held++) {
        const bit = bits[held]!;
        if (bit >= 0 && --counts[bit]! === 0) sig[bit >>> 5]! &= ~(1 << (bit & 31));
      }
      const s0 = sig[0]!;
      const s1 = sig[1]!;
      const s2 = sig[2]!;
      const s3 = sig[3]!;
      // Only terms whose rarest other word is in the window can match: visit those.
      if (((s0 & info.m0) | (s1 & info.m1) | (s2 & info.m2) | (s3 & info.m3)) === 0) continue;
      const { terms, data } = info.group;
      found.length = 0;
      for (let w = 0; w < 4; w++) {
        for (let x = sig[w]! & (w === 0 ? info.m0 : w === 1 ? info.m1 : w === 2 ? info.m2 : info.m3); x !== 0; x &= x - 1) {
          const bit = (w << 5) + 31 - Math.clz32(x & -x);
          for (let t = data[bit]!; t < data[bit + 1]!; t++) {
            const o = SIGNATURES + t * 4;
            if ((data[o]! & s0) !== data[o] || (data[o + 1]! & s1) !== data[o + 1]
              || (data[o + 2]! & s2) !== data[o + 2] || (data[o + 3]! & s3) !== data[o + 3]) continue;
            const term = terms[t]!;
            if (seen?.has(term)) continue;
            const at = positionsOf(term, k, lo, hi, infos);
            if (!at) continue;
            (seen ??= new Set()).add(term);
            if (matchedAsWritten(term, out)) continue;
            found.push({ term: t, bit, first: 0, match: { entries: term.entries, from: at[0]!, to: at[at.length - 1]! + 1, mode: 'unordered', at } });
          }
        }
      }
      if (found.length > 1) {
        // Bits in the order the window's words first bring them, then terms in index order:
        // the order the matches had when each anchor rescanned its window, which findings keep.
        for (const f of found) f.first = firstWithBit(bits, lo, f.bit);
        found.sort((a, b) => a.first - b.first || a.term - b.term);
      }
      for (const f of found) out.push(f.match);
    }
  }

}

