import { NPI_OID, type DocumentRows, type RowData } from '../documents/document-rows.js';
import type { CodeSystem } from '../../contract/types.js';
import { CLAIM_DIAGNOSIS_SYSTEMS, CLAIM_PROCEDURE_SYSTEMS } from '../coded-entries.js';
import { hl7Date } from '../documents/decode.js';
import { field, type Hl7Delimiters, type Hl7Field, type Hl7Message, type Hl7Segment } from './hl7-message.js';
import { hl7AdmissionType, nubcAdmissionSource, nubcDischargeStatus } from '../documents/institutional-codes.js';
import { addConflicts, valueConflict, type ValueConflict } from '../documents/value-conflicts.js';

/**
 * One visit's messages into canonical rows: ADT (PID, PV1, PV2, DG1, PR1, IN1), DFT (FT1
 * charges), MDM (TXA + OBX note text) and ORU (OBR + OBX results). Field numbers from HL7
 * v2.5.1 Chapters 2 (data types), 3 (ADT), 6 (financial), 7 (observations), 9 (documents).
 */

/** HL7 table 0396 coding systems (and the older DG1-2 / PR1-2 coding methods) → ours. */
const CODING_SYSTEMS: Record<string, string> = {
  I10: 'ICD-10-CM', I10C: 'ICD-10-CM', ICD10CM: 'ICD-10-CM', 'ICD-10-CM': 'ICD-10-CM', ICD10: 'ICD-10-CM',
  I10P: 'ICD-10-PCS', ICD10PCS: 'ICD-10-PCS', 'ICD-10-PCS': 'ICD-10-PCS',
  I9: 'ICD-9-CM', I9C: 'ICD-9-CM', I9CM: 'ICD-9-CM', ICD9: 'ICD-9-CM', ICD9CM: 'ICD-9-CM', 'ICD-9-CM': 'ICD-9-CM', I9P: 'ICD-9-CM',
  C4: 'CPT', C5: 'CPT', CPT: 'CPT', CPT4: 'CPT', HCPCS: 'HCPCS', HCPC: 'HCPCS', HPC: 'HCPCS',
  SCT: 'SNOMED-CT', SNM: 'SNOMED-CT', SNM3: 'SNOMED-CT', SNOMED: 'SNOMED-CT', SNOMEDCT: 'SNOMED-CT', LN: 'LOINC', RXNORM: 'RXNORM',
};
/** HL7 table 0001 administrative sex → ours. */
const SEX: Record<string, string> = { M: 'M', F: 'F', U: 'U', O: 'U', A: 'U', N: 'U' };
/** HL7 table 0063 relationship → X12 individual relationship code (1069). */
const RELATIONSHIP: Record<string, string> = { SEL: '18', SPO: '01', CHD: '19', EME: '20', OTH: 'G8' };
/** Inpatient classes billed on an institutional claim (HL7 table 0004). */
const INPATIENT = new Set(['I']);
const TEXT_TYPES = new Set(['TX', 'FT', 'ST', 'ED']);

/** A date of the visit and where it came from, in order of preference (lower first). */
interface DatedValue { date: string; path: string; rank: number }

export interface Visit {
  encounterId: string;
  file: string;
  line: number;
  encounter: RowData;
  patient: RowData;
  patientId?: string;
  children: DocumentRows['children'];
  seen: Set<string>;
  /** Candidates for the service date: admission (PV1-44), clinical dates (TXA-4, OBR-7, FT1-4, EVN-6), the message time (MSH-7). */
  serviceDate?: DatedValue;
  /** A cancel message came after the last billing message. */
  cancelled?: { event: string; path: string };
  /** Which message last set each field ("encounter.kind" → "a.hl7 line 12"), and the values later messages changed. */
  fieldFrom?: Map<string, string>;
  conflicts?: ValueConflict[];
}

/** A coded element (CE/CWE): the first triplet in a system we know a claim can carry, else the first. */
function coded(f: Hl7Field, fallbackSystem?: string): { code: string; system: string | undefined; text: string } | undefined {
  const triplets = [[1, 2, 3], [4, 5, 6]].map(([c, t, s]) => ({ code: f.component(c!), text: f.component(t!), name: f.component(s!) }))
    .filter((x) => x.code);
  if (triplets.length === 0) return undefined;
  const withSystem = triplets.map((x) => ({ code: x.code, text: x.text || triplets[0]!.text, system: x.name ? (CODING_SYSTEMS[x.name.toUpperCase()] ?? 'OTHER') : fallbackSystem }));
  const billable = withSystem.find((x) => CLAIM_DIAGNOSIS_SYSTEMS.has(x.system as CodeSystem) || CLAIM_PROCEDURE_SYSTEMS.has(x.system as CodeSystem));
  return billable ?? withSystem[0]!;
}

/**
 * A person (XCN) as an NPI: the id when its assigning authority (XCN-9, an HD) or its id
 * type (XCN-13) says NPI, or names the NPI OID; a bare ten-digit id with no authority is
 * taken as one (validation checks its check digit). Each repetition is looked at.
 */
export function npiOf(f: Hl7Field): string | undefined {
  for (const r of f.repetitions()) {
    const id = r.component(1);
    if (!/^\d{10}$/.test(id)) continue;
    const authority = [r.subcomponent(9, 1), r.subcomponent(9, 2), r.component(13)].map((x) => x.toUpperCase());
    if (authority.includes('NPI') || authority.includes(NPI_OID) || authority.every((x) => x === '')) return id;
  }
  return undefined;
}

function where(file: string, seg: Hl7Segment, n?: number): string {
  return `${file} line ${seg.line}: ${seg.id}${n === undefined ? '' : `-${n}`}`;
}

/** Adds one message's segments to its visit. Dates with an offset are taken in `timeZone`. */
export function addMessage(v: Visit, m: Hl7Message, file: string, timeZone?: string): void {
  const d: Hl7Delimiters = m.delimiters;
  const msh = m.segments[0]!;
  const date = (f: Hl7Field) => hl7Date(f.component(1), timeZone);
  const here = `${file} line ${m.line}`;
  // A later message's value stands (an update, A08, corrects the visit), but a changed value
  // is recorded: assembly shows it as INGEST_VALUE_CONFLICT, never a silent overwrite.
  const set = (rows: RowData, name: string, value: string | undefined, seg: Hl7Segment, n: number) => {
    if (!value) return;
    const key = `${rows === v.patient ? 'patient' : 'encounter'}.${name}`;
    const from = (v.fieldFrom ??= new Map()).get(key);
    const prev = rows[name];
    if (prev !== undefined && prev !== value && from !== undefined && from !== here) {
      (v.conflicts ??= []).push(valueConflict(name, value, prev, here, from, 'last'));
    }
    rows[name] = value;
    rows[`$path.${name}`] = where(file, seg, n);
    v.fieldFrom.set(key, here);
  };
  const serviceCandidate = (value: string | undefined, seg: Hl7Segment, n: number, rank: number) => {
    if (!value) return;
    const cur = v.serviceDate;
    if (!cur || rank < cur.rank || (rank === cur.rank && value < cur.date)) v.serviceDate = { date: value, path: where(file, seg, n), rank };
  };
  serviceCandidate(date(field(msh, 7, d)), msh, 7, 3);
  let noteLines: string[] = [];
  let noteId: string | undefined;
  let noteType = 'note';
  let noteSeg: Hl7Segment | undefined;
  let lastLabel = '';
  const flushNote = () => {
    const text = noteLines.join('\n').trim();
    if (text && noteSeg) {
      const id = noteId ?? `${v.encounterId}-${file}-${noteSeg.line}`;
      if (!v.seen.has(`note:${id}`)) {
        v.seen.add(`note:${id}`);
        v.children.push({ role: 'notes', data: { encounterId: v.encounterId, noteId: id, noteType, text, $path: where(file, noteSeg) }, file, line: noteSeg.line });
      }
    }
    noteLines = [];
    noteId = undefined;
    noteSeg = undefined;
    lastLabel = '';
  };
  for (const seg of m.segments) {
    const f = (n: number) => field(seg, n, d);
    switch (seg.id) {
      case 'EVN':
        // EVN-6: when the event (the discharge, the registration) occurred.
        serviceCandidate(date(f(6)), seg, 6, 1);
        break;
      case 'PID': {
        // PID-5 XPN: the family name is FN.1 (surname) of XPN.1; PID-11 XAD.1 is SAD.1 (street).
        set(v.patient, 'lastName', f(5).subcomponent(1, 1), seg, 5);
        set(v.patient, 'firstName', f(5).component(2), seg, 5);
        set(v.patient, 'birthDate', date(f(7)), seg, 7);
        set(v.patient, 'sex', SEX[f(8).component(1).toUpperCase()], seg, 8);
        set(v.patient, 'addressLine1', f(11).subcomponent(1, 1), seg, 11);
        set(v.patient, 'city', f(11).component(3), seg, 11);
        set(v.patient, 'state', f(11).component(4), seg, 11);
        set(v.patient, 'zip', f(11).component(5), seg, 11);
        break;
      }
      case 'PV1': {
        const cls = f(2).component(1).toUpperCase();
        if (INPATIENT.has(cls)) set(v.encounter, 'kind', 'institutional', seg, 2);
        else if (cls) set(v.encounter, 'kind', 'professional', seg, 2);
        // PV1-2 E (emergency): CMS place of service 23, emergency room – hospital.
        if (cls === 'E') set(v.encounter, 'placeOfService', '23', seg, 2);
        set(v.encounter, 'attendingNpi', npiOf(f(7)), seg, 7);
        set(v.encounter, 'renderingNpi', npiOf(f(7)), seg, 7);
        const admit = date(f(44));
        const discharge = date(f(45));
        serviceCandidate(admit, seg, 44, 0);
        if (admit && INPATIENT.has(cls)) set(v.encounter, 'admissionDate', admit, seg, 44);
        if (discharge && INPATIENT.has(cls)) set(v.encounter, 'dischargeDate', discharge, seg, 45);
        if (INPATIENT.has(cls)) {
          // 837I CL1: PV1-4 admission type, PV1-14 admit source, PV1-36 discharge disposition
          // (user-defined tables 0007, 0023, 0112: US interfaces send the NUBC codes). An
          // admission type or source of another vocabulary is left to the site's default (9,
          // not available); a discharge status goes as sent, refused by assembly with a
          // finding that names it, since the claim cannot go without one.
          const raw = (n: number) => f(n).component(1) || undefined;
          set(v.encounter, 'admissionType', hl7AdmissionType(raw(4)), seg, 4);
          set(v.encounter, 'admissionSource', nubcAdmissionSource(raw(14)), seg, 14);
          set(v.encounter, 'dischargeStatus', nubcDischargeStatus(raw(36)) ?? raw(36), seg, 36);
        }
        break;
      }
      case 'PV2': {
        const reason = f(3).component(2) || f(3).component(1);
        if (reason && !v.seen.has('note:admit-reason')) {
          v.seen.add('note:admit-reason');
          v.children.push({ role: 'notes', data: { encounterId: v.encounterId, noteId: `${v.encounterId}-admit-reason`, noteType: 'admit reason', text: `Reason for Admission: ${reason}`, $path: where(file, seg, 3) }, file, line: seg.line });
        }
        break;
      }
      case 'DG1': {
        // DG1-3 (CE/CWE) names its system; DG1-2, the coding method, is the older way.
        const c = coded(f(3), CODING_SYSTEMS[f(2).component(1).toUpperCase()] ?? 'ICD-10-CM');
        if (!c?.system || v.seen.has(`dx:${c.system}:${c.code}`)) break;
        v.seen.add(`dx:${c.system}:${c.code}`);
        const description = c.text || f(4).component(1);
        v.children.push({ role: 'diagnoses', data: {
          encounterId: v.encounterId, code: c.code, codeSystem: c.system, ...(description ? { description } : {}),
          ...(f(1).component(1) ? { sequence: f(1).component(1) } : {}), $path: where(file, seg, 3),
        }, file, line: seg.line });
        break;
      }
      case 'PR1': {
        const c = coded(f(3), CODING_SYSTEMS[f(2).component(1).toUpperCase()]);
        if (!c?.system || v.seen.has(`px:${c.system}:${c.code}`)) break;
        v.seen.add(`px:${c.system}:${c.code}`);
        const when = date(f(5));
        if (c.system === 'CPT' || c.system === 'HCPCS') {
          // A procedure without a charge: billed only once a charge (FT1) says what it cost.
          v.children.push({ role: 'charges', data: { encounterId: v.encounterId, code: c.code, codeSystem: c.system, ...(when ? { serviceDate: when } : {}), $path: where(file, seg, 3) }, file, line: seg.line });
        } else {
          // ICD-10-PCS (837I HI BBR/BBQ with PR1-5's date); other systems are coded from their names.
          v.children.push({ role: 'procedures', data: {
            encounterId: v.encounterId, code: c.code, codeSystem: c.system, ...(c.text ? { description: c.text } : {}),
            ...(when ? { date: when } : {}), ...(f(1).component(1) ? { sequence: f(1).component(1) } : {}), $path: where(file, seg, 3),
          }, file, line: seg.line });
        }
        break;
      }
      case 'IN1': {
        if (v.patient.payerId && f(1).component(1) !== '1') break; // the primary plan
        set(v.patient, 'payerId', f(3).component(1), seg, 3);
        set(v.patient, 'payerName', f(4).component(1), seg, 4);
        set(v.patient, 'memberId', f(36).component(1) || f(49).component(1), seg, 36);
        set(v.patient, 'relationship', RELATIONSHIP[f(17).component(1).toUpperCase()], seg, 17);
        break;
      }
      case 'FT1': {
        // FT1-25 procedure code, else FT1-7 transaction code; FT1-11 extended amount and FT1-12
        // unit amount are CP, whose first component is an MO (quantity&denomination: "100&USD").
        const c = (f(25).component(1) ? coded(f(25)) : undefined) ?? coded(f(7));
        const key = `ft1:${f(2).component(1) || seg.line}:${file}`;
        if (!c || v.seen.has(key)) break;
        v.seen.add(key);
        const system = c.system ?? (/^[A-Z]\d{4}$/i.test(c.code) ? 'HCPCS' : /^\d{4}[0-9A-Z]$/i.test(c.code) ? 'CPT' : 'OTHER');
        const units = f(10).component(1);
        const unitAmount = Number(f(12).subcomponent(1, 1));
        const charge = f(11).subcomponent(1, 1) || (f(12).subcomponent(1, 1) && Number.isFinite(unitAmount) ? (unitAmount * (Number(units) || 1)).toFixed(2) : '');
        const when = date(f(4));
        serviceCandidate(when, seg, 4, 1);
        const modifiers = f(26).repetitions().map((r) => r.component(1)).filter(Boolean).join('|');
        // FT1-19: the diagnoses the line is for (codes).
        const pointers = f(19).repetitions().map((r) => r.component(1)).filter(Boolean).join('|');
        set(v.encounter, 'renderingNpi', v.encounter.renderingNpi ? undefined : npiOf(f(20)), seg, 20);
        v.children.push({ role: 'charges', data: {
          encounterId: v.encounterId, code: c.code, codeSystem: system, ...(c.text ? { description: c.text } : {}), ...(charge ? { charge } : {}),
          ...(units ? { units } : {}), ...(when ? { serviceDate: when } : {}),
          ...(modifiers ? { modifiers } : {}), ...(pointers ? { diagnosisPointers: pointers } : {}), $path: where(file, seg, f(25).component(1) ? 25 : 7),
        }, file, line: seg.line });
        break;
      }
      case 'TXA':
        flushNote();
        noteId = f(12).component(1) || undefined;
        noteType = f(2).component(2) || f(2).component(1) || 'note';
        // TXA-4 activity date/time: when the documented care took place.
        serviceCandidate(date(f(4)), seg, 4, 1);
        noteSeg = seg;
        break;
      case 'OBR':
        flushNote();
        noteType = f(4).component(2) || f(4).component(1) || 'result';
        // OBR-7: when the observation was made (the specimen taken).
        serviceCandidate(date(f(7)), seg, 7, 1);
        noteSeg = seg;
        break;
      case 'OBX': {
        noteSeg ??= seg;
        const type = f(2).component(1).toUpperCase();
        const label = f(3).component(2) || f(3).component(1);
        // Multi-line text: each OBX-5 repetition is a line, \.br\ breaks lines inside one. A
        // text under its own label ("Past Medical History") starts with it as a header, so
        // the note's sections (history stays history) are found as in any note.
        if (TEXT_TYPES.has(type)) {
          if (label && label !== lastLabel && label !== noteType) noteLines.push(`${label}:`);
          lastLabel = label;
          noteLines.push(f(5).text());
        } else {
          const units = f(6).component(1);
          if (label) noteLines.push(`${label}: ${f(5).component(1)}${units ? ` ${units}` : ''}`);
          lastLabel = '';
          // Coded results keep their code (LOINC …) and value as structured data too.
          const system = CODING_SYSTEMS[f(3).component(3).toUpperCase()];
          if (f(3).component(1) && system) {
            v.children.push({ role: 'observations', data: {
              encounterId: v.encounterId, code: f(3).component(1), codeSystem: system, ...(label ? { description: label } : {}),
              ...(f(5).component(1) ? { value: f(5).component(1) } : {}), ...(units ? { unit: units } : {}), $path: where(file, seg, 3),
            }, file, line: seg.line });
          }
        }
        break;
      }
      default:
        break;
    }
  }
  flushNote();
}

/** The visit's canonical rows, once all its messages are added. */
export function visitRows(v: Visit & { patientId: string }): DocumentRows {
  const encounter: RowData = { ...v.encounter, encounterId: v.encounterId, patientId: v.patientId };
  if (v.serviceDate) {
    encounter.serviceDate = v.serviceDate.date;
    encounter['$path.serviceDate'] = v.serviceDate.path;
  }
  addConflicts(encounter, v.conflicts ?? []);
  if (v.cancelled) {
    encounter.status = 'cancelled';
    encounter['$path.status'] = `${v.cancelled.path} (${v.cancelled.event})`;
  }
  return { encounter: { encounterId: v.encounterId, patientId: v.patientId, data: encounter }, patient: { patientId: v.patientId, data: v.patient }, children: v.children };
}
