import { canonicalWord } from './word-forms.js';

/**
 * Tokens normalized for matching: lower case, punctuation dropped, simple plurals
 * folded, and the common clinical abbreviations expanded to the words the lexicon uses.
 */
export interface Token {
  norm: string;
  start: number;
  end: number;
}

/**
 * Clinical abbreviations and the term each stands for; each becomes an alias of the lexicon
 * entries of its expansion. Team-written from common usage.
 */
export const ABBREVIATION_EXPANSIONS: Record<string, string> = {
  afib: 'atrial fibrillation',
  'a fib': 'atrial fibrillation',
  'dm2': 'type 2 diabetes',
  't2dm': 'type 2 diabetes',
  'dm1': 'type 1 diabetes',
  't1dm': 'type 1 diabetes',
  htn: 'hypertension',
  chf: 'congestive heart failure',
  copd: 'chronic obstructive pulmonary disease',
  ckd: 'chronic kidney disease',
  cad: 'coronary artery disease',
  gerd: 'gastroesophageal reflux disease',
  uti: 'urinary tract infection',
  hld: 'hyperlipidemia',
  sob: 'shortness of breath',
  aki: 'acute kidney injury',
  cva: 'stroke',
  mi: 'myocardial infarction',
  ami: 'acute myocardial infarction',
  stemi: 'st elevation myocardial infarction',
  nstemi: 'non-st elevation myocardial infarction',
  tia: 'transient ischemic attack',
  dvt: 'deep vein thrombosis',
  osa: 'obstructive sleep apnea',
  bph: 'benign prostatic hyperplasia',
  sle: 'systemic lupus erythematosus',
  ibs: 'irritable bowel syndrome',
  ibd: 'inflammatory bowel disease',
  ards: 'acute respiratory distress syndrome',
  hiv: 'human immunodeficiency virus disease',
  tb: 'tuberculosis',
  dka: 'diabetic ketoacidosis',
  esrd: 'end stage renal disease',
  arf: 'acute kidney failure',
  crf: 'chronic kidney failure',
  pvd: 'peripheral vascular disease',
  ptsd: 'post-traumatic stress disorder',
  adhd: 'attention-deficit hyperactivity disorder',
  mdd: 'major depressive disorder',
  ocd: 'obsessive-compulsive disorder',
  nsclc: 'non-small cell lung cancer',
  sclc: 'small cell lung cancer',
  hcc: 'hepatocellular carcinoma',
  rcc: 'renal cell carcinoma',
  cll: 'chronic lymphocytic leukemia',
  aml: 'acute myeloid leukemia',
  cml: 'chronic myeloid leukemia',
  nhl: 'non-hodgkin lymphoma',
  hbv: 'hepatitis b',
  hcv: 'hepatitis c',
  cmv: 'cytomegalovirus infection',
  ebv: 'epstein-barr virus infection',
  uri: 'upper respiratory infection',
  lbp: 'low back pain',
  'n/v': 'nausea and vomiting',
};

// Hyphens split words ("gastro-esophageal", "left-sided"); a slash keeps "s/p", "h/o", "n/v" whole.
const TOKEN = /[a-z0-9]+(?:\/[a-z0-9]+)*/g;

/** Folds plurals so "migraines" matches "migraine"; leaves -ss, -is, -us words alone. */
/** Singular words that end like plurals. */
const SINGULAR_ES = new Set(['diabetes', 'herpes', 'rabies', 'scabies', 'caries', 'series', 'species', 'measles', 'shingles', 'rickets',
  'hives', 'ascites', 'lues', 'tabes', 'pubes', 'mumps', 'feces', 'biceps', 'triceps', 'nares', 'menses']);

export function foldPlural(word: string): string {
  if (SINGULAR_ES.has(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(ss|is|us|as|os)$/.test(word)) return word.slice(0, -1);
  return word;
}

export function tokenize(text: string, offset = 0): Token[] {
  const lower = text.toLowerCase();
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(lower); m; m = TOKEN.exec(lower)) {
    // Irregular forms first ("metastases"), then the plural rule, then the spelling table again.
    const word = m[0];
    const known = canonicalWord(word);
    let norm = known;
    if (known === word) {
      const folded = foldPlural(word);
      norm = folded === word ? word : canonicalWord(folded);
    }
    out.push({ norm, start: offset + m.index, end: offset + m.index + word.length });
  }
  return out;
}

/** Normalizes a lexicon term to the token sequence the matcher compares against. */
export function normalizeTerm(term: string): string[] {
  return tokenize(term).map((t) => t.norm);
}
