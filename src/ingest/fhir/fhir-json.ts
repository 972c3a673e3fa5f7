/**
 * Checks on JSON text before and after parsing, for the FHIR reader: where a syntax error
 * is, how deep the text nests, and whether a parsed value can be a resource at all.
 */
type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/**
 * Where JSON.parse failed. V8 says "at position N" in some versions and quotes the text
 * around the error in others (`…"entry": [\n}" is not valid JSON`); the quote is found in
 * the text. "Unexpected end" is the end of the text.
 */
export function jsonErrorPosition(text: string, message: string): number {
  const at = /position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (/unexpected end/i.test(message)) return text.length;
  const quoted = /"([\s\S]*)" is not valid JSON/.exec(message)?.[1]?.replace(/^\.\.\./, '').replace(/\.\.\.$/, '');
  if (quoted) {
    const i = text.indexOf(quoted);
    if (i >= 0) return i + quoted.length - 1;
  }
  return 0;
}

/**
 * Arrays and objects nested deeper than this are refused before parsing: real resources nest
 * a few dozen levels, and a resource nested 10,000 deep parses but overflows the stack of
 * every recursive walk afterwards (JSON.stringify among them).
 */
export const MAX_JSON_DEPTH = 128;

/** The deepest nesting of arrays and objects in JSON text, counted outside strings in one pass. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) { if (++depth > max) max = depth; }
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/**
 * Why a JSON object cannot be a FHIR resource: no resourceType, or one that is not a resource
 * type name (FHIR resource type names are letters, starting upper-case). Unknown but
 * well-formed types are other resources this reader does not use.
 */
export function resourceProblem(r: unknown): string | undefined {
  const type = obj(r)?.resourceType;
  if (type === undefined) return 'JSON without resourceType';
  if (typeof type !== 'string' || !/^[A-Z][A-Za-z]{1,63}$/.test(type)) return `resourceType ${JSON.stringify(type).slice(0, 70)} is not a FHIR resource type name`;
  return undefined;
}

/** The 1-based line of a character position, for JSON syntax errors in a whole-file bundle. */
export function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
