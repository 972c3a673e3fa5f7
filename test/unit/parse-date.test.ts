import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseDate } from '../../src/ingest/export-values.js';

/** The definition parseDate keeps: the format's pattern, then a calendar date JavaScript's Date round-trips. */
function reference(value: string, format: 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'YYYYMMDD'): string | undefined {
  const pattern = { 'YYYY-MM-DD': /^(\d{4})-(\d{2})-(\d{2})$/, 'MM/DD/YYYY': /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, YYYYMMDD: /^(\d{4})(\d{2})(\d{2})$/ }[format];
  const m = pattern.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = format === 'MM/DD/YYYY' ? [m[3]!, m[1]!, m[2]!] : [m[1]!, m[2]!, m[3]!];
  const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

describe('parseDate', () => {
  test('calendar dates in each format; impossible days, months and leap days are not dates', () => {
    expect(parseDate('2024-02-29', 'YYYY-MM-DD')).toBe('2024-02-29');
    expect(parseDate('2023-02-29', 'YYYY-MM-DD')).toBeUndefined();
    expect(parseDate('1900-02-29', 'YYYY-MM-DD')).toBeUndefined();
    expect(parseDate('2000-02-29', 'YYYY-MM-DD')).toBe('2000-02-29');
    expect(parseDate('2026-04-31', 'YYYY-MM-DD')).toBeUndefined();
    expect(parseDate('2026-13-01', 'YYYY-MM-DD')).toBeUndefined();
    expect(parseDate('2026-00-10', 'YYYY-MM-DD')).toBeUndefined();
    expect(parseDate('2026-11-00', 'YYYY-MM-DD')).toBeUndefined();
    expect(parseDate('3/7/2026', 'MM/DD/YYYY')).toBe('2026-03-07');
    expect(parseDate('20261127', 'YYYYMMDD')).toBe('2026-11-27');
    expect(parseDate('2026-11-27 ', 'YYYY-MM-DD')).toBeUndefined();
    expect(parseDate('2026-11-27', 'MM/DD/YYYY')).toBeUndefined();
  });

  test('equals the Date round-trip definition on any digits and separators', () => {
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
    const value = fc.oneof(
      fc.tuple(digits(4, 4), digits(1, 2), digits(1, 2)).map(([y, m, d]) => `${y}-${m}-${d}`),
      fc.tuple(digits(1, 2), digits(1, 2), digits(4, 4)).map(([m, d, y]) => `${m}/${d}/${y}`),
      digits(8, 8),
      fc.date({ min: new Date('1800-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(fc.property(value, fc.constantFrom('YYYY-MM-DD', 'MM/DD/YYYY', 'YYYYMMDD') as fc.Arbitrary<'YYYY-MM-DD' | 'MM/DD/YYYY' | 'YYYYMMDD'>, (v, format) => {
      expect(parseDate(v, format)).toBe(reference(v, format));
    }), { numRuns: 20_000 });
  });
});
