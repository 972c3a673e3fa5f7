import type { AlphabeticIndex } from '../../codesets/alphabetic-index.js';
import { addsWith, mostUnspecifiedChild, sideSibling, unspecifiedCount } from '../../codesets/default-child.js';
import type { CodeInfo, CodeSet } from '../../codesets/reference-library.js';
import type { CodeSystem } from '../../contract/types.js';
import { Lexicon, type LexiconEntry, type LexiconSource } from './lexicon.js';
import { PCS_AXIS_WEIGHT, pcsAxisEntries } from './pcs-terms.js';
import { procedureTermEntries } from './procedure-terms.js';
import { addNeoplasmTerms } from './neoplasm-terms.js';
import { addAbbreviations, loadStarterLexicon } from './starter-lexicon.js';
import { andParts, pcsTitleVariants, termVariants } from './term-variants.js';

/** What the site learned from its coded history (`nightcode learn`): one row per term and code. */
export interface SiteLexiconRow {
  term: string;
  code: string;
  system: CodeSystem;
  /** Training documents in which the term occurs and that were coded with the code. */
  together: number;
  /** Training documents in which the term occurs. */
  documents: number;
  /** 'reference' rows re-weight a reference term; 'learned' rows add a term the reference lacks. */
  origin: 'reference' | 'learned';
  /**
   * A learned term's counts on training documents it was not learned from (cross-fitted
   * folds): its weight, so a learned term scored 0.5 is right about half the time.
   */
  heldOut?: { together: number; documents: number };
  /**
   * Another code of the category of the term's reference reading, which the site assigns
   * where the term is written but too rarely for a term of its own (learn/sibling-readings.ts):
   * ranked, never predicted alone (ALTERNATIVE_MAX_WEIGHT).
   */
  alternative?: true;
}

export interface LexiconSources {
  /** ICD-10-CM tabular (titles and inclusion terms). */
  cm?: CodeSet;
  /** ICD-10-PCS (long titles without the approach). */
  pcs?: CodeSet;
  /** ICD-10-PCS whose axes (imaging type or root operation, and body part) become terms for 4-character prefixes. */
  pcsAxes?: CodeSet;
  /** Imported Alphabetic Index family: main index and external causes give terms, subterm paths give combinations. */
  indexes?: readonly AlphabeticIndex[];
  /** HCPCS Level II (and CPT when a licensed file is imported): descriptors. */
  hcpcs?: CodeSet;
  cpt?: CodeSet;
  site?: readonly SiteLexiconRow[];
  /** Prior strength, in documents, of a term's source weight against the site's counts (default 2). */
  sitePriorDocuments?: number;
  /** Source weight assumed for a learned term that no reference source names (default 0.15). */
  learnedPrior?: number;
  /** The team-written starter lexicon (default true). */
  starter?: boolean;
}

/**
 * Default trust per source, before learning re-weights it. Curated terms are trusted most;
 * a tabular title says exactly what the code is; an inclusion term is an example the code
 * covers; variants with qualifiers removed, and category (non-billable) titles, less.
 */
export const SOURCE_WEIGHTS = {
  'tabular-title': 0.75,
  'tabular-inclusion': 0.7,
  index: 0.75,
  'pcs-title': 0.5,
  'pcs-axes': PCS_AXIS_WEIGHT,
  hcpcs: 0.6,
  cpt: 0.6,
  variant: 0.95,
  category: 0.6,
  /** One part of a title joined by "and" (I.A.14 "and/or"): a candidate below the threshold until the site's statistics say otherwise. */
  andPart: 0.6,
  /**
   * An inclusion term of a manifestation code ("in diseases classified elsewhere", I.A.13):
   * the term there means the manifestation of another disease (N08 lists "Glomerulonephritis",
   * "Nephritis", "Nephropathy"), while the Index sends the bare word elsewhere (N05.9, N28.9).
   * A candidate below the threshold until the site's statistics say otherwise.
   */
  manifestationInclusion: 0.6,
} as const;

/**
 * Single words that official titles use as a whole title ("Counseling, unspecified",
 * "Illness, unspecified", "Injury, unspecified") but that notes use for everything else:
 * a time statement ("including counseling"), a heading. Not taken from reference sources;
 * a site that does code them learns them back.
 */
const GENERIC_TERMS: ReadonlySet<string> = new Set([
  'counseling', 'examination', 'exam', 'screening', 'observation', 'encounter', 'follow up', 'disease', 'disorder', 'illness',
  'condition', 'problem', 'complication', 'injury', 'status', 'history', 'care', 'therapy', 'treatment', 'test', 'procedure',
  'surgery', 'operation', 'abnormal', 'finding', 'other', 'contact', 'exposure', 'use', 'abuse', 'dependence',
  'effect', 'reaction', 'allergy', 'inflammation', 'syndrome', 'deformity', 'anomaly',
  // Inclusion terms of Z65.3 (legal circumstances) and Z77.098 (exposure to chemicals): in a
  // note, an arrest is cardiac, respiratory or of growth, and a dye is the imaging contrast.
  'arrest', 'dye', 'dyes',
]);

/**
 * A reference source's term the lexicon takes: not a generic word, and not a one- or
 * two-letter word ("AV", "ST": abbreviations only a curated list may claim).
 */
function takenFromReference(term: string): boolean {
  return /[a-z0-9]{3}|\s/i.test(term) && !GENERIC_TERMS.has(term.toLowerCase());
}

/**
 * An inclusion term that is an acronym alone ("PIN", "TACO", "PRES", "TIA"): matched without
 * regard to case it is an everyday word ("pins" → prostatic intraepithelial neoplasia), so,
 * like two-letter words, only the curated abbreviation list claims one.
 */
const BARE_ACRONYM = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)?$/;

/** Prior strength (in documents) of a source weight when a site's statistics re-weight a term. */
const PRIOR_DOCUMENTS = 2;
/**
 * Most an alternative reading weighs: under the score from which coding completes a header
 * candidate (0.35) and bills a code (0.5, code/diagnoses.ts), so it ranks after the readings
 * a claim may carry and is never coded alone.
 */
const ALTERNATIVE_MAX_WEIGHT = 0.34;
/** Trust in a learned term before its counts when none was measured: low, a co-occurrence is not a definition. */
const LEARNED_PRIOR = 0.15;

/**
 * Trust in a learned term before its own held-out counts: how often the site's learned terms
 * as a whole were right on held-out folds (empirical Bayes: a term seen once held out leans
 * on what terms like it achieve, not on a fixed guess).
 */
function learnedPriorOf(rows: readonly SiteLexiconRow[]): number {
  let together = 0;
  let documents = 0;
  for (const r of rows) {
    if (r.origin !== 'learned' || r.alternative || !r.heldOut) continue;
    together += r.heldOut.together;
    documents += r.heldOut.documents;
  }
  return documents >= 20 ? together / documents : LEARNED_PRIOR;
}

function isSymptom(system: CodeSystem, code: string): boolean {
  // ICD-10-CM chapter 18 (R00–R99): symptoms, signs and abnormal findings.
  return system === 'ICD-10-CM' && code.startsWith('R');
}

/**
 * The abstraction lexicon from everything the reference library holds for a date, the
 * site's learned terms and the starter lexicon. Where a term names several codes, the
 * candidates are ranked at match time by weight.
 */
export function compileLexicon(sources: LexiconSources): Lexicon {
  const lexicon = sources.starter === false ? new Lexicon() : loadStarterLexicon();
  const add = (code: string, system: CodeSystem, title: string, term: string, source: LexiconSource, weight: number, detail?: string) => {
    if (!takenFromReference(term)) return;
    lexicon.add({ code, system, title, term, source, weight, symptom: isSymptom(system, code), ...(detail ? { detail } : {}) });
  };

  if (sources.cm) {
    const cm = sources.cm;
    for (const info of cm.all()) {
      if (info.kind !== 'code' && info.kind !== 'category') continue;
      const scale = info.billable ? 1 : SOURCE_WEIGHTS.category;
      termVariants(info.title).forEach((v, i) => add(info.code, 'ICD-10-CM', info.title, v, 'tabular-title', SOURCE_WEIGHTS['tabular-title'] * scale * (i === 0 ? 1 : SOURCE_WEIGHTS.variant)));
      for (const part of andParts(info.title)) add(info.code, 'ICD-10-CM', info.title, part, 'tabular-title', SOURCE_WEIGHTS['tabular-title'] * scale * SOURCE_WEIGHTS.andPart, `one part of "${info.title}"`);
      const inclusions = cm.notes(info.code, 'inclusionTerm', false).filter((note) => !BARE_ACRONYM.test(note.text));
      const manifestation = inclusions.length > 0 && cm.isManifestation(info.code);
      if (!info.billable) addDefaultChild(lexicon, cm, info, manifestation ? [] : inclusions.map((note) => note.text));
      if (inclusions.length === 0) continue;
      const inclusionScale = scale * (manifestation ? SOURCE_WEIGHTS.manifestationInclusion : 1);
      for (const note of inclusions) {
        termVariants(note.text).forEach((v, i) => add(info.code, 'ICD-10-CM', info.title, v, 'tabular-inclusion', SOURCE_WEIGHTS['tabular-inclusion'] * inclusionScale * (i === 0 ? 1 : SOURCE_WEIGHTS.variant), `inclusion term: ${note.text}`));
      }
    }
  }
  for (const index of sources.indexes ?? []) {
    if (index.info.kind === 'neoplasm') {
      if (sources.cm) addNeoplasmTerms(lexicon, index, sources.cm, SOURCE_WEIGHTS.index * SOURCE_WEIGHTS.variant);
    } else {
      addIndexTerms(lexicon, index, sources.cm);
    }
  }
  if (sources.pcs) {
    for (const info of sources.pcs.all()) {
      if (!info.billable) continue;
      for (const v of pcsTitleVariants(info.title)) add(info.code, 'ICD-10-PCS', info.title, v, 'pcs-title', SOURCE_WEIGHTS['pcs-title']);
    }
  }
  if (sources.pcsAxes) for (const e of pcsAxisEntries(sources.pcsAxes)) lexicon.add(e);
  const pcsInForce = sources.pcs ?? sources.pcsAxes;
  if (pcsInForce && sources.starter !== false) for (const e of procedureTermEntries(pcsInForce)) lexicon.add(e);
  for (const [set, system, source] of [[sources.hcpcs, 'HCPCS', 'hcpcs'], [sources.cpt, 'CPT', 'cpt']] as const) {
    if (!set) continue;
    for (const info of set.all()) {
      if (info.kind === 'modifier') continue;
      for (const v of termVariants(info.title)) add(info.code, system, info.title, v, source, SOURCE_WEIGHTS[source]);
    }
  }
  // Aliases before the site's statistics: an abbreviation or synonym is a term like any other,
  // and the site's history re-weights it too ("prednisone" names Z79.52 only when the drug is
  // long-term; a site whose notes name it for a three-day course measures that).
  addAbbreviations(lexicon);
  if (sources.site) applySiteRows(lexicon, sources.site, sources.cm, sources.sitePriorDocuments ?? PRIOR_DOCUMENTS, sources.learnedPrior ?? learnedPriorOf(sources.site));
  lexicon.siteMeasured = (sources.site?.length ?? 0) > 0;
  return lexicon.prepare();
}

/**
 * Main terms with their subterm paths, written both the index way and the way notes say
 * it: "Pneumonia > aspiration" → "aspiration pneumonia" and "pneumonia aspiration".
 * Two levels deep: deeper paths are qualifiers ("with", "due to") that coding resolves.
 */
function addIndexTerms(lexicon: Lexicon, index: AlphabeticIndex, cm: CodeSet | undefined): void {
  if (index.info.kind !== 'index' && index.info.kind !== 'eindex') return;
  const weight = SOURCE_WEIGHTS.index;
  const bySeq = new Map(index.terms.map((t) => [t.seq, t]));
  for (const term of index.terms) {
    if (term.level > 1 || !term.code) continue;
    // "J18.-" in the index: the category, completed by the tabular.
    const code = term.code.replace(/\.?-+$/, '');
    const title = cm?.title(code) ?? term.title;
    const add = (text: string, w: number, detail: string) =>
      lexicon.add({ code, system: 'ICD-10-CM', title, term: text, source: 'index', weight: w, symptom: isSymptom('ICD-10-CM', code), detail });
    if (term.parent === undefined) {
      for (const v of termVariants(term.title)) add(v, weight, `index: ${term.title}`);
      continue;
    }
    const main = bySeq.get(term.parent);
    if (!main) continue;
    const sub = term.title.replace(/\([^)]*\)/g, ' ').trim();
    if (/^(?:with|without|due to|in|of|and|NEC|see)\b/i.test(sub)) continue;
    const head = main.title.replace(/\([^)]*\)/g, ' ').trim();
    add(`${sub} ${head}`, weight, `index: ${main.title} > ${term.title}`);
    add(`${head} ${sub}`, weight * SOURCE_WEIGHTS.variant, `index: ${main.title} > ${term.title}`);
  }
}

/** A side named in a title. */
const SIDE_WORD = /\b(?:right|left|bilateral)\b/i;

/**
 * A category's title names its default child as well (Guidelines I.A.18, I.B.2): "Duodenal
 * ulcer" (K26, not billable) written alone is K26.9, the child left most unspecified and
 * adding no "with" condition, and "Edema of eyelid" (H02.84) with the right eye named is
 * H02.843, the same title with "right" for one "unspecified" (I.B.13). Weighted as a title
 * variant: the title says exactly the condition, the convention which code. Only where the
 * convention is unambiguous: every child billable (a subcategory may be where the Index
 * sends the plain term: "Osteoarthritis, knee M17.1-", not M17.9), no default that names a
 * side the category does not, and one child most unspecified by a clear margin
 * ("Nontraumatic subarachnoid hemorrhage, unspecified" ties with "... from unspecified
 * intracranial artery": I60 is left to the coder). Deeper levels and their 7th characters
 * stay with the coding stage's own completion.
 */
function addDefaultChild(lexicon: Lexicon, cm: CodeSet, category: CodeInfo, inclusions: readonly string[] = []): void {
  const children = cm.childrenOf(category.code);
  if (children.length === 0 || children.some((c) => !c.billable)) return;
  // A child naming a side the category does not is a side's code, never the default.
  const child = mostUnspecifiedChild(SIDE_WORD.test(category.title) ? children : children.filter((c) => !SIDE_WORD.test(c.title)));
  if (!child) return;
  const most = unspecifiedCount(child.title);
  if (children.some((c) => c !== child && !addsWith(c.title) && unspecifiedCount(c.title) === most)) return;
  const sides = (['right', 'left', 'bilateral'] as const).flatMap((side) => {
    const sibling = sideSibling(child, children, side);
    return sibling ? [[side, sibling.code] as const] : [];
  });
  const laterality = sides.length > 0 ? { unspecified: child.code, ...Object.fromEntries(sides) } : undefined;
  const of = `the default child of ${category.code} "${category.title}"`;
  const addToChild = (text: string, source: 'tabular-title' | 'tabular-inclusion', detail: string) => {
    for (const term of termVariants(text)) {
      if (!takenFromReference(term)) continue;
      lexicon.add({
        code: child.code, system: 'ICD-10-CM', title: child.title, term, source, weight: SOURCE_WEIGHTS[source] * SOURCE_WEIGHTS.variant,
        symptom: isSymptom('ICD-10-CM', child.code), detail, ...(laterality ? { laterality } : {}),
      });
    }
  };
  addToChild(category.title, 'tabular-title', of);
  // The category's inclusion terms name the same default ("DVT NOS" at I82.40 is I82.409 by
  // side, "Angioma NOS" at D18.0 is D18.00): read bare, they named only the category.
  for (const text of inclusions) addToChild(text, 'tabular-inclusion', `inclusion term: ${text}; ${of}`);
}

/**
 * A site's statistics re-weight reference terms (smoothed precision: a term seen in 40
 * documents and coded with the code in 30 gets ~0.74 whatever its source said) and add
 * the terms the site writes that the reference lacks.
 */
function applySiteRows(lexicon: Lexicon, rows: readonly SiteLexiconRow[], cm: CodeSet | undefined, priorDocuments: number, learnedPrior: number): void {
  const byTerm = new Map<string, SiteLexiconRow[]>();
  for (const r of rows) {
    const list = byTerm.get(r.term);
    if (list) list.push(r);
    else byTerm.set(r.term, [r]);
  }
  for (const [term, list] of byTerm) {
    const existing = lexicon.lookup(term);
    for (const r of list) {
      const target = existing.find((e) => e.code === r.code && e.system === r.system);
      const prior = target?.weight ?? learnedPrior;
      const counts = r.heldOut ?? r;
      const measured = (counts.together + priorDocuments * prior) / (counts.documents + priorDocuments);
      const weight = r.alternative ? Math.min(measured, ALTERNATIVE_MAX_WEIGHT) : measured;
      const detail = `site: coded ${r.code} in ${r.together} of ${r.documents} training documents with this term${r.heldOut ? `, ${r.heldOut.together} of ${r.heldOut.documents} held out` : ''}${r.alternative ? '; an alternative reading, ranked only' : ''}`;
      if (target) {
        target.weight = weight;
        target.siteWeighted = true;
        target.detail = target.detail ? `${target.detail}; ${detail}` : detail;
      } else {
        const title = (r.system === 'ICD-10-CM' ? cm?.title(r.code) : undefined) ?? r.code;
        const entry: LexiconEntry = { code: r.code, system: r.system, title, term, source: 'site', weight, symptom: isSymptom(r.system, r.code), detail, siteWeighted: true };
        lexicon.add(entry);
      }
    }
  }
}
