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
 */
export interface CodeRange {
  from: string;
  to: string;
}

/** True when `key` lies in the range (ICD-10 keys order correctly as plain strings: I15 < I1A). */
export function inRange(key: string, range: CodeRange): boolean {
  return key >= range.from && (key <= range.to || key.startsWith(range.to));
}

// A code reference: letter, digit, alphanumeric, optional dot and 1–4 more, and an optional
// ".-" or "-" meaning "and its children" (a dash followed by a code is a range instead).
const REF = String.raw`[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?:\.?-(?![A-Z0-9]))?`;
const RANGE_OR_REF = new RegExp(`(${REF})(?:\\s*-\\s*(${REF}))?`, 'g');
const PARENS = /\(([^()]*)\)/g;

/**
 * Code ranges referenced by a note's text. Only references in parentheses count (the
 * tabular writes "(E10.-)", "(O00-O9A)", "(I10-I1A)", "(F01-F09, F20-F29)"), so words
 * like "type 1" or "stage 3" are never mistaken for codes.
 */
export function parseNoteRanges(text: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  PARENS.lastIndex = 0;
  for (let p = PARENS.exec(text); p; p = PARENS.exec(text)) {
    const inside = p[1]!;
    RANGE_OR_REF.lastIndex = 0;
    for (let m = RANGE_OR_REF.exec(inside); m; m = RANGE_OR_REF.exec(inside)) {
      const from = icd10cmKey(m[1]!.replace(/[.-]+$/, ''));
      const to = icd10cmKey((m[2] ?? m[1]!).replace(/[.-]+$/, ''));
      if (from && to) ranges.push({ from, to });
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
