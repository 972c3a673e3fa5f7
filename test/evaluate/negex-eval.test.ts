import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { evaluateNegex, locateCondition, readNegexFile } from '../../src/evaluate/negex-eval.js';
import { meanAveragePrecision, prf } from '../../src/evaluate/metrics.js';

const NEGEX_DEV = resolve('..', 'shared', 'corpora', 'negex', 'negex-dev.tsv');

describe('metrics', () => {
  test.each([
    [8, 2, 2, 0.8, 0.8],
    [0, 0, 5, 0, 0],
    [3, 1, 0, 0.75, 1],
  ])('prf(%i, %i, %i)', (tp, fp, fn, p, r) => {
    const m = prf(tp, fp, fn);
    expect(m.precision).toBeCloseTo(p);
    expect(m.recall).toBeCloseTo(r);
  });

  test('MAP averages precision at each gold rank, over the gold count, per document', () => {
    const gold = new Map([['d1', new Set(['a', 'b'])], ['d2', new Set(['c'])]]);
    // d1: a at rank 1 (1/1), b at rank 3 (2/3) → (1 + 2/3) / 2; d2: nothing predicted → 0.
    const ranked = new Map([['d1', ['a', 'x', 'b', 'b']]]);
    expect(meanAveragePrecision(ranked, gold)).toBeCloseTo(((1 + 2 / 3) / 2 + 0) / 2);
  });
});

describe('NegEx test-set harness', () => {
  test('the capitalised mention is the one annotated', () => {
    const s = 'BK Virus Urine: testing for BK VIRUS is NEGATIVE.';
    expect(locateCondition(s, 'BK virus')).toEqual({ start: 28, end: 36 });
    expect(locateCondition('No ACUTE   ISCHEMIC changes', 'acute ischemic changes')).toEqual({ start: 3, end: 27 });
  });

  test('assertion detection on the development half of the NegEx set', () => {
    const report = evaluateNegex(readNegexFile(NEGEX_DEV));
    expect(report.rows).toBe(1188);
    // Measured 0.988 / 0.980 (F1 0.984), temporality 0.947, experiencer 0.999: a regression
    // of more than a few rows fails here.
    expect(report.negation.precision).toBeGreaterThan(0.975);
    expect(report.negation.recall).toBeGreaterThan(0.97);
    expect(report.negation.f1).toBeGreaterThan(0.978);
    expect(report.temporality.accuracy).toBeGreaterThan(0.94);
    expect(report.experiencer.accuracy).toBeGreaterThan(0.99);
  });
});
