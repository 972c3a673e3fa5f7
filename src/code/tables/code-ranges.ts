import { icd10cmKey } from '../../codesets/icd10cm-code.js';

/**
 * A set of ICD-10-CM codes written the way coders write them: a prefix ("E11" is E11 and
 * every code under it; "N18.3" is N18.3 and its children) or a range of categories
 * ("A00-B99": every category from A00 through B99 and their children).
 */
export type CodeSpec = string;

/** Specs parsed once: a prefix, or the two bounds of a range (lookup keys). */
const parsed = new Map<string, { from: string; to?: string }>();

function parse(spec: CodeSpec): { from: string; to?: string } {
  let p = parsed.get(spec);
  if (!p) {
    const dash = spec.indexOf('-');
    p = dash < 0 ? { from: icd10cmKey(spec) ?? spec } : { from: icd10cmKey(spec.slice(0, dash))!, to: icd10cmKey(spec.slice(dash + 1))! };
    parsed.set(spec, p);
  }
  return p;
}

export function matchesSpec(key: string, spec: CodeSpec): boolean {
  const { from, to } = parse(spec);
  if (to === undefined) return key.startsWith(from);
  return key >= from && (key <= to || key.startsWith(to));
}

export function matchesAny(key: string, specs: readonly CodeSpec[]): boolean {
  for (const s of specs) if (matchesSpec(key, s)) return true;
  return false;
}
