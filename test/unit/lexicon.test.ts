import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { abstractNotes } from '../../src/abstract/abstract-encounter.js';
import { compileLexicon } from '../../src/abstract/lexicon/compile-lexicon.js';
import { completeCode, neoplasmSiteNames } from '../../src/abstract/lexicon/neoplasm-terms.js';
import { Lexicon, type LexiconEntry } from '../../src/abstract/lexicon/lexicon.js';
import { WordTrie } from '../../src/abstract/lexicon/word-trie.js';
import { pcsTitleVariants, termVariants } from '../../src/abstract/lexicon/term-variants.js';
import { detectSections } from '../../src/abstract/text/sections.js';
import { splitSentences } from '../../src/abstract/text/sentences.js';
import { normalizeTerm, tokenize } from '../../src/abstract/text/tokens.js';
import { AlphabeticIndex } from '../../src/codesets/alphabetic-index.js';
import { CodeSet, type CodeInfo, type CodeNote, type VersionInfo } from '../../src/codesets/reference-library.js';

function entry(code: string, term: string, weight = 0.7, extra: Partial<LexiconEntry> = {}): LexiconEntry {
  return { code, system: 'ICD-10-CM', title: term, term, symptom: false, source: 'tabular-title', weight, ...extra };
}

/** A small ICD-10-CM code set built in memory (the official one is exercised in test/codesets). */
function tinyCodeSet(): CodeSet {
  const version: VersionInfo = { id: 1, system: 'ICD-10-CM', version: 'test', effectiveFrom: '2020-10-01', effectiveTo: '2021-09-30', codes: 0, billable: 0, importedAt: '', sources: [], warnings: [] };
  const rows: [string, string, boolean][] = [
    ['R50.9', 'Fever, unspecified', true],
    ['I10', 'Essential (primary) hypertension', true],
    ['N17.9', 'Acute kidney failure, unspecified', true],
    ['S52.5', 'Fracture of lower end of radius', false],
    ['S52.501A', 'Unspecified fracture of the lower end of right radius, initial encounter for closed fracture', true],
    ['Z71.9', 'Counseling, unspecified', true],
    ['J69.0', 'Pneumonitis due to inhalation of food and vomit', true],
    ['J18.9', 'Pneumonia, unspecified organism', true],
    ['C64', 'Malignant neoplasm of kidney, except renal pelvis', false],
    ['C64.1', 'Malignant neoplasm of right kidney, except renal pelvis', true],
    ['C64.2', 'Malignant neoplasm of left kidney, except renal pelvis', true],
    ['C64.9', 'Malignant neoplasm of unspecified kidney, except renal pelvis', true],
    ['C78.7', 'Secondary malignant neoplasm of liver and intrahepatic bile duct', true],
    ['D49.0', 'Neoplasm of unspecified behavior of digestive system', true],
    ['K26', 'Duodenal ulcer', false],
    ['K26.4', 'Chronic or unspecified duodenal ulcer with hemorrhage', true],
    ['K26.7', 'Chronic duodenal ulcer without hemorrhage or perforation', true],
    ['K26.9', 'Duodenal ulcer, unspecified as acute or chronic, without hemorrhage or perforation', true],
    ['I60', 'Nontraumatic subarachnoid hemorrhage', false],
    ['I60.7', 'Nontraumatic subarachnoid hemorrhage from unspecified intracranial artery', true],
    ['I60.9', 'Nontraumatic subarachnoid hemorrhage, unspecified', true],
    ['H02.84', 'Edema of eyelid', false],
    ['H02.841', 'Edema of right upper eyelid', true],
    ['H02.843', 'Edema of right eye, unspecified eyelid', true],
    ['H02.846', 'Edema of left eye, unspecified eyelid', true],
    ['H02.849', 'Edema of unspecified eye, unspecified eyelid', true],
    ['N42.31', 'Prostatic intraepithelial neoplasia', true],
  ];
  // A code's parent: the longest shorter code of the list that starts it.
  const parentOf = (code: string) => rows.map(([c]) => c).filter((c) => c.length < code.length && code.startsWith(c)).sort((a, b) => b.length - a.length)[0]?.replace('.', '');
  const codes = new Map<string, CodeInfo>(rows.map(([code, title, billable]) => [code.replace('.', ''), {
    key: code.replace('.', ''), code, title, kind: billable ? 'code' : 'category', billable, ...(parentOf(code) ? { parent: parentOf(code)! } : {}),
  }]));
  const notes = new Map<string, CodeNote[]>([
    ['I10', [{ kind: 'inclusionTerm', text: 'High blood pressure', ranges: [], at: 'I10' }]],
    ['N4231', [{ kind: 'inclusionTerm', text: 'PIN', ranges: [], at: 'N42.31' }, { kind: 'inclusionTerm', text: 'Prostatic intraepithelial neoplasia I (PIN I)', ranges: [], at: 'N42.31' }]],
  ]);
  return new CodeSet(version, codes, notes, new Map());
}

describe('term variants: how titles are written in notes', () => {
  test.each([
    ['Fever, unspecified', 'fever'],
    ['Essential (primary) hypertension', 'essential hypertension'],
    ['Hypertension (arterial) (benign) (essential)', 'hypertension'],
    ['Pneumonia, aspiration', 'aspiration pneumonia'],
    ['Urinary tract infection, site not specified', 'urinary tract infection'],
    ['Migraine, unspecified, not intractable, without status migrainosus', 'migraine'],
  ])('%s → %s', (title, variant) => {
    expect(termVariants(title)).toContain(variant);
  });

  test('the episode of care is kept: it is the 7th character, not a default', () => {
    expect(termVariants('Allergy, unspecified, initial encounter')).not.toContain('allergy');
  });

  test('PCS titles lose their approach', () => {
    expect(pcsTitleVariants('Excision of Right Upper Lung Lobe, Percutaneous Endoscopic Approach')).toContain('excision of right upper lung lobe');
  });
});

describe('tokens', () => {
  test('case, punctuation, plurals, hyphens and British spellings fold; s/p stays one token', () => {
    expect(tokenize('Oedema, haemorrhages; s/p CABG; left-sided migraines').map((t) => t.norm)).toEqual(['edema', 'hemorrhage', 's/p', 'cabg', 'left', 'sided', 'migraine']);
    // A slash after a longer word separates: "20 cigarettes/day" holds the word "cigarette".
    expect(tokenize('20 cigarettes/day, nausea/vomiting, mg/dl').map((t) => t.norm)).toEqual(['20', 'cigarette', 'day', 'nausea', 'vomiting', 'mg/dl']);
    expect(normalizeTerm('Renal failure')).toEqual(['kidney', 'failure']);
    expect(normalizeTerm('metastases')).toEqual(['metastasis']);
  });
});

describe('the lexicon matcher', () => {
  test('longest contiguous match wins, and a term can name several codes', () => {
    const lex = new Lexicon();
    lex.add(entry('I50.9', 'heart failure'));
    lex.add(entry('I50.20', 'systolic heart failure'));
    lex.add(entry('X', 'heart failure', 0.3));
    const m = lex.match(tokenize('acute systolic heart failure'));
    expect(m.filter((x) => x.mode === 'exact').map((x) => x.entries.map((e) => e.code))).toEqual([['I50.20']]);
    expect(lex.lookup('heart failures').map((e) => e.code)).toEqual(['I50.9', 'X']);
  });

  test('terms added after a match are found by the next one (the word table is rebuilt)', () => {
    const lex = new Lexicon();
    lex.add(entry('I10', 'hypertension'));
    expect(lex.match(tokenize('hypertension and gout')).map((m) => m.entries[0]!.code)).toEqual(['I10']);
    lex.add(entry('M10.9', 'gout'));
    expect(lex.match(tokenize('hypertension and gout')).map((m) => m.entries[0]!.code)).toEqual(['I10', 'M10.9']);
  });

  test('words out of order within a window match a multi-word term', () => {
    const lex = new Lexicon();
    lex.add(entry('S52.5', 'fracture of lower end of radius'));
    lex.add(entry('N17.9', 'acute kidney failure'));
    const m = lex.match(tokenize('fracture of the lower end of the left radius'));
    expect(m.map((x) => [x.mode, x.entries[0]!.code])).toContainEqual(['unordered', 'S52.5']);
    expect(lex.match(tokenize('kidney failure, acute')).map((x) => x.entries[0]!.code)).toEqual(['N17.9']);
    // Too far apart: no match.
    expect(lex.match(tokenize('kidney biopsy showed nothing at all in this very long sentence and failure was acute'))).toEqual([]);
  });

  test('words out of order: the matches equal a brute-force search of every term around its anchor word', () => {
    // Vocabulary without function words; many words so signature bits collide.
    const vocab = Array.from({ length: 40 }, (_, i) => `w${i}x`);
    const word = fc.constantFrom(...vocab);
    fc.assert(fc.property(
      fc.array(fc.uniqueArray(word, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 60 }),
      fc.array(word, { maxLength: 40 }),
      (terms, text) => {
        const lex = new Lexicon();
        terms.forEach((t, i) => lex.add(entry(`C${i}`, t.join(' '))));
        const found = lex.match(text.map((w, q) => ({ norm: w, start: q * 10, end: q * 10 + w.length })));
        // The reference: each distinct word set once (its first term's word order), anchored on
        // its rarest word (counted over the distinct sets; ties in the term's order).
        const sets = new Map<string, { words: string[]; codes: string[] }>();
        terms.forEach((t, i) => {
          const key = [...t].sort().join(' ');
          const set = sets.get(key) ?? { words: t, codes: [] };
          set.codes.push(`C${i}`);
          sets.set(key, set);
        });
        const counts = new Map<string, number>();
        for (const { words } of sets.values()) for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
        const exact = found.filter((m) => m.mode !== 'unordered').flatMap((m) => m.entries.map((e) => e.code));
        const expected: string[] = [];
        for (const { words, codes } of sets.values()) {
          const [anchorWord, ...rest] = [...words].sort((a, b) => counts.get(a)! - counts.get(b)!);
          for (let k = 0; k < text.length; k++) {
            if (text[k] !== anchorWord) continue;
            const lo = Math.max(0, k - 8);
            const hi = Math.min(text.length - 1, k + 8);
            const at = rest.map((w) => text.findIndex((x, q) => q >= lo && q <= hi && x === w));
            if (at.some((q) => q < 0)) continue;
            if (!codes.some((c) => exact.includes(c))) expected.push(`${Math.min(k, ...at)}-${Math.max(k, ...at) + 1}:${codes.join(',')}`);
            break;
          }
        }
        const actual = found.filter((m) => m.mode === 'unordered').map((m) => `${m.from}-${m.to}:${m.entries.map((e) => e.code).join(',')}`);
        expect(actual.sort()).toEqual(expected.sort());
      },
    ), { numRuns: 300 });
  });

  test('contiguous matches equal a brute-force longest match, across nodes with few and many children', () => {
    // 14 words, and many terms sharing a first word: nodes with many children, and a table that grows.
    // Terms start with one of three words, so those nodes fill up.
    const vocab = Array.from({ length: 14 }, (_, i) => `v${i}q`);
    const word = fc.constantFrom(...vocab);
    const term = fc.tuple(fc.constantFrom(...vocab.slice(0, 3)), fc.array(word, { maxLength: 2 })).map(([first, rest]) => [first, ...rest]);
    fc.assert(fc.property(
      fc.array(term, { minLength: 40, maxLength: 120 }),
      fc.array(word, { maxLength: 30 }),
      (terms, text) => {
        const lex = new Lexicon();
        const codes = new Map<string, string[]>();
        terms.forEach((t, i) => {
          // Learned-site entries match as written only: no unordered readings to tell apart.
          lex.add(entry(`C${i}`, t.join(' '), 0.7, { source: 'site' }));
          codes.set(t.join(' '), [...(codes.get(t.join(' ')) ?? []), `C${i}`]);
        });
        const expected: string[] = [];
        for (let i = 0; i < text.length;) {
          let best = 0;
          for (let j = i + 1; j <= text.length; j++) if (codes.has(text.slice(i, j).join(' '))) best = j;
          if (best > 0) expected.push(`${i}-${best}:${codes.get(text.slice(i, best).join(' '))!.join(',')}`);
          i = best > 0 ? best : i + 1;
        }
        const found = lex.match(text.map((w, q) => ({ norm: w, start: q * 10, end: q * 10 + w.length })));
        expect(found.map((m) => `${m.from}-${m.to}:${m.entries.map((e) => e.code).join(',')}`)).toEqual(expected);
        for (const [term, c] of codes) expect(lex.lookup(term).map((e) => e.code)).toEqual(c);
        expect([...lex.entries()].map((e) => e.code).sort()).toEqual(terms.map((_, i) => `C${i}`).sort());
      },
    ), { numRuns: 300 });
  });

  test('the word trie keeps every edge as its table grows, and finds none it was not given', () => {
    const trie = new WordTrie<string>();
    const ids = new Map<string, number>();
    // 40 × 150 edges from the root's children: the table grows from 1,024 slots five times.
    for (let a = 0; a < 40; a++) {
      const parent = trie.childOrAdd(WordTrie.ROOT, a);
      ids.set(`${a}`, parent);
      for (let b = 0; b < 150; b++) {
        const child = trie.childOrAdd(parent, b * 7);
        trie.setPayload(child, `${a}/${b * 7}`);
        ids.set(`${a}/${b * 7}`, child);
      }
    }
    expect(trie.size).toBe(1 + 40 + 40 * 150);
    for (const [path, id] of ids) {
      const [a, b] = path.split('/').map(Number);
      const parent = trie.child(WordTrie.ROOT, a!);
      expect(b === undefined ? parent : trie.child(parent, b)).toBe(id);
    }
    expect(trie.child(ids.get('3')!, 5)).toBe(0);
    expect(trie.child(WordTrie.ROOT, 41)).toBe(0);
    // Absent edges (the edge filter's clear bits, and its set bits that belong to other pairs).
    for (let a = 0; a < 40; a++) for (let b = 0; b < 150; b++) expect(trie.child(ids.get(`${a}`)!, b * 7 + 1)).toBe(0);
    expect(trie.childOrAdd(ids.get('3')!, 7)).toBe(ids.get('3/7'));
    expect(trie.payload(ids.get('39/1043')!)).toBe('39/1043');
    expect([...trie.payloadsInOrder()].slice(0, 2)).toEqual(['0/0', '0/7']);
  });

  test('many terms under one anchor stay exact (signature prefilter never drops a real match)', () => {
    const lex = new Lexicon();
    for (let i = 0; i < 300; i++) lex.add(entry(`C${i}`, `zeta word${i} other${i}`));
    for (let i = 0; i < 300; i += 37) {
      const m = lex.match(tokenize(`other${i} and zeta with word${i}`));
      expect(m.map((x) => x.entries[0]!.code)).toEqual([`C${i}`]);
    }
  });
});

describe('the lexicon compiled from the reference library', () => {
  const lexicon = compileLexicon({ cm: tinyCodeSet(), starter: false });

  test('titles, variants and inclusion terms find their codes; headers score lower than billable codes', () => {
    const codes = (text: string) => abstractNotes([{ id: 'n', text }], lexicon).map((f) => f.candidates[0]!.code);
    expect(codes('Fever since Monday.')).toEqual(['R50.9']);
    expect(codes('History of high blood pressure.')).toEqual(['I10']);
    expect(codes('Renal failure, acute.')).toEqual(['N17.9']);
    const fracture = abstractNotes([{ id: 'n', text: 'Fracture of the lower end of the radius.' }], lexicon)[0]!;
    expect(fracture.candidates[0]!.code).toBe('S52.5');
    expect(fracture.candidates[0]!.score).toBeLessThan(0.6);
  });

  test('generic one-word titles are not taken from reference sources', () => {
    expect(abstractNotes([{ id: 'n', text: 'Total time including counseling: 30 minutes.' }], lexicon)).toEqual([]);
  });

  test('an acronym alone as an inclusion term is left to the abbreviation list ("pins" is not PIN)', () => {
    const codes = (text: string) => abstractNotes([{ id: 'n', text }], lexicon).map((f) => f.candidates[0]!.code);
    expect(codes('The fracture was fixed with two pins.')).toEqual([]);
    expect(codes('Biopsy: PIN.')).toEqual([]);
    expect(codes('Biopsy showed prostatic intraepithelial neoplasia.')).toEqual(['N42.31']);
  });

  test('the Alphabetic Index adds main terms and subterm paths ("Pneumonia, aspiration" → J69.0)', () => {
    const index = new AlphabeticIndex(
      { id: 1, kind: 'index', system: 'ICD-10-CM Index', version: 'test', effectiveFrom: '2020-10-01', effectiveTo: '2021-09-30', terms: 3, columns: [], sources: [] },
      [
        { seq: 0, level: 0, title: 'Pneumonia', nemod: '(acute)', code: 'J18.9' },
        { seq: 1, level: 1, parent: 0, title: 'aspiration', code: 'J69.0' },
        { seq: 2, level: 1, parent: 0, title: 'with', see: 'x' },
      ],
    );
    const lex = compileLexicon({ cm: tinyCodeSet(), indexes: [index], starter: false });
    const f = abstractNotes([{ id: 'n', text: 'Aspiration pneumonia on the right.' }], lex);
    expect(f[0]!.candidates[0]).toMatchObject({ code: 'J69.0' });
    expect(f[0]!.candidates[0]!.lexiconEntry).toContain('index: Pneumonia > aspiration');
  });

  test('a table cell like "C64.-" completes to the unspecified code, with the sides as a laterality map', () => {
    expect(completeCode(tinyCodeSet(), 'C64.-')).toEqual({ code: 'C64.9', laterality: { unspecified: 'C64.9', right: 'C64.1', left: 'C64.2' } });
    expect(completeCode(tinyCodeSet(), 'C78.7')).toEqual({ code: 'C78.7' });
    expect(completeCode(tinyCodeSet(), 'C99.-')).toBeUndefined();
  });

  test('a category\'s title names its default child, with the side siblings; none where the convention is unclear', () => {
    const lex = compileLexicon({ cm: tinyCodeSet(), starter: false });
    const codes = (term: string) => lex.lookup(term).map((e) => e.code).sort();
    // K26.9: the child most unspecified, never the "with" child K26.4.
    expect(codes('duodenal ulcer')).toEqual(['K26', 'K26.9']);
    const k269 = lex.lookup('duodenal ulcer').find((e) => e.code === 'K26.9')!;
    expect(k269.weight).toBeCloseTo(0.7125, 6);
    expect(k269.detail).toBe('the default child of K26 "Duodenal ulcer"');
    // Sides: the same title with "right" or "left" for one "unspecified", not "right upper eyelid".
    expect(lex.lookup('edema of eyelid').find((e) => e.code === 'H02.849')?.laterality).toEqual({ unspecified: 'H02.849', right: 'H02.843', left: 'H02.846' });
    // I60.7 and I60.9 are as unspecified as each other: no default child (I60.9 is found by its own title).
    expect(lex.lookup('nontraumatic subarachnoid hemorrhage').filter((e) => e.detail?.startsWith('the default child'))).toEqual([]);
    // A child naming a side the category does not is no default: S52.5's only child is of the right radius.
    expect(lex.lookup('fracture of lower end of radius').map((e) => e.code)).toEqual(['S52.5']);
  });

  test('the Neoplasm Table gives site × behaviour terms ("left kidney cancer", "liver metastases", "hepatic tumor")', () => {
    const cells = (primary: string, secondary: string, unspecified: string) => ({ 'Malignant Primary': primary, 'Malignant Secondary': secondary, 'Ca in situ': '-', Benign: '-', 'Uncertain Behavior': '-', 'Unspecified Behavior': unspecified });
    const table = new AlphabeticIndex(
      { id: 2, kind: 'neoplasm', system: 'ICD-10-CM Neoplasm Table', version: 'test', effectiveFrom: '2020-10-01', effectiveTo: '2021-09-30', terms: 3, columns: [], sources: [] },
      [
        { seq: 0, level: 0, title: 'Neoplasm, neoplastic' },
        { seq: 1, level: 1, parent: 0, title: 'kidney (parenchymal)', cells: cells('C64.-', '-', '-') },
        { seq: 2, level: 1, parent: 0, title: 'liver', cells: cells('-', 'C78.7', 'D49.0') },
      ],
    );
    const lex = compileLexicon({ cm: tinyCodeSet(), indexes: [table], starter: false });
    const first = (text: string) => abstractNotes([{ id: 'n', text }], lex)[0]?.candidates[0]?.code;
    expect(first('Carcinoma of the left kidney.')).toBe('C64.2');
    expect(first('Renal cancer.')).toBe('C64.9');
    expect(first('Multiple liver metastases.')).toBe('C78.7');
    expect(first('A hepatic tumor was found.')).toBe('D49.0');
  });

  test('a Neoplasm Table row names its site twice, or writes a phrase head first ("stump, cervical")', () => {
    expect(neoplasmSiteNames('abdomen, abdominal')).toEqual(['abdomen', 'abdominal']);
    expect(neoplasmSiteNames('nose, nasal')).toEqual(['nose', 'nasal']);
    // Not "cervical" nor "renal" alone: "cervical cancer" is not the stump's C53.8, "renal cancer" not the calyx's C65.-.
    expect(neoplasmSiteNames('stump, cervical')).toEqual(['cervical stump']);
    expect(neoplasmSiteNames('calyx, renal')).toEqual(['renal calyx']);
    expect(neoplasmSiteNames('squamocolumnar, of cervix')).toEqual(['squamocolumnar of cervix']);
    expect(neoplasmSiteNames('disease, generalized')).toEqual(['generalized']);
    // "brain NEC" is the brain (C71.9); rows for an unnamed site give no name.
    expect(neoplasmSiteNames('brain NEC')).toEqual(['brain']);
    expect(neoplasmSiteNames('larynx, laryngeal NEC')).toEqual(['larynx', 'laryngeal']);
    expect(neoplasmSiteNames('specified site NEC')).toEqual([]);
    expect(neoplasmSiteNames('sweat gland, site unspecified')).toEqual(['sweat gland']);
  });

  test('site rows re-weight a reference term and add the terms a site writes', () => {
    const lex = compileLexicon({
      cm: tinyCodeSet(), starter: false,
      site: [
        { term: 'fever', code: 'R50.9', system: 'ICD-10-CM', together: 9, documents: 10, origin: 'reference' },
        { term: 'febrile syndrome', code: 'R50.9', system: 'ICD-10-CM', together: 6, documents: 8, origin: 'learned' },
      ],
    });
    // "fever" is the written-out variant of "Fever, unspecified": 0.75 × 0.95 before the site's counts.
    expect(lex.lookup('fever')[0]!.weight).toBeCloseTo((9 + 2 * 0.75 * 0.95) / 12);
    const f = abstractNotes([{ id: 'n', text: 'Admitted for a febrile syndrome.' }], lex);
    expect(f[0]!.candidates[0]).toMatchObject({ code: 'R50.9' });
    expect(f[0]!.candidates[0]!.lexiconEntry).toContain('site: coded R50.9 in 6 of 8 training documents');
  });
});

describe('alternative readings', () => {
  test('an alternative reading weighs at most 0.34, however often the site coded it: it ranks, it is never predicted', () => {
    const row = { term: 'febrile syndrome', code: 'R50.81', system: 'ICD-10-CM' as const, together: 9, documents: 10, origin: 'learned' as const, heldOut: { together: 9, documents: 10 } };
    const weight = (site: NonNullable<Parameters<typeof compileLexicon>[0]['site']>) =>
      compileLexicon({ cm: tinyCodeSet(), starter: false, site }).lookup('febrile syndrome').find((e) => e.code === 'R50.81')!.weight;
    expect(weight([row])).toBeGreaterThan(0.5);
    expect(weight([{ ...row, alternative: true }])).toBe(0.34);
  });
});

describe('official terms the site did not measure, found out of order', () => {
  const score = (site: Parameters<typeof compileLexicon>[0]['site'], text = 'Failure of the kidney was acute.') =>
    abstractNotes([{ id: 'n', text }], compileLexicon({ cm: tinyCodeSet(), starter: false, ...(site ? { site } : {}) })).find((f) => f.candidates[0]?.code === 'N17.9')?.candidates[0]?.score;
  const fever = [{ term: 'fever', code: 'R50.9', system: 'ICD-10-CM' as const, together: 9, documents: 10, origin: 'reference' as const }];

  test('score under the threshold where a site lexicon measured the terms, as before without one', () => {
    // No site statistics: nothing says the term is unusual, the out-of-order factor 0.85 applies.
    expect(score(undefined)).toBeGreaterThanOrEqual(0.5);
    // A site lexicon that measured other terms: this one is unmeasured, a weaker reading.
    const measured = score(fever);
    expect(measured).toBeLessThan(0.5);
    expect(measured).toBeGreaterThan(0.35);
  });

  test('one phrase of the term\'s own words in another order is not words gathered from a sentence', () => {
    // "acute failure of the kidney": only the term's words and connectors (of, the).
    expect(score(fever, 'Acute failure of the kidney.')).toBeGreaterThanOrEqual(0.5);
    // Another content word inside the span: gathered words, the weaker reading.
    expect(score(fever, 'Acute failure of the transplanted kidney.')).toBeLessThan(0.5);
  });
});

describe('sections under the spellings EHRs use', () => {
  test.each([
    ['CHIEF COMPLAINT: cough', 'chief_complaint'],
    ['Reason for Admission: chest pain', 'chief_complaint'],
    ['History of Present Illness: cough', 'hpi'],
    ['Past Medical/Surgical History: HTN', 'pmh'],
    ['Surgical Hx: appendectomy', 'psh'],
    ['Fam Hx: CAD', 'family_history'],
    ['Home Meds: lisinopril', 'medications'],
    ['Review of Systems: negative', 'ros'],
    ['Physical Examination: normal', 'exam'],
    ['Pertinent Results: normal', 'results'],
    ['Impression/Plan: bronchitis', 'assessment'],
    ['Discharge Instructions: rest', 'plan'],
    ['Postoperative Diagnosis: appendicitis', 'diagnoses'],
    ['Procedure(s): appendectomy', 'procedures'],
    ['Brief Hospital Course: improved', 'hospital_course'],
    ['Discharge Diagnoses: pneumonia', 'discharge_diagnoses'],
    ['HOSPITAL COURSE\nImproved.', 'hospital_course'],
    ['2. Assessment: stable', 'assessment'],
  ])('%s → %s', (text, name) => {
    expect(detectSections(text).map((s) => s.name)).toContain(name);
  });

  test('bullets and numbered lists split into sentences', () => {
    const text = 'Problems:\n- Hypertension\n- Type 2 diabetes\n1) Asthma 2) GERD';
    expect(splitSentences(text).map((s) => text.slice(s.start, s.end))).toEqual(['Problems:', '- Hypertension', '- Type 2 diabetes', '1) Asthma 2) GERD']);
  });
});
