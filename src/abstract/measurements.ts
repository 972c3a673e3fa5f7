import { wordHash, type Token } from './text/tokens.js';

/**
 * Codes read from a documented number rather than named by words: ICD-10-CM categories
 * whose children are ranges of a value.
 * - Z68 "Body mass index [BMI]": the adult codes by the BMI's range (tabular: "BMI adult
 *   codes are for use for persons 20 years of age or older"). Pediatric codes go by
 *   percentile: a sentence giving a percentile is left alone.
 * - Z3A "Weeks of gestation": one code per completed week from 8 to 42, Z3A.01 before 8
 *   and Z3A.49 after 42 (tabular: "to indicate the weeks of gestation of the pregnancy, if known").
 * The lexicon finds "body mass index" or "weeks of gestation" as the category alone, which
 * no claim can carry; the number picks the child. Whether the code belongs on the claim
 * (an associated diagnosis, the maternal record) is the coding stage's decision.
 */
export interface Measurement {
  kind: 'bmi' | 'gestationalWeeks';
  /** The number as written (a decimal comma read as a point). */
  value: string;
  code: string;
  /** Sentence offsets of the words the value was read from. */
  start: number;
  end: number;
}

/**
 * A number written next to its unit word maps to one code of a fixed table: the reading is
 * as reliable as the words around it, and far more than a lexicon term's source default.
 */
export const MEASUREMENT_SCORE = 0.9;

/** Words one of which a sentence must hold before the patterns are tried (token hashes: no string work per sentence). */
const KEY_WORDS = ['bmi', 'mass', 'week', 'wk'].map(wordHash);

// "BMI 27", "BMI = 15", "BMI of 25.6", "body mass index [BMI] 52 kg", "BMI (Body Mass Index) of 26",
// "mass index (BMI) 41kg/m2". Not "BMI > 40" (a bound is not a value), not "BMI 25-30".
const BMI_RE = /\b(?:bmi|(?:body\s+)?mass\s+index)(?:\s*[([](?:bmi|body\s+mass\s+index)[)\]])?\s*(?:of|is|was|was of|=|:)?\s*(?:about\s+|approximately\s+)?(\d{1,2}(?:[.,]\d{1,2})?)(?!\s*(?:%|-\s*\d|to\s+\d)|[.,]?\d)/g;

// "34 weeks pregnant", "40 weeks of gestation", "19.6 weeks of gestation", "38 weeks gestational
// age", "38+2 weeks of pregnancy", "in the 20.3 week of gestation".
const WEEKS_BEFORE_RE = /\b(\d{1,2})(?:[.,]\d)?(?:\s*\+\s*\d(?:\s*\/\s*7)?)?[\s-]*(?:weeks?|wks?)['’]?(?:\s*(?:and|\+)\s*\d\s*(?:days?|\/7))?(?:\s+of)?\s+(?:gestation(?:al\s+age)?|pregnan(?:t|cy)|ga)\b/g;
// "pregnancy of 24 weeks", "gestational age of 27 weeks", "GA 33 weeks", "week 21 of gestation".
const WEEKS_AFTER_RE = /\b(?:gestation(?:al\s+age)?|pregnancy|ga)\s+(?:of\s+)?(?:about\s+)?(\d{1,2})(?:[.,]\d)?\s*(?:weeks?|wks?)\b|\b(?:week|wk)\s+(\d{1,2})\s+of\s+(?:gestation|pregnancy)\b/g;
/** A range's first number right before ("24 to 26 weeks", "between 16 and 18 weeks"): no single week is documented. */
const RANGE_BEFORE = /\d\s*(?:to|-|and|or)\s*$/;

/** The adult Z68 code of a BMI value (ICD-10-CM FY2021 tabular, Z68.1–Z68.45). */
export function bmiCode(bmi: number): string | undefined {
  if (!(bmi >= 10 && bmi < 100)) return undefined;
  const whole = Math.floor(bmi);
  if (whole < 20) return 'Z68.1';
  if (whole < 40) return `Z68.${whole}`;
  if (whole < 45) return 'Z68.41';
  if (whole < 50) return 'Z68.42';
  if (whole < 60) return 'Z68.43';
  if (whole < 70) return 'Z68.44';
  return 'Z68.45';
}

/** The Z3A code of completed weeks of gestation (ICD-10-CM FY2021 tabular, Z3A.01–Z3A.49). */
export function gestationWeeksCode(weeks: number): string | undefined {
  if (!(weeks >= 1 && weeks < 50)) return undefined;
  const whole = Math.floor(weeks);
  if (whole < 8) return 'Z3A.01';
  if (whole > 42) return 'Z3A.49';
  return `Z3A.${String(whole).padStart(2, '0')}`;
}

const number = (raw: string) => Number(raw.replace(',', '.'));

/**
 * The values of one sentence and the codes they pick, in sentence order. `tokens` are the
 * sentence's own: a sentence with none of the key words costs a comparison per token.
 */
export function findMeasurements(sentence: string, tokens: readonly Token[]): Measurement[] {
  let keyed = false;
  for (const t of tokens) {
    const h = t.hash ?? wordHash(t.norm);
    if (h === KEY_WORDS[0] || h === KEY_WORDS[1] || h === KEY_WORDS[2] || h === KEY_WORDS[3]) {
      keyed = true;
      break;
    }
  }
  if (!keyed) return [];
  const lower = sentence.toLowerCase();
  const out: Measurement[] = [];
  if (!lower.includes('percentile')) {
    BMI_RE.lastIndex = 0;
    for (let m = BMI_RE.exec(lower); m; m = BMI_RE.exec(lower)) {
      const code = bmiCode(number(m[1]!));
      if (code) out.push({ kind: 'bmi', value: m[1]!.replace(',', '.'), code, start: m.index, end: m.index + m[0].length });
    }
  }
  for (const re of [WEEKS_BEFORE_RE, WEEKS_AFTER_RE]) {
    re.lastIndex = 0;
    for (let m = re.exec(lower); m; m = re.exec(lower)) {
      const raw = m[1] ?? m[2]!;
      if (RANGE_BEFORE.test(lower.slice(Math.max(0, m.index - 12), m.index))) continue;
      const code = gestationWeeksCode(number(raw));
      if (code && !out.some((o) => o.start < m!.index + m![0].length && m!.index < o.end)) {
        out.push({ kind: 'gestationalWeeks', value: raw, code, start: m.index, end: m.index + m[0].length });
      }
    }
  }
  return out.length < 2 ? out : out.sort((a, b) => a.start - b.start);
}
