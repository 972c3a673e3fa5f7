/**
 * ICD-10-CM code forms. Input may be written `E11.9`, `E119` or `e11.9`; the key used
 * in lookups has no dot and upper case (`E119`), the display form has the dot after the
 * third character (`E11.9`). ICD-10-CM Official Guidelines, Section I.A: codes are 3–7
 * characters, a letter, a digit, an alphanumeric, then a dot and up to four more.
 */
const ICD10CM_KEY = /^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$/;

/** The lookup key of a code as written, or undefined when it cannot be an ICD-10-CM code. */
export function icd10cmKey(input: string): string | undefined {
  const key = input.trim().toUpperCase().replace('.', '');
  return ICD10CM_KEY.test(key) ? key : undefined;
}

export function icd10cmDisplay(key: string): string {
  return key.length > 3 ? `${key.slice(0, 3)}.${key.slice(3)}` : key;
}

/**
 * A range of codes named in a tabular note: "(E10.-)" is every code under E10;
 * "(A00-A09)" every code from A00 through A09 and their children; "(B20)" B20 and its
 * children. Bounds are lookup keys; `to` covers its own children (prefix match).
 * "(E08-E13 with .44)" names only the codes of the range that go on with those characters
 * (E08.44, E09.44 … E13.44): `suffixes` holds them, each a span of equal-length character
 * strings compared right after the range's own characters (".51-.52": 51 through 52; ".61-":
 * 61 and its children; "(B27.0-B27.9 with .9)": B27.09 … B27.99).
 */
export interface CodeRange {
  from: string;
  to: string;
  suffixes?: { from: string; to: string }[];
}

/** True when `key` lies in the range (ICD-10 keys order correctly as plain strings: I15 < I1A). */
export function inRange(key: string, range: CodeRange): boolean {
  if (key < range.from || (key > range.to && !key.startsWith(range.to))) return false;
  const suffixes = range.suffixes;
  if (!suffixes) return true;
  for (const s of suffixes) {
    const part = key.slice(range.from.length, range.from.length + s.from.length);
    if (part.length === s.from.length && part >= s.from && part <= s.to) return true;
  }
  return false;
}

// A code reference: letter, digit, alphanumeric, optional dot and 1–4 more, and an optional
// ".-" or "-" meaning "and its children" (a dash followed by a code is a range instead).
const REF = String.raw`[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?:\.?-(?![A-Z0-9]))?`;
const RANGE_OR_REF = new RegExp(`(${REF})(?:\\s*-\\s*(${REF}))?`, 'g');
const PARENS = /\(([^()]*)\)/g;
/** "with" and the characters that follow the references: "with .51-.52", "with .15. .25, .95" (sic). */
const WITH_SUFFIXES = /,?\s*\bwith\s+(\.[0-9A-Z].*)$/;
const SUFFIX = /\.([0-9A-Z]+)(?:-\.([0-9A-Z]+))?/g;

/**
 * Code ranges referenced by a note's text. Only references in parentheses count (the
 * tabular writes "(E10.-)", "(O00-O9A)", "(I10-I1A)", "(F01-F09, F20-F29)"), so words
 * like "type 1" or "stage 3" are never mistaken for codes. A "with" clause narrows every
 * reference of its parentheses ("(F10, F13, F19 with .26, .96)").
 */
export function parseNoteRanges(text: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  PARENS.lastIndex = 0;
  for (let p = PARENS.exec(text); p; p = PARENS.exec(text)) {
    let inside = p[1]!;
    let suffixes: { from: string; to: string }[] | undefined;
    const w = WITH_SUFFIXES.exec(inside);
    if (w) {
      inside = inside.slice(0, w.index);
      suffixes = [];
      SUFFIX.lastIndex = 0;
      for (let s = SUFFIX.exec(w[1]!); s; s = SUFFIX.exec(w[1]!)) {
        const to = s[2] ?? s[1]!;
        if (to.length === s[1]!.length) suffixes.push({ from: s[1]!, to });
      }
    }
    RANGE_OR_REF.lastIndex = 0;
    for (let m = RANGE_OR_REF.exec(inside); m; m = RANGE_OR_REF.exec(inside)) {
      const from = icd10cmKey(m[1]!.replace(/[.-]+$/, ''));
      const to = icd10cmKey((m[2] ?? m[1]!).replace(/[.-]+$/, ''));
      if (from && to) ranges.push(suffixes?.length ? { from, to, suffixes } : { from, to });
    }
  }
  return ranges;
}

/**
 * The code with a 7th character, the placeholder X filling positions 5–6 when the code
 * is shorter than six characters (Guidelines Section I.A.4–5, "Placeholder character" and "7th Characters").
 */
export function withSeventhCharacter(key: string, seventh: string): string {
  return `${key.padEnd(6, 'X')}${seventh}`;
}
