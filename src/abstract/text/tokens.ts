/**
 * Tokens normalized for matching: lower case, punctuation dropped, simple plurals
 * folded, and the common clinical abbreviations expanded to the words the lexicon uses.
 */
export interface Token {
  norm: string;
  start: number;
  end: number;
}

/** Abbreviations written as one token that stand for several words. */
export const ABBREVIATION_EXPANSIONS: Record<string, string> = {
  'a-fib': 'atrial fibrillation',
  afib: 'atrial fibrillation',
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
};

const TOKEN = /[a-z0-9]+(?:[-'/][a-z0-9]+)*/g;

/** Folds plurals so "migraines" matches "migraine"; leaves -ss, -is, -us words alone. */
export function foldPlural(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(ss|is|us|as|os)$/.test(word)) return word.slice(0, -1);
  return word;
}

export function tokenize(text: string, offset = 0): Token[] {
  const lower = text.toLowerCase();
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(lower); m; m = TOKEN.exec(lower)) {
    out.push({ norm: foldPlural(m[0]), start: offset + m.index, end: offset + m.index + m[0].length });
  }
  return out;
}

/** Normalizes a lexicon term to the token sequence the matcher compares against. */
export function normalizeTerm(term: string): string[] {
  return tokenize(term).map((t) => t.norm);
}
