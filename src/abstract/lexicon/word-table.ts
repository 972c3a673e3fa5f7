import { wordHash } from '../text/tokens.js';

/**
 * A lexicon's words by the hash the tokenizer computed while reading them (wordHash), in
 * flat arrays: one probe into a compact block per token, where a Map hashed each new token
 * string again and chased its entry, key and value across the heap. Open addressing, at
 * most a quarter full; a hash is confirmed by comparing the word.
 */
export class WordTable<V> {
  readonly size: number;
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** By word number (from 1): its hash, its text and its value. */
  private readonly hashes: Int32Array;
  private readonly keys: string[] = [''];
  private readonly values: (V | undefined)[] = [undefined];

  constructor(words: ReadonlyMap<string, V>) {
    this.size = words.size;
    let capacity = 1024;
    while (capacity < words.size * 4) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.hashes = new Int32Array(words.size + 1);
    for (const [word, value] of words) {
      const w = this.keys.length;
      const h = wordHash(word);
      this.keys.push(word);
      this.values.push(value);
      this.hashes[w] = h;
      let slot = h & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = w;
    }
  }

  find(word: string, hash: number): V | undefined {
    const { slots, mask, hashes } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const w = slots[slot]!;
      if (w === 0) return undefined;
      if (hashes[w] === hash && this.keys[w] === word) return this.values[w];
    }
  }
}
