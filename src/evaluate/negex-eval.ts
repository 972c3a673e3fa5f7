import { readFileSync } from 'node:fs';
import { analyzeSentence, assertConcept } from '../abstract/context/assertion.js';
import { detectSections } from '../abstract/text/sections.js';
import { splitSentences } from '../abstract/text/sentences.js';
import { NightcodeError } from '../contract/errors.js';
import { prf, type Prf } from './metrics.js';

/**
 * Assertion accuracy on the NegEx test-set layout (Chapman et al.; TAB-separated:
 * id, condition, sentence, negation Affirmed|Negated, temporality Recent|Historical|Not
 * particular, experiencer Patient|Other|Family member), one header row.
 */
export interface NegexRow {
  id: string;
  condition: string;
  sentence: string;
  negated: boolean;
  temporality: 'recent' | 'historical' | 'hypothetical';
  experiencer: 'patient' | 'other';
}

export interface NegexError {
  id: string;
  condition: string;
  property: 'negation' | 'temporality' | 'experiencer';
  gold: string;
  predicted: string;
  trigger?: string;
}

export interface NegexReport {
  rows: number;
  /** Rows whose condition could not be found in its sentence (scored as affirmed, recent, patient). */
  unmatched: number;
  negation: Prf;
  temporality: { accuracy: number };
  experiencer: { accuracy: number };
  errors: NegexError[];
}

const TEMPORALITY: Record<string, NegexRow['temporality']> = { recent: 'recent', historical: 'historical', 'not particular': 'hypothetical', hypothetical: 'hypothetical' };

export function readNegexFile(file: string): NegexRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new NightcodeError('USAGE', `cannot read the NegEx file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const rows: NegexRow[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const cols = line.split('\t');
    if (cols.length < 6) throw new NightcodeError('USAGE', `${file} line ${i + 1}: expected 6 TAB-separated columns (id, condition, sentence, negation, temporality, experiencer), found ${cols.length}`);
    const [id, condition, sentence, negation, temporality, experiencer] = cols.map((c) => c.trim()) as [string, string, string, string, string, string];
    const t = TEMPORALITY[temporality.toLowerCase()];
    if (!/^(affirmed|negated|possible)$/i.test(negation) || !t) {
      throw new NightcodeError('USAGE', `${file} line ${i + 1}: unknown label "${negation}" / "${temporality}"`);
    }
    rows.push({ id, condition, sentence, negated: /^negated$/i.test(negation), temporality: t, experiencer: /^patient$/i.test(experiencer) ? 'patient' : 'other' });
  });
  return rows;
}

/** Where the condition is in its sentence: case and whitespace runs ignored. */
export function locateCondition(sentence: string, condition: string): { start: number; end: number } | undefined {
  const words = condition.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0 || words[0] === '') return undefined;
  // The annotated mention is written in capitals; an earlier lower-case occurrence is another one.
  const m = new RegExp(words.map((w) => w.toUpperCase()).join('\\s+')).exec(sentence) ?? new RegExp(words.join('\\s+'), 'i').exec(sentence);
  return m ? { start: m.index, end: m.index + m[0].length } : undefined;
}

export function evaluateNegex(rows: readonly NegexRow[]): NegexReport {
  let tp = 0; let fp = 0; let fn = 0;
  let temporalOk = 0; let experiencerOk = 0; let unmatched = 0;
  const errors: NegexError[] = [];
  for (const row of rows) {
    const at = locateCondition(row.sentence, row.condition);
    let negated = false;
    let temporality: NegexRow['temporality'] = 'recent';
    let experiencer: NegexRow['experiencer'] = 'patient';
    let trigger: string | undefined;
    if (at) {
      // The pipeline reads one sentence at a time: rows whose "sentence" holds several
      // (report headers run into the text) are split the same way first.
      const spans = splitSentences(row.sentence);
      const from = spans.find((s) => s.start <= at.start && at.start < s.end)?.start ?? 0;
      const to = Math.max(at.end, spans.find((s) => s.start < at.end && at.end <= s.end)?.end ?? row.sentence.length);
      const sentence = row.sentence.slice(from, to);
      const section = detectSections(row.sentence).find((s) => s.start <= at.start && at.start < s.end)?.name ?? 'unlabeled';
      const r = assertConcept(analyzeSentence(sentence), at.start - from, at.end - from, section);
      negated = r.negated;
      temporality = r.temporality;
      experiencer = r.experiencer;
      trigger = r.trigger;
    } else {
      unmatched++;
    }
    if (negated && row.negated) tp++;
    else if (negated) fp++;
    else if (row.negated) fn++;
    if (negated !== row.negated) errors.push({ id: row.id, condition: row.condition, property: 'negation', gold: row.negated ? 'negated' : 'affirmed', predicted: negated ? 'negated' : 'affirmed', ...(trigger ? { trigger } : {}) });
    if (temporality === row.temporality) temporalOk++;
    else errors.push({ id: row.id, condition: row.condition, property: 'temporality', gold: row.temporality, predicted: temporality, ...(trigger ? { trigger } : {}) });
    if (experiencer === row.experiencer) experiencerOk++;
    else errors.push({ id: row.id, condition: row.condition, property: 'experiencer', gold: row.experiencer, predicted: experiencer, ...(trigger ? { trigger } : {}) });
  }
  const n = rows.length || 1;
  return {
    rows: rows.length,
    unmatched,
    negation: prf(tp, fp, fn),
    temporality: { accuracy: temporalOk / n },
    experiencer: { accuracy: experiencerOk / n },
    errors,
  };
}
