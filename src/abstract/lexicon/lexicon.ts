import { normalizeTerm, wordHash, type Token } from '../text/tokens.js';
import type { LexiconEntry, LexiconMatch } from './lexicon-types.js';
import { matchUnordered, SIGNATURES, type MatchWords, type UnorderedTerm, type WordInfo } from './unordered-match.js';
import { WordTable } from './word-table.js';
import { WordTrie } from './word-trie.js';

export type { LexiconEntry, LexiconMatch, LexiconSource } from './lexicon-types.js';

/** Words a term can lose without changing its meaning when matched out of order. */
const FUNCTION_WORDS = new Set([
  'of', 'the', 'a', 'an', 'and', 'in', 'on', 'to', 'for', 'by', 'at', 'or', 'with', 'as', 'from', 'into', 'its', 'his', 'her',
  'is', 'was', 'be', 'due', 'other', 'type', 'site', 'part', 'region',
]);

/**
 * A token trie over normalized terms (longest contiguous match at each position), plus an
 * index of multi-word terms by their rarest content word so "fracture of the left distal
 * radius" finds "radius fracture" and "kidney failure, acute" finds "acute kidney failure".
 */
export class Lexicon {
  /** Normalized terms over word ids; a node's payload is the entries of the term that ends there. */
  private readonly trie = new WordTrie<LexiconEntry[]>();
  private readonly words = new Map<string, WordInfo>();
  /** The words' ids, for matching (built on the first match after words were added). */
  private table: WordTable<number> | undefined;
  /**
   * What matching reads of each word, by id (built on the first match after terms were
   * added): the node of terms that start with it, and the unordered pass's fields.
   */
  private byId: (MatchWords & { roots: Int32Array }) | undefined;
  /** Terms added since `byId` was built. */
  private addedSinceById = true;
  /** A sentence's word ids, reused from sentence to sentence (-1: not a lexicon word). */
  private ids = new Int32Array(256);
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
    this.addedSinceById = true;
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
        term = { words: content, rest: [], restIds: [], entries: [] };
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
    this.wordsById();
    return this;
  }

  private wordTable(): WordTable<number> {
    if (this.table?.size !== this.words.size) this.table = new WordTable(new Map([...this.words].map(([word, info]) => [word, info.id])));
    return this.table;
  }

  /** Each word's record as flat arrays by id (after indexUnordered, which sets the groups). */
  private wordsById(): MatchWords & { roots: Int32Array } {
    if (this.byId && !this.addedSinceById) return this.byId;
    const n = this.words.size;
    const byId = { roots: new Int32Array(n), bits: new Int16Array(n), masks: new Int32Array(n * 4), groups: new Array<MatchWords['groups'][number]>(n).fill(undefined) };
    for (const info of this.words.values()) {
      byId.roots[info.id] = info.root;
      byId.bits[info.id] = info.bit;
      byId.groups[info.id] = info.group;
      byId.masks.set([info.m0, info.m1, info.m2, info.m3], info.id * 4);
    }
    this.byId = byId;
    this.addedSinceById = false;
    return byId;
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
      t.restIds = t.rest.map((w) => this.info(w).id);
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
    const table = this.wordTable();
    const words = this.wordsById();
    const roots = words.roots;
    if (this.ids.length < n) this.ids = new Int32Array(Math.max(n, this.ids.length * 2));
    const ids = this.ids;
    for (let q = 0; q < n; q++) {
      const token = tokens[q]!;
      ids[q] = table.find(token.norm, token.hash ?? wordHash(token.norm)) ?? -1;
    }
    const out: LexiconMatch[] = [];
    const trie = this.trie;
    let i = 0;
    while (i < n) {
      const first = ids[i]!;
      let node = first < 0 ? 0 : roots[first]!;
      let best: LexiconMatch | undefined;
      for (let j = i; node !== 0; ) {
        const entries = trie.payload(node);
        if (entries !== undefined) best = { entries, from: i, to: j + 1, mode: 'exact' };
        if (++j >= n) break;
        const id = ids[j]!;
        node = id < 0 ? 0 : trie.child(node, id);
      }
      if (best) {
        out.push(best);
        if (options.nested) this.nestedIn(ids, roots, best, out);
        i = best.to;
      } else {
        i++;
      }
    }
    matchUnordered(ids, n, words, out);
    return out;
  }

  /** Shorter terms within a contiguous match, each once (the match itself excluded). */
  private nestedIn(ids: Int32Array, roots: Int32Array, outer: LexiconMatch, out: LexiconMatch[]): void {
    for (let p = outer.from; p < outer.to; p++) {
      const first = ids[p]!;
      let node = first < 0 ? 0 : roots[first]!;
      for (let j = p; node !== 0 && j < outer.to; ) {
        const entries = this.trie.payload(node);
        if (entries !== undefined && !(p === outer.from && j + 1 === outer.to)) out.push({ entries, from: p, to: j + 1, mode: 'nested' });
        if (++j >= outer.to) break;
        const id = ids[j]!;
        node = id < 0 ? 0 : this.trie.child(node, id);
      }
    }
  }

}

