/**
 * What the sample notes talk about: conditions with the ways clinicians write them
 * (full names, abbreviations, the odd misspelling), the code a coder would assign,
 * and the charges such a visit produces. Written by the team for synthetic data.
 */
export interface SampleCondition {
  code: string;
  description: string;
  phrases: readonly string[];
  /** Misspellings that real notes contain (the starter lexicon does not know them). */
  misspellings?: readonly string[];
  chronic: boolean;
  /** Side-specific codes: the note names the side. */
  sides?: Partial<Record<'left' | 'right' | 'bilateral', string>>;
  inpatient?: boolean;
}

export const SAMPLE_CONDITIONS: readonly SampleCondition[] = [
  { code: 'I10', description: 'Essential hypertension', phrases: ['hypertension', 'HTN', 'essential hypertension'], misspellings: ['hypertention'], chronic: true },
  { code: 'E11.9', description: 'Type 2 diabetes mellitus without complications', phrases: ['type 2 diabetes mellitus', 'DM2', 'type 2 diabetes', 'T2DM'], misspellings: ['diabetis type 2'], chronic: true },
  { code: 'E78.5', description: 'Hyperlipidemia', phrases: ['hyperlipidemia', 'HLD', 'dyslipidemia'], chronic: true },
  { code: 'J44.9', description: 'COPD', phrases: ['COPD', 'chronic obstructive pulmonary disease'], chronic: true },
  { code: 'J45.909', description: 'Asthma', phrases: ['asthma'], chronic: true },
  { code: 'I48.91', description: 'Atrial fibrillation', phrases: ['atrial fibrillation', 'AFib', 'a-fib'], chronic: true },
  { code: 'K21.9', description: 'GERD', phrases: ['GERD', 'gastroesophageal reflux disease', 'acid reflux'], chronic: true },
  { code: 'E03.9', description: 'Hypothyroidism', phrases: ['hypothyroidism'], chronic: true },
  { code: 'F41.9', description: 'Anxiety', phrases: ['anxiety', 'anxiety disorder'], chronic: true },
  { code: 'E66.9', description: 'Obesity', phrases: ['obesity'], chronic: true },
  { code: 'I25.10', description: 'Coronary artery disease', phrases: ['coronary artery disease', 'CAD'], chronic: true },
  { code: 'N18.9', description: 'Chronic kidney disease', phrases: ['chronic kidney disease', 'CKD'], chronic: true },
  { code: 'M17.10', description: 'Osteoarthritis of knee', phrases: ['osteoarthritis of the knee', 'knee osteoarthritis'], chronic: true, sides: { right: 'M17.11', left: 'M17.12', bilateral: 'M17.0' } },
  { code: 'N39.0', description: 'Urinary tract infection', phrases: ['urinary tract infection', 'UTI'], chronic: false },
  { code: 'J20.9', description: 'Acute bronchitis', phrases: ['acute bronchitis'], chronic: false },
  { code: 'J01.90', description: 'Acute sinusitis', phrases: ['acute sinusitis', 'sinusitis, acute'], chronic: false },
  { code: 'J02.0', description: 'Strep pharyngitis', phrases: ['strep throat', 'streptococcal pharyngitis'], chronic: false },
  { code: 'H66.90', description: 'Otitis media', phrases: ['otitis media'], chronic: false, sides: { right: 'H66.91', left: 'H66.92', bilateral: 'H66.93' } },
  { code: 'G43.909', description: 'Migraine', phrases: ['migraine', 'migraine headache'], chronic: false },
  { code: 'J18.9', description: 'Pneumonia', phrases: ['pneumonia', 'community acquired pneumonia'], misspellings: ['pnuemonia'], chronic: false, inpatient: true },
  { code: 'I50.9', description: 'Heart failure', phrases: ['congestive heart failure', 'CHF'], chronic: true, inpatient: true },
  { code: 'A41.9', description: 'Sepsis', phrases: ['sepsis'], chronic: false, inpatient: true },
  { code: 'N17.9', description: 'Acute kidney injury', phrases: ['acute kidney injury', 'AKI'], chronic: false, inpatient: true },
  { code: 'I21.9', description: 'Acute myocardial infarction', phrases: ['acute myocardial infarction', 'acute MI'], chronic: false, inpatient: true },
  { code: 'I63.9', description: 'Ischemic stroke', phrases: ['ischemic stroke', 'CVA'], chronic: false, inpatient: true },
  { code: 'E86.0', description: 'Dehydration', phrases: ['dehydration'], chronic: false, inpatient: true },
];

/** Symptoms clinicians document as pertinent negatives in the review of systems. */
export const ROS_SYMPTOMS = ['chest pain', 'shortness of breath', 'fever', 'nausea', 'abdominal pain', 'dizziness', 'fatigue'] as const;

export const FAMILY_CONDITIONS = ['type 2 diabetes', 'coronary artery disease', 'hypertension', 'stroke', 'breast cancer', 'colon cancer'] as const;
export const RELATIVES = ['Mother', 'Father', 'Sister', 'Brother', 'Maternal grandmother', 'Paternal grandfather'] as const;
export const PAST_CONDITIONS = ['pneumonia', 'kidney stones', 'appendicitis', 'migraine', 'sinusitis'] as const;

export const SECTION_SPELLINGS = {
  hpi: ['HPI:', 'History of Present Illness:', 'Subjective:'],
  pmh: ['PMH:', 'Past Medical History:', 'Medical History:'],
  fh: ['FH:', 'Family History:', 'Family Hx:'],
  sh: ['Social History:', 'SH:'],
  ros: ['ROS:', 'Review of Systems:'],
  exam: ['Exam:', 'Physical Exam:', 'PE:'],
  ap: ['Assessment and Plan:', 'A/P:', 'Assessment/Plan:', 'Impression:'],
} as const;

export const EXAM_FINDINGS = [
  'Vitals reviewed: BP 132/84, HR 78, RR 16, T 98.4 F, SpO2 97% on room air.',
  'General: alert, oriented, in no acute distress.',
  'HEENT: normocephalic, atraumatic; oropharynx clear.',
  'Lungs: clear to auscultation bilaterally, no wheezes or rales.',
  'Heart: regular rate and rhythm, no murmurs, rubs or gallops.',
  'Abdomen: soft, non-tender, non-distended, normal bowel sounds.',
  'Extremities: no edema, pulses 2+ and symmetric.',
  'Neuro: cranial nerves II-XII grossly intact, strength 5/5 throughout.',
  'Skin: warm and dry, no rashes.',
] as const;

export const MEDICATIONS = [
  'lisinopril 10 mg daily', 'metformin 500 mg twice daily', 'atorvastatin 40 mg nightly', 'levothyroxine 75 mcg daily',
  'albuterol inhaler 2 puffs every 4 hours as needed', 'omeprazole 20 mg daily', 'amlodipine 5 mg daily', 'sertraline 50 mg daily',
  'apixaban 5 mg twice daily', 'furosemide 20 mg daily', 'amoxicillin 875 mg twice daily for 10 days', 'ibuprofen 400 mg as needed',
] as const;

export const PLAN_LINES = [
  'Continue current medications and follow up in 3 months.',
  'Labs ordered: CBC, CMP and hemoglobin A1c; will call with results.',
  'Discussed diet, exercise and weight management at length.',
  'Medication reconciliation completed; no changes today.',
  'Patient education provided; questions answered to satisfaction.',
  'Refills sent to the pharmacy on file.',
] as const;

export const FIRST_NAMES = ['Alex', 'Jordan', 'Maria', 'James', 'Linda', 'Wei', 'Fatima', 'Carlos', 'Olga', 'Samuel', 'Aisha', 'Noah', 'Emma', 'Liam', 'Sofia', 'Ravi', 'Grace', 'Mateo', 'Hana', 'Peter', 'José', 'Zoë', 'Renée', 'François'] as const;
export const LAST_NAMES = ['Smith', 'Garcia', 'Nguyen', 'Johnson', 'Okafor', 'Kowalski', 'Chen', 'Patel', 'Müller', 'Brown', 'Rossi', 'Haddad', 'Kim', "O'Brien", 'Silva', 'Ivanova', 'Dubois', 'Larsen'] as const;
export const CITIES = [['Springfield', 'IL', '62701'], ['Riverton', 'WY', '82501'], ['Fairview', 'TN', '37062'], ['Madison', 'WI', '53703'], ['Salem', 'OR', '97301']] as const;

export const SAMPLE_PAYERS = [
  { id: 'MCR01', name: 'Sample Medicare Administrative Contractor' },
  { id: 'MCD01', name: 'Sample State Medicaid' },
  { id: 'BLUE01', name: 'Sample Blue Plan' },
  { id: 'ACME01', name: 'Acme Health Insurance' },
  { id: 'SUN01', name: 'Sunrise Commercial Health' },
] as const;

/** Professional service lines: [code, system, charge]. */
export const OFFICE_VISITS = [['99213', 'CPT', 115], ['99214', 'CPT', 170], ['99203', 'CPT', 140], ['99212', 'CPT', 75], ['99204', 'CPT', 215]] as const;
export const ANCILLARIES = [['93000', 'CPT', 55], ['85025', 'CPT', 18], ['80053', 'CPT', 25], ['36415', 'CPT', 10], ['83036', 'CPT', 22], ['87880', 'CPT', 28], ['71046', 'CPT', 90], ['J1885', 'HCPCS', 9]] as const;
/** Institutional revenue lines: [revenue code, HCPCS or '', charge per unit, per-day?]. */
export const REVENUE_LINES = [['0120', '', 1850, true], ['0250', '', 340, false], ['0300', '85025', 45, false], ['0301', '80053', 60, false], ['0320', '71046', 210, false], ['0730', '93000', 120, false]] as const;
