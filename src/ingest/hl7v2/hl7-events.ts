import type { Hl7EventRole } from '../../config/schema.js';
import { field, type Hl7Message, type Hl7Segment } from './hl7-message.js';

/**
 * What a message does to its visit, by its type and trigger event (MSH-9; HL7 v2.5.1
 * Chapter 3 for ADT, 6 for DFT and BAR, 7 for ORU, 9 for MDM):
 * - `bill`: the visit ended (ADT^A03 discharge / end visit): it is billed;
 * - `charges`: charges were posted (DFT^P03, DFT^P11): billed;
 * - `notes`: notes and results of the visit (MDM, ORU): coded with it, never billed alone;
 * - `update`: registrations, transfers and updates (A01, A04, A08 …, BAR): data, never billed alone;
 * - `cancel`: the admission, visit or discharge was cancelled (A11, A13, A38): the visit is
 *   withdrawn, unless a later message of the night bills it again;
 * - `ignore`: anything else (orders, scheduling, immunizations, acknowledgments, queries).
 * A pipeline overrides entries with `documents.hl7Events` ("TYPE^TRIGGER", or "TYPE" for all
 * its triggers).
 */
export const DEFAULT_HL7_EVENTS: Readonly<Record<string, Hl7EventRole>> = {
  'ADT^A03': 'bill',
  'DFT^P03': 'charges', 'DFT^P11': 'charges',
  MDM: 'notes', ORU: 'notes',
  'ADT^A01': 'update', 'ADT^A02': 'update', 'ADT^A04': 'update', 'ADT^A05': 'update', 'ADT^A06': 'update',
  'ADT^A07': 'update', 'ADT^A08': 'update', 'ADT^A14': 'update', 'ADT^A28': 'update', 'ADT^A31': 'update',
  BAR: 'update',
  'ADT^A11': 'cancel', 'ADT^A13': 'cancel', 'ADT^A38': 'cancel',
};

/** Roles that make a visit billable tonight. */
export const BILLING_ROLES: ReadonlySet<Hl7EventRole> = new Set(['bill', 'charges']);

/** The message's type and trigger ("ADT^A03": MSH-9.1 and .2, or EVN-1 for senders before v2.3); empty without a type. */
export function eventOf(m: Hl7Message): string {
  const d = m.delimiters;
  const type = field(m.segments[0], 9, d).component(1).toUpperCase();
  if (!type) return '';
  const trigger = field(m.segments[0], 9, d).component(2) || field(m.segments.find((s) => s.id === 'EVN'), 1, d).component(1);
  return trigger ? `${type}^${trigger.toUpperCase()}` : type;
}

export function roleOf(event: string, overrides: Readonly<Record<string, Hl7EventRole>> = {}): Hl7EventRole {
  const type = event.split('^')[0]!;
  return overrides[event] ?? overrides[type] ?? DEFAULT_HL7_EVENTS[event] ?? DEFAULT_HL7_EVENTS[type] ?? 'ignore';
}

/**
 * Who and which visit a message is about. The visit number is PV1-19, else the account
 * number PID-18, else the message control id MSH-10, with its assigning authority (CX-4);
 * the patient is PID-3's medical record number (CX-5 "MR"), else its first identifier, with
 * its authority. Visit numbers are only unique within a facility, and public test messages
 * reuse them, so two patients never share a visit: the encounter id is
 * `patient/visit[^authority]`.
 */
export interface VisitIdentity {
  /** Exact grouping key of the messages of one visit. */
  key: string;
  encounterId: string;
  patientId?: string;
}

export function identityOf(m: Hl7Message): VisitIdentity | undefined {
  const d = m.delimiters;
  const seg = (id: string): Hl7Segment | undefined => m.segments.find((s) => s.id === id);
  const pid = seg('PID');
  const cx = [field(seg('PV1'), 19, d), field(pid, 18, d)].find((f) => f.component(1));
  const visit = cx?.component(1) || field(m.segments[0], 10, d).component(1);
  if (!visit) return undefined;
  const authority = cx ? cx.subcomponent(4, 1) : '';
  const ids = field(pid, 3, d).repetitions().filter((r) => r.component(1));
  const mrn = ids.find((r) => r.component(5).toUpperCase() === 'MR') ?? ids[0];
  const patientId = mrn?.component(1);
  return {
    key: JSON.stringify([authority, visit, mrn?.subcomponent(4, 1) ?? '', patientId ?? '']),
    encounterId: `${patientId ? `${patientId}/` : ''}${visit}${authority ? `^${authority}` : ''}`,
    ...(patientId ? { patientId } : {}),
  };
}
