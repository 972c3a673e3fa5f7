/**
 * Sentence splitting that survives the punctuation of clinical text: abbreviations
 * ("Dr.", "vs.", "e.g."), decimals ("3.5 mg"), numbered lists and bullets. A line
 * break also ends a sentence before a blank line, a list item or a "Header:" line.
 */
export interface Span {
  start: number;
  end: number;
}

const ABBREVIATIONS = new Set([
  'dr', 'mr', 'mrs', 'ms', 'vs', 'v', 'e.g', 'i.e', 'etc', 'approx', 'pt', 'pts', 'hx', 'dx', 'rx', 'tx', 'sx',
  'no', 'st', 'mg', 'mcg', 'ml', 'min', 'max', 'wk', 'wks', 'yr', 'yrs', 'mo', 'b.i.d', 'b.i.d', 't.i.d', 'q.d', 'p.o', 'a.m', 'p.m', 'fig', 'inc', 'jr', 'sr',
]);

/** Longest abbreviation, with its inner dots ("approx", "b.i.d"), plus one. */
const ABBREVIATION_LOOKBACK = 8;

const BULLET = /^[ \t]*(?:[-*•]|\d{1,2}[.)]|[a-z][.)])[ \t]+/;

/** Characters that can end a sentence; the scan jumps from one to the next. */
const CANDIDATE = /[\n.!?]/g;
const BULLET_AT = new RegExp(BULLET.source.replace(/^\^/, ''), 'y');
const HEADER_AT = /[ \t]*[A-Z][A-Za-z /&]{0,48}:/y;

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 160;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetterOrDot = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46;

export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const spans: Span[] = [];
  let start = from;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) spans.push({ start: s, end: e });
    start = end;
  };
  CANDIDATE.lastIndex = from;
  for (let m = CANDIDATE.exec(text); m && m.index < to; m = CANDIDATE.exec(text)) {
    const i = m.index;
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      // Blank line, bullet on the next line, or a line that starts with a header.
      const after = text.charCodeAt(i + 1);
      BULLET_AT.lastIndex = i + 1;
      HEADER_AT.lastIndex = i + 1;
      if (after === 10 || after === 13 || (i + 1 < to && (BULLET_AT.test(text) || HEADER_AT.test(text)))) push(i + 1);
      continue;
    }
    if (ch === 46) {
      if (isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 1))) continue; // decimal
      // The word before the period: abbreviations are short, so the look back stops after a
      // few characters (a run of "a.b.a.b…" must not be rescanned at every dot).
      let w = i - 1;
      while (w >= from && w >= i - ABBREVIATION_LOOKBACK && isLetterOrDot(text.charCodeAt(w))) w--;
      if (w >= from && w < i - ABBREVIATION_LOOKBACK) w = i; // longer than any abbreviation: not one
      const word = text.slice(w + 1, i).toLowerCase();
      // A single letter is an initial ("J. Smith") unless it ends a hyphenated word ("hepatitis-C.").
      if (ABBREVIATIONS.has(word) || (/^[a-z]$/.test(word) && text[w] !== '-')) continue;
      if (isListNumber(text, from, i)) continue;
    }
    const next = text.charCodeAt(i + 1);
    if (i + 1 >= text.length || isSpace(next)) push(i + 1);
  }
  push(to);
  return spans;
}

/** "1." or "12." at the start of a line is a list number, not a sentence end. */
function isListNumber(text: string, from: number, dot: number): boolean {
  let j = dot - 1;
  while (j >= from && j > dot - 3 && /\d/.test(text[j]!)) j--;
  if (j === dot - 1) return false;
  while (j >= from && (text[j] === ' ' || text[j] === '\t')) j--;
  return j < from || text[j] === '\n';
}
