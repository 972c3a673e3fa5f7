/**
 * Sentence splitting that survives the punctuation of clinical text: abbreviations
 * ("Dr.", "vs.", "e.g."), decimals ("3.5 mg"), numbered lists and bullets. A line
 * break also ends a sentence when the next line starts a list item or the line is short.
 */
export interface Span {
  start: number;
  end: number;
}

const ABBREVIATIONS = new Set([
  'dr', 'mr', 'mrs', 'ms', 'vs', 'v', 'e.g', 'i.e', 'etc', 'approx', 'pt', 'pts', 'hx', 'dx', 'rx', 'tx', 'sx',
  'no', 'st', 'mg', 'mcg', 'ml', 'min', 'max', 'wk', 'wks', 'yr', 'yrs', 'mo', 'b.i.d', 'b.i.d', 't.i.d', 'q.d', 'p.o', 'a.m', 'p.m', 'fig', 'inc', 'jr', 'sr',
]);

const BULLET = /^[ \t]*(?:[-*•]|\d{1,2}[.)]|[a-z][.)])[ \t]+/;

export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const spans: Span[] = [];
  let start = from;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) spans.push({ start: s, end: e });
    start = end;
  };
  for (let i = from; i < to; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      // Blank line, bullet on the next line, or a line without final punctuation that is a list entry.
      const nextLine = text.slice(i + 1, Math.min(to, i + 80));
      if (text[i + 1] === '\n' || text[i + 1] === '\r' || BULLET.test(nextLine) || /^[ \t]*[A-Z][A-Za-z /&]{0,48}:/.test(nextLine)) {
        push(i + 1);
      }
      continue;
    }
    if (ch === ';' ) continue;
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    if (ch === '.') {
      const prev = text[i - 1] ?? '';
      const next = text[i + 1] ?? '';
      if (/\d/.test(prev) && /\d/.test(next)) continue; // decimal
      // The word before the period.
      let w = i - 1;
      while (w >= from && /[A-Za-z.]/.test(text[w]!)) w--;
      const word = text.slice(w + 1, i).toLowerCase();
      // A single letter is an initial ("J. Smith") unless it ends a hyphenated word ("hepatitis-C.").
      if (ABBREVIATIONS.has(word) || (/^[a-z]$/.test(word) && text[w] !== '-')) continue;
      if (isListNumber(text, from, i)) continue;
    }
    const next = text[i + 1];
    if (next === undefined || /\s/.test(next)) push(i + 1);
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
