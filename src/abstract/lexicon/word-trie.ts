/**
 * A trie over word ids, its edges in one flat table: node ids are numbers, the children of
 * all nodes share one open-addressing hash table keyed by (parent, word), and each node's
 * payload sits in an array by id. A step of the walk is one probe into a block of memory,
 * where a trie of objects read the node, its child list and the child, each somewhere else
 * in the heap; the ICD-10-CM lexicon's 444k nodes fit in a 16 MB table instead of ~60 MB
 * of objects.
 */
export class WordTrie<T> {
  /** The root's id. No edge leads to it, so a child id of 0 means "no such child". */
  static readonly ROOT = 0;
  /** Four ints per slot: parent, word, child (0 = empty slot), unused (keeps slots aligned). */
  private table = new Int32Array(4 * 1024);
  private mask = 1023;
  private edges = 0;
  /** Each node's payload by id (most nodes have none). */
  private readonly payloads: (T | undefined)[] = [undefined];
  /**
   * One bit per (parent, word) pair that has an edge, by the pair's hash: most steps of a walk
   * ask for an edge that does not exist (a word no term continues with), and a clear bit says
   * so from a block small enough to stay in the core's cache, where the edge table (16 MB for
   * the ICD-10-CM lexicon) costs a trip to memory per step. A set bit may belong to another
   * pair: the table is read then.
   */
  private readonly edgeBits = new Int32Array(EDGE_FILTER_BITS >>> 5);

  /** Nodes, the root included. */
  get size(): number {
    return this.payloads.length;
  }

  /** The child of `node` along word id `word`, or 0 when there is none. */
  child(node: number, word: number): number {
    const h = slotOf(node, word);
    const bit = h >>> EDGE_FILTER_SHIFT;
    if ((this.edgeBits[bit >>> 5]! & (1 << (bit & 31))) === 0) return 0;
    const table = this.table;
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const child = table[at + 2]!;
      if (child === 0) return 0;
      if (table[at] === node && table[at + 1] === word) return child;
    }
  }

  /** The child along `word`, created when missing. */
  childOrAdd(node: number, word: number): number {
    const found = this.child(node, word);
    if (found !== 0) return found;
    if ((this.edges + 1) * 2 > this.mask + 1) this.grow();
    const id = this.payloads.length;
    this.payloads.push(undefined);
    this.put(node, word, id);
    const bit = slotOf(node, word) >>> EDGE_FILTER_SHIFT;
    this.edgeBits[bit >>> 5]! |= 1 << (bit & 31);
    this.edges++;
    return id;
  }

  payload(node: number): T | undefined {
    return this.payloads[node];
  }

  setPayload(node: number, value: T): void {
    this.payloads[node] = value;
  }

  /** Every payload, in the order the nodes were made. */
  *payloadsInOrder(): IterableIterator<T> {
    for (const p of this.payloads) if (p !== undefined) yield p;
  }

  private put(node: number, word: number, child: number): void {
    const table = this.table;
    const mask = this.mask;
    let slot = slotOf(node, word) & mask;
    while (table[(slot << 2) + 2] !== 0) slot = (slot + 1) & mask;
    const at = slot << 2;
    table[at] = node;
    table[at + 1] = word;
    table[at + 2] = child;
  }

  /** Twice the slots, every edge placed again: the table stays at most half full. */
  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let at = 0; at < old.length; at += 4) if (old[at + 2] !== 0) this.put(old[at]!, old[at + 1]!, old[at + 2]!);
  }
}

/** Bits of the edge filter (256 KB): about one in five is set by the ICD-10-CM lexicon's 503k edges. */
const EDGE_FILTER_LOG2 = 21;
const EDGE_FILTER_BITS = 1 << EDGE_FILTER_LOG2;
/** The filter takes a pair hash's high bits; the table's slot, its low bits. */
const EDGE_FILTER_SHIFT = 32 - EDGE_FILTER_LOG2;

/** Mixes a (parent, word) pair into a slot number: neighbouring ids land far apart. */
function slotOf(node: number, word: number): number {
  let h = Math.imul(node, 0x9e3779b1) ^ Math.imul(word + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}
