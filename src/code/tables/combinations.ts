import type { CodeSpec } from './code-ranges.js';

/**
 * Combination codes and the "with" convention (ICD-10-CM Official Guidelines I.A.15 and
 * I.B.9): when the classification presumes a link between two coded conditions, one code
 * that names both replaces them, and the second condition stays only where the tabular
 * asks for it ("use additional code"). Team-written rules; the codes they produce are
 * checked against the FY2021 tabular by a test.
 *
 * `combine` receives the lookup keys (no dot) and returns the key of the combination
 * code; `keepA`/`keepB` say whether the original codes stay on the claim. A rule whose
 * `linkWord` is set does not apply when the documentation ties condition B to another
 * cause ("CKD due to polycystic kidney disease": no diabetic CKD).
 */
export interface CombinationRule {
  id: string;
  guideline: string;
  a: readonly CodeSpec[];
  b: readonly CodeSpec[];
  combine(a: string, b: string): { code: string; keepA: boolean; keepB: boolean } | undefined;
  linkWord?: RegExp;
}

/** Diabetes categories whose 4th/5th characters name the complication (E08–E13). */
const DIABETES = ['E08', 'E09', 'E10', 'E11', 'E13'] as const;
const DIABETIC = /diabet|\bdm\b|sugar/i;
const HYPERTENSIVE = /hypertens|\bhtn\b|blood pressure/i;
/** Heart conditions category I11 includes besides heart failure (its "includes" note, FY2021 tabular). */
const HEART_DISEASE_IN_I11 = ['I51.4', 'I51.5', 'I51.6', 'I51.7', 'I51.89', 'I51.9'] as const;

/** A diabetes code stays next to the combination only when it names another complication itself. */
const diabetesWith = (suffix: string, keepB: boolean) => (a: string) => ({
  code: `${a.slice(0, 3)}${suffix}`,
  keepA: a.length > 4 && a.slice(3) !== '9' && a.slice(3) !== suffix,
  keepB,
});

export const COMBINATION_RULES = [
  // Diabetes "with" (Guidelines I.C.4.a: as many codes from the category as needed to describe its complications).
  { id: 'diabetes-ckd', guideline: 'I.A.15 "with"; I.C.4.a; E11.22 "use additional code to identify stage of chronic kidney disease (N18.1-N18.6)"', a: DIABETES, b: ['N18'], combine: diabetesWith('22', true), linkWord: DIABETIC },
  { id: 'diabetes-polyneuropathy', guideline: 'I.A.15 "with"; I.C.4.a', a: DIABETES, b: ['G62.9', 'G60.9', 'G63'], combine: diabetesWith('42', false), linkWord: DIABETIC },
  { id: 'diabetes-neuropathy', guideline: 'I.A.15 "with"; I.C.4.a', a: DIABETES, b: ['G58.9', 'G64', 'G90.9'], combine: diabetesWith('40', false), linkWord: DIABETIC },
  { id: 'diabetes-gastroparesis', guideline: 'I.A.15 "with"; I.C.4.a; K31.84 coded too', a: DIABETES, b: ['K31.84'], combine: diabetesWith('43', true), linkWord: DIABETIC },
  { id: 'diabetes-retinopathy', guideline: 'I.A.15 "with"; I.C.4.a', a: DIABETES, b: ['H35.00', 'H35.09'], combine: diabetesWith('319', false), linkWord: DIABETIC },
  { id: 'diabetes-cataract', guideline: 'I.A.15 "with"; I.C.4.a', a: DIABETES, b: ['H26.9', 'H25'], combine: diabetesWith('36', false), linkWord: DIABETIC },
  { id: 'diabetes-angiopathy', guideline: 'I.A.15 "with"; I.C.4.a', a: DIABETES, b: ['I73.9'], combine: diabetesWith('51', false), linkWord: DIABETIC },
  { id: 'diabetes-foot-ulcer', guideline: 'I.A.15 "with"; E11.621 "use additional code to identify site of ulcer (L97.4-, L97.5-)"', a: DIABETES, b: ['L97.4', 'L97.5'], combine: diabetesWith('621', true), linkWord: DIABETIC },
  { id: 'diabetes-skin-ulcer', guideline: 'I.A.15 "with"; E11.622 "use additional code to identify site of ulcer"', a: DIABETES, b: ['L97.0', 'L97.1', 'L97.2', 'L97.3', 'L97.8', 'L97.9', 'L98.4'], combine: diabetesWith('622', true), linkWord: DIABETIC },
  { id: 'diabetes-hyperglycemia', guideline: 'I.A.15 "with"; I.C.4.a', a: DIABETES, b: ['R73.9', 'R73.09'], combine: diabetesWith('65', false) },
  { id: 'diabetes-hypoglycemia', guideline: 'I.A.15 "with"; I.C.4.a', a: DIABETES, b: ['E16.2', 'E16.1'], combine: diabetesWith('649', false) },
  // A diabetes code that names a complication makes the category's "without complications"
  // code (E11.9) untrue: the complication codes are the combination (I.C.4.a).
  { id: 'diabetes-without-complications', guideline: 'I.C.4.a: diabetes codes are combination codes naming the complications; "without complications" (E1x.9) is not coded beside one', a: DIABETES.map((c) => `${c}.9`), b: DIABETES, combine: (a, b) => (b !== a && b.slice(0, 3) === a.slice(0, 3) ? { code: b, keepA: false, keepB: true } : undefined) },
  // Hypertension (Guidelines I.C.9.a.1–3): a causal link with heart failure and CKD is presumed.
  { id: 'hypertension-heart-failure', guideline: 'I.C.9.a.1 hypertension with heart disease → I11; "use additional code to identify type of heart failure (I50.-)"', a: ['I10'], b: ['I50'], combine: () => ({ code: 'I110', keepA: false, keepB: true }), linkWord: HYPERTENSIVE },
  // The other heart conditions the I11 "includes" note names: I11.9 alone, no additional code
  // (the tabular asks for one only for the type of heart failure). Beside I11.0 they are included too.
  { id: 'hypertension-heart-disease', guideline: 'I.C.9.a.1 hypertension with heart disease: conditions in I51.4-I51.7, I51.89, I51.9 → I11 (I11 includes them)', a: ['I10', 'I11'], b: HEART_DISEASE_IN_I11, combine: (a) => ({ code: a.startsWith('I11') ? a : 'I119', keepA: false, keepB: false }), linkWord: HYPERTENSIVE },
  { id: 'hypertension-ckd', guideline: 'I.C.9.a.2 hypertensive CKD → I12; "use additional code to identify the stage of chronic kidney disease"', a: ['I10'], b: ['N18'], combine: (_a, b) => ({ code: b === 'N185' || b === 'N186' ? 'I120' : 'I129', keepA: false, keepB: true }), linkWord: HYPERTENSIVE },
  { id: 'hypertension-heart-ckd', guideline: 'I.C.9.a.3 hypertensive heart and chronic kidney disease → I13', a: ['I11.0'], b: ['I12'], combine: (_a, b) => ({ code: b === 'I120' ? 'I132' : 'I130', keepA: false, keepB: false }) },
  { id: 'hypertensive-heart-ckd', guideline: 'I.C.9.a.3 hypertensive heart disease with heart failure and CKD → I13; "use additional code to identify the stage of chronic kidney disease"', a: ['I11.0'], b: ['N18'], combine: (_a, b) => ({ code: b === 'N185' || b === 'N186' ? 'I132' : 'I130', keepA: false, keepB: true }) },
  // Coronary disease with angina (Guideline I.C.9.b): the combination code, no separate I20.
  { id: 'coronary-angina', guideline: 'I.C.9.b atherosclerotic heart disease with angina pectoris', a: ['I25.10'], b: ['I20'], combine: (_a, b) => ({ code: ({ I200: 'I25110', I201: 'I25111', I208: 'I25118' } as Record<string, string>)[b] ?? 'I25119', keepA: false, keepB: false }) },
  // COPD with a lower respiratory infection; influenza with pneumonia.
  { id: 'copd-infection', guideline: 'I.A.15; J44.0 "code also to identify the infection"', a: ['J44.9'], b: ['J12-J18', 'J20', 'J22'], combine: () => ({ code: 'J440', keepA: false, keepB: true }) },
  { id: 'influenza-pneumonia', guideline: 'I.B.9 combination code: influenza with pneumonia', a: ['J11.1'], b: ['J18'], combine: () => ({ code: 'J1100', keepA: false, keepB: false }) },
  // Heart valves: stenosis with insufficiency of the same valve is one code (Index: "Stenosis,
  // aortic (valve), with insufficiency I35.2"; I05.2 "Rheumatic mitral stenosis with
  // insufficiency", inclusion "Mitral stenosis with incompetence or regurgitation").
  { id: 'aortic-stenosis-insufficiency', guideline: 'I.B.9 combination code: nonrheumatic aortic stenosis with insufficiency', a: ['I35.0'], b: ['I35.1'], combine: () => ({ code: 'I352', keepA: false, keepB: false }) },
  { id: 'mitral-stenosis-insufficiency', guideline: 'I.B.9 combination code: mitral stenosis with insufficiency', a: ['I05.0'], b: ['I34.0', 'I05.1'], combine: () => ({ code: 'I052', keepA: false, keepB: false }) },
  // Gallstones with cholecystitis.
  { id: 'cholelithiasis-cholecystitis', guideline: 'I.B.9 combination code: calculus of gallbladder with cholecystitis', a: ['K80.0', 'K80.1', 'K80.2'], b: ['K81.0', 'K81.1', 'K81.2'], combine: (_a, b) => ({ code: ({ K810: 'K8000', K811: 'K8010', K812: 'K8012' } as Record<string, string>)[b]!, keepA: false, keepB: false }) },
] as const satisfies readonly CombinationRule[];
