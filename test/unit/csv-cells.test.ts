import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { csvLine, neutralizeFormula } from '../../src/emit/csv-cells.js';

describe('CSV output cells', () => {
  test.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+1+2', `'+1+2`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tx', `'\tx`],
    ['-12.50', '-12.50'],
    ['plain', 'plain'],
  ])('formula injection: %j → %j', (input, expected) => {
    expect(neutralizeFormula(input)).toBe(expected);
  });

  test('round-trips through csv-parse: commas, quotes, line breaks, empties and numbers', () => {
    const cells = ['a,b', 'say "hi"', 'two\nlines', '', undefined, 42, 'José'];
    const line = csvLine(cells);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(parse(line)).toEqual([['a,b', 'say "hi"', 'two\nlines', '', '', '42', 'José']]);
  });
});
