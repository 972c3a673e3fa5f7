/**
 * The alternatives at the top level of a regular expression's source ("a|b(?:c|d)" → "a",
 * "b(?:c|d)"): escapes and character classes are passed over, groups kept whole. Shared by
 * the stages that build one pattern out of many (assertion triggers, status rules).
 */
export function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      while (i + 1 < source.length && source[++i] !== ']') if (source[i] === '\\') i++;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === '|' && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out;
}
