/**
 * The chance of seeing a code with a word sequence at least `together` times in `documents`
 * documents if the sequence said nothing about the code, which then comes with it at its
 * base rate `p` (one-sided binomial test, upper tail P(X ≥ together) for X ~ Bin(documents, p)).
 * Summed in log space, so hundreds of documents neither overflow nor underflow.
 */
export function binomialUpperTail(together: number, documents: number, p: number): number {
  if (together <= 0) return 1;
  if (together > documents || p <= 0) return 0;
  if (p >= 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  // log C(n, k), built up from k = 0 one factor at a time.
  let logChoose = 0;
  for (let k = 1; k < together; k++) logChoose += Math.log((documents - k + 1) / k);
  let sum = 0;
  for (let k = together; k <= documents; k++) {
    logChoose += Math.log((documents - k + 1) / k);
    sum += Math.exp(logChoose + k * logP + (documents - k) * logQ);
  }
  return Math.min(1, sum);
}
