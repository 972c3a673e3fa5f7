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
