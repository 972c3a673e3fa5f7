import { describe, expect, test } from 'vitest';
import type { Finding } from '../../src/contract/types.js';
import { classifyErrors, errorsTsv, summarizeErrors } from '../../src/evaluate/eval-errors.js';
import { corpusCodeForm } from '../../src/evaluate/metrics.js';

const finding = (text: string, assertion: Finding['assertion'], candidates: [string, number][]): Finding => ({
  kind: 'diagnosis', text, noteId: 'n', start: 0, end: text.length, section: 'unlabeled', sentence: text, assertion, modifiers: {},
  candidates: candidates.map(([code, score]) => ({ code, system: 'ICD-10-CM', score, lexiconEntry: `tabular-title: "${text}" → ${code}`, title: code })),
});

describe('evaluation errors by category', () => {
  const findings = [
    finding('fever', 'present', [['R50.9', 0.8]]),
    finding('pain', 'present', [['R52', 0.3]]),
    finding('asthma', 'negated', [['J45.909', 0.9]]),
    finding('knee osteoarthritis', 'present', [['M17.9', 0.7]]),
    finding('hypertension', 'present', [['I10', 0.9]]),
  ];
  const keepPresent = (f: Finding) => f.assertion === 'present';

  test('each miss and each wrong code gets the reason it was lost', () => {
    const errors = classifyErrors({
      document: 'd1', system: 'ICD-10-CM', threshold: 0.5, findings, keep: keepPresent,
      gold: ['R50.9', 'R52', 'J45.909', 'M17.11', 'E11.9'], predicted: ['R50.9', 'M17.9', 'I10'],
    });
    const by = Object.fromEntries(errors.map((e) => [`${e.error} ${e.code}`, e.category]));
    expect(by).toEqual({
      'false-negative r52': 'below-threshold',
      'false-negative j45.909': 'assertion',
      'false-negative m17.11': 'wrong-subcode',
      'false-negative e11.9': 'no-candidate',
      'false-positive m17.9': 'wrong-subcode',
      'false-positive i10': 'not-in-gold',
    });
    expect(errors.find((e) => e.code === 'j45.909')!.detail).toMatch(/"asthma" is negated/);
    expect(errors.find((e) => e.code === 'm17.9')!.detail).toMatch(/gold has m17\.11/);
    expect(summarizeErrors(errors)).toMatchObject({ 'ICD-10-CM false-negative no-candidate': 1, 'ICD-10-CM false-positive not-in-gold': 1 });
  });

  test('a code abstraction had and the coding stage left off names the rule', () => {
    const errors = classifyErrors({
      document: 'd1', system: 'ICD-10-CM', threshold: 0.5, findings, keep: keepPresent, gold: ['R50.9', 'I10'], predicted: ['I10'],
      coding: { abstracted: ['R50.9', 'I10'], notCoded: [{ code: 'R50.9', rule: 'integral-symptoms', reason: 'symptom integral to J18.9 (Guidelines I.B.5)' }] },
    });
    expect(errors).toEqual([{ document: 'd1', system: 'ICD-10-CM', error: 'false-negative', code: 'r50.9', category: 'dropped-by-coding', detail: 'integral-symptoms: symptom integral to J18.9 (Guidelines I.B.5)' }]);
  });

  test('when several rules left a code off, the last one decides (one mention negated, the present one integral)', () => {
    const errors = classifyErrors({
      document: 'd1', system: 'ICD-10-CM', threshold: 0.5, findings, keep: keepPresent, gold: ['R50.9', 'I10'], predicted: ['I10'],
      coding: {
        abstracted: ['R50.9', 'I10'], notCoded: [
          { code: 'R50.9', rule: 'negated-hypothetical', reason: '"fever" is negated (no)' },
          { code: 'R50.9', rule: 'integral-symptoms', reason: 'symptom integral to J18.9 (Guidelines I.B.5)' },
        ],
      },
    });
    expect(errors.map((e) => e.detail)).toEqual(['integral-symptoms: symptom integral to J18.9 (Guidelines I.B.5)']);
  });

  test('the TSV names stage and mode and keeps one line per error', () => {
    const tsv = errorsTsv([{ stage: 'abstraction', mode: 'mentions', errors: [{ document: 'd', system: 'ICD-10-CM', error: 'false-negative', code: 'r52', category: 'no-candidate', detail: 'a\tb\nc' }] }]);
    expect(tsv).toBe('stage\tmode\tdocument\tsystem\terror\tcode\tcategory\tdetail\nabstraction\tmentions\td\tICD-10-CM\tfalse-negative\tr52\tno-candidate\ta b c\n');
  });

  test('codes compare as the corpus writes them: injuries and external causes without the 7th character', () => {
    // CodiEsp writes "t14.90", "t81.4xx", "w19.xxx" for the claim's T14.90XA, T81.4XXA, W19.XXXA.
    for (const [claim, gold] of [['T14.90XA', 't14.90'], ['T81.4XXA', 't81.4xx'], ['W19.XXXA', 'w19.xxx'], ['T07.XXXA', 't07']] as const) {
      expect(corpusCodeForm(claim)).toBe(corpusCodeForm(gold));
    }
    // A 6th character that means something stays: S06.9X0A is more specific than the corpus's s06.9x.
    expect(corpusCodeForm('S06.9X0A')).not.toBe(corpusCodeForm('s06.9x'));
    // Other chapters keep their 7th character, and PCS codes (no dot; section X) are untouched.
    for (const code of ['o40.9xx0', 'r40.2430', 'xw043a6', '0dbj8zx', 'e11.9']) expect(corpusCodeForm(code.toUpperCase())).toBe(code);
    const errors = classifyErrors({
      document: 'd1', system: 'ICD-10-CM', threshold: 0.5, findings: [], keep: keepPresent, gold: ['t14.90'], predicted: ['T14.90XA'],
    });
    expect(errors).toEqual([]);
  });
});
