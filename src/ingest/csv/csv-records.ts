import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';

/**
 * The CSV reader of staging: physical lines, then records made of them, with boundaries a
 * stray quote cannot move. csv-parse (which reads headers and the code-set files) lets an
 * opening quote run to the next quote wherever it is, so one `"` in an encounters file
 * swallowed 150 encounters into one unreadable row; an LF alone inside a CRLF file joined
 * two records. Here:
 * - every line ending (CRLF, LF, CR) ends a line, wherever the file's own convention;
 * - a quoted field may continue onto the next lines only in a column the mapping reads as
 *   text (notes), and then for at most `maxFieldLines` lines and its column's length limit;
 *   a quote left open anywhere else ends the row at its own line as INGEST_UNTERMINATED_QUOTE,
 *   and reading resumes at the next line, so the records after it are read as records;
 * - each line is decoded on its own (ASCII-compatible encodings), so bytes invalid in the
 *   declared encoding mark the record they are in (INGEST_INVALID_ENCODING) instead of
 *   turning silently into U+FFFD.
 * The fields of a well-formed file are exactly csv-parse's (RFC 4180 with `""` escapes; a
 * quote inside an unquoted field is kept as written), which the tests check property-wise.
 */
export interface CsvLine {
  text: string;
  /** The line's own terminator ('' on the last line without one). */
  eol: string;
  line: number;
  /** Bytes that are not valid in the declared encoding. */
  invalid: boolean;
}

export type CsvEncoding = 'utf-8' | 'latin1' | 'windows-1252' | 'utf-16le' | 'utf-16be';

const QUOTE = 0x22;
const LF = 10;
const CR = 13;

/** Bytes windows-1252 leaves undefined. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

function decodeLine(bytes: Buffer, encoding: CsvEncoding, fatal: TextDecoder | undefined): { text: string; invalid: boolean } {
  if (encoding === 'utf-8') {
    try {
      return { text: fatal!.decode(bytes), invalid: false };
    } catch {
      return { text: bytes.toString('utf8'), invalid: true };
    }
  }
  let invalid = false;
  if (encoding === 'windows-1252') for (const b of bytes) if (CP1252_UNDEFINED.has(b)) invalid = true;
  return { text: iconv.decode(bytes, encoding), invalid };
}

/** Splits a text (UTF-16 files, decoded whole) into lines with their own terminators. */
function* textLines(text: string, first: number): Iterable<CsvLine> {
  let n = first;
  let at = 0;
  while (at < text.length) {
    let end = at;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    const eol = text.startsWith('\r\n', end) ? '\r\n' : end < text.length ? text[end]! : '';
    yield { text: text.slice(at, end), eol, line: n++, invalid: false };
    at = end + eol.length;
  }
}

/**
 * The file's lines, streamed: split at byte level (LF, CRLF and a CR alone), each decoded in
 * the declared encoding; a UTF-8 byte-order mark is dropped. UTF-16 files (BOM-marked or
 * declared) are decoded as a whole, then split. The lines come in batches, one per chunk
 * read: one await per 64 KiB instead of one per line.
 */
export async function* readCsvLineBatches(path: string, encoding: CsvEncoding): AsyncIterable<CsvLine[]> {
  const stream = createReadStream(path);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const chunks: Buffer[] = [];
    for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
    const text = iconv.decode(Buffer.concat(chunks), encoding).replace(/^\uFEFF/, '');
    yield [...textLines(text, 1)];
    return;
  }
  const fatal = encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: true }) : undefined;
  let carry: Buffer = Buffer.alloc(0);
  let n = 1;
  let first = true;
  const emit = (bytes: Buffer, eol: string): CsvLine => {
    let b = bytes;
    if (first) {
      first = false;
      if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    }
    const { text, invalid } = decodeLine(b, encoding, fatal);
    return { text, eol, line: n++, invalid };
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const lines: CsvLine[] = [];
    let start = 0;
    // The next LF and the next CR at or after `start`, found by Buffer.indexOf (memchr), each
    // searched again only once passed: -1 when the chunk has none left (an LF file has no CR).
    let lf = buf.indexOf(LF, start);
    let cr = buf.indexOf(CR, start);
    while (lf >= 0 || cr >= 0) {
      const i = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      // A CR ending the chunk: the next chunk says whether it is a CRLF (the line waits for it).
      if (i === cr && i === buf.length - 1) break;
      const crlf = i === cr && buf[i + 1] === LF;
      lines.push(emit(buf.subarray(start, i), crlf ? '\r\n' : i === cr ? '\r' : '\n'));
      start = crlf ? i + 2 : i + 1;
      if (lf >= 0 && lf < start) lf = buf.indexOf(LF, start);
      if (cr >= 0 && cr < start) cr = buf.indexOf(CR, start);
    }
    carry = start < buf.length ? Buffer.from(buf.subarray(start)) : Buffer.alloc(0);
    if (lines.length > 0) yield lines;
  }
  if (carry.length > 0) yield [carry[carry.length - 1] === CR ? emit(carry.subarray(0, carry.length - 1), '\r') : emit(carry, '')];
}

export interface RawRecord {
  fields: string[];
  /** First and last physical line of the record. */
  line: number;
  lastLine: number;
  /** The record's text held bytes invalid in the declared encoding. */
  invalid: boolean;
  /** A record that could not be read: its code and why. */
  error?: { code: 'INGEST_UNTERMINATED_QUOTE'; message: string };
}

export interface SplitterOptions {
  delimiter: string;
  /** Columns (0-based) where a quoted field may span lines: the text columns. */
  multiline: (column: number) => boolean;
  /** The longest a field of the column may grow while its quote is open. */
  maxFieldChars: (column: number) => number;
  /** Lines a quoted field may span in a multi-line column. */
  maxFieldLines: number;
}

/**
 * Records from lines, incrementally: `push` returns the records a line completes. A record
 * whose quote runs past its limits comes back as an error for its first line, and the lines
 * after it are read again as records of their own (at most `maxFieldLines` of them).
 */
export class RecordSplitter {
  private open?: { lines: CsvLine[]; fields: string[]; field: string; quoted: boolean; inQuote: boolean; invalid: boolean };

  constructor(private readonly o: SplitterOptions) {}

  push(line: CsvLine): RawRecord[] {
    const out: RawRecord[] = [];
    this.feed(line, out);
    return out;
  }

  /** At the end of the file: a record still open is an unterminated quote. */
  end(): RawRecord[] {
    const out: RawRecord[] = [];
    while (this.open) {
      const replay = this.fail(out, 'the file ends inside a quoted field');
      for (const l of replay) this.feed(l, out);
    }
    return out;
  }

  private feed(line: CsvLine, out: RawRecord[]): void {
    if (!this.open) {
      if (line.text === '') return;
      // Fast path: a line without quotes is a record of its own.
      if (!line.text.includes('"')) {
        out.push({ fields: line.text.split(this.o.delimiter), line: line.line, lastLine: line.line, invalid: line.invalid });
        return;
      }
      this.open = { lines: [], fields: [], field: '', quoted: false, inQuote: false, invalid: false };
    }
    const r = this.open;
    if (r.lines.length > 0) r.field += r.lines[r.lines.length - 1]!.eol;
    r.lines.push(line);
    r.invalid ||= line.invalid;
    const { text } = line;
    const delimiter = this.o.delimiter;
    // Runs of plain characters are appended as one slice (a note is thousands of characters
    // between its quotes; appending them one by one was most of staging's parse time).
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (r.inQuote) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          r.field += text.slice(i);
          break;
        }
        r.field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          r.field += '"';
          i = q + 2;
        } else {
          r.inQuote = false;
          i = q + 1;
        }
        continue;
      }
      const ch = text[i]!;
      if (ch === delimiter) {
        r.fields.push(r.field);
        r.field = '';
        r.quoted = false;
        i++;
      } else if (ch === '"' && r.field === '' && !r.quoted) {
        r.inQuote = true;
        r.quoted = true;
        i++;
      } else {
        // Up to the next delimiter or quote (a quote inside an unquoted field is kept as written).
        let j = i + 1;
        while (j < n && text[j] !== delimiter && text.charCodeAt(j) !== QUOTE) j++;
        r.field += text.slice(i, j);
        i = j;
      }
    }
    if (!r.inQuote) {
      r.fields.push(r.field);
      out.push({ fields: r.fields, line: r.lines[0]!.line, lastLine: line.line, invalid: r.invalid });
      this.open = undefined;
      return;
    }
    const column = r.fields.length;
    let why: string | undefined;
    if (!this.o.multiline(column)) why = `a quote opened in column ${column + 1} is not closed on its line`;
    else if (r.lines.length >= this.o.maxFieldLines) why = `a quoted field in column ${column + 1} runs past ${this.o.maxFieldLines} lines without its closing quote`;
    else if (r.field.length > this.o.maxFieldChars(column)) why = `a quoted field in column ${column + 1} runs past ${this.o.maxFieldChars(column)} characters without its closing quote`;
    if (why) for (const l of this.fail(out, `${why}; the row is set aside and reading goes on at the next line`)) this.feed(l, out);
  }

  /** Ends the open record as an error for its first line; returns the lines to read again. */
  private fail(out: RawRecord[], message: string): CsvLine[] {
    const r = this.open!;
    this.open = undefined;
    const first = r.lines[0]!;
    out.push({ fields: r.lines.length === 1 ? [...r.fields, r.field] : r.fields, line: first.line, lastLine: first.line, invalid: first.invalid, error: { code: 'INGEST_UNTERMINATED_QUOTE', message } });
    return r.lines.slice(1);
  }
}
