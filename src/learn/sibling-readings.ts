import type { SiteLexiconRow } from '../abstract/lexicon/compile-lexicon.js';
import type { CodeSystem } from '../contract/types.js';
import { crossFitted, type Counts } from './cross-fit.js';

/**
 * The other codes of a term's category that a site assigns where the term is written: the
 * reference reads "renal carcinoma" as C64.9, and the site coded C64.1 or C64.2 in a fifth
 * of the documents that write it; "edema" reads as R60.9, coded R60.0 in a third. Such a
 * reading is too rare to predict alone (it did not pass the learned-term selection), but it
 * is the next guess a reviewer, or a ranked code list, wants after the term's own reading.
 */
export interface SiblingDocument {
  /** Reference terms the document holds (normalized). */
  terms: ReadonlySet<string>;
  /** `term\tcode` of the document's gold ICD-10-CM codes of a category one of the term's codes is in (siblingsOf). */
  siblings: ReadonlySet<string>;
}

/**
 * One document's sibling pairs, from its `term\tcode\tsystem` reference readings and its
 * gold codes: a gold ICD-10-CM code sharing a category (first three characters) with one of
 * the term's codes without being one of them.
 */
export function siblingsOf(pairs: ReadonlySet<string>, gold: ReadonlyMap<string, CodeSystem>): Set<string> {
  const byTerm = new Map<string, Set<string>>();
  for (const p of pairs) {
    const [term, code, system] = p.split('\t') as [string, string, CodeSystem];
    if (system !== 'ICD-10-CM') continue;
    let codes = byTerm.get(term);
    if (!codes) byTerm.set(term, (codes = new Set()));
    codes.add(code);
  }
  const out = new Set<string>();
  for (const [term, codes] of byTerm) {
    const categories = new Set([...codes].map((c) => c.slice(0, 3)));
    for (const [g, system] of gold) {
      if (system === 'ICD-10-CM' && !codes.has(g) && categories.has(g.slice(0, 3))) out.add(`${term}\t${g}`);
    }
  }
  return out;
}

function siblingCounts(docs: readonly SiblingDocument[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of docs) for (const k of d.siblings) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}

/** Each pair counted on every fold it was not seen on, when seen on the others. */
function heldOutCounts(docs: readonly SiblingDocument[], folds: number): Map<string, Counts> {
  return crossFitted(docs, folds, (training) => siblingCounts(training).keys(),
    (key, d) => d.terms.has(key.slice(0, key.indexOf('\t'))), (key, d) => d.siblings.has(key));
}

/**
 * The sibling readings as `alternative` learned rows; pairs already among `taken` (a
 * reference or learned row) are left to it. With `folds`, each is measured like a learned
 * term, on the folds it was not seen on (a pair seen in two or three documents is no
 * estimate), and its held-out counts weigh it:
 * - a pair seen in two documents or more, under `minHeldOutPrecision` held out, is left out;
 * - a pair seen in one document cannot come back on a fold it was not seen on (0 of the
 *   term's documents there): kept, it weighs what the prior gives that many documents, less
 *   the more often the site wrote the term without coding it so. It still ranks the code,
 *   which otherwise would not be in the list at all.
 * Without folds, pairs seen in two documents or more, by their in-sample counts.
 */
export function siblingRows(docs: readonly SiblingDocument[], termDocs: ReadonlyMap<string, number>, taken: ReadonlySet<string>,
  o: { folds: number; minHeldOutPrecision: number }): SiteLexiconRow[] {
  const held = o.folds >= 2 && docs.length >= o.folds * 2 ? heldOutCounts(docs, o.folds) : undefined;
  const rows: SiteLexiconRow[] = [];
  for (const [pair, together] of siblingCounts(docs)) {
    if (taken.has(`${pair}\tICD-10-CM`) || (!held && together < 2)) continue;
    const [term, code] = pair.split('\t') as [string, string];
    const row: SiteLexiconRow = { term, code, system: 'ICD-10-CM', together, documents: termDocs.get(term) ?? together, origin: 'learned', alternative: true };
    if (held) {
      const h = held.get(pair);
      if (!h || h.documents === 0 || (together >= 2 && h.together / h.documents < o.minHeldOutPrecision)) continue;
      row.heldOut = h;
    }
    rows.push(row);
  }
  return rows;
}
