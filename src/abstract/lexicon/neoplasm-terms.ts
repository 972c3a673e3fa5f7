import type { AlphabeticIndex } from '../../codesets/alphabetic-index.js';
import { mostUnspecifiedChild } from '../../codesets/default-child.js';
import type { CodeSet } from '../../codesets/reference-library.js';
import type { Lexicon, LexiconEntry } from './lexicon.js';

// Lexicon terms from the ICD-10-CM Neoplasm Table (compile-lexicon.ts adds them): each site
// row's names with the words that name a behaviour, to the code the row's column gives.

/**
 * How notes name a neoplasm's behaviour, by Neoplasm Table column (ICD-10-CM Guidelines
 * I.C.2: the table is entered by site once the behaviour is known; "tumor", "growth",
 * "neoplasm" without histology is unspecified behaviour; in-situ and uncertain behaviour
 * need the pathologist's words and are left to coding).
 */
export const NEOPLASM_BEHAVIOUR_WORDS = {
  'Malignant Primary': ['cancer', 'carcinoma', 'malignant neoplasm', 'malignant tumor', 'malignancy', 'adenocarcinoma'],
  'Malignant Secondary': ['metastasis', 'metastatic disease', 'secondary malignant neoplasm', 'secondary'],
  Benign: ['benign neoplasm', 'benign tumor', 'adenoma'],
  'Unspecified Behavior': ['tumor', 'neoplasm', 'neoformation', 'neoplasia'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The billable code a table cell or index entry stands for: "C64.-" and "C34.9-" name a
 * code whose remaining characters say the side; without a documented side the default
 * child is the one left most unspecified (and adding no "with" condition), and the lateral
 * children become the entry's laterality map.
 */
export function completeCode(cm: CodeSet, cell: string): { code: string; laterality?: LexiconEntry['laterality'] } | undefined {
  const base = cell.replace(/\.?-+$/, '');
  const info = cm.get(base);
  if (!info) return undefined;
  if (info.billable) return { code: info.code };
  let level = cm.childrenOf(info.code);
  for (let depth = 0; depth < 3 && level.length > 0; depth++) {
    const billable = level.filter((c) => c.billable);
    const unspecified = mostUnspecifiedChild(billable);
    if (unspecified) {
      // Side siblings whose titles leave nothing else unspecified: a laterality map caps an
      // entry read without a side (C34.9-'s right and left children, "unspecified part of
      // right bronchus or lung", are not taken; with them "malignant neoplasm of the lung"
      // lost to the Neoplasm Table's unspecified-behaviour reading).
      const side = (re: RegExp) => billable.find((c) => re.test(c.title) && !/unspecified/i.test(c.title))?.code;
      const right = side(/\bright\b/i);
      const left = side(/\bleft\b/i);
      const bilateral = side(/\bbilateral\b/i);
      const laterality = right || left ? { unspecified: unspecified.code, ...(right ? { right } : {}), ...(left ? { left } : {}), ...(bilateral ? { bilateral } : {}) } : undefined;
      return { code: unspecified.code, ...(laterality ? { laterality } : {}) };
    }
    level = level.flatMap((c) => cm.childrenOf(c.code));
  }
  return undefined;
}

/**
 * The names a Neoplasm Table row gives its site. A comma either joins two names of the site
 * ("abdomen, abdominal", "nose, nasal", "spleen, splenic") or writes a phrase the Index way,
 * head first ("stump, cervical" is the cervical stump, C53.8; "calyx, renal" the renal calyx,
 * C65.-; "lingula, lung"): read alone, "cervical" or "renal" would make "cervical cancer" and
 * "renal cancer" the stump's and the calyx's. Two names of one site begin with the same two
 * letters, or with the same letter when the second is an adjective ("nose, nasal"). "disease,
 * generalized" (C80.0) is generalized neoplastic disease: "generalized cancer".
 */
export function neoplasmSiteNames(title: string): string[] {
  // "brain NEC" (C71.9), "skin NOS" (C44.90): the site itself, where no entry below says more.
  const parts = title.replace(/\([^)]*\)/g, ' ').replace(/\b(?:NEC|NOS)\b/g, ' ').split(',').map((x) => x.trim().toLowerCase())
    .filter((x) => x.length > 2 && !/\b(?:(?:un)?specified|other|see|overlapping)\b/.test(x));
  if (parts.length !== 2) return parts;
  const [head, qualifier] = parts as [string, string];
  const sameSite = head[0] === qualifier[0] && (head.slice(0, 2) === qualifier.slice(0, 2) || /(?:al|ic|ar|ary|ous|eal|ine)$/.test(qualifier));
  if (sameSite) return parts;
  if (head === 'disease') return [qualifier];
  return [qualifier.startsWith('of ') ? `${head} ${qualifier}` : `${qualifier} ${head}`];
}

/**
 * Neoplasm Table sites with the words that name a behaviour: "kidney" × Malignant Primary
 * → "kidney cancer", "carcinoma of kidney" (C64.9, C64.1/C64.2 by side); "liver" ×
 * Secondary → "liver metastasis" (C78.7). Sites one level down read "{subsite} {site}"
 * ("pelvis kidney" finds "renal pelvis"). Words in any order within a statement match.
 */
export function addNeoplasmTerms(lexicon: Lexicon, index: AlphabeticIndex, cm: CodeSet, weight: number): void {
  const bySeq = new Map(index.terms.map((t) => [t.seq, t]));
  for (const term of index.terms) {
    if ((term.level !== 1 && term.level !== 2) || !term.cells) continue;
    let names = neoplasmSiteNames(term.title);
    if (term.level === 2) {
      const parent = term.parent === undefined ? undefined : bySeq.get(term.parent);
      const parentNames = parent ? neoplasmSiteNames(parent.title) : [];
      names = names.flatMap((n) => parentNames.slice(0, 1).map((p) => `${n} ${p}`));
    }
    for (const [column, words] of Object.entries(NEOPLASM_BEHAVIOUR_WORDS)) {
      const cell = term.cells[column];
      if (!cell || cell === '-' || cell === '--') continue;
      const completed = completeCode(cm, cell);
      if (!completed) continue;
      const title = cm.title(completed.code) ?? completed.code;
      const detail = `Neoplasm Table: ${term.title}, ${column} → ${cell}`;
      names.forEach((site, i) => {
        // A row's second name is its adjective ("cerebrum, cerebral"), and may read as another
        // row's site ("cerebral" folds to "brain"): a hair weaker, so "brain cancer" is the
        // "brain NEC" row's C71.9 rather than the cerebrum's C71.0.
        const w = i === 0 ? weight : weight * 0.99;
        for (const word of words) {
          for (const text of [`${site} ${word}`, `${word} of ${site}`]) {
            lexicon.add({
              code: completed.code, system: 'ICD-10-CM', title, term: text, source: 'index', weight: w, symptom: false, detail,
              ...(completed.laterality ? { laterality: completed.laterality } : {}),
            });
          }
        }
      });
    }
  }
}
