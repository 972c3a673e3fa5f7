import { describe, expect, test } from 'vitest';
import { binomialUpperTail } from '../../src/learn/binomial.js';

/** The definition, by direct sums of exact binomial terms (fine for small n). */
function reference(k: number, n: number, p: number): number {
  const choose = (a: number, b: number) => { let c = 1; for (let i = 1; i <= b; i++) c = (c * (a - b + i)) / i; return c; };
  let s = 0;
  for (let i = k; i <= n; i++) s += choose(n, i) * p ** i * (1 - p) ** (n - i);
  return s;
}

describe('binomialUpperTail', () => {
  test('equals the direct sum of binomial terms', () => {
    for (const n of [1, 2, 5, 12, 30]) for (let k = 0; k <= n; k++) for (const p of [0.01, 0.1, 0.3, 0.5, 0.9]) {
      expect(binomialUpperTail(k, n, p)).toBeCloseTo(reference(k, n, p), 10);
    }
  });

  test('edges, and large counts stay finite', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomialUpperTail(3, 10, 0)).toBe(0);
    expect(binomialUpperTail(3, 10, 1)).toBe(1);
    const big = binomialUpperTail(400, 1000, 0.3);
    expect(big).toBeGreaterThan(0);
    expect(big).toBeLessThan(1e-9);
    expect(binomialUpperTail(12, 23, 0.6)).toBeGreaterThan(0.5); // "worsening" with R69: no more than its base rate
  });
});
