import iconv from 'iconv-lite';

/** Decodes a document's bytes by its BOM or XML declaration (UTF-8 when none); invalid UTF-8 is refused, not guessed. */
export function decodeDocumentBytes(bytes: Buffer): string | { error: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes, 'utf-16be');
  const head = bytes.subarray(0, 200).toString('latin1');
  const declared = /encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  if (declared === 'utf-8' || declared === 'utf8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { error: 'bytes are not valid UTF-8 (the document declares or defaults to UTF-8)' };
    }
  }
  if (!iconv.encodingExists(declared)) return { error: `unknown declared encoding "${declared}"` };
  return iconv.decode(bytes, declared);
}

/**
 * An HL7 date/time (v3 TS in CDA, v2 DTM: YYYYMMDDHHMMSS±ZZZZ, any precision from the day)
 * as an ISO date; undefined when absent or not a date.
 */
export function hl7Date(value: string | undefined): string | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})/.exec(value) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}
