import { DESCRIPTION_FIELDS, fieldLimit, TEXT_FIELDS, type FieldLimits } from '../../config/mapping-schema.js';
import type { FileRole, Hl7EventRole } from '../../config/schema.js';
import { CONTROL, CONTROL_ALL } from '../field-rules.js';

/**
 * What a document reader (C-CDA …) makes of one document: the same canonical rows a CSV
 * export stages (encounter, patient, notes, diagnoses, charges), so staging, joining,
 * assembly and everything after are the same for every format.
 *
 * Row data uses the canonical field names of the mapping schema, ISO dates and canonical
 * values. Two kinds of keys are reserved: `$canonical` on the encounter row (assembly then
 * reads the row with the canonical mapping, whatever the pipeline's CSV mapping says) and
 * `$path` / `$path.<field>`, the element a value came from (an XPath-like path, an HL7
 * segment-field, a JSON path), which exception reports show as the source location.
 */
export type RowData = Record<string, string>;

/** The NPI's OID (a C-CDA id root, an HL7 XCN-9 universal id): HL7 v3 / CMS NPPES. */
export const NPI_OID = '2.16.840.1.113883.4.6';

export interface DocumentRows {
  encounter: { encounterId: string; patientId: string; data: RowData };
  patient?: { patientId: string; data: RowData };
  /** Rows may come from another file or line than the encounter (HL7 messages of one visit in several files). */
  children: { role: Exclude<FileRole, 'encounters' | 'patients'>; data: RowData; file?: string; line?: number }[];
}

/**
 * One document read: its rows, or why it cannot be used (it is quarantined with file,
 * location and code), or a message the pipeline does not bill (an HL7 order, a
 * registration without a discharge): counted as ignored under `what`, not an input record.
 */
export type DocumentResult =
  | { ok: true; line: number; rows: DocumentRows }
  | { ok: false; line: number; code: DocumentRejectCode; message: string; encounterId?: string }
  | { ok: 'ignored'; line: number; what: string };

/** Stable codes of unusable documents (see `src/contract/issue-codes.ts`). */
export type DocumentRejectCode =
  | 'INGEST_DOCUMENT_TOO_LARGE'
  | 'INGEST_DOCUMENT_MALFORMED'
  | 'INGEST_DOCUMENT_ENTITY'
  | 'INGEST_DOCUMENT_ENCODING'
  | 'INGEST_DOCUMENT_NOT_RECOGNIZED'
  | 'INGEST_REQUIRED_FIELD_MISSING'
  | 'INGEST_FIELD_TOO_LONG'
  | 'INGEST_INVALID_CHARACTERS';

export interface DocumentReaderOptions {
  maxBytes: number;
  encounterRule: 'encompassing-or-latest' | 'latest' | 'earliest' | 'business-date';
  businessDate: string;
  /** IANA time zone dates are taken in (a time with an offset is converted first); UTC when absent. */
  timeZone?: string;
  /** HL7 v2 message roles over the defaults (the pipeline's documents.hl7Events). */
  hl7Events?: Readonly<Record<string, Hl7EventRole>>;
}

/**
 * What makes a document's rows unusable, as a quarantine reason: a field over its limit (a
 * 300,000-character visit number or name must not become a claim, X12 elements are short,
 * nor fill the database) or an identifier, code or name holding control characters. Text
 * and description fields lose their control characters here instead (the rows are changed
 * in place). Messages name the field and the element it came from, never its value.
 */
export function rowsProblem(rows: DocumentRows, limits: FieldLimits): { code: 'INGEST_FIELD_TOO_LONG' | 'INGEST_INVALID_CHARACTERS' | 'INGEST_REQUIRED_FIELD_MISSING'; message: string } | undefined {
  const ids: [string, string][] = [['encounterId', rows.encounter.encounterId ?? ''], ['patientId', rows.encounter.patientId ?? '']];
  for (const [field, value] of ids) {
    if (value === '') return { code: 'INGEST_REQUIRED_FIELD_MISSING', message: `${field} is empty` };
    if (value.length > limits.fieldChars) return { code: 'INGEST_FIELD_TOO_LONG', message: `${field} holds ${value.length} characters, more than the ${limits.fieldChars} allowed (documents.limits)` };
    if (CONTROL.test(value)) return { code: 'INGEST_INVALID_CHARACTERS', message: `${field} holds control characters` };
  }
  const all = [rows.encounter.data, ...(rows.patient ? [rows.patient.data] : []), ...rows.children.map((c) => c.data)];
  for (const data of all) {
    for (const [field, value] of Object.entries(data)) {
      if (field.startsWith('$')) continue;
      const where = data[`$path.${field}`] ?? data.$path;
      const named = `${field}${where ? ` (${where.slice(0, 200)})` : ''}`;
      const limit = fieldLimit(limits, field);
      if (value.length > limit) return { code: 'INGEST_FIELD_TOO_LONG', message: `${named} holds ${value.length} characters, more than the ${limit} allowed (documents.limits)` };
      if (!CONTROL.test(value)) continue;
      if (TEXT_FIELDS.has(field) || DESCRIPTION_FIELDS.has(field)) data[field] = value.replace(CONTROL_ALL, '');
      else return { code: 'INGEST_INVALID_CHARACTERS', message: `${named} holds control characters` };
    }
  }
  return undefined;
}

/** Reads one file of a document format: one or several documents. */
export type DocumentReader = (path: string, name: string, options: DocumentReaderOptions) => AsyncIterable<DocumentResult>;

/**
 * Reads all the files of one source together, for formats whose records span files (the
 * ADT, charge and note messages of one HL7 visit). Each result names the file it is from.
 */
export type SourceReader = (files: { path: string; name: string }[], options: DocumentReaderOptions) => AsyncIterable<DocumentResult & { file: string }>;
