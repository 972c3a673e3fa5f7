/**
 * A small, careful HL7 v2.x parser (HL7 v2.5.1 Chapter 2, "Control"): messages framed by
 * MLLP (<VT> … <FS><CR>) or separated by lines, batch envelopes (FHS/BHS/BTS/FTS) skipped,
 * delimiters read from each MSH, escape sequences decoded (\F\ \S\ \T\ \R\ \E\ \.br\ \Xhh\).
 * No library: the ones on npm either pull a server stack or leave escapes undecoded.
 */
export interface Hl7Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export interface Hl7Segment {
  id: string;
  /** fields[n] is field n (MSH: fields[1] is the field separator itself, as the standard counts). */
  fields: string[];
  /** 1-based line of the segment in its file. */
  line: number;
}

export interface Hl7Message {
  segments: Hl7Segment[];
  delimiters: Hl7Delimiters;
  /** Line of the MSH segment. */
  line: number;
  /** The message's segments as written, joined by carriage returns (for re-reading it later). */
  raw: string[];
  /** Lines inside the message that are not its segments: the message is refused whole. */
  errors?: Hl7SyntaxError[];
}

export class Hl7SyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/**
 * Splits a file's text into messages. Each MSH starts one; segments before the first MSH
 * other than batch headers are an error (the file is not HL7, or its delimiters are wrong).
 */
export function splitMessages(text: string): { messages: Hl7Message[]; errors: Hl7SyntaxError[] } {
  const messages: Hl7Message[] = [];
  const errors: Hl7SyntaxError[] = [];
  for (const item of iterateMessages(text)) {
    if (item instanceof Hl7SyntaxError) errors.push(item);
    else if (item.errors) errors.push(...item.errors);
    else messages.push(item);
  }
  return { messages, errors };
}

/**
 * The same, one message (or error) at a time, holding only the message being read. A
 * message with lines that are not segments of it comes out with `errors` (the first names
 * the line): it is refused whole, once, not once per bad line. Lines before the first MSH
 * (other than batch headers) are one error for the run of them.
 */
export function* iterateMessages(text: string): Generator<Hl7Message | Hl7SyntaxError> {
  // MLLP framing bytes are removed; their positions never hold data.
  const clean = text.replace(/\u000b/g, '').replace(/\u001c/g, '\r');
  const lineBreak = /\r\n|\r|\n/g;
  let current: Hl7Message | undefined;
  let stray: { first: Hl7SyntaxError; lines: number } | undefined;
  const flushStray = function* (): Generator<Hl7SyntaxError> {
    if (!stray) return;
    const more = stray.lines > 1 ? ` (and ${stray.lines - 1} more line(s) up to the next MSH)` : '';
    yield new Hl7SyntaxError(`${stray.first.message}${more}`, stray.first.line);
    stray = undefined;
  };
  let line = 0;
  let from = 0;
  while (from <= clean.length) {
    lineBreak.lastIndex = from;
    const m = lineBreak.exec(clean);
    const raw = clean.slice(from, m ? m.index : clean.length);
    from = m ? m.index + m[0].length : clean.length + 1;
    line++;
    const seg = raw.replace(/^\s+/, '');
    if (seg.trim() === '') continue;
    const id = seg.slice(0, 3);
    if (id === 'MSH') {
      if (current) yield current;
      yield* flushStray();
      current = undefined;
      const delimiters = readDelimiters(seg, line);
      if (delimiters instanceof Hl7SyntaxError) {
        stray = { first: delimiters, lines: 1 };
        continue;
      }
      current = { segments: [parseSegment(seg, delimiters, line)], delimiters, line, raw: [seg] };
      continue;
    }
    if (['FHS', 'BHS', 'BTS', 'FTS'].includes(id)) continue;
    if (!current) {
      if (stray) stray.lines++;
      else stray = { first: new Hl7SyntaxError(`${/^[A-Z][A-Z0-9]{2}$/.test(id) ? `segment "${id}"` : 'a line'} before any MSH segment`, line), lines: 1 };
      continue;
    }
    if (!/^[A-Z][A-Z0-9]{2}$/.test(id) || (seg[3] !== undefined && seg[3] !== current.delimiters.field)) {
      // The line's text is not quoted: it may be a note's (only a segment-like id is named).
      const named = /^[A-Z][A-Z0-9]{2}$/.test(id) ? `"${id}" ` : '';
      (current.errors ??= []).push(new Hl7SyntaxError(`the line is not a segment ${named}with the message's field separator "${current.delimiters.field}"`, line));
      continue;
    }
    current.segments.push(parseSegment(seg, current.delimiters, line));
    current.raw.push(seg);
  }
  if (current) yield current;
  yield* flushStray();
}

function readDelimiters(msh: string, line: number): Hl7Delimiters | Hl7SyntaxError {
  const field = msh[3];
  const enc = msh.slice(4, msh.indexOf(field ?? '|', 4));
  if (!field || /[A-Za-z0-9\s]/.test(field) || enc.length < 4 || new Set([field, ...enc.slice(0, 4)]).size !== 5) {
    return new Hl7SyntaxError(`MSH delimiters "${msh.slice(3, 8)}" are not a field separator and four distinct encoding characters`, line);
  }
  return { field, component: enc[0]!, repetition: enc[1]!, escape: enc[2]!, subcomponent: enc[3]! };
}

function parseSegment(seg: string, d: Hl7Delimiters, line: number): Hl7Segment {
  const parts = seg.split(d.field);
  const id = parts[0]!;
  // MSH-1 is the field separator and MSH-2 the encoding characters: the split shifts MSH by one.
  const fields = id === 'MSH' ? [id, d.field, ...parts.slice(1)] : parts;
  return { id, fields, line };
}

/** Decodes the escape sequences of a text value (HL7 v2.5.1 section 2.7). */
export function unescape(value: string, d: Hl7Delimiters): string {
  if (!value.includes(d.escape)) return value;
  const e = d.escape.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return value.replace(new RegExp(`${e}([^${e}]*)${e}`, 'g'), (_m, seq: string) => {
    switch (seq) {
      case 'F': return d.field;
      case 'S': return d.component;
      case 'T': return d.subcomponent;
      case 'R': return d.repetition;
      case 'E': return d.escape;
      case '.br': return '\n';
      case 'H': case 'N': return ''; // highlighting on/off
      default:
        if (/^X[0-9A-Fa-f]+$/.test(seq)) return Buffer.from(seq.slice(1), 'hex').toString('latin1');
        if (/^\.sp\d*$/.test(seq)) return '\n';
        return '';
    }
  });
}

/** A field value split into repetitions, components and subcomponents, unescaped. */
export class Hl7Field {
  constructor(private readonly raw: string, private readonly d: Hl7Delimiters) {}

  get empty(): boolean {
    return this.raw === '' || this.raw === '""';
  }

  repetitions(): Hl7Field[] {
    return this.raw.split(this.d.repetition).map((r) => new Hl7Field(r, this.d));
  }

  /** Component n (1-based) of the first repetition, unescaped; subcomponents joined by spaces. */
  component(n = 1): string {
    const first = this.raw.split(this.d.repetition)[0] ?? '';
    const comp = first.split(this.d.component)[n - 1] ?? '';
    return unescape(comp.split(this.d.subcomponent).join(' '), this.d).trim();
  }

  /**
   * Subcomponent s of component n (both 1-based) of the first repetition, unescaped: the
   * surname of an XPN (`EVERYMAN&&&&Aniston` is surname EVERYMAN), the quantity of a CP/MO
   * price (`100&USD`), the id of an HD.
   */
  subcomponent(n: number, s: number): string {
    const first = this.raw.split(this.d.repetition)[0] ?? '';
    const comp = first.split(this.d.component)[n - 1] ?? '';
    return unescape(comp.split(this.d.subcomponent)[s - 1] ?? '', this.d).trim();
  }

  /** The whole value as text (repetitions on their own lines). */
  text(): string {
    return this.raw.split(this.d.repetition).map((r) => unescape(r, this.d)).join('\n');
  }
}

export function field(seg: Hl7Segment | undefined, n: number, d: Hl7Delimiters): Hl7Field {
  return new Hl7Field(seg?.fields[n] ?? '', d);
}
