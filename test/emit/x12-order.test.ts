import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareCodePoints, compareX12Order } from '../../src/emit/x12/x12-837.js';

describe('the order of claims in an 837 group', () => {
  test('compareX12Order sorts as SQLite sorts the same keys (BINARY: code points of UTF-8), which the emit step relies on', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE k (i INTEGER, npi TEXT, member TEXT, claim TEXT)');
    const insert = db.prepare('INSERT INTO k VALUES (?, ?, ?, ?)');
    const text = fc.string({ unit: fc.constantFrom('A', 'a', 'B', 'b', '0', '9', '-', '_', ' ', 'é', '\uE000', '\uFFFD', '😀', '𝔸'), maxLength: 4 });
    fc.assert(fc.property(fc.array(fc.tuple(text, text, text), { minLength: 1, maxLength: 30 }), (keys) => {
      db.exec('DELETE FROM k');
      keys.forEach(([npi, member, claim], i) => insert.run(i, npi, member, claim));
      const fromSql = (db.prepare('SELECT i FROM k ORDER BY npi, member, claim, i').pluck().all() as number[]);
      const fromJs = keys.map((k, i) => ({ i, key: { billingNpi: k[0], memberId: k[1], claimId: k[2] } }))
        .sort((a, b) => compareX12Order(a.key, b.key) || a.i - b.i).map((x) => x.i);
      expect(fromJs).toEqual(fromSql);
    }), { numRuns: 300 });
    db.close();
  });

  test('code points, not UTF-16 units: a character above U+FFFF sorts after U+FFFD', () => {
    expect(compareCodePoints('😀', '\uFFFD')).toBeGreaterThan(0);
    expect(compareCodePoints('\uFFFD', '😀')).toBeLessThan(0);
    expect(compareCodePoints('AB', 'A')).toBeGreaterThan(0);
    expect(compareCodePoints('B', 'a')).toBeLessThan(0);
  });
});
