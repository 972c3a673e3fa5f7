import type { Lexicon } from './lexicon.js';

/**
 * Codes abstraction infers rather than reads as a term (a BMI's Z68 code from its value, an
 * acquired absence Z90 or an implant's presence Z95/Z96 from a past procedure) come from
 * these categories only.
 */
const INFERRED_CATEGORIES = ['Z68', 'Z3A', 'Z90', 'Z95', 'Z96'];

/** Titles of the inferred categories' codes a lexicon's release has; found once per lexicon (again if entries were added since). */
const TITLES = new WeakMap<Lexicon, { entries: number; titles: ReadonlyMap<string, string> }>();

/**
 * The title of an inferred ICD-10-CM code in the lexicon's release, or undefined when the
 * release lacks it (no code set imported, or a release before the code): no candidate then,
 * since a claim cannot carry it.
 */
export function inferredCodeTitle(lexicon: Lexicon, code: string): string | undefined {
  let known = TITLES.get(lexicon);
  if (known?.entries !== lexicon.entryCount) {
    const titles = new Map<string, string>();
    for (const e of lexicon.entries()) {
      if (e.system !== 'ICD-10-CM' || !INFERRED_CATEGORIES.includes(e.code.slice(0, 3))) continue;
      if (!titles.has(e.code) || e.source === 'tabular-title') titles.set(e.code, e.title);
    }
    TITLES.set(lexicon, (known = { entries: lexicon.entryCount, titles }));
  }
  return known.titles.get(code);
}
