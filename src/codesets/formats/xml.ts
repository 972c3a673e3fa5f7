import { XMLParser, type X2jOptions } from 'fast-xml-parser';

export class XmlFormatError extends Error {}

/**
 * Parses a release XML document with values kept as strings, naming the file and the
 * line when it is not well formed (a truncated download, most often).
 */
export function parseReleaseXml(xml: string, fileName: string, options: Partial<X2jOptions>): Record<string, unknown> {
  const parser = new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false,
    processEntities: true, htmlEntities: false, ...options,
  });
  try {
    return parser.parse(xml, true) as Record<string, unknown>;
  } catch (err) {
    const e = (err as { err?: { msg?: string; line?: number } }).err;
    throw new XmlFormatError(`${fileName}: not well-formed XML${e?.line ? ` at line ${e.line}` : ''}: ${e?.msg ?? (err as Error).message}`);
  }
}

/** The text of a parsed element (plain or with attributes/children), whitespace collapsed. */
export function xmlText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.replace(/\s+/g, ' ').trim();
  if (typeof v === 'object' && '#text' in (v as Record<string, unknown>)) return xmlText((v as Record<string, unknown>)['#text']);
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}
