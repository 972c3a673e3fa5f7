/**
 * One spelling per word before matching, so a term written one way in the code set and
 * another way in a note still matches: British spellings, Latin and English plurals the
 * simple plural rule misses, and adjective/noun pairs that name the same organ in ICD-10-CM
 * titles and in notes ("renal failure" / "kidney failure"). Team-written.
 */
export const WORD_FORMS = {
  // British → American spelling.
  anaemia: 'anemia', anaemic: 'anemic', haemorrhage: 'hemorrhage', haemorrhagic: 'hemorrhagic', haematoma: 'hematoma',
  haematuria: 'hematuria', haemoptysis: 'hemoptysis', haemoglobin: 'hemoglobin', haemolytic: 'hemolytic', oedema: 'edema',
  oesophagus: 'esophagus', oesophageal: 'esophageal', oesophagitis: 'esophagitis', diarrhoea: 'diarrhea', tumour: 'tumor',
  leukaemia: 'leukemia', ischaemia: 'ischemia', ischaemic: 'ischemic', paediatric: 'pediatric', foetal: 'fetal', caecum: 'cecum',
  coeliac: 'celiac', haemophilia: 'hemophilia', septicaemia: 'septicemia', dyspnoea: 'dyspnea', apnoea: 'apnea', oestrogen: 'estrogen',
  gynaecological: 'gynecological', orthopaedic: 'orthopedic', anaesthesia: 'anesthesia', faeces: 'feces', faecal: 'fecal',
  // Irregular plurals.
  metastases: 'metastasis', diagnoses: 'diagnosis', stenoses: 'stenosis', neuroses: 'neurosis', thromboses: 'thrombosis',
  vertebrae: 'vertebra', bronchi: 'bronchus', calculi: 'calculus', emboli: 'embolus', fungi: 'fungus', bacilli: 'bacillus',
  carcinomata: 'carcinoma', ganglia: 'ganglion', phalanges: 'phalanx', lymphadenopathies: 'lymphadenopathy', nodi: 'node',
  teeth: 'tooth', feet: 'foot', women: 'woman', men: 'man', children: 'child',
  // Organ adjective → the noun ICD-10-CM titles use ("Acute kidney failure", "Chronic kidney disease").
  renal: 'kidney', hepatic: 'liver', femoral: 'femur', humeral: 'humerus', tibial: 'tibia', fibular: 'fibula', vertebral: 'vertebra',
  // Common synonyms of a single word.
  tumoral: 'tumor', neoplastic: 'neoplasm', carcinomatous: 'carcinoma', febrile: 'fever', feverish: 'fever', pyrexia: 'fever',
  dyspneic: 'dyspnea', anemic: 'anemia', obese: 'obesity', hypertensive: 'hypertension', diabetic: 'diabetes',
} as const satisfies Record<string, string>;

const FORMS: ReadonlyMap<string, string> = new Map(Object.entries(WORD_FORMS));

export function canonicalWord(word: string): string {
  return FORMS.get(word) ?? word;
}
