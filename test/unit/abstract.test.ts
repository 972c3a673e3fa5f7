import { describe, expect, test } from 'vitest';
import { ACUITY_CONFLICT_FACTOR, abstractNotes, qualifyingAcuity } from '../../src/abstract/abstract-encounter.js';
import { analyzeSentence, assertConcept } from '../../src/abstract/context/assertion.js';
import { loadStarterLexicon } from '../../src/abstract/lexicon/starter-lexicon.js';
import { detectSections } from '../../src/abstract/text/sections.js';
import { splitSentences } from '../../src/abstract/text/sentences.js';

const lexicon = loadStarterLexicon();

function assertionOf(sentence: string, concept: string, section = 'hpi') {
  const start = sentence.toLowerCase().indexOf(concept.toLowerCase());
  expect(start).toBeGreaterThanOrEqual(0);
  return assertConcept(analyzeSentence(sentence), start, start + concept.length, section).assertion;
}

describe('assertions (ConText-style triggers, scope and terminators)', () => {
  test.each([
    ['Patient denies chest pain.', 'chest pain', 'negated'],
    ['No fever.', 'fever', 'negated'],
    ['Presents without nausea.', 'nausea', 'negated'],
    ['Negative for pneumonia.', 'pneumonia', 'negated'],
    ['Chest x-ray is negative for pneumonia.', 'pneumonia', 'negated'],
    ['Fever: none.', 'Fever', 'negated'],
    ['No further episodes of syncope.', 'syncope', 'negated'],
    ['Denies fever, chills, or nausea.', 'nausea', 'negated'],
    ['Denies fever, chills, or nausea.', 'fever', 'negated'],
    ['Denies chest pain but reports nausea.', 'nausea', 'present'],
    ['Possible pneumonia.', 'pneumonia', 'uncertain'],
    ['Probable UTI.', 'UTI', 'uncertain'],
    ['Suspected sepsis.', 'sepsis', 'uncertain'],
    ['Rule out pulmonary embolism.', 'pulmonary embolism', 'uncertain'],
    ['Findings consistent with pneumonia.', 'pneumonia', 'uncertain'],
    ['Bronchitis versus pneumonia.', 'pneumonia', 'uncertain'],
    ['History of pneumonia.', 'pneumonia', 'historical'],
    ['s/p myocardial infarction in 2019.', 'myocardial infarction', 'historical'],
    ['Prior stroke.', 'stroke', 'historical'],
    ['Mother had type 2 diabetes.', 'type 2 diabetes', 'family'],
    ['Family history of coronary artery disease.', 'coronary artery disease', 'family'],
    ['Return if chest pain develops.', 'chest pain', 'hypothetical'],
    ['Should she develop fever, call the office.', 'fever', 'hypothetical'],
    ['No increase in shortness of breath.', 'shortness of breath', 'present'],
    ['Gram negative sepsis.', 'sepsis', 'present'],
    ['Not only hypertension but also asthma.', 'hypertension', 'present'],
    ['Hypertension, stable.', 'Hypertension', 'present'],
    // The examples and the failure cases ConText implementations are known for.
    ['Without chest pain.', 'chest pain', 'negated'],
    ['The chest x-ray is negative for infiltrate.', 'infiltrate', 'negated'],
    ['No further episodes of vomiting.', 'vomiting', 'negated'],
    ['Denies fever, chills, nausea, vomiting, or diarrhea.', 'diarrhea', 'negated'],
    ['No evidence of deep vein thrombosis.', 'deep vein thrombosis', 'negated'],
    ['No acute fracture.', 'acute fracture', 'negated'],
    ['Pneumonia was ruled out.', 'Pneumonia', 'negated'],
    ['No fever; reports cough.', 'cough', 'present'],
    ['No chest pain, but he has dyspnea on exertion.', 'dyspnea', 'present'],
    ['No evidence of bleeding, the patient remained tachycardic.', 'tachycardic', 'present'],
    ['Lungs clear, no wheezes, rales, or rhonchi.', 'rhonchi', 'negated'],
    ['Not only anemia but also thrombocytopenia.', 'thrombocytopenia', 'present'],
    ['Gram-negative bacteremia.', 'bacteremia', 'present'],
    ['No change in size of the nodule.', 'nodule', 'present'],
    ['Nodule is probably benign versus neoplasm.', 'neoplasm', 'uncertain'],
    ['Pulmonary embolism is suspected.', 'Pulmonary embolism', 'uncertain'],
    ['Cannot rule out appendicitis.', 'appendicitis', 'uncertain'],
    ['Findings concerning for malignancy.', 'malignancy', 'uncertain'],
    ['No history of diabetes.', 'diabetes', 'negated'],
    ['Status post cholecystectomy.', 'cholecystectomy', 'historical'],
    ['She had pneumonia years ago.', 'pneumonia', 'historical'],
    ['A three-day history of fever.', 'fever', 'present'],
    ['His father has colon cancer.', 'colon cancer', 'family'],
    ['Her mother brought her in; she has fever.', 'fever', 'present'],
    ['Family history of breast cancer in her aunt.', 'breast cancer', 'family'],
    ['Call if any bleeding.', 'bleeding', 'hypothetical'],
    ['She will return if she develops chest pain.', 'chest pain', 'hypothetical'],
    ['Felt as if she was going to pass out.', 'pass out', 'hypothetical'],
    ['Screening for colon cancer.', 'colon cancer', 'hypothetical'],
    ['Edema as previously noted.', 'Edema', 'present'],
    ['1) Esophagitis s/p biopsy 2) Hiatal hernia.', 'Hiatal hernia', 'present'],
    ['CLINICAL HISTORY: not entered. REFERRING DIAGNOSIS: chest pain.', 'chest pain', 'present'],
  ])('%s [%s] → %s', (sentence, concept, expected) => {
    expect(assertionOf(sentence, concept)).toBe(expected);
  });

  test('the four ConText properties are reported apart', () => {
    const s = 'No history of stroke in her mother.';
    const at = s.indexOf('stroke');
    const r = assertConcept(analyzeSentence(s), at, at + 6, 'hpi');
    expect(r).toMatchObject({ negated: true, uncertain: false, experiencer: 'other', assertion: 'negated' });
    const pmh = assertConcept(analyzeSentence('Hypertension.'), 0, 12, 'pmh');
    // Past medical history: historical for ConText, still a coexisting condition to code.
    expect(pmh).toMatchObject({ temporality: 'historical', assertion: 'present' });
    // Social history and allergy lists record standing habits and past reactions: historical too, still codable.
    for (const section of ['social_history', 'allergies']) {
      expect(assertConcept(analyzeSentence('Smoker.'), 0, 6, section)).toMatchObject({ temporality: 'historical', assertion: 'present' });
    }
    expect(assertConcept(analyzeSentence('Smoker.'), 0, 6, 'hpi').temporality).toBe('recent');
  });

  test('the family history section makes conditions family, unless negated', () => {
    expect(assertionOf('Diabetes and stroke.', 'stroke', 'family_history')).toBe('family');
    expect(assertionOf('No stroke.', 'stroke', 'family_history')).toBe('negated');
  });
});

describe('text structure', () => {
  test('sections are found under the header spellings EHRs use', () => {
    const text = 'HPI: cough for 3 days.\nPast Medical History: HTN.\nFamily Hx: mother with CAD.\nA/P:\n1. Bronchitis.';
    expect(detectSections(text).map((s) => s.name)).toEqual(['hpi', 'pmh', 'family_history', 'assessment']);
  });

  test('sentences survive abbreviations, decimals and numbered lists', () => {
    const text = 'Seen by Dr. Smith today. Potassium 3.5 mg/dL vs. 3.1 last week.\n1. Hypertension.\n2. Asthma, stable.';
    const sentences = splitSentences(text).map((s) => text.slice(s.start, s.end));
    expect(sentences).toEqual(['Seen by Dr. Smith today.', 'Potassium 3.5 mg/dL vs. 3.1 last week.', '1. Hypertension.', '2. Asthma, stable.']);
  });
});

describe('abstraction', () => {
  test('finds mentions with offsets, section, assertion, laterality and candidate codes', () => {
    const text = 'HPI: 40 yo with left otitis media. Denies fever.\nPMH: HTN, DM2.\nFH: Father had CAD.\nA/P: Rule out pneumonia.';
    const findings = abstractNotes([{ id: 'n1', text }], lexicon);
    const view = findings.map((f) => [f.text, f.section, f.assertion, f.candidates[0]!.code]);
    expect(view).toEqual([
      ['otitis media', 'hpi', 'present', 'H66.92'],
      ['fever', 'hpi', 'negated', 'R50.9'],
      ['HTN', 'pmh', 'present', 'I10'],
      ['DM2', 'pmh', 'present', 'E11.9'],
      ['CAD', 'family_history', 'family', 'I25.10'],
      ['pneumonia', 'assessment', 'uncertain', 'J18.9'],
    ]);
    for (const f of findings) expect(text.slice(f.start, f.end)).toBe(f.text);
    expect(findings[0]!.modifiers.laterality).toBe('left');
  });

  test('longest match wins and plurals fold ("aspiration pneumonia", "migraines")', () => {
    const findings = abstractNotes([{ id: 'n', text: 'Aspiration pneumonia. Recurrent migraines.' }], lexicon, { nested: true });
    expect(findings.filter((f) => !f.nested).map((f) => f.candidates[0]!.code)).toEqual(['J69.0', 'G43.909']);
    // Asked for (evaluation, learning), the shorter term inside the longer one is a mention too, marked as part of the whole.
    expect(abstractNotes([{ id: 'n', text: 'Aspiration pneumonia.' }], lexicon).some((f) => f.nested)).toBe(false);
    const inner = findings.find((f) => f.nested);
    expect([inner?.text, inner?.candidates[0]!.code, inner?.candidates[0]!.lexiconEntry]).toEqual(['pneumonia', 'J18.9', expect.stringMatching(/within a longer mention/)]);
  });

  test('one entry described per way it matched: as written, within a longer mention, and for the side documented', () => {
    // Descriptions are written once per entry and match mode; the same entry met again in
    // another way gets that way's description, and a side-specific code its own code.
    const entryOf = (text: string, nested = false) => abstractNotes([{ id: 'n', text }], lexicon, { nested }).map((f) => f.candidates[0]!.lexiconEntry);
    const plain = entryOf('Pneumonia.')[0]!;
    expect(entryOf('Aspiration pneumonia.', true)[1]).toBe(`${plain}; within a longer mention`);
    expect(entryOf('Pneumonia.')[0]).toBe(plain);
    const left = entryOf('Left otitis media.')[0]!;
    expect(left).toContain('→ H66.92');
    expect(entryOf('Right otitis media.')[0]).toBe(left.replace('→ H66.92', '→ H66.91'));
  });
});

describe('acute and chronic wording decides the code (issue 16)', () => {
  const first = (text: string) => abstractNotes([{ id: 'n', text }], lexicon)[0]!.candidates[0]!;

  test('"chronic pharyngitis" is J31.2, not the acute J02.9', () => {
    expect(first('Chronic pharyngitis, unchanged.').code).toBe('J31.2');
    expect(first('Pharyngitis for two days.').code).toBe('J02.9');
  });

  test('a chronic mention matched only to an acute title is kept below the release threshold, saying why', () => {
    const c = first('Chronic myocardial infarction, followed in clinic.');
    expect(c.code).toBe('I21.9');
    expect(c.score).toBeCloseTo(0.9 * ACUITY_CONFLICT_FACTOR, 3);
    expect(c.score).toBeLessThan(0.8);
    expect(c.lexiconEntry).toContain('the note says chronic, the code\'s title acute');
  });

  test('acuity qualifies only the words right after it, in one statement', () => {
    const sinusitis = abstractNotes([{ id: 'n', text: 'Chronic cough, sinusitis.' }], lexicon).find((f) => f.text === 'sinusitis')!;
    expect(sinusitis.candidates[0]!.score).toBe(0.9);
    const copd = abstractNotes([{ id: 'n', text: 'Acute exacerbation of COPD.' }], lexicon).find((f) => f.text === 'COPD')!;
    expect(copd.candidates[0]!.score).toBe(0.9);
    expect(qualifyingAcuity('acute on chronic ')).toBeUndefined();
    expect(qualifyingAcuity('chronic atrophic ')).toBe('chronic');
  });
});
