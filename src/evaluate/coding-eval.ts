import { abstractNotes } from '../abstract/abstract-encounter.js';
import type { Lexicon } from '../abstract/lexicon/lexicon.js';
import { codeEncounter, type CodingContext } from '../code/code-encounter.js';
import type { CodedEncounter, CodeSystem, Encounter, Finding } from '../contract/types.js';
import type { CodedDocument } from '../learn/coded-corpus.js';
import { classifyErrors, type EvalError } from './eval-errors.js';
import { corpusCodeForm, meanAveragePrecision, prf, type Prf } from './metrics.js';

/**
 * Document-level coding accuracy against a coded corpus, the way CodiEsp scores it: the
 * codes of each document as a set (micro precision, recall, F1) and as a ranked list (MAP).
 * - `mentions`: every mention counts, as CodiEsp's annotators coded (negated ones too);
 * - `guideline`: negated, uncertain, hypothetical and family mentions are dropped, as US
 *   outpatient guidelines would (ICD-10-CM Guidelines Section IV.H, IV.J).
 */
export type EvalMode = 'mentions' | 'guideline';

export interface EvalOptions {
  mode: EvalMode;
  /** Codes scoring at least this are predicted; lower ones only extend the ranking for MAP. */
  threshold: number;
  /**
   * Score the coding stage instead of the abstraction candidates: each document is coded as
   * an encounter of this setting with these code sets; the claim's codes are the prediction
   * and, for MAP, the remaining candidates follow them.
   */
  coding?: { ctx: CodingContext; setting: 'inpatient' | 'outpatient' };
  /** Classify every false negative and false positive (the report's `errors`). */
  errors?: boolean;
  /** Called with each document's findings, ranked codes and (coding stage) claim: `eval --explain`. */
  onDocument?: (d: DocumentResult) => void;
  /** Findings by document, abstracted once and reused by repeated evaluations (`--rule-costs`); filled as documents are read. */
  findingsCache?: Map<string, Finding[]>;
}

export interface DocumentResult {
  doc: CodedDocument;
  findings: readonly Finding[];
  /** Ranked codes as scored (the claim's first in the coding stage). */
  dx: readonly { code: string; score: number }[];
  px: readonly { code: string; score: number }[];
  coded?: CodedEncounter;
}

export const DEFAULT_THRESHOLD = 0.5;

export interface ScoreSet extends Prf {
  map: number;
}

export interface CodingEvalReport {
  split: string;
  documents: number;
  /** What was scored: the abstraction candidates, or the codes the coding stage put on the claim. */
  stage: 'abstraction' | 'coding';
  mode: EvalMode;
  threshold: number;
  diagnosis: { exact: ScoreSet; category: ScoreSet };
  procedure: { exact: ScoreSet };
  /** Findings abstracted from all documents. */
  findings: number;
  elapsedMs: number;
  textBytes: number;
  /** With `errors`: every false negative and false positive, classified. */
  errors?: EvalError[];
}

/** Codes compare the way CodiEsp writes them: case folded, dots kept, no injury 7th character. */
const norm = corpusCodeForm;
const category = (code: string) => norm(code).slice(0, 3);

function keep(f: Finding, mode: EvalMode): boolean {
  if (mode === 'mentions') return true;
  return f.assertion !== 'negated' && f.assertion !== 'uncertain' && f.assertion !== 'hypothetical' && f.assertion !== 'family';
}

/**
 * The document's codes by system, best first. A code's score is its best-supported mention's:
 * scores are precisions measured on the training split. (A bonus per further mention, tried
 * before, summed weak co-occurrences, "biopsy", "center" → R69, into predicted codes, and did
 * not improve the ranking either: dev MAP 0.426 with it, 0.428 without.)
 */
export function rankDocumentCodes(findings: readonly Finding[], mode: EvalMode): Map<CodeSystem, { code: string; score: number }[]> {
  const out = new Map<CodeSystem, Map<string, number>>();
  for (const f of findings) {
    if (!keep(f, mode)) continue;
    for (const c of f.candidates) {
      let codes = out.get(c.system);
      if (!codes) out.set(c.system, (codes = new Map()));
      codes.set(c.code, Math.max(codes.get(c.code) ?? 0, c.score));
    }
  }
  return new Map([...out].map(([system, codes]) => [system,
    [...codes].map(([code, score]) => ({ code, score })).sort((a, b) => b.score - a.score || a.code.localeCompare(b.code))]));
}

/**
 * Codes scored at the detail the corpus gives, where a claim must give more:
 * - ICD-10-PCS: CodiEsp's annotators often wrote only the first four characters (section,
 *   body system, root operation, body part: "bw20" for an abdominal CT) where the rest was
 *   not documented, while a claim carries all seven (BW20ZZZ);
 * - ICD-10-CM: the corpus was coded in an earlier release, and some of its codes have since
 *   been split (R51 "Headache" into R51.0 and R51.9 in FY2021, K56.60 into K56.600–K56.609 in
 *   FY2018), or its annotators stopped at a subcategory (h53.14 without the side). A claim
 *   in today's release must carry the child (Guidelines I.A.2: a code is invalid if it has
 *   not been coded to the full number of characters required), so the child is the gold
 *   code written at today's detail.
 * A predicted code counts as the longest gold code it begins with, unless the gold has the
 * code itself. A code set's codes nest by prefix, so such a gold code was a category when
 * the prediction was made. Returns the mapping for one document's gold.
 */
function atGoldDetail(gold: readonly string[]): (code: string) => string {
  const goldSet = new Set(gold.map(norm));
  return (code) => {
    const c = norm(code);
    if (goldSet.has(c)) return code;
    for (let n = c.length - 1; n >= 3; n--) {
      const prefix = c.slice(0, n);
      if (prefix.endsWith('.')) continue;
      if (goldSet.has(prefix)) return prefix;
    }
    return code;
  };
}

interface Tally {
  tp: number;
  fp: number;
  fn: number;
  ranked: Map<string, string[]>;
  gold: Map<string, Set<string>>;
}

const tally = (): Tally => ({ tp: 0, fp: 0, fn: 0, ranked: new Map(), gold: new Map() });

function score(t: Tally, doc: string, ranked: readonly { code: string; score: number }[], gold: readonly string[], threshold: number, key: (c: string) => string): void {
  const goldSet = new Set(gold.map(key));
  const rankedKeys: string[] = [];
  for (const r of ranked) {
    const k = key(r.code);
    if (!rankedKeys.includes(k)) rankedKeys.push(k);
  }
  const predicted = new Set(ranked.filter((r) => r.score >= threshold).map((r) => key(r.code)));
  for (const p of predicted) {
    if (goldSet.has(p)) t.tp++;
    else t.fp++;
  }
  for (const g of goldSet) if (!predicted.has(g)) t.fn++;
  t.ranked.set(doc, rankedKeys);
  t.gold.set(doc, goldSet);
}

const result = (t: Tally): ScoreSet => ({ ...prf(t.tp, t.fp, t.fn), map: meanAveragePrecision(t.ranked, t.gold) });

/** A corpus document as an encounter of the given setting: its text is the one note. */
function corpusEncounter(doc: CodedDocument, setting: 'inpatient' | 'outpatient'): Encounter {
  const inpatient = setting === 'inpatient';
  return {
    key: { source: 'corpus', encounterId: doc.id }, contentHash: doc.id, source: { file: doc.id },
    kind: inpatient ? 'institutional' : 'professional', ...(inpatient ? { facilityType: '111' } : {}),
    patient: { id: doc.id }, coverage: {}, providers: {},
    notes: [{ id: doc.id, type: 'case-report', text: doc.text, source: { file: doc.id } }], diagnoses: [], charges: [], issues: [],
  };
}

export function evaluateCoding(split: string, documents: readonly CodedDocument[], lexicon: Lexicon, options: EvalOptions): CodingEvalReport {
  const exact = tally();
  const cat = tally();
  const proc = tally();
  let findings = 0;
  let textBytes = 0;
  const errors: EvalError[] = [];
  const started = performance.now();
  for (const doc of documents) {
    textBytes += Buffer.byteLength(doc.text);
    // Every mention, as the corpus was annotated (nested ones too; coding leaves those out).
    const cached = options.findingsCache?.get(doc.id);
    const found = cached ?? abstractNotes([{ id: doc.id, text: doc.text }], lexicon, { nested: true });
    if (!cached) options.findingsCache?.set(doc.id, found);
    findings += found.length;
    const ranked = rankDocumentCodes(found, options.mode);
    const dxAtGold = atGoldDetail(doc.diagnoses);
    const pxAtGold = atGoldDetail(doc.procedures);
    let dx = (ranked.get('ICD-10-CM') ?? []).map((r) => ({ code: dxAtGold(r.code), score: r.score }));
    let px = (ranked.get('ICD-10-PCS') ?? []).map((r) => ({ code: pxAtGold(r.code), score: r.score }));
    const abstracted = { dx, px };
    let coded: CodedEncounter | undefined;
    if (options.coding) {
      coded = codeEncounter(corpusEncounter(doc, options.coding.setting), found, options.coding.ctx);
      // The claim's codes are predicted (scored 1 in claim order); candidates left off follow for MAP.
      const claim = (codes: string[], rest: { code: string; score: number }[]) => [
        ...codes.map((code, i) => ({ code, score: 1 - i * 1e-6 })),
        ...rest.filter((r) => !codes.includes(r.code)).map((r) => ({ code: r.code, score: Math.min(r.score, options.threshold - 1e-3) })),
      ];
      dx = claim(coded.diagnoses.map((d) => dxAtGold(d.code)), dx);
      px = claim(coded.pcsProcedures.map((p) => pxAtGold(p.code)), px);
    }
    score(exact, doc.id, dx, doc.diagnoses, options.threshold, norm);
    score(cat, doc.id, dx, doc.diagnoses, options.threshold, category);
    score(proc, doc.id, px, doc.procedures, options.threshold, norm);
    options.onDocument?.({ doc, findings: found, dx, px, ...(coded ? { coded } : {}) });
    if (options.errors) {
      const above = (list: readonly { code: string; score: number }[]) => list.filter((r) => r.score >= options.threshold).map((r) => r.code);
      for (const [system, list, gold, before] of [['ICD-10-CM', dx, doc.diagnoses, abstracted.dx], ['ICD-10-PCS', px, doc.procedures, abstracted.px]] as const) {
        errors.push(...classifyErrors({
          document: doc.id, system, gold, predicted: above(list), findings: found, threshold: options.threshold, keep: (f) => keep(f, options.mode),
          ...(coded ? { coding: { abstracted: above(before), notCoded: coded.notCoded } } : {}),
        }));
      }
    }
  }
  return {
    split, documents: documents.length, stage: options.coding ? 'coding' : 'abstraction', mode: options.mode, threshold: options.threshold,
    diagnosis: { exact: result(exact), category: result(cat) },
    procedure: { exact: result(proc) },
    findings, elapsedMs: performance.now() - started, textBytes,
    ...(options.errors ? { errors } : {}),
  };
}
