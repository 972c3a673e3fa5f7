import { sortSmall } from '../small-sort.js';
import type { LexiconEntry, LexiconMatch } from './lexicon-types.js';

// The out-of-order pass of the lexicon's matcher (lexicon.ts): multi-word terms filed under
// their rarest word, found as a bag of words within a window around it.

/** Words of an unordered match lie at most this many tokens apart. */
const UNORDERED_WINDOW = 8;

/**
 * The terms filed under one anchor word, with a 128-bit signature of each term's other
 * words in a flat array: a window around the anchor whose signature lacks one of a term's
 * bits cannot hold the term, which rules out most terms without touching them (the term
 * objects are scattered in memory; the flat array is not).
 */
export interface AnchorGroup {
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
export const SIGNATURES = 129;

export interface UnorderedTerm {
  words: string[];
  /** The words other than the anchor, rarest first (set when indexed). */
  rest: string[];
  /** The ids of the rest's words, in the same order (set when indexed). */
  restIds: number[];
  entries: LexiconEntry[];
}

/** Positions found by `positionsOf` before it knows the term matches (most checks fail: none allocates). */
let foundAt = new Int32Array(16);

/**
 * The token positions of a term anchored at k whose other words all lie in [lo, hi], if they
 * do, ascending: each word at its first position in the window (tokens are compared by their
 * word's id, one per word of the lexicon).
 */
function positionsOf(term: UnorderedTerm, k: number, lo: number, hi: number, ids: Int32Array): number[] | undefined {
  const rest = term.restIds;
  if (foundAt.length < rest.length) foundAt = new Int32Array(rest.length * 2);
  for (let w = 0; w < rest.length; w++) {
    const id = rest[w];
    let near = lo;
    while (near <= hi && ids[near] !== id) near++;
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
 * What the lexicon knows of one word, one record per word of any term, while it is built:
 * the record's id is the word's key in the trie, and matching reads the rest from MatchWords
 * (the same fields as flat arrays by id).
 */
export interface WordInfo {
  /** The word's id in the trie. */
  id: number;
  /** The trie node of terms that start with the word (0: none). */
  root: number;
  /** Multi-word terms anchored on the word (its rarest word). */
  group: AnchorGroup | undefined;
  /**
   * The group's bits b whose range of terms is not empty (128 bits in four words): most
   * anchors' windows hold none of them, and are ruled out without reaching the group.
   */
  m0: number;
  m1: number;
  m2: number;
  m3: number;
  /** Signature bit (0–127) when the word is a non-anchor word of a multi-word term, else -1. */
  bit: number;
}

/**
 * What the unordered pass reads of each word, by word id, in flat arrays: a sentence's
 * words are ids (WordTable), and reading a word's bit, masks and group from arrays a few
 * dozen kilobytes long replaced a visit to the word's record somewhere in the heap.
 */
export interface MatchWords {
  /** Signature bit (0–127), or -1 (not a non-anchor word of a multi-word term). */
  bits: Int16Array;
  /** The anchor group's non-empty bits, four words per id (WordInfo m0–m3). */
  masks: Int32Array;
  /** The anchor group of a word, if it anchors terms. */
  groups: readonly (AnchorGroup | undefined)[];
}

/**
 * Only anchors start a check; a 128-bit signature of the words around the anchor rules out
 * most of its terms without touching them; survivors are checked word by word. The
 * signature slides along the sentence (a count per bit), so an anchor costs a few word
 * operations, not a pass over its window.
 */
export function matchUnordered(ids: Int32Array, n: number, words: MatchWords, out: LexiconMatch[]): void {
  let seen: Set<UnorderedTerm> | undefined;
  if (scratch.bits.length < n) scratch.bits = new Int16Array(Math.max(n, scratch.bits.length * 2));
  const { bits, counts, sig } = scratch;
  const wordBits = words.bits;
  const masks = words.masks;
  const groups = words.groups;
  for (let q = 0; q < n; q++) {
    const id = ids[q]!;
    bits[q] = id < 0 ? -1 : wordBits[id]!;
  }
  counts.fill(0);
  sig.fill(0);
  /** The window held in counts and sig: tokens [held, upTo). */
  let held = 0;
  let upTo = 0;
  const found: { term: number; bit: number; first: number; match: LexiconMatch }[] = [];
  // No closure in this loop may capture its variables: each iteration would allocate them a context.
  for (let k = 0; k < n; k++) {
    const id = ids[k]!;
    const group = id < 0 ? undefined : groups[id];
    if (group === undefined) continue;
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
    const m = id << 2;
    if (((s0 & masks[m]!) | (s1 & masks[m + 1]!) | (s2 & masks[m + 2]!) | (s3 & masks[m + 3]!)) === 0) continue;
    const { terms, data } = group;
    found.length = 0;
    for (let w = 0; w < 4; w++) {
      for (let x = sig[w]! & masks[m + w]!; x !== 0; x &= x - 1) {
        const bit = (w << 5) + 31 - Math.clz32(x & -x);
        for (let t = data[bit]!; t < data[bit + 1]!; t++) {
          const o = SIGNATURES + t * 4;
          if ((data[o]! & s0) !== data[o] || (data[o + 1]! & s1) !== data[o + 1]
            || (data[o + 2]! & s2) !== data[o + 2] || (data[o + 3]! & s3) !== data[o + 3]) continue;
          const term = terms[t]!;
          if (seen?.has(term)) continue;
          const at = positionsOf(term, k, lo, hi, ids);
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
