/**
 * Reads an X12 interchange back and checks what our 837 claims depend on (WEDI SNIP
 * levels 1–3): syntax (ISA fixed width, separators, segment ids), envelopes (SE segment
 * count, GE and IEA counts, control numbers matching their trailers), the 837 structure we
 * use (BHT, submitter and receiver, HL parent chain, billing provider NPI, SBR, subscriber
 * and payer, CLM with HI, service lines with dates) and balancing (CLM02 = the sum of the
 * claim's SV102 or SV203 line charges). ASC X12 005010X222A1 (837P) and 005010X223A2 (837I).
 */
export interface X12Problem {
  /** 1-based segment number in the interchange. */
  segment: number;
  message: string;
}

export interface ParsedInterchange {
  segments: string[][];
  separators: { element: string; component: string; repetition: string; segment: string };
}

/** Where a segment starts in text[from, end): after the line breaks allowed after the terminator before it. */
function afterLineBreaks(text: string, from: number, end: number): number {
  while (from < end && (text.charCodeAt(from) === 10 || text.charCodeAt(from) === 13)) from++;
  return from;
}

/** A segment's text without those line breaks ('' when nothing is left). */
function segmentText(raw: string): string {
  const start = afterLineBreaks(raw, 0, raw.length);
  return start > 0 ? raw.slice(start) : raw;
}

export function parseInterchange(text: string): ParsedInterchange {
  if (!text.startsWith('ISA') || text.length < 106) throw new Error('not an X12 interchange: it does not start with a 106-character ISA segment');
  const element = text[3]!;
  const component = text[104]!;
  const segment = text[105]!;
  const repetition = text.slice(0, 106).split(element)[11] ?? '^';
  const segments: string[][] = [];
  for (const raw of text.split(segment)) {
    const s = segmentText(raw);
    if (s.length > 0) segments.push(s.split(element));
  }
  return { segments, separators: { element, component, repetition, segment } };
}

const money = (s: string | undefined) => Math.round(Number(s ?? 'NaN') * 100);

/**
 * Maximum lengths of the elements our writers fill (TR3 5010 element attributes), by
 * segment and position; composites are measured per component below.
 */
const MAX_LENGTH: Record<string, Record<number, number>> = {
  NM1: { 3: 60, 4: 35, 5: 25, 9: 80 },
  N3: { 1: 55, 2: 55 },
  N4: { 1: 30, 2: 2, 3: 15 },
  REF: { 2: 50 },
  PER: { 2: 60, 4: 256 },
  CLM: { 1: 38, 2: 18 },
  SV1: { 2: 18, 4: 15 },
  SV2: { 1: 48, 3: 18, 5: 15 },
  DMG: { 2: 35, 3: 1 },
  PAT: { 1: 2 },
};
/**
 * A segment id of two or three ASCII characters as one small integer (its length, then a
 * byte per character: ids of either length never share one), so the checker looks ids up
 * without making a string of each; -1 for anything else (never a known id). segmentKey reads
 * the same number from the text.
 */
const idKey = (id: string) => segmentKey(id, 0, id.length);
function segmentKey(text: string, from: number, end: number): number {
  const width = end - from;
  if (width !== 2 && width !== 3) return -1;
  const c0 = text.charCodeAt(from);
  const c1 = text.charCodeAt(from + 1);
  const c2 = width === 3 ? text.charCodeAt(from + 2) : 0;
  return (c0 | c1 | c2) > 127 ? -1 : (width << 24) | (c0 << 16) | (c1 << 8) | c2;
}
/** The same limits as [position, maximum] pairs by id key, looked at once per segment of the id. */
const LIMITS = new Map(Object.entries(MAX_LENGTH).map(([id, byPosition]) => [idKey(id), Object.entries(byPosition).map(([k, max]) => [Number(k), max] as const)]));
const GS = idKey('GS');
const ST = idKey('ST');
const HL = idKey('HL');
const NM1 = idKey('NM1');
const CLM = idKey('CLM');
const HI = idKey('HI');
const SV1 = idKey('SV1');
const SV2 = idKey('SV2');
const SE = idKey('SE');
const GE = idKey('GE');
const IEA = idKey('IEA');
const BHT = idKey('BHT');
const PRV = idKey('PRV');
const SBR = idKey('SBR');

/** An element's name as the TR3 writes it ("NM103"). */
const elementName = (id: string, k: number) => `${id}${String(k).padStart(2, '0')}`;

const isUpper = (c: number) => c >= 65 && c <= 90;
/** A segment id, text[from, end): a capital letter, then one or two capitals or digits (/^[A-Z][A-Z0-9]{1,2}$/). */
function isSegmentId(text: string, from: number, end: number): boolean {
  if (end - from < 2 || end - from > 3 || !isUpper(text.charCodeAt(from))) return false;
  for (let k = from + 1; k < end; k++) {
    const c = text.charCodeAt(k);
    if (!isUpper(c) && !(c >= 48 && c <= 57)) return false;
  }
  return true;
}
/** X12 basic and extended character sets: printable ASCII (the writers fold the rest). */
const NOT_X12_CHARACTER = /[^\x20-\x7e]/;

/** The self-check fed as the file is written: text in, problems at the end. */
export interface X12SegmentCheck {
  push(text: string): void;
  finish(): X12Problem[];
}

export function checkInterchange(text: string): X12Problem[] {
  const checker = createX12Checker();
  checker.push(text);
  return checker.finish();
}

const NOT_AN_INTERCHANGE = 'not an X12 interchange: it does not start with a 106-character ISA segment';

/**
 * checkInterchange as a stream: the text comes in pieces (segments as they are written) and
 * is checked segment by segment, so neither the file's text nor its segments are held. Line
 * breaks after a terminator and empty segments are dropped, as parseInterchange does.
 */
export function createX12Checker(): X12SegmentCheck {
  let head = '';
  let separators: { element: string; component: string; segment: string } | undefined;
  let elementCode = 0;
  let notInterchange = false;
  let rest = '';
  const problems: X12Problem[] = [];
  const add = (i: number, message: string) => problems.push({ segment: i + 1, message });

  let isaControl: string | undefined;
  let groups = 0;
  let gs: { i: number; control: string; sets: number } | undefined;
  let st: { i: number; control: string } | undefined;
  let claim: { i: number; total: number; lines: number } | undefined;
  const hl = new Set<string>();
  const closeClaim = () => {
    if (claim && claim.total !== claim.lines) add(claim.i, `CLM02 ${claim.total / 100} is not the sum of its line charges ${claim.lines / 100}`);
    claim = undefined;
  };
  let sawHi = true;
  // What a segment asks of those after it, checked when they come (undefined: the file ended).
  let expected: { check: (next: number | undefined, at: number) => void }[] = [];
  let i = -1;
  let lastId = -1;
  // The segment being read, from the text it came in: where each element ends (bounds[k] is
  // the separator before element k, bounds[n] the segment's end), so elements are measured
  // without cutting the segment out or splitting it, and only the few a check reads become strings.
  let text = '';
  const bounds: number[] = [];
  let n = 0;
  const el = (k: number): string | undefined => (k < n ? text.slice(bounds[k]! + 1, bounds[k + 1]) : undefined);
  const width = (k: number): number => bounds[k + 1]! - bounds[k]! - 1;
  const segment = (all: string, from: number, end: number) => {
    from = afterLineBreaks(all, from, end);
    if (from === end) return;
    text = all;
    const sep = elementCode;
    bounds[0] = from - 1;
    n = 0;
    // One scan finds the elements and whether any character lies outside printable ASCII.
    let anyOutside = false;
    for (let k = from; k < end; k++) {
      const c = all.charCodeAt(k);
      if (c === sep) bounds[++n] = k;
      else if (c < 0x20 || c > 0x7e) anyOutside = true;
    }
    bounds[++n] = end;
    i++;
    const idEnd = bounds[1]!;
    const id = segmentKey(all, from, idEnd);
    lastId = id;
    if (expected.length > 0) {
      const due = expected;
      expected = [];
      for (const e of due) e.check(id, i);
    }
    if (i === 0) {
      isaControl = el(13);
      if (n !== 17) add(0, `ISA has ${n - 1} elements, 16 expected`);
    }
    if (!isSegmentId(all, from, idEnd)) add(i, `"${el(0)}" is not a segment id`);
    if (anyOutside) {
      for (let k = 1; k < n; k++) if (NOT_X12_CHARACTER.test(el(k)!)) add(i, `${elementName(el(0)!, k)} holds a character outside the X12 character sets`);
    }
    const limits = LIMITS.get(id);
    if (limits) {
      for (const [k, max] of limits) if (k < n && width(k) > max) add(i, `${elementName(el(0)!, k)} is ${width(k)} characters long, at most ${max}`);
    }

    switch (id) {
      case GS:
        groups++;
        gs = { i, control: el(6) ?? '', sets: 0 };
        break;
      case ST:
        if (!gs) add(i, 'ST outside a functional group');
        else gs.sets++;
        st = { i, control: el(2) ?? '' };
        hl.clear();
        expected.push({ check: (next, at) => { if (next !== BHT) add(at, 'BHT must follow ST'); } });
        break;
      case HL: {
        const own = el(1);
        const parent = el(2);
        const level = el(3);
        if (!own || hl.has(own)) add(i, `HL id "${own}" missing or repeated`);
        if (parent && !hl.has(parent)) add(i, `HL ${own} names parent ${parent}, which does not precede it`);
        const at = i;
        // A billing provider's NM1*85 follows it, or follows its PRV.
        const nm185 = (next: number | undefined) => { if (!(next === NM1 && el(1) === '85')) add(at, 'billing provider HL (20) without NM1*85'); };
        if (level === '20') expected.push({ check: (next) => (next === PRV ? expected.push({ check: nm185 }) : nm185(next)) });
        if (level === '22') expected.push({ check: (next) => { if (next !== SBR) add(at, 'subscriber HL (22) without SBR'); } });
        hl.add(own ?? '');
        closeClaim();
        break;
      }
      case NM1:
        if (el(1) === '85' && (el(8) !== 'XX' || !/^\d{10}$/.test(el(9) ?? ''))) add(i, 'billing provider NM1*85 without an XX NPI of 10 digits');
        break;
      case CLM:
        closeClaim();
        if (!sawHi) add(i, 'the previous claim has no HI diagnosis segment');
        sawHi = false;
        claim = { i, total: money(el(2)), lines: 0 };
        if (!(el(5) ?? '').includes(separators!.component)) add(i, 'CLM05 must be a composite (place of service or facility code : qualifier : frequency)');
        break;
      case HI: {
        if (claim) sawHi = true;
        if ((n - 1) > 12) add(i, `HI carries ${n - 1} codes, at most 12`);
        // Each composite's code (qualifier:code): at most 30 characters (element 1271), no decimal point.
        const component = separators!.component;
        for (let k = 1; k < n; k++) {
          const c = el(k)!;
          const from = c.indexOf(component) + 1;
          if (from === 0) continue;
          const to = c.indexOf(component, from);
          const code = to < 0 ? c.slice(from) : c.slice(from, to);
          if (code.length > 30) add(i, `HI code ${c} is longer than 30 characters`);
          if (code.includes('.')) add(i, `HI code ${c} has a decimal point`);
        }
        break;
      }
      case SV1:
        if (!claim) add(i, 'SV1 outside a claim');
        else claim.lines += money(el(2));
        break;
      case SV2:
        if (!claim) add(i, 'SV2 outside a claim');
        else claim.lines += money(el(3));
        break;
      case SE: {
        closeClaim();
        if (!st) {
          add(i, 'SE without ST');
          break;
        }
        const count = i - st.i + 1;
        const se01 = el(1);
        const se02 = el(2);
        if (Number(se01) !== count) add(i, `SE01 says ${se01} segments, the transaction set has ${count}`);
        if (se02 !== st.control) add(i, `SE02 ${se02} does not match ST02 ${st.control}`);
        st = undefined;
        break;
      }
      case GE: {
        const ge01 = el(1);
        const ge02 = el(2);
        if (!gs) add(i, 'GE without GS');
        else {
          if (Number(ge01) !== gs.sets) add(i, `GE01 says ${ge01} transaction sets, the group has ${gs.sets}`);
          if (ge02 !== gs.control) add(i, `GE02 ${ge02} does not match GS06 ${gs.control}`);
        }
        gs = undefined;
        break;
      }
      case IEA: {
        const iea01 = el(1);
        const iea02 = el(2);
        if (Number(iea01) !== groups) add(i, `IEA01 says ${iea01} groups, the interchange has ${groups}`);
        if (iea02 !== isaControl) add(i, `IEA02 ${iea02} does not match ISA13 ${isaControl}`);
        break;
      }
    }
  };
  // Splits what came on the terminator; the piece after the last one waits for the next text.
  const feed = (text: string) => {
    const all = rest.length > 0 ? rest + text : text;
    let from = 0;
    for (let end = all.indexOf(separators!.segment); end >= 0; end = all.indexOf(separators!.segment, from)) {
      segment(all, from, end);
      from = end + 1;
    }
    rest = from < all.length ? all.slice(from) : '';
  };
  return {
    push(text) {
      if (notInterchange) return;
      if (!separators) {
        head += text;
        if (head.length < 106) return;
        if (!head.startsWith('ISA')) {
          notInterchange = true;
          return;
        }
        separators = { element: head[3]!, component: head[104]!, segment: head[105]! };
        elementCode = head.charCodeAt(3);
        if (head.indexOf(separators.segment) !== 105) add(0, 'ISA is not 106 characters long');
        text = head;
        head = '';
      }
      feed(text);
    },
    finish() {
      if (notInterchange || !separators) return [{ segment: 1, message: NOT_AN_INTERCHANGE }];
      // Text after the last terminator is a segment of its own (a file cut short).
      if (rest.length > 0) segment(rest, 0, rest.length);
      rest = '';
      // The file ended: what the last segments still expected.
      while (expected.length > 0) {
        const due = expected;
        expected = [];
        for (const e of due) e.check(undefined, i + 1);
      }
      if (!sawHi) add(i, 'the last claim has no HI diagnosis segment');
      if (lastId !== IEA) add(i, 'the interchange does not end with IEA');
      // In file order (a problem found by looking ahead is reported at its own segment).
      return problems.sort((a, b) => a.segment - b.segment);
    },
  };
}
