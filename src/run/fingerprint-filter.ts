/** Bits of a FingerprintFilter: 2^25 (4 MiB), whatever the night's size. */
const BITS = 1 << 25;

/**
 * The set of claim fingerprints a run has stored, kept as a one-hash Bloom filter: `mightHave`
 * is false only for a fingerprint never added, and true for about 3 in 100 of those never
 * added once a million are in (1 − e^(−n/2^25)). It spares the night the database's lookup of
 * a fingerprint none of its claims has, which is nearly every lookup: 8–9 µs each on a stored
 * 100k night (SQLite's index seek, the statement's sort set up, better-sqlite3's call), where
 * the filter takes a few tens of nanoseconds.
 */
export class FingerprintFilter {
  private readonly bits = new Uint8Array(BITS >>> 3);

  add(fingerprint: string): void {
    const at = slot(fingerprint);
    this.bits[at >>> 3]! |= 1 << (at & 7);
  }

  mightHave(fingerprint: string): boolean {
    const at = slot(fingerprint);
    return (this.bits[at >>> 3]! & (1 << (at & 7))) !== 0;
  }
}

/** FNV-1a over the string's code units, folded to the filter's bits: fingerprints of any format. */
function slot(fingerprint: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < fingerprint.length; i++) h = Math.imul(h ^ fingerprint.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 25)) & (BITS - 1);
}
