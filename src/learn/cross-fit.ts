/** Counts of a term and a code on documents: in how many the term occurs, and in how many of those the code was assigned. */
export interface Counts {
  together: number;
  documents: number;
}

/**
 * Cross-fitted counts: the documents in `folds` folds (document i in fold i mod folds); for
 * each fold, the keys `choose` picks from the other folds are counted on this one, so a key
 * picked for how it did on some documents is measured on documents it was not picked on.
 * `term` says whether a document holds the key's words, `code` whether it was also coded so.
 */
export function crossFitted<D>(docs: readonly D[], folds: number, choose: (training: readonly D[]) => Iterable<string>,
  term: (key: string, doc: D) => boolean, code: (key: string, doc: D) => boolean): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (let k = 0; k < folds; k++) {
    const test = docs.filter((_, i) => i % folds === k);
    for (const key of choose(docs.filter((_, i) => i % folds !== k))) {
      let h = out.get(key);
      if (!h) out.set(key, (h = { together: 0, documents: 0 }));
      for (const d of test) {
        if (!term(key, d)) continue;
        h.documents++;
        if (code(key, d)) h.together++;
      }
    }
  }
  return out;
}
