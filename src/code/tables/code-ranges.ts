import { icd10cmKey } from '../../codesets/icd10cm-code.js';

/**
 * A set of ICD-10-CM codes written the way coders write them: a prefix ("E11" is E11 and
 * every code under it; "N18.3" is N18.3 and its children) or a range of categories
 * ("A00-B99": every category from A00 through B99 and their children).
 */
export type CodeSpec = string;

/** A spec parsed: a prefix, or the two bounds of a range (lookup keys). */
interface ParsedSpec {
  from: string;
  to?: string;
}

function parse(spec: CodeSpec): ParsedSpec {
  const dash = spec.indexOf('-');
  return dash < 0 ? { from: icd10cmKey(spec) ?? spec } : { from: icd10cmKey(spec.slice(0, dash))!, to: icd10cmKey(spec.slice(dash + 1))! };
}

function inSpec(key: string, { from, to }: ParsedSpec): boolean {
  if (to === undefined) return key.startsWith(from);
  return key >= from && (key <= to || key.startsWith(to));
}

/**
 * Lists parsed once each: the lists are the coding tables' constants, looked up for every
 * code of every record (one lookup per list rather than one per spec).
 */
const parsedLists = new WeakMap<readonly CodeSpec[], readonly ParsedSpec[]>();

export function matchesAny(key: string, specs: readonly CodeSpec[]): boolean {
  let list = parsedLists.get(specs);
  if (!list) parsedLists.set(specs, (list = specs.map(parse)));
  for (const p of list) if (inSpec(key, p)) return true;
  return false;
}
