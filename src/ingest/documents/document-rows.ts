import type { FileRole } from '../../config/schema.js';

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

export interface DocumentRows {
  encounter: { encounterId: string; patientId: string; data: RowData };
  patient?: { patientId: string; data: RowData };
  /** Rows may come from another file or line than the encounter (HL7 messages of one visit in several files). */
  children: { role: Exclude<FileRole, 'encounters' | 'patients'>; data: RowData; file?: string; line?: number }[];
}

/** One document read: its rows, or why it cannot be used (it is quarantined with file, location and code). */
export type DocumentResult =
  | { ok: true; line: number; rows: DocumentRows }
  | { ok: false; line: number; code: DocumentRejectCode; message: string; encounterId?: string };

/** Stable codes of unusable documents (see `src/contract/issue-codes.ts`). */
export type DocumentRejectCode =
  | 'INGEST_DOCUMENT_TOO_LARGE'
  | 'INGEST_DOCUMENT_MALFORMED'
  | 'INGEST_DOCUMENT_ENTITY'
  | 'INGEST_DOCUMENT_ENCODING'
  | 'INGEST_DOCUMENT_NOT_RECOGNIZED'
  | 'INGEST_REQUIRED_FIELD_MISSING';

export interface DocumentReaderOptions {
  maxBytes: number;
  encounterRule: 'encompassing-or-latest' | 'latest' | 'earliest' | 'business-date';
  businessDate: string;
}

/** Reads one file of a document format: one or several documents. */
export type DocumentReader = (path: string, name: string, options: DocumentReaderOptions) => AsyncIterable<DocumentResult>;

/**
 * Reads all the files of one source together, for formats whose records span files (the
 * ADT, charge and note messages of one HL7 visit). Each result names the file it is from.
 */
export type SourceReader = (files: { path: string; name: string }[], options: DocumentReaderOptions) => AsyncIterable<DocumentResult & { file: string }>;

/** A per-file reader as a source reader. */
export function perFile(read: DocumentReader): SourceReader {
  return async function* readFiles(files, options) {
    for (const f of files) for await (const r of read(f.path, f.name, options)) yield { ...r, file: f.name };
  };
}
