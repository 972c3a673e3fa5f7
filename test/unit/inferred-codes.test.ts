import { describe, expect, test } from 'vitest';
import { abstractNotes } from '../../src/abstract/abstract-encounter.js';
import { Lexicon } from '../../src/abstract/lexicon/lexicon.js';
import { inferredCodeTitle } from '../../src/abstract/lexicon/code-titles.js';
import { bmiCode, findMeasurements, gestationWeeksCode } from '../../src/abstract/measurements.js';
import { statusAfterProcedure } from '../../src/abstract/past-procedures.js';
import { tokenize } from '../../src/abstract/text/tokens.js';
import type { NotCoded } from '../../src/code/diagnosis-conventions.js';
import type { DxItem } from '../../src/code/dx-item.js';
import { applyReportedWith } from '../../src/code/reported-with.js';

const read = (sentence: string) => findMeasurements(sentence, tokenize(sentence)).map((m) => [m.code, sentence.slice(m.start, m.end)]);

describe('codes read from a documented value', () => {
  test('a BMI picks its adult Z68 code by range, at the range edges too', () => {
    expect([15, 19.9, 20, 20.9, 25.6, 29.99, 30, 39.9, 40, 44.9, 45, 49.9, 50, 59.9, 60, 69.9, 70, 74].map(bmiCode)).toEqual([
      'Z68.1', 'Z68.1', 'Z68.20', 'Z68.20', 'Z68.25', 'Z68.29', 'Z68.30', 'Z68.39', 'Z68.41', 'Z68.41', 'Z68.42', 'Z68.42', 'Z68.43', 'Z68.43', 'Z68.44', 'Z68.44', 'Z68.45', 'Z68.45',
    ]);
    expect([0, 5, 100, Number.NaN].map(bmiCode)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('completed weeks of gestation pick their Z3A code; under 8 and over 42 have codes of their own', () => {
    expect([3, 7, 8, 9, 19.6, 20, 42, 43, 45].map(gestationWeeksCode)).toEqual(['Z3A.01', 'Z3A.01', 'Z3A.08', 'Z3A.09', 'Z3A.19', 'Z3A.20', 'Z3A.42', 'Z3A.49', 'Z3A.49']);
    expect([0, 60].map(gestationWeeksCode)).toEqual([undefined, undefined]);
  });

  test('the ways case reports write a BMI', () => {
    expect(read('reaching a BMI of 25.6.')).toEqual([['Z68.25', 'BMI of 25.6']]);
    expect(read('supermorbid obesity (body mass index [BMI] 52 kg).')).toEqual([['Z68.43', 'body mass index [BMI] 52']]);
    expect(read('165 cm (BMI = 15).')).toEqual([['Z68.1', 'BMI = 15']]);
    expect(read('and a BMI (Body Mass Index) of 26.')).toEqual([['Z68.26', 'BMI (Body Mass Index) of 26']]);
    expect(read('admitted with a mass index (BMI) 41kg/m2')).toEqual([['Z68.41', 'mass index (BMI) 41']]);
    expect(read('BMI 46,6 kg/m2')).toEqual([['Z68.42', 'BMI 46,6']]);
  });

  test('no value, a bound, a range or a percentile picks no BMI code', () => {
    expect(read('extreme obesity (BMI > 40 kg/m2).')).toEqual([]);
    expect(read('a BMI 25-30 is overweight')).toEqual([]);
    expect(read('BMI at the 97th percentile, 31.')).toEqual([]);
    expect(read('body mass index was normal.')).toEqual([]);
  });

  test('the ways case reports write weeks of gestation, and what they do not pick', () => {
    expect(read('born at 40 weeks of gestation')).toEqual([['Z3A.40', '40 weeks of gestation']]);
    expect(read('a live fetus of 19.6 weeks of gestation')).toEqual([['Z3A.19', '19.6 weeks of gestation']]);
    expect(read('In the 20.3 week of gestation, parenteral nutrition')).toEqual([['Z3A.20', '20.3 week of gestation']]);
    expect(read('34 weeks pregnant')).toEqual([['Z3A.34', '34 weeks pregnant']]);
    expect(read('at week 21 of gestation')).toEqual([['Z3A.21', 'week 21 of gestation']]);
    expect(read('at 38 weeks gestational age')).toEqual([['Z3A.38', '38 weeks gestational age']]);
    expect(read('a pregnancy of 24 weeks and 5 days')).toEqual([['Z3A.24', 'pregnancy of 24 weeks']]);
    expect(read('at 38+2 weeks of pregnancy')).toEqual([['Z3A.38', '38+2 weeks of pregnancy']]);
    // A range, a duration, and a number with no gestation word.
    expect(read('a gestational age of 24 to 26 weeks')).toEqual([]);
    expect(read('two weeks after the accident')).toEqual([]);
    expect(read('a cesarean section at 36 weeks.')).toEqual([]);
  });

  test('a finding with the one code, when the lexicon\'s release has the code', () => {
    const lexicon = new Lexicon();
    lexicon.add({ code: 'Z68.36', system: 'ICD-10-CM', title: 'Body mass index [BMI] 36.0-36.9, adult', term: 'Body mass index [BMI] 36.0-36.9, adult', symptom: false, source: 'tabular-title', weight: 0.9 });
    const [f, ...rest] = abstractNotes([{ id: 'n1', text: 'Vital signs: BMI 36.4. No BMI 24 recorded.' }], lexicon);
    expect(rest.map((x) => x.candidates[0]?.code)).toEqual([]); // Z68.24 is not in this release: no candidate
    expect(f).toMatchObject({ kind: 'diagnosis', text: 'BMI 36.4', start: 13, end: 21, modifiers: { bmi: '36.4' }, assertion: 'present' });
    expect(f!.candidates).toEqual([expect.objectContaining({ code: 'Z68.36', score: 0.9, title: 'Body mass index [BMI] 36.0-36.9, adult' })]);
    expect(f!.candidates[0]!.lexiconEntry).toMatch(/^value: body mass index 36\.4 → Z68\.36/);
    expect(inferredCodeTitle(lexicon, 'Z68.24')).toBeUndefined();
  });
});

describe('codes reported only beside another (Guidelines I.C.21.c.3, Z3A note)', () => {
  const item = (key: string, order: number): DxItem => ({ key, confidence: 0.9, rank: 3, order, origin: 'documentation', steps: [], evidence: [], symptom: false });
  const run = (keys: string[], age?: number) => {
    const items = new Map(keys.map((k, i) => [k, item(k, i)]));
    const notCoded: NotCoded[] = [];
    applyReportedWith(items, notCoded, age);
    return { kept: [...items.keys()], off: notCoded.map((n) => `${n.code} ${n.rule}`) };
  };

  test('a BMI needs an associated diagnosis, is not coded in pregnancy, and its adult codes need an adult', () => {
    expect(run(['I10', 'Z6824']).kept).toEqual(['I10']);
    expect(run(['E6601', 'Z6841']).kept).toEqual(['E6601', 'Z6841']);
    expect(run(['R636', 'Z681']).kept).toEqual(['R636', 'Z681']);
    expect(run(['O24419', 'E669', 'Z6832', 'Z3A30']).kept).toEqual(['O24419', 'E669', 'Z3A30']);
    expect(run(['E669', 'Z6831'], 15)).toEqual({ kept: ['E669'], off: ['Z68.31 reported-with'] });
    expect(run(['E669', 'Z6831'], 20).kept).toEqual(['E669', 'Z6831']);
  });

  test('of several BMI values the most severe: the highest with obesity, the lowest with underweight', () => {
    expect(run(['E669', 'Z6838', 'Z6841', 'Z6836']).kept).toEqual(['E669', 'Z6841']);
    expect(run(['R636', 'Z6820', 'Z681']).kept).toEqual(['R636', 'Z681']);
  });

  test('weeks of gestation only with a pregnancy code, one per encounter (the first the record gives)', () => {
    expect(run(['P599', 'Z3A39']).kept).toEqual(['P599']);
    expect(run(['O24419', 'Z3A28', 'Z3A30']).kept).toEqual(['O24419', 'Z3A28']);
    // The pregnant state coded in place of a chapter 15 code (I.C.15.a.1) is a maternal record too.
    expect(run(['S93409A', 'Z331', 'Z3A20']).kept).toEqual(['S93409A', 'Z331', 'Z3A20']);
    expect(run(['E669', 'Z331', 'Z6832']).kept).toEqual(['E669', 'Z331']);
  });

  test('exported codes stay as the export sent them', () => {
    const items = new Map([['Z6824', { ...item('Z6824', 0), origin: 'structured' as const }]]);
    applyReportedWith(items, [], undefined);
    expect([...items.keys()]).toEqual(['Z6824']);
  });
});

describe('the status a past procedure leaves (Guidelines I.C.21.c.3)', () => {
  const lexicon = new Lexicon();
  lexicon.add({ code: '0UT9', system: 'ICD-10-PCS', title: 'Resection of Uterus', term: 'hysterectomy', symptom: false, source: 'pcs-axes', weight: 0.5 });
  lexicon.add({ code: '0GTK', system: 'ICD-10-PCS', title: 'Resection of Thyroid Gland', term: 'thyroidectomy', symptom: false, source: 'pcs-axes', weight: 0.5 });
  lexicon.add({ code: 'Z90.710', system: 'ICD-10-CM', title: 'Acquired absence of both cervix and uterus', term: 'Acquired absence of both cervix and uterus', symptom: false, source: 'tabular-title', weight: 0.75 });
  const codes = (text: string) => abstractNotes([{ id: 'n1', text }], lexicon).map((f) => `${f.kind} ${f.candidates[0]!.code} ${f.assertion}`);

  test('a past resection is also its acquired absence, on the same words', () => {
    expect(codes('She has a history of hysterectomy.')).toEqual(['procedure 0UT9 historical', 'diagnosis Z90.710 historical']);
    expect(statusAfterProcedure('0UT9ZZZ')).toBe('Z90.710');
    expect(statusAfterProcedure('0HTU0ZZ')).toBe('Z90.12');
  });

  test('not for a procedure of this encounter, nor for an organ the table leaves out', () => {
    expect(codes('A hysterectomy was performed.')).toEqual(['procedure 0UT9 present']);
    expect(codes('History of thyroidectomy.')).toEqual(['procedure 0GTK historical']);
    expect(statusAfterProcedure('0DTJ')).toBeUndefined();
  });

  test('a past replacement or bypass is the presence of what it left, the side from the PCS body part', () => {
    expect(statusAfterProcedure('02RF38Z')).toBe('Z95.2'); // aortic valve
    expect(statusAfterProcedure('0212')).toBe('Z95.1'); // coronary bypass, three arteries
    expect(statusAfterProcedure('0SR9')).toBe('Z96.641'); // right hip joint
    expect(statusAfterProcedure('0SRD')).toBe('Z96.652'); // left knee joint
    expect(statusAfterProcedure('08RJ')).toBe('Z96.1'); // right lens
    const lex = new Lexicon();
    lex.add({ code: '02RF', system: 'ICD-10-PCS', title: 'Replacement of Aortic Valve', term: 'aortic valve replacement', symptom: false, source: 'pcs-axes', weight: 0.5 });
    lex.add({ code: 'Z95.2', system: 'ICD-10-CM', title: 'Presence of prosthetic heart valve', term: 'Presence of prosthetic heart valve', symptom: false, source: 'tabular-title', weight: 0.75 });
    const found = abstractNotes([{ id: 'n1', text: 'He had an aortic valve replacement in 2001.' }], lex).map((f) => `${f.kind} ${f.candidates[0]!.code} ${f.assertion}`);
    expect(found).toEqual(['procedure 02RF historical', 'diagnosis Z95.2 historical']);
  });

  test('a comma before the next mention ends a list item, not an inverted term', () => {
    const lex = new Lexicon();
    for (const [code, term] of [['0SR9', 'right hip replacement'], ['0SRB', 'left hip replacement'], ['0SRD', 'left knee arthroplasty']] as const) {
      lex.add({ code, system: 'ICD-10-PCS', title: term, term, symptom: false, source: 'starter', weight: 0.5 });
    }
    // "hip replacement, left" would be the Index's inverted order, but "left" begins "left knee arthroplasty".
    const found = abstractNotes([{ id: 'n1', text: 'Surgery: right hip replacement, left knee arthroplasty.' }], lex).map((f) => f.candidates[0]!.code);
    expect(found).toEqual(['0SR9', '0SRD']);
  });
});
