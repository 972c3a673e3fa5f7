import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { sortSmall } from '../../src/abstract/small-sort.js';

describe('sortSmall', () => {
  test('orders as the built-in stable sort does, short and long lists alike (ties keep their order)', () => {
    fc.assert(fc.property(fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), at: fc.nat() }), { maxLength: 40 }), (items) => {
      const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
      expect(sortSmall([...items], byKey)).toEqual([...items].sort(byKey));
    }), { numRuns: 2000 });
  });

  test('sorts in place and returns the same array', () => {
    const a = [3, 1, 2];
    expect(sortSmall(a, (x, y) => x - y)).toBe(a);
    expect(a).toEqual([1, 2, 3]);
  });
});
