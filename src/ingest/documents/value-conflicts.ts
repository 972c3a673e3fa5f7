import type { RowData } from './document-rows.js';

/**
 * A field the documents or messages of one encounter give different values. Readers record
 * them in the encounter's `$conflicts`; assembly turns each into an `INGEST_VALUE_CONFLICT`
 * finding, so a merge never overwrites silently.
 */
export interface ValueConflict {
  field: string;
  /** The values, only for fields a finding may show (never names, addresses or member ids). */
  kept: string;
  other: string;
  keptFrom: string;
  otherFrom: string;
  /** Which value stands: the first document's (C-CDA), or the later message's, an update (HL7 v2). */
  rule?: 'first' | 'last';
}

/** Fields whose values a finding may show (dates, setting, NPIs, CL1 codes); others are named without their values. */
const SHOWN = new Set([
  'serviceDate', 'admissionDate', 'dischargeDate', 'kind', 'billingNpi', 'renderingNpi', 'attendingNpi', 'payerId',
  'placeOfService', 'facilityType', 'admissionType', 'admissionSource', 'dischargeStatus', 'status',
]);

export function valueConflict(field: string, kept: string, other: string, keptFrom: string, otherFrom: string, rule: 'first' | 'last' = 'first'): ValueConflict {
  const shown = SHOWN.has(field);
  return { field, kept: shown ? kept : '', other: shown ? other : '', keptFrom, otherFrom, ...(rule === 'last' ? { rule } : {}) };
}

/** Records conflicts on the encounter's data (appending to what is there). */
export function addConflicts(data: RowData, conflicts: readonly ValueConflict[]): void {
  if (conflicts.length === 0) return;
  const before = data.$conflicts ? (JSON.parse(data.$conflicts) as ValueConflict[]) : [];
  data.$conflicts = JSON.stringify([...before, ...conflicts]);
}
