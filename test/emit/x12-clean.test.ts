import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_SEPARATORS, x12Cleaner } from '../../src/emit/x12/x12-837.js';

/** The rule as first written (one pass per step): the one-pass cleaner must give the same. */
function reference(v: string | number | undefined, max = 80): string {
  const separators = new Set<string>(Object.values(DEFAULT_SEPARATORS));
  return String(v ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase()
    .replace(/[^\x20-\x7e]/g, ' ').split('').map((ch) => (separators.has(ch) ? ' ' : ch)).join('').replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

describe('X12 element values', () => {
  const clean = x12Cleaner(DEFAULT_SEPARATORS);

  test('upper case, separators and runs of spaces folded, accents folded, cut to the maximum', () => {
    expect(clean('  Müller*Smith ~ jr:  ')).toBe('MULLER SMITH JR');
    expect(clean('o\'brien^anne', 10)).toBe("O'BRIEN AN");
    expect(clean('ab   cd', 3)).toBe('AB');
    expect(clean(undefined)).toBe('');
    expect(clean(12.5)).toBe('12.5');
    expect(clean('tab\there')).toBe('TAB HERE');
  });

  test('the same as the step-by-step rule for any text and length', () => {
    const unit = fc.constantFrom('a', 'Z', ' ', '*', '~', ':', '^', 'é', 'Ü', '\t', '\n', '\u00a0', '-', '9', '.', '\u0301', '中');
    fc.assert(fc.property(fc.string({ unit, maxLength: 40 }), fc.integer({ min: 1, max: 30 }), (text, max) => {
      expect(clean(text, max)).toBe(reference(text, max));
    }), { numRuns: 2000 });
  });
});
