import { describe, expect, test } from 'vitest';
import { isValidNpi, npiCheckDigit } from '../../src/validate/edits/npi.js';

describe('NPI Luhn check with the 80840 prefix', () => {
  test.each([
    ['1234567893', true], // CMS's worked example
    ['1245319599', true],
    ['1234567890', false], // wrong check digit
    ['123456789', false], // nine digits
    ['12345678933', false], // eleven digits
    ['3234567893', false], // NPIs start with 1 or 2
    ['12345678a3', false],
    ['', false],
  ])('%s → %s', (npi, valid) => {
    expect(isValidNpi(npi)).toBe(valid);
  });

  test('the computed check digit makes a valid NPI, and only that digit', () => {
    const d = npiCheckDigit('123456789');
    expect(d).toBe(3);
    for (let other = 0; other <= 9; other++) expect(isValidNpi(`123456789${other}`)).toBe(other === d);
  });
});
