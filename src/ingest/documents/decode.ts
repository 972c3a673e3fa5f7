import iconv from 'iconv-lite';
import { dateInZone, isIsoDate } from '../../run/business-date.js';

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
 * An HL7 date/time (v3 TS in CDA, v2 DTM: YYYYMMDDHHMMSS[.S][±ZZZZ], any precision from the
 * day) as an ISO date; undefined when absent or not a date. A time with an offset is an
 * instant: with `timeZone` it is converted to that zone before the date is taken (a visit at
 * 23:30-05:00 is on the 27th in New York, the 28th in UTC). Without an offset the time is
 * local to the sender, and its date is taken as written.
 */
export function hl7Date(value: string | undefined, timeZone?: string): string | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})?(\d{2})?(?:\.\d+)?)?([+-])?(\d{2})?(\d{2})?/.exec(value.trim()) : null;
  if (!m) return undefined;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (!timeZone || m[4] === undefined || !m[7] || m[8] === undefined) return date;
  // An impossible date or time is left as written, for assembly to refuse (never rolled over).
  if (!isIsoDate(date) || +m[4] > 23 || +(m[5] ?? 0) > 59 || +(m[6] ?? 0) > 59) return date;
  const offsetMinutes = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9] ?? 0));
  return dateInZone(new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4], +(m[5] ?? 0), +(m[6] ?? 0)) - offsetMinutes * 60_000), timeZone);
}

/** An ISO 8601 date-time with an offset or Z (FHIR dateTime/instant) as a date in `timeZone`; a bare date as written. */
export function isoDate(value: string | undefined, timeZone?: string): string | undefined {
  const m = value ? /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?/.exec(value.trim()) : null;
  if (!m) return undefined;
  if (!timeZone || !m[2]) return m[1];
  const t = Date.parse(value!.trim());
  return Number.isNaN(t) ? m[1] : dateInZone(new Date(t), timeZone);
}
