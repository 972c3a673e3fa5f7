import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ALL_PHRASES, groupedAlternation, plainAlternation, TRIGGER_RE } from '../../src/abstract/context/trigger-regex.js';
import { splitSentences } from '../../src/abstract/text/sentences.js';
import { readNegexFile } from '../../src/evaluate/negex-eval.js';
import { readCodedCorpus } from '../../src/learn/coded-corpus.js';

/** Every hit of a global expression in a text: start, and the text matched. */
function hits(re: RegExp, text: string): string[] {
  const out: string[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push(`${m.index}:${m[0]}`);
  }
  return out;
}

const PLAIN = plainAlternation(ALL_PHRASES);

describe('the trigger expression grouped by first character', () => {
  test('finds what the plain alternation of all phrases finds, in every CodiEsp dev sentence and NegEx row', () => {
    const texts = readCodedCorpus(resolve('..', 'shared', 'corpora', 'codiesp'), 'dev').documents.map((d) => d.text);
    const sentences = texts.flatMap((t) => splitSentences(t, 0, t.length).map((s) => t.slice(s.start, s.end).toLowerCase()));
    sentences.push(...readNegexFile(resolve('..', 'shared', 'corpora', 'negex', 'negex-dev.tsv')).map((r) => r.sentence.toLowerCase()));
    let found = 0;
    for (const s of sentences) {
      const expected = hits(PLAIN, s);
      found += expected.length;
      expect(hits(TRIGGER_RE, s)).toEqual(expected);
    }
    expect(found).toBeGreaterThan(5_000);
  });

  test('finds what the plain alternation finds in text made of the phrases\' own words and marks', () => {
    const pieces = [...new Set(ALL_PHRASES.flatMap((p) => p.replace(/\\./g, ' ').split(/[^a-z0-9']+/)).filter((w) => w.length > 0))];
    const piece = fc.oneof(fc.constantFrom(...pieces), fc.constantFrom(' ', ' ', ', ', '; ', '-', '/', '?', '(', ') ', '12 ', '1985 ', 'x'));
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 40 }), (parts) => {
      const text = parts.join(' ').replace(/ {2,}/g, ' ');
      expect(hits(TRIGGER_RE, text)).toEqual(hits(PLAIN, text));
    }), { numRuns: 2000 });
  });

  test('a phrase starting with a group is split by its alternatives\' first characters', () => {
    const phrases = ['(?:his|her|a|\\d+) (?:mother|father)', 'history', 'hx'];
    const re = groupedAlternation(phrases);
    for (const s of ['his mother', 'her father and a mother', 'history; 2 mothers, 12 father', 'a history', 'hx of his']) {
      expect(hits(re, s)).toEqual(hits(plainAlternation(phrases), s));
    }
    expect(hits(re, 'her father and a mother')).toEqual(['0:her father', '15:a mother']);
  });

  test('a phrase whose first character cannot be told is refused by name', () => {
    expect(() => groupedAlternation(['(?:a|[bc]) x'])).toThrow(/"\(\?:a\|\[bc\]\) x": cannot tell/);
    expect(() => groupedAlternation(['(?:a|b)? c'])).toThrow(/not optional/);
  });
});
