import { parseInterchange, type ParsedInterchange } from '../emit/x12/x12-check.js';

/**
 * Reading any X12 5010 interchange into its envelopes and segments, with every structural
 * problem named by segment number and a stable code: the common layer under the 837, 999,
 * 277CA and 835 readers. Separators come from the ISA (element: ISA's 4th character,
 * repetition: ISA11, component: ISA16, segment terminator: the character after ISA16).
 * Envelope rules: ASC X12 5010 control segments (ISA/IEA, GS/GE, ST/SE): IEA01 counts the
 * groups and IEA02 repeats ISA13; GE01 counts the sets and GE02 repeats GS06; SE01 counts
 * the set's segments from ST to SE and SE02 repeats ST02.
 */

/** Stable codes for a response file that cannot be read; a file with one is quarantined whole. */
export const REMIT_PROBLEM_CODES = {
  REMIT_NOT_X12: 'The file is not an X12 interchange (no 106-character ISA segment)',
  REMIT_ENVELOPE: 'An envelope is broken: a trailer is missing, its count or control number does not match',
  REMIT_TRANSACTION_UNKNOWN: 'A transaction set is not a 999, 277CA (005010X214) or 835 (005010X221A1)',
  REMIT_SEGMENT_INVALID: 'A segment the transaction needs is missing, or an element is not valid',
  REMIT_UNBALANCED: 'Remittance amounts do not balance (claim or service charges less adjustments against payments, or the payment total)',
} as const;
export type RemitProblemCode = keyof typeof REMIT_PROBLEM_CODES;

export class RemitProblem extends Error {
  constructor(readonly code: RemitProblemCode, readonly segment: number, message: string) {
    super(message);
  }
}

export interface Segment {
  id: string;
  /** Elements after the segment id: e[0] is XX01. */
  e: string[];
  /** 1-based position in the interchange. */
  n: number;
}

export interface TransactionSet {
  /** ST01: 999, 277, 835, 837. */
  type: string;
  control: string;
  /** ST03 implementation convention reference, or GS08 when absent. */
  version: string;
  /** The segments between ST and SE. */
  body: Segment[];
  /** Position of the ST segment. */
  n: number;
}

export interface FunctionalGroup {
  /** GS01: FA (999), HN (277), HP (835), HC (837). */
  functionalId: string;
  sender: string;
  receiver: string;
  control: string;
  version: string;
  /** GS04 as YYYY-MM-DD. */
  date: string;
  sets: TransactionSet[];
}

export interface Interchange {
  sender: { qualifier: string; id: string };
  receiver: { qualifier: string; id: string };
  control: string;
  /** ISA09 as YYYY-MM-DD (20yy). */
  date: string;
  usage: string;
  separators: { element: string; component: string; repetition: string; segment: string };
  groups: FunctionalGroup[];
}

const ccyymmdd = (d: string) => (/^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : '');

/** Reads one interchange; throws RemitProblem when its envelopes are not sound. */
export function readInterchange(text: string): Interchange {
  const body = text.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  // The tokenizer the 837 self-check reads with (separators from the ISA, segments split).
  let parsed: ParsedInterchange;
  try {
    parsed = parseInterchange(body);
  } catch (err) {
    throw new RemitProblem('REMIT_NOT_X12', 1, (err as Error).message.replace(/^not an X12 interchange: /, ''));
  }
  const { separators } = parsed;
  const isaFields = parsed.segments[0]!.length;
  if (isaFields !== 17) throw new RemitProblem('REMIT_NOT_X12', 1, `the ISA segment has ${isaFields - 1} elements where X12 has 16`);
  const segments: Segment[] = parsed.segments.map((parts, i) => {
    const id = parts[0]!.replace(/[\r\n]+$/, '');
    if (!/^[A-Z][A-Z0-9]{1,2}$/.test(id)) throw new RemitProblem('REMIT_NOT_X12', i + 1, `segment ${i + 1} has no valid segment id ("${id.slice(0, 8)}")`);
    return { id, e: parts.slice(1).map((v, k, all) => (k === all.length - 1 ? v.replace(/[\r\n]+$/, '') : v)), n: i + 1 };
  });
  const isa = segments[0]!;
  const out: Interchange = {
    sender: { qualifier: isa.e[4] ?? '', id: (isa.e[5] ?? '').trim() },
    receiver: { qualifier: isa.e[6] ?? '', id: (isa.e[7] ?? '').trim() },
    control: isa.e[12] ?? '', date: ccyymmdd(`20${isa.e[8] ?? ''}`), usage: isa.e[14] ?? '', separators, groups: [],
  };
  let i = 1;
  const envelope = (n: number, message: string) => new RemitProblem('REMIT_ENVELOPE', n, message);
  while (i < segments.length && segments[i]!.id === 'GS') {
    const gs = segments[i]!;
    const group: FunctionalGroup = {
      functionalId: gs.e[0] ?? '', sender: gs.e[1] ?? '', receiver: gs.e[2] ?? '', control: gs.e[5] ?? '', version: gs.e[7] ?? '', date: ccyymmdd(gs.e[3] ?? ''), sets: [],
    };
    i++;
    while (i < segments.length && segments[i]!.id === 'ST') {
      const st = segments[i]!;
      const start = i;
      i++;
      while (i < segments.length && !['SE', 'ST', 'GE', 'IEA'].includes(segments[i]!.id)) i++;
      const se = segments[i];
      if (se?.id !== 'SE') throw envelope(se?.n ?? st.n, `the transaction set ST02 ${st.e[1] ?? ''} at segment ${st.n} has no SE trailer`);
      const count = i - start + 1;
      if (Number(se.e[0]) !== count) throw envelope(se.n, `SE01 says ${se.e[0] ?? ''} segments; the set ST02 ${st.e[1] ?? ''} has ${count}`);
      if (se.e[1] !== st.e[1]) throw envelope(se.n, `SE02 ${se.e[1] ?? ''} does not repeat ST02 ${st.e[1] ?? ''}`);
      group.sets.push({ type: st.e[0] ?? '', control: st.e[1] ?? '', version: st.e[2] || group.version, body: segments.slice(start + 1, i), n: st.n });
      i++;
    }
    const ge = segments[i];
    if (ge?.id !== 'GE') throw envelope(ge?.n ?? gs.n, `the functional group GS06 ${group.control} at segment ${gs.n} has no GE trailer where expected${ge ? ` (found ${ge.id})` : ''}`);
    if (Number(ge.e[0]) !== group.sets.length) throw envelope(ge.n, `GE01 says ${ge.e[0] ?? ''} transaction sets; the group has ${group.sets.length}`);
    if (ge.e[1] !== group.control) throw envelope(ge.n, `GE02 ${ge.e[1] ?? ''} does not repeat GS06 ${group.control}`);
    out.groups.push(group);
    i++;
  }
  const iea = segments[i];
  if (iea?.id !== 'IEA') throw envelope(iea?.n ?? segments.length, `the interchange has no IEA trailer where expected${iea ? ` (found ${iea.id})` : ''}`);
  if (Number(iea.e[0]) !== out.groups.length) throw envelope(iea.n, `IEA01 says ${iea.e[0] ?? ''} functional groups; the interchange has ${out.groups.length}`);
  if (Number(iea.e[1]) !== Number(out.control)) throw envelope(iea.n, `IEA02 ${iea.e[1] ?? ''} does not repeat ISA13 ${out.control}`);
  if (i + 1 < segments.length) throw envelope(segments[i + 1]!.n, 'segments follow the IEA trailer (one interchange per file)');
  return out;
}

/** A money element (R, up to two decimals) in cents; throws naming the segment when it is not a number. */
export function cents(s: Segment, index: number, what: string, optional = false): number {
  const v = s.e[index];
  if ((v === undefined || v === '') && optional) return 0;
  if (v === undefined || !/^-?\d+(\.\d{0,2})?$|^-?\.\d{1,2}$/.test(v)) {
    throw new RemitProblem('REMIT_SEGMENT_INVALID', s.n, `${s.id}${String(index + 1).padStart(2, '0')} (${what}) is ${v === undefined || v === '' ? 'empty' : `"${v}"`}, not an amount`);
  }
  return Math.round(Number(v) * 100);
}

/** A required element, or a RemitProblem naming it. */
export function required(s: Segment, index: number, what: string): string {
  const v = s.e[index];
  if (v === undefined || v === '') throw new RemitProblem('REMIT_SEGMENT_INVALID', s.n, `${s.id}${String(index + 1).padStart(2, '0')} (${what}) is empty`);
  return v;
}

export const isoDate = ccyymmdd;

/**
 * Writes segments with the given separators, dropping trailing empty elements; ISA is
 * padded by the caller. The same layer our simulator and any future writer of responses use.
 */
export class SegmentWriter {
  readonly out: string[] = [];
  constructor(readonly sep: { element: string; component: string; repetition: string; segment: string }) {}

  seg(...elements: (string | number | undefined)[]): void {
    let end = elements.length;
    while (end > 1 && (elements[end - 1] === undefined || elements[end - 1] === '')) end--;
    this.out.push(elements.slice(0, end).map((e) => (e === undefined ? '' : String(e))).join(this.sep.element) + this.sep.segment);
  }

  /** Segments written since position `from` (SE01 counts ST to SE). */
  since(from: number): number {
    return this.out.length - from;
  }

  text(): string {
    return this.out.join('\n');
  }
}
