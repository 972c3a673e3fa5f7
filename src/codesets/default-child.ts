import type { CodeInfo } from './reference-library.js';

/**
 * Tabular conventions for the code a term stands for when the documentation says no more:
 * the default child of a category or subcategory (Guidelines I.A.18 default codes, I.B.2),
 * and the side siblings of an unspecified-side code (I.B.13). Used where a candidate is
 * refined for a claim (coding) and where an index or table entry is completed (lexicon).
 */

/** A title's words, lower case, without punctuation. */
export const titleWords = (title: string) => title.toLowerCase().replace(/[(),]/g, ' ').split(/\s+/).filter(Boolean);

/**
 * A title that is another with one word in place of one "unspecified", in any order:
 * "Pain in right knee" for "Pain in unspecified knee", "Pain in right leg" for "Pain in leg,
 * unspecified", "Unspecified sprain of right wrist" for "Unspecified sprain of unspecified wrist".
 */
export function sameButOne(title: string, word: string, unspecifiedTitle: string): boolean {
  const without = (list: string[], w: string) => {
    const i = list.indexOf(w);
    return i < 0 ? undefined : [...list.slice(0, i), ...list.slice(i + 1)].sort().join(' ');
  };
  const mine = without(titleWords(title), word);
  return mine !== undefined && mine === without(titleWords(unspecifiedTitle), 'unspecified');
}

/** How many times a title says "unspecified": how much of the condition it leaves open. */
export const unspecifiedCount = (title: string) => title.match(/\bunspecified\b/gi)?.length ?? 0;

/** A title that adds a condition "with" the one named (never a default, Guidelines I.A.15). */
export const addsWith = (title: string) => /\bwith\b/i.test(title);

/**
 * The child a coder takes when the documentation names none of the others: the one that
 * leaves the most unspecified ("Unspecified sprain of unspecified wrist", not "Unspecified
 * sprain of right wrist", whose own word "unspecified" is about the kind of sprain), and
 * never one that adds a condition "with" it (K26.4 "Chronic or unspecified duodenal ulcer
 * with hemorrhage" for K26: the "with" codes need the linked condition documented,
 * Guidelines I.A.15; K26.9 "..., unspecified as acute or chronic, without hemorrhage or perforation").
 */
export function mostUnspecifiedChild(children: readonly CodeInfo[]): CodeInfo | undefined {
  let best: CodeInfo | undefined;
  let most = 0;
  for (const c of children) {
    if (addsWith(c.title)) continue;
    const n = unspecifiedCount(c.title);
    if (n > most) {
      best = c;
      most = n;
    }
  }
  return best;
}

/** The sibling that is `code` with `side` ("right", "left", "bilateral") named instead of "unspecified". */
export function sideSibling(code: CodeInfo, siblings: readonly CodeInfo[], side: string): CodeInfo | undefined {
  return siblings.find((s) => s.key !== code.key && sameButOne(s.title, side, code.title));
}
