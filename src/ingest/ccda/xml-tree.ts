import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A small ordered XML tree over fast-xml-parser's `preserveOrder` output. Order matters in
 * clinical documents: a section's narrative is mixed content (text, <content>, <br/>,
 * tables) whose reading order is the text abstraction needs. Values stay strings
 * (`parseTagValue: false`, `parseAttributeValue: false`: a code "0450" stays "0450"),
 * namespace prefixes are dropped (`sdtc:`, `xsi:type` → `type`).
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** XPath-like location: /ClinicalDocument/component/structuredBody/component[3]/section */
  path: string;
}
export type XmlNode = XmlElement | { text: string };

const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  removeNSPrefix: true,
  trimValues: false,
  // Standard XML entities only; DOCTYPE-declared entities are refused before parsing.
  processEntities: true,
  htmlEntities: false,
});

export class XmlSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

type Raw = Record<string, unknown>;

function build(raw: Raw[], parentPath: string): XmlNode[] {
  const out: XmlNode[] = [];
  const seen = new Map<string, number>();
  for (const item of raw) {
    const keys = Object.keys(item).filter((k) => k !== ':@');
    const key = keys[0];
    if (key === undefined) continue;
    if (key === '#text') {
      out.push({ text: String(item[key]) });
      continue;
    }
    if (key.startsWith('?') || key === '#comment') continue;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const path = `${parentPath}/${key}${n > 1 ? `[${n}]` : ''}`;
    const attrs = (item[':@'] as Record<string, string> | undefined) ?? {};
    out.push({ name: key, attrs, children: build((item[key] as Raw[]) ?? [], path), path });
  }
  return out;
}

/** Parses a whole document after a syntax check that reports line and column. */
export function parseXmlTree(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: true });
  if (valid !== true) throw new XmlSyntaxError(valid.err.msg, valid.err.line, valid.err.col);
  const roots = build(PARSER.parse(xml) as Raw[], '').filter((n): n is XmlElement => 'name' in n);
  const root = roots[0];
  if (!root) throw new XmlSyntaxError('no root element', 1, 1);
  return root;
}

export function isElement(n: XmlNode | undefined): n is XmlElement {
  return n !== undefined && 'name' in n;
}

export function elements(e: XmlElement | undefined, name?: string): XmlElement[] {
  if (!e) return [];
  return e.children.filter((c): c is XmlElement => isElement(c) && (name === undefined || c.name === name));
}

export function first(e: XmlElement | undefined, name: string): XmlElement | undefined {
  return e?.children.find((c): c is XmlElement => isElement(c) && c.name === name);
}

/** Follows a chain of child names, taking the first match at each step. */
export function at(e: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = e;
  for (const n of names) cur = first(cur, n);
  return cur;
}

/** Every descendant (depth first) with that name. */
export function descendants(e: XmlElement | undefined, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of elements(e)) {
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}

/** Plain text content, in document order. */
export function textOf(e: XmlElement | undefined): string {
  if (!e) return '';
  let s = '';
  for (const c of e.children) s += isElement(c) ? textOf(c) : c.text;
  return s;
}

const BLOCK = new Set(['paragraph', 'br', 'tr', 'item', 'list', 'table', 'thead', 'tbody', 'caption', 'title']);

/**
 * Narrative text of a CDA section: paragraphs and table rows on their own lines, list items
 * as "- " bullets, table cells separated by " | ", whitespace runs collapsed within a line.
 */
export function narrativeOf(e: XmlElement | undefined): string {
  if (!e) return '';
  const parts: string[] = [];
  const walk = (n: XmlElement) => {
    for (const c of n.children) {
      if (!isElement(c)) {
        parts.push(c.text);
        continue;
      }
      if (c.name === 'td' || c.name === 'th') parts.push(' | ');
      // A list item is a bullet: each item is its own statement ("Type 2 diabetes" is not
      // resolved because the next item is).
      if (c.name === 'item') parts.push('\n- ');
      walk(c);
      if (BLOCK.has(c.name)) parts.push('\n');
    }
  };
  walk(e);
  return parts.join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\r]+/g, ' ').replace(/^\s*\|\s*/, '').replace(/\s*\|\s*$/, '').trim())
    .filter((line) => line.length > 0 && line !== '-')
    .join('\n');
}
