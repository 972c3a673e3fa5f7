import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { abstractNotes } from '../../src/abstract/abstract-encounter.js';
import { loadStarterLexicon } from '../../src/abstract/lexicon/starter-lexicon.js';
import { findModifiers, KEY_RE, KEYS, MODIFIER_RULES, scanModifiers } from '../../src/abstract/modifiers.js';
import { detectSections } from '../../src/abstract/text/sections.js';
import { splitSentences } from '../../src/abstract/text/sentences.js';
import { tokenize } from '../../src/abstract/text/tokens.js';
import { readCodedCorpus } from '../../src/learn/coded-corpus.js';

function modifiersOf(sentence: string, concept: string) {
  const lower = sentence.toLowerCase();
  const start = lower.indexOf(concept.toLowerCase());
  expect(start).toBeGreaterThanOrEqual(0);
  const mods = findModifiers(lower, start, start + concept.length);
  // The sentence scan skips patterns, never changes what they find.
  expect(findModifiers(lower, start, start + concept.length, scanModifiers(lower))).toEqual(mods);
  return mods;
}

describe('modifiers a coder needs for the specific code', () => {
  test.each([
    ['Left knee osteoarthritis.', 'osteoarthritis', 'laterality', 'left'],
    ['Otitis media of the right ear.', 'otitis media', 'laterality', 'right'],
    ['Bilateral knee pain.', 'knee pain', 'laterality', 'bilateral'],
    ['Right and left hip pain.', 'hip pain', 'laterality', 'bilateral'],
    ['Acute on chronic systolic heart failure.', 'systolic heart failure', 'acuity', 'acute-on-chronic'],
    ['Acute bronchitis.', 'bronchitis', 'acuity', 'acute'],
    ['Chronic sinusitis.', 'sinusitis', 'acuity', 'chronic'],
    ['Severe persistent asthma.', 'asthma', 'severity', 'severe'],
    ['Mild intermittent asthma.', 'asthma', 'severity', 'mild'],
    ['Intractable migraine.', 'migraine', 'severity', 'intractable'],
    ['Chronic kidney disease stage 3a.', 'chronic kidney disease', 'stage', '3a'],
    ['CKD 4 with anemia.', 'CKD', 'stage', '4'],
    ['CKD stage IIIb.', 'CKD', 'stage', '3b'],
    ['End-stage renal disease on dialysis.', 'renal disease', 'stage', 'end-stage'],
    ['Pressure ulcer of sacrum, stage 2.', 'pressure ulcer', 'stage', '2'],
    ['Type 1 diabetes mellitus.', 'diabetes mellitus', 'diabetesType', '1'],
    ['Diabetes mellitus type II, uncontrolled.', 'diabetes mellitus', 'diabetesType', '2'],
    ['Gestational diabetes.', 'diabetes', 'diabetesType', 'gestational'],
    ['Steroid-induced diabetes.', 'diabetes', 'diabetesType', 'drug-induced'],
    ['Follow-up of wrist fracture, healing well.', 'wrist fracture', 'episode', 'subsequent'],
    ['Sequela of ankle sprain.', 'ankle sprain', 'episode', 'sequela'],
    ['Fell from a ladder yesterday; wrist fracture.', 'wrist fracture', 'episode', 'initial'],
    ['Preeclampsia in the third trimester.', 'preeclampsia', 'trimester', '3'],
    ['Pregnant at 32 weeks gestation with preeclampsia.', 'preeclampsia', 'gestationalWeeks', '32'],
    ['Morbid obesity, BMI 42.5.', 'obesity', 'bmi', '42.5'],
    ['Obesity with a body mass index of 31.', 'obesity', 'bmi', '31'],
  ])('%s [%s] %s = %s', (sentence, concept, name, value) => {
    expect(modifiersOf(sentence, concept)[name]).toBe(value);
  });

  test('no modifier is invented when the words are absent', () => {
    expect(modifiersOf('Asthma.', 'asthma')).toEqual({});
  });

  test('acuity keeps to its own list item', () => {
    expect(modifiersOf('History of chronic bronchitis, appendicitis.', 'appendicitis').acuity).toBeUndefined();
    expect(modifiersOf('Acute otitis; sinusitis.', 'sinusitis').acuity).toBeUndefined();
    expect(modifiersOf('History of chronic bronchitis, appendicitis.', 'bronchitis').acuity).toBe('chronic');
  });
});

describe('linked conditions', () => {
  const lexicon = loadStarterLexicon();
  const find = (text: string) => abstractNotes([{ id: 'n', text }], lexicon).map((f) => [f.text.toLowerCase(), f.modifiers.linkedTo, f.modifiers.link]);

  test('"due to" and "secondary to" link a condition to its cause', () => {
    expect(find('Chronic kidney disease due to hypertension.')).toContainEqual(['chronic kidney disease', 'hypertension', 'due-to']);
    expect(find('Anemia secondary to chronic kidney disease.')).toContainEqual(['anemia', 'chronic kidney disease', 'due-to']);
  });

  test('"with" links the conditions ICD-10-CM presumes related', () => {
    expect(find('Type 2 diabetes with anemia.')).toContainEqual(['type 2 diabetes', 'anemia', 'with']);
  });

  test('a causal adjective names the linked condition ("diabetic nephropathy")', () => {
    expect(find('Diabetic nephropathy, stable.')).toContainEqual(['diabetic nephropathy', 'diabetes', 'due-to']);
  });
});

describe('the sentence scan that skips patterns a sentence cannot match', () => {
  test('every rule names its keys in lower case, and a key its rule cannot contain is caught', () => {
    for (const rule of MODIFIER_RULES) for (const key of rule.keys ?? []) expect(key).toBe(key.toLowerCase());
    // The scan finds a key inside a longer one, and one starting inside another key's text.
    const scan = scanModifiers('t1dm1 and subacute');
    const index = (name: string, value: string) => 3 + MODIFIER_RULES.findIndex((r) => r.name === name && r.value === value);
    expect(scan[index('diabetesType', '1')]).toBe(1);
    expect(scan[index('acuity', 'subacute')]).toBe(1);
    expect(scan[index('acuity', 'acute')]).toBe(1);
    expect(scan[index('acuity', 'chronic')]).toBe(0);
  });

  test('gives the same modifiers as trying every pattern, on every word of the CodiEsp dev notes', () => {
    const docs = readCodedCorpus(resolve('..', 'shared', 'corpora', 'codiesp'), 'dev').documents;
    let compared = 0;
    let withModifiers = 0;
    for (const { text } of docs) {
      for (const section of detectSections(text)) {
        for (const span of splitSentences(text, section.start, section.end)) {
          const lower = text.slice(span.start, span.end).toLowerCase();
          const scan = scanModifiers(lower);
          const tokens = tokenize(lower);
          // Every one- and two-word concept of the sentence.
          for (let i = 0; i < tokens.length; i++) {
            for (const j of [i, i + 1]) {
              if (j >= tokens.length) continue;
              const all = findModifiers(lower, tokens[i]!.start, tokens[j]!.end);
              expect(findModifiers(lower, tokens[i]!.start, tokens[j]!.end, scan)).toEqual(all);
              compared++;
              if (Object.keys(all).length > 0) withModifiers++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100_000);
    expect(withModifiers).toBeGreaterThan(10_000);
  });
});

describe('the modifier key screen', () => {
  test('the keys grouped by first character find what their plain alternation finds, overlapping keys included', () => {
    const plain = new RegExp(KEYS.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    const hits = (re: RegExp, text: string) => {
      const out: string[] = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        out.push(`${m.index}:${m[0]}`);
        re.lastIndex = m.index + 1;
      }
      return out;
    };
    const piece = fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom(' ', 'x', '1', '-', 'ic', 'al'));
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 30 }), (parts) => {
      const text = parts.join('');
      expect(hits(KEY_RE, text)).toEqual(hits(plain, text));
    }), { numRuns: 2000 });
  });
});
