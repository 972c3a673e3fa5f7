/** Micro precision / recall / F1 from counts; 0 where a denominator is 0. */
export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn };
}

/**
 * Mean average precision over documents, as CodiEsp scores a ranked code list (the
 * trec_eval MAP its organisers used): for each document, the mean of precision@k at each
 * rank k that holds a gold code, divided by the number of gold codes; documents with gold
 * codes and no prediction score 0.
 */
export function meanAveragePrecision(ranked: ReadonlyMap<string, readonly string[]>, gold: ReadonlyMap<string, ReadonlySet<string>>): number {
  let sum = 0;
  let docs = 0;
  for (const [doc, goldCodes] of gold) {
    if (goldCodes.size === 0) continue;
    docs++;
    const list = ranked.get(doc) ?? [];
    let hits = 0;
    let ap = 0;
    const seen = new Set<string>();
    for (const code of list) {
      if (seen.has(code)) continue;
      seen.add(code);
      if (goldCodes.has(code)) {
        hits++;
        ap += hits / seen.size;
      }
    }
    sum += ap / goldCodes.size;
  }
  return docs === 0 ? 0 : sum / docs;
}

/**
 * A code as the corpus writes it, for comparison: lower case, and for the injury and
 * external-cause chapters (S, T, V–Y) without the 7th character and the placeholder X
 * before it. CodiEsp's annotators left the encounter character off ("t14.90", "t81.4xx",
 * "s06.9x" against the claim's T14.90XA, T81.4XXA, S06.9X0A), while a claim must carry it
 * (Guidelines I.A.5, I.C.19.a); the 7th character of other chapters (O fetus, R40.2 time
 * of score) the corpus keeps, and so does this. Applied to gold and predictions alike.
 */
export function corpusCodeForm(code: string): string {
  const c = code.toLowerCase();
  // ICD-10-CM form only ("t14.90xa", "t07"): PCS codes have no dot (section X ends in X).
  if (!/^[stvwxy]\d/.test(c) || (c.length > 3 && c[3] !== '.')) return c;
  const trimmed = c.length === 8 && c[3] === '.' ? c.slice(0, 7) : c;
  return trimmed.replace(/x+$/, '').replace(/\.$/, '');
}
