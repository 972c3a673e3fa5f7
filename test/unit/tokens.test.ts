import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalWord } from '../../src/abstract/text/word-forms.js';
import { foldPlural, normalizeTerm, tokenize, wordHash } from '../../src/abstract/text/tokens.js';

/** The tokenizer as a regular expression: the definition the character scan must keep. */
function reference(text: string): { norm: string; start: number; end: number; hash: number }[] {
  // Latin letters with a diacritic as the plain letter their canonical decomposition starts with.
  const lower = text.toLowerCase().replace(/[\u00c0-\u024f]/g, (c) => {
    const d = c.normalize('NFD');
    return /^[a-zA-Z][\u0300-\u036f]+$/.test(d) ? d[0]!.toLowerCase() : c;
  });
  const out: { norm: string; start: number; end: number; hash: number }[] = [];
  // Runs of up to three characters joined by slashes are one word ("s/p", "mg/dl"); otherwise a slash separates.
  for (const m of lower.matchAll(/[a-z0-9]{1,3}(?![a-z0-9])(?:\/[a-z0-9]{1,3}(?![a-z0-9]))+|[a-z0-9]+/g)) {
    const word = m[0];
    // A possessive "'s" (the "s" right after a word and an apostrophe) is no word.
    if (word === 's' && /[a-z0-9]['’]$/.test(lower.slice(0, m.index))) continue;
    const known = canonicalWord(word);
    let norm = known;
    if (known === word) {
      const folded = /^(?:diabetes|herpes|rabies|scabies|caries|series|species|measles|shingles|rickets|hives|ascites|lues|tabes|pubes|mumps|feces|biceps|triceps|nares|menses)$/.test(word)
        ? word
        : word.length > 4 && word.endsWith('ies') ? `${word.slice(0, -3)}y`
          : word.length > 5 && /(?:omas|emas|ias|ulas)$/.test(word) ? word.slice(0, -1)
            : word.length > 5 && /(?:sses|xes|shes|tches|nches|[nrtl]uses)$/.test(word) ? word.slice(0, -2)
            : word.length > 3 && word.endsWith('s') && !/(ss|is|us|as|os)$/.test(word) ? word.slice(0, -1) : word;
      norm = folded === word ? word : canonicalWord(folded);
    }
    out.push({ norm, start: m.index, end: m.index + word.length, hash: wordHash(norm) });
  }
  return out;
}

describe('tokenize', () => {
  test('equals the regular-expression definition on any text (slashes, hyphens, case, non-ASCII)', () => {
    const piece = fc.constantFrom('a', 'B', 'z', '0', '9', '/', '-', ' ', '.', "'", '’', "'s", 'é', 'İ', 'ß', '\n', 's', 'es', 'ies', 'ss', 'us',
      'metastases', 'diabetes', 'oedema', 'oedemas', 'anemias', 'fistulas', 'omas', 'ias', 'kidneys', 'h/o', 's/p', 'n/v', 'left-sided', 'and/or', 'mg/dl', 'cigarettes/day', 'abcd');
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 0, max: 50 }), (pieces, offset) => {
      const text = pieces.join('');
      const expected = reference(text).map((t) => ({ ...t, start: t.start + offset, end: t.end + offset }));
      expect(tokenize(text, offset)).toEqual(expected);
    }), { numRuns: 2000 });
  });

  test('a word\'s hash is 32-bit FNV-1a over its character codes', () => {
    expect(wordHash('')).toBe(0x811c9dc5 | 0);
    // FNV-1a test vectors (32-bit): "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(wordHash('a') >>> 0).toBe(0xe40c292c);
    expect(wordHash('foobar') >>> 0).toBe(0xbf9cf968);
  });

  test('plural folding leaves -ss, -is, -us, -as and -os words and short words alone', () => {
    expect(['kidneys', 'arteries', 'stress', 'psoriasis', 'fungus', 'pancreas', 'tendinosis', 'gas', 'bus', 'ribs', 'ras', 'sos'].map(foldPlural))
      .toEqual(['kidney', 'artery', 'stress', 'psoriasis', 'fungus', 'pancreas', 'tendinosis', 'gas', 'bus', 'rib', 'ras', 'sos']);
  });

  test('Greek and Latin -a nouns fold their plural (-omas, -emas, -ias, -ulas); other -as words stay', () => {
    expect(['hematomas', 'carcinomas', 'edemas', 'enemas', 'arrhythmias', 'paresthesias', 'hernias', 'fistulas', 'cannulas'].map(foldPlural))
      .toEqual(['hematoma', 'carcinoma', 'edema', 'enema', 'arrhythmia', 'paresthesia', 'hernia', 'fistula', 'cannula']);
    expect(['pseudomonas', 'pancreas', 'atlas', 'alias', 'bias'].map(foldPlural))
      .toEqual(['pseudomonas', 'pancreas', 'atlas', 'alias', 'bias']);
    expect(tokenize('Oedemas and hematomas').map((t) => t.norm)).toEqual(['edema', 'and', 'hematoma']);
  });
  test('a plural made with -es after a sibilant loses the -es; -aches and other -uses words only their s', () => {
    expect(['masses', 'abscesses', 'reflexes', 'rashes', 'stitches', 'branches', 'sinuses', 'viruses', 'boluses', 'fetuses'].map(foldPlural))
      .toEqual(['mass', 'abscess', 'reflex', 'rash', 'stitch', 'branch', 'sinus', 'virus', 'bolus', 'fetus']);
    expect(['headaches', 'causes', 'abuses', 'diseases', 'axes', 'doses'].map(foldPlural))
      .toEqual(['headache', 'cause', 'abuse', 'disease', 'axe', 'dose']);
    expect(normalizeTerm('renal masses')).toEqual(normalizeTerm('renal mass'));
  });
  test('a letter with a diacritic reads as the plain letter, at the same offsets', () => {
    const text = 'Dr. Müller: Sjögren, Behçet and Ménière’s; SJÖGREN.';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.norm)).toEqual(['dr', 'muller', 'sjogren', 'behcet', 'and', 'meniere', 'sjogren']);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual(['Dr', 'Müller', 'Sjögren', 'Behçet', 'and', 'Ménière', 'SJÖGREN']);
    expect(normalizeTerm('Sicca syndrome [Sjögren]')).toEqual(normalizeTerm('sicca syndrome sjogren'));
    // Letters without a plain form stay what they were (here: word breaks).
    expect(tokenize('straße').map((t) => t.norm)).toEqual(['stra', 'e']);
  });
});
