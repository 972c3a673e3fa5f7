import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkInterchange, createX12Checker } from '../../src/emit/x12/x12-check.js';

const SAMPLES = resolve('..', 'shared', 'samples', 'x12-837');
const samples = ['837P', '837I'].flatMap((kind) => readdirSync(join(SAMPLES, kind)).map((f) => readFileSync(join(SAMPLES, kind, f), 'utf8')));

/** The same text fed in pieces cut at the given places. */
function streamed(text: string, cuts: readonly number[]) {
  const checker = createX12Checker();
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    checker.push(text.slice(from, cut));
    from = cut;
  }
  checker.push(text.slice(from));
  return checker.finish();
}

describe('the 837 self-check as a stream', () => {
  test('in pieces of any size, the problems of the whole text, for real files and broken copies of them', () => {
    expect(samples.length).toBeGreaterThan(1);
    const broken = (t: string) => [
      t,
      t.replace(/SE\*(\d+)\*/, (_m, n: string) => `SE*${Number(n) + 1}*`),
      t.replace(/~HL\*2\*1\*22\*/, '~HL*2*7*22*'),
      t.slice(0, Math.floor(t.length * 0.6)),
      t.replace(/~/g, '~\r\n'),
      t.replace(/~BHT/, '~XX*1~BHT'),
      t.slice(0, 80),
    ];
    const texts = samples.flatMap(broken);
    fc.assert(fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.array(fc.integer({ min: 0, max: 4000 }), { maxLength: 12 }), (k, cuts) => {
      const text = texts[k]!;
      expect(streamed(text, cuts.map((c) => Math.min(c, text.length)))).toEqual(checkInterchange(text));
    }), { numRuns: 300 });
    // One segment per push, as the writer feeds it.
    for (const text of texts) expect(streamed(text, [...text.matchAll(/~/g)].map((m) => m.index! + 1))).toEqual(checkInterchange(text));
  });
});
