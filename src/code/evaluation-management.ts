import type { ChargeLine, Encounter, Finding } from '../contract/types.js';
import { matchesAny } from './tables/code-ranges.js';
import { CHRONIC_CONDITIONS } from './tables/history-codes.js';

/**
 * Office and outpatient E/M level (99202–99205 new, 99212–99215 established) from the
 * medical decision making the note documents. The level is the highest at which two of the
 * three elements (problems addressed, data reviewed and analysed, risk of patient
 * management) reach it, as the 2021 AMA office E/M guidelines define MDM levels
 * (straightforward, low, moderate, high). Our reading of each element from the note is
 * team-written and conservative: it looks for what a reviewer would look for.
 */
export type MdmLevel = 2 | 3 | 4 | 5;
const NAMES: Record<MdmLevel, string> = { 2: 'straightforward', 3: 'low', 4: 'moderate', 5: 'high' };

export interface EvaluationManagement {
  code: string;
  patient: 'new' | 'established';
  level: MdmLevel;
  mdm: { problems: MdmLevel; data: MdmLevel; risk: MdmLevel };
  reasons: string[];
}

export const isOfficeEm = (code: string | undefined) => code !== undefined && /^992(0[2-5]|1[1-5])$/.test(code);

const EXACERBATION = /\b(?:exacerbation|worsening|worsened|uncontrolled|poorly controlled|progressing|progression|flare|not at goal|side effects? of treatment)\b/i;
const THREAT = /\b(?:severe exacerbation|threat to life|life[- ]threatening|acute respiratory failure|sepsis|septic|myocardial infarction|stroke|suicidal)\b/i;
const SYSTEMIC = /\b(?:fever|febrile|chills|malaise)\b/i;
const HIGH_RISK = /\b(?:admit|admission to (?:the )?hospital|hospitali[sz]ation|transfer(?:red)? to (?:the )?(?:er|ed|emergency)|emergency surgery|dnr|do not resuscitate|escalation of care|intensive monitoring for toxicity)\b/i;
const OTC_DRUGS = 'acetaminophen|ibuprofen|tylenol|advil|naproxen|aleve|loratadine|cetirizine|saline|guaifenesin';
const RX = new RegExp(String.raw`\b(?:prescribed|prescription|started on|start(?:ed|ing)? (?!${OTC_DRUGS})[a-z]{5,}|increase(?:d)? (?:the )?(?:dose|\w+ to)|decrease(?:d)? (?:the )?dose|adjust(?:ed)? (?:the )?dose|titrat\w+|refill(?:ed)?|rx\b|continue (?:\w+ )?\d+\s*mg|switch(?:ed)? to|(?!${OTC_DRUGS})[a-z]{5,} \d+(?:\.\d+)?\s*(?:mg|mcg|units?)\b)`, 'i');
const OTC = new RegExp(String.raw`\b(?:over[- ]the[- ]counter|otc|${OTC_DRUGS}|rest,? (?:and )?fluids|supportive care)\b`, 'i');
const HISTORIAN = /\b(?:independent historian|history (?:obtained|provided) (?:from|by) (?:the )?(?:mother|father|parent|daughter|son|spouse|wife|husband|caregiver|family))\b/i;
const INTERPRETATION = /\b(?:independent(?:ly)? interpret\w*|i (?:personally )?(?:reviewed|interpreted) the (?:x-ray|film|images?|ecg|ekg|ct|mri))\b/i;
const DISCUSSION = /\b(?:discussed (?:with|the case with) (?:dr\.?|the (?:cardiologist|surgeon|specialist|consultant|oncologist)))\b/i;
/**
 * Sentences that review or order data, and the distinct tests or records they name. The text
 * is cut at periods and line ends first: one pattern spanning "anything but a period" around
 * the keyword backtracks over the whole of a long line at every position.
 */
const DATA_WORD = /\b(?:reviewed|ordered|obtained|results?)\b/i;
const TEST_WORD = /\b(?:labs?|cbc|cmp|bmp|a1c|lipid panel|culture|x-ray|radiograph|ct|mri|ultrasound|ecg|ekg|outside records|prior records|tsh|urinalysis|troponin|d-dimer|inr)\b/gi;

/** An assessment or plan heading, tried at the text's start and after each line feed (sticky), not at every character. */
const ASSESSMENT_AT = /\s*(?:assessment|impression|plan|a\/p|assessment and plan)\s*:/iy;
export function hasAssessment(text: string): boolean {
  let at = 0;
  for (;;) {
    ASSESSMENT_AT.lastIndex = at;
    if (ASSESSMENT_AT.test(text)) return true;
    const lf = text.indexOf('\n', at);
    if (lf < 0) return false;
    at = lf + 1;
  }
}

const isTest = (c: ChargeLine) => c.code !== undefined && /^(7\d{4}|8\d{4}|93000|93005|93010)$/.test(c.code);

/** The MDM level a note supports, or undefined when it is not an office/outpatient E/M visit note. */
export function evaluateMdm(e: Encounter, findings: readonly Finding[], coded: readonly string[]): EvaluationManagement | undefined {
  if (e.kind !== 'professional' || e.notes.length === 0) return undefined;
  if (e.placeOfService && !['11', '19', '22', '02', '10'].includes(e.placeOfService)) return undefined;
  const text = e.notes.map((n) => n.text).join('\n');
  // MDM is judged from a documented assessment and plan; a note fragment without one is not audited.
  if (!hasAssessment(text)) return undefined;
  const billed = e.charges.find((c) => isOfficeEm(c.code))?.code;
  const patient: 'new' | 'established' = billed ? (billed.startsWith('9920') ? 'new' : 'established') : /\bnew patient\b/i.test(text) ? 'new' : 'established';
  const reasons: string[] = [];

  // Problems addressed: the diagnoses coded, each read as chronic or acute, stable or not.
  const present = findings.filter((f) => f.kind === 'diagnosis' && f.assertion === 'present');
  const chronic = coded.filter((k) => matchesAny(k, CHRONIC_CONDITIONS));
  const acute = coded.filter((k) => !matchesAny(k, CHRONIC_CONDITIONS) && !k.startsWith('Z'));
  const worse = present.some((f) => EXACERBATION.test(f.sentence)) || /\bJ44\.?1|J45\.?\d1/.test(coded.join(' '));
  let problems: MdmLevel = 2;
  if (THREAT.test(text) && present.some((f) => THREAT.test(f.sentence))) { problems = 5; reasons.push('problem: acute or chronic illness posing a threat to life or bodily function'); }
  else if (chronic.length > 0 && worse) { problems = 4; reasons.push('problem: chronic illness with exacerbation or progression'); }
  else if (chronic.length >= 2) { problems = 4; reasons.push(`problem: ${chronic.length} stable chronic illnesses`); }
  else if (acute.length > 0 && SYSTEMIC.test(text) && present.some((f) => SYSTEMIC.test(f.sentence))) { problems = 4; reasons.push('problem: acute illness with systemic symptoms'); }
  else if (chronic.length === 1 || acute.length >= 2 || acute.some((k) => !k.startsWith('R'))) { problems = 3; reasons.push(chronic.length === 1 ? 'problem: one stable chronic illness' : 'problem: acute uncomplicated illness or injury'); }
  else reasons.push('problem: one self-limited or minor problem');

  // Data: unique tests ordered or reviewed, records reviewed, an independent historian (category 1/2),
  // independent interpretation (category 2), discussion with an external physician (category 3).
  const tests = new Set(e.charges.filter(isTest).map((c) => c.code));
  // A sentence ends at a period or line end, which none of the data words holds: a text
  // without one has no sentence with one, and is not split.
  if (DATA_WORD.test(text)) {
    for (const sentence of text.split(/[.\n]/)) {
      if (!DATA_WORD.test(sentence)) continue;
      for (const m of sentence.matchAll(TEST_WORD)) tests.add(m[0].toLowerCase().replace('ekg', 'ecg'));
    }
  }
  const historian = HISTORIAN.test(text);
  const interpretation = INTERPRETATION.test(text);
  const discussion = DISCUSSION.test(text);
  const cat1 = tests.size + (historian ? 1 : 0);
  const categories = (cat1 >= 3 ? 1 : 0) + (interpretation ? 1 : 0) + (discussion ? 1 : 0);
  let data: MdmLevel = 2;
  if (categories >= 2) data = 5;
  else if (categories >= 1) data = 4;
  else if (cat1 >= 2 || historian) data = 3;
  reasons.push(`data: ${NAMES[data]} (${tests.size} test(s) or records${historian ? ', independent historian' : ''}${interpretation ? ', independent interpretation' : ''}${discussion ? ', discussion with another physician' : ''})`);

  // Risk of patient management.
  let risk: MdmLevel = 2;
  if (HIGH_RISK.test(text)) { risk = 5; reasons.push('risk: decision regarding hospitalization or escalation of care'); }
  else if (RX.test(text)) { risk = 4; reasons.push('risk: prescription drug management'); }
  else if (OTC.test(text)) { risk = 3; reasons.push('risk: over-the-counter drugs or supportive care'); }
  else reasons.push('risk: minimal');

  const levels: MdmLevel[] = [5, 4, 3, 2];
  const level = levels.find((l) => [problems, data, risk].filter((x) => x >= l).length >= 2) ?? 2;
  const code = `${patient === 'new' ? '9920' : '9921'}${level}`;
  return { code, patient, level, mdm: { problems, data, risk }, reasons: [`MDM ${NAMES[level]}: two of three elements at or above it (AMA 2021 office E/M MDM table)`, ...reasons] };
}

export const mdmName = (l: MdmLevel) => NAMES[l];
