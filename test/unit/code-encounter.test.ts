import { describe, expect, test } from 'vitest';
import { abstractNotes } from '../../src/abstract/abstract-encounter.js';
import { loadStarterLexicon } from '../../src/abstract/lexicon/starter-lexicon.js';
import { codeEncounter } from '../../src/code/code-encounter.js';
import type { Encounter } from '../../src/contract/types.js';

const lexicon = loadStarterLexicon();

function encounter(text: string, kind: Encounter['kind'] = 'professional', extra: Partial<Encounter> = {}): Encounter {
  // Institutional here means an inpatient stay (type of bill 111), where the inpatient guidelines apply.
  const stay = kind === 'institutional' ? { facilityType: '111', admissionDate: '2026-11-25', dischargeDate: '2026-11-27' } : {};
  return { ...stay,
    key: { source: 's', encounterId: 'E1' }, contentHash: 'h', source: { file: 'enc.csv', line: 2 }, kind,
    patient: { id: 'P1', birthDate: '1970-01-01', sex: 'F' }, coverage: { payerId: 'X', memberId: 'M' }, providers: {},
    serviceDate: '2026-11-27', notes: [{ id: 'n1', type: 'note', text, source: { file: 'notes.csv', line: 2 } }],
    diagnoses: [], charges: [{ line: 1, code: '99213', system: 'CPT', modifiers: [], units: 1, charge: 100, source: { file: 'charges.csv', line: 2 } }],
    issues: [], ...extra,
  };
}

function codes(text: string, kind: Encounter['kind'] = 'professional', extra: Partial<Encounter> = {}) {
  const e = encounter(text, kind, extra);
  return codeEncounter(e, abstractNotes(e.notes, lexicon));
}

describe('code assignment (starter rules)', () => {
  test.each([
    ['affirmed conditions are coded in order, assessment first', 'HPI: cough. PMH: HTN.\nAssessment: Acute bronchitis.', 'professional', ['J20.9', 'I10']],
    ['negated and hypothetical mentions are not coded; a family member\'s condition is family history', 'Denies chest pain. Mother had stroke. Return if fever develops. Asthma.', 'professional', ['J45.909', 'Z82.3']],
    ['outpatient: uncertain diagnosis not coded, its symptom is', 'Fever. Possible pneumonia.', 'professional', ['R50.9']],
    ['inpatient: uncertain diagnosis at discharge coded as established', 'HPI: fever.\nDischarge diagnoses: possible pneumonia.', 'institutional', ['J18.9']],
    ['inpatient: uncertain diagnosis outside the discharge diagnoses is not', 'HPI: fever. Possible pneumonia.', 'institutional', ['R50.9']],
    ['symptoms are dropped when a definitive diagnosis explains the visit', 'Chest pain. Assessment: acute myocardial infarction.', 'professional', ['I21.9']],
    ['documented side picks the lateral code', 'Right knee osteoarthritis.', 'professional', ['M17.11']],
    ['bilateral', 'Otitis media of both ears.', 'professional', ['H66.93']],
  ])('%s', (_name, text, kind, expected) => {
    expect(codes(text, kind as Encounter['kind']).diagnoses.map((d) => d.code)).toEqual(expected);
  });

  test.each([
    [undefined, 'professional', ['I10']],
    ['resolved', 'professional', []],
    ['refuted', 'institutional', []],
    ['negated', 'professional', []],
    ['entered-in-error', 'professional', []],
    ['uncertain', 'professional', []],
    ['uncertain', 'institutional', ['I10']],
  ] as const)('an exported diagnosis with status %s on a %s claim → %j', (status, kind, expected) => {
    const coded = codes('Follow-up visit.', kind, {
      diagnoses: [{ code: 'I10', system: 'ICD-10-CM', ...(status ? { status } : {}), source: { file: 'dx.csv', line: 2 } }],
    });
    expect(coded.diagnoses.map((d) => d.code)).toEqual(expected);
    if (expected.length === 0) expect(coded.issues.map((i) => i.code)).toContain('CODE_STRUCTURED_NOT_CODED');
  });

  test('sections coders do not code from, and weak candidates, stay findings', () => {
    const coded = codes('Medications: aspirin for chest pain prevention.\nROS: fever.\nAssessment: asthma.');
    // Chest pain and fever stay findings; the drug list does give the status of its long-term
    // aspirin (Z79.82, Guidelines I.C.21.c.3), as it gives an anticoagulant's.
    expect(coded.diagnoses.map((d) => d.code)).toEqual(['J45.909', 'Z79.82']);
    expect(coded.findings.map((f) => f.text.toLowerCase())).toEqual(expect.arrayContaining(['chest pain', 'fever']));
  });

  test('outpatient uncertain diagnoses become a physician query warning', () => {
    const coded = codes('Rule out pneumonia.');
    expect(coded.issues.map((i) => [i.code, i.action])).toEqual([['CODE_UNCERTAIN_NOT_CODED', 'query-physician'], ['CODE_NO_DIAGNOSIS', 'query-physician']]);
  });

  test('unknown side lowers confidence so the claim goes to a person', () => {
    const coded = codes('Otitis media.');
    expect(coded.diagnoses[0]!.code).toBe('H66.90');
    expect(coded.confidence).toBeLessThan(0.8);
  });

  test('structured diagnoses lead, and each code keeps its rule path and evidence', () => {
    const coded = codes('Asthma.', 'professional', {
      diagnoses: [{ code: 'E11.9', system: 'ICD-10-CM', source: { file: 'dx.csv', line: 7 } }],
    });
    expect(coded.diagnoses.map((d) => d.code)).toEqual(['E11.9', 'J45.909']);
    expect(coded.diagnoses[0]!.rulePath).toContain('dx.csv line 7');
    expect(coded.diagnoses[1]!.rulePath).toContain('"asthma" → J45.909');
    expect(coded.diagnoses[1]!.evidence[0]!.text).toBe('Asthma.');
  });

  test('837P carries 12 diagnoses: the rest are dropped and reported; lines point to the first four', () => {
    const many = 'Assessment: HTN. Asthma. GERD. Gout. Anemia. Obesity. Anxiety. Depression. Hypothyroidism. Migraine. Hyperlipidemia. CAD. COPD. Atrial fibrillation.';
    const coded = codes(many);
    expect(coded.diagnoses).toHaveLength(12);
    expect(coded.issues.find((i) => i.code === 'CODE_DIAGNOSIS_LIMIT')?.codes).toEqual(['J44.9', 'I48.91']);
    expect(coded.procedures[0]!.diagnosisPointers).toEqual([1, 2, 3, 4]);
  });
});
