import { closeSync, openSync, readSync } from 'node:fs';
import { DESCRIPTION_FIELDS, TEXT_FIELDS } from '../../config/mapping-schema.js';
import { REQUIRED_FIELDS, type ColumnGroup, type FileRole, type Mapping } from '../../config/schema.js';
import { CONTROL, CONTROL_ALL } from '../field-rules.js';
import { readCsvLineBatches, RecordSplitter, type CsvEncoding, type RawRecord } from './csv-records.js';

/**
 * One CSV file of an export read into what staging stores: each record checked (readable,
 * its field count, lengths, control characters, required fields) and turned into a staging
 * operation, with its data already as the JSON the store keeps. Reading only: stage-csv.ts
 * writes the operations. (Reading on a worker thread while the main thread writes was
 * measured: 3% faster staging on a 20k-encounter export, not worth a thread.)
 */
export interface RoleFile {
  role: FileRole;
  path: string;
  name: string;
  /** canonical field → column header */
  columns: Record<string, string>;
  /** Column groups of a wide layout: rows of another role inside each row of this file. */
  groups: ColumnGroup[];
}

/** The columns of one repetition of a group: `DX{n}` → `DX3`. */
export function groupColumns(group: ColumnGroup, n: number | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(group.columns).map(([field, column]) => [field, n === undefined ? column : column.replaceAll('{n}', String(n))]));
}

/** Every repetition of a group (one, unnumbered, when it does not repeat). */
export function groupRepetitions(group: ColumnGroup): (number | undefined)[] {
  if (!group.repeat) return [undefined];
  const out: number[] = [];
  for (let n = group.repeat.from; n <= group.repeat.to; n++) out.push(n);
  return out;
}

/**
 * The child rows a wide row carries, in the order the mapping lists its groups: a
 * repetition whose required values are empty carries none (DX7 blank: no 7th diagnosis).
 * Rows without a mapped sequence are numbered in that order, per role, so PRIN_DX comes
 * first. `$path` names the column the code came from (shown in exceptions).
 */
export function groupRows(groups: readonly ColumnGroup[], record: Record<string, string | undefined>): { role: ColumnGroup['role']; data: Record<string, string> }[] {
  const out: { role: ColumnGroup['role']; data: Record<string, string> }[] = [];
  const next = new Map<string, number>();
  for (const g of groups) {
    const required = REQUIRED_FIELDS[g.role].filter((f) => f !== 'encounterId');
    for (const n of groupRepetitions(g)) {
      const columns = groupColumns(g, n);
      const data: Record<string, string> = { ...g.values };
      for (const [field, column] of Object.entries(columns)) {
        const value = record[column]?.trim();
        if (value) data[field] = value;
      }
      if (required.some((f) => !data[f])) continue;
      const seq = (next.get(g.role) ?? 0) + 1;
      next.set(g.role, seq);
      if (!('sequence' in columns)) data.sequence = String(seq);
      data.$path = columns[required[0]!] ?? Object.values(columns)[0]!;
      out.push({ role: g.role, data });
    }
  }
  return out;
}

/** The file's encoding: the mapping's, or UTF-16 when the file starts with its byte-order mark. */
function encodingOf(path: string, mapping: Mapping): CsvEncoding {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const n = readSync(fd, b, 0, 2, 0);
    if (n === 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
    if (n === 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  } finally {
    closeSync(fd);
  }
  return mapping.encoding;
}

/** Records of a file, with the boundaries and limits staging reads them by, a batch per chunk read. */
export async function* recordBatchesOf(f: RoleFile, mapping: Mapping, header?: readonly string[]): AsyncIterable<RawRecord[]> {
  const textColumns = new Set((header ?? []).map((h, i) => (Object.entries(f.columns).some(([field, column]) => column === h && TEXT_FIELDS.has(field)) ? i : -1)).filter((i) => i >= 0));
  const splitter = new RecordSplitter({
    delimiter: mapping.delimiter,
    multiline: (column) => textColumns.has(column),
    maxFieldChars: (column) => (textColumns.has(column) ? mapping.limits.noteChars : mapping.limits.fieldChars),
    maxFieldLines: mapping.limits.noteLines,
  });
  for await (const lines of readCsvLineBatches(f.path, encodingOf(f.path, mapping))) {
    const records: RawRecord[] = [];
    for (const line of lines) for (const r of splitter.push(line)) records.push(r);
    if (records.length > 0) yield records;
  }
  const rest = splitter.end();
  if (rest.length > 0) yield rest;
}

/** Records of a file one by one (recordBatchesOf, flattened). */
export async function* recordsOf(f: RoleFile, mapping: Mapping, header?: readonly string[]): AsyncIterable<RawRecord> {
  for await (const records of recordBatchesOf(f, mapping, header)) yield* records;
}

/** What staging does with one record of a file (the file and its role are the reader's). */
export type StagingOp =
  | { kind: 'reject'; line: number; code: string; message: string; encounterId?: string }
  /** An encounter row, its data and the rows its own columns carry (wide layouts) as JSON. */
  | { kind: 'encounter'; line: number; encounterId: string; patientId: string; data: string; children: { role: FileRole; data: string }[] }
  | { kind: 'patient'; line: number; patientId: string; data: string }
  | { kind: 'child'; line: number; encounterId: string; data: string }
  /** Another thousand encounter rows read (the night's progress). */
  | { kind: 'progress'; records: number };

/**
 * The staging operations of one file, in its order (the header skipped), a batch per chunk
 * read; `counts.rows` is the records read so far (what an error names). Unreadable rows and
 * rows missing their identifying fields become rejects with the line and a stable code; the
 * rest goes on.
 */
export async function* fileOps(f: RoleFile, mapping: Mapping, header: readonly string[], counts: { rows: number }): AsyncIterable<StagingOp[]> {
  const encounterColumn = f.columns.encounterId;
  const encounterIndex = encounterColumn === undefined ? -1 : header.indexOf(encounterColumn);
  const textFields = new Set(Object.keys(f.columns).filter((field) => TEXT_FIELDS.has(field)));
  const limitOf = (field: string) => (TEXT_FIELDS.has(field) ? mapping.limits.noteChars : DESCRIPTION_FIELDS.has(field) ? mapping.limits.descriptionChars : mapping.limits.fieldChars);
  // Each mapped field's column position, found once: the last column of that name, as a
  // by-name lookup of the row would find it.
  const fields = Object.entries(f.columns).map(([field, column]) => ({ field, column, at: header.lastIndexOf(column), limit: limitOf(field), text: textFields.has(field) || DESCRIPTION_FIELDS.has(field) }));
  const required = REQUIRED_FIELDS[f.role];
  let first = true;
  for await (const records of recordBatchesOf(f, mapping, header)) {
    const ops: StagingOp[] = [];
    for (const record of records) {
      if (first) {
        first = false; // the header
        continue;
      }
      counts.rows++;
      if (f.role === 'encounters' && counts.rows % 1000 === 0) ops.push({ kind: 'progress', records: 1000 });
      ops.push(opOf(record));
    }
    if (ops.length > 0) yield ops;
  }

  function opOf(record: RawRecord): StagingOp {
    const line = record.line;
    const reject = (code: string, message: string, encounterId?: string): StagingOp => ({ kind: 'reject', line, code, message, ...(encounterId ? { encounterId } : {}) });
    const id = encounterIndex >= 0 ? record.fields[encounterIndex]?.trim() || undefined : undefined;
    const through = record.lastLine > line ? ` (through line ${record.lastLine})` : '';
    if (record.error) return reject(record.error.code, record.error.message, id);
    if (record.invalid) {
      return reject('INGEST_INVALID_ENCODING', `the row${through} holds bytes that are not valid ${mapping.encoding === 'utf-8' ? 'UTF-8' : mapping.encoding}; fix the export's encoding (or the mapping's)`, id);
    }
    if (record.fields.length !== header.length) {
      return reject('INGEST_ROW_UNPARSEABLE', `CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: the row has ${record.fields.length} fields, the header ${header.length}${through}`, id);
    }
    const data: Record<string, string> = {};
    let problem: [string, string] | undefined;
    for (const { field, column, at, limit, text } of fields) {
      let value = at >= 0 ? record.fields[at]!.trim() : undefined;
      if (!value) continue;
      if (value.length > limit) problem ??= ['INGEST_FIELD_TOO_LONG', `"${column}" (${field}) holds ${value.length} characters, more than the ${limit} the mapping allows (limits)`];
      // Control characters (a NUL inside "denies") never reach abstraction: removed from text, refused elsewhere.
      if (CONTROL.test(value)) {
        if (text) value = value.replace(CONTROL_ALL, '');
        else problem ??= ['INGEST_INVALID_CHARACTERS', `"${column}" (${field}) holds control characters`];
      }
      if (value) data[field] = value;
    }
    if (problem) return reject(problem[0], problem[1], data.encounterId ?? id);
    const missing = required.filter((field) => !(field in data));
    if (missing.length > 0) {
      const cols = missing.map((m) => `"${f.columns[m]}"`).join(', ');
      return reject('INGEST_REQUIRED_FIELD_MISSING', `${f.role} row has no value in ${cols}`, data.encounterId);
    }
    switch (f.role) {
      case 'encounters': {
        const encounterId = data.encounterId!;
        let children: { role: FileRole; data: string }[] = [];
        if (f.groups.length > 0) {
          // The row by column name, for the groups of a wide layout.
          const values: Record<string, string> = {};
          header.forEach((h, i) => { values[h] = record.fields[i]!; });
          children = groupRows(f.groups, values).map((c) => ({ role: c.role, data: JSON.stringify({ ...c.data, encounterId }) }));
        }
        return { kind: 'encounter', line, encounterId, patientId: data.patientId!, data: JSON.stringify(data), children };
      }
      case 'patients':
        return { kind: 'patient', line, patientId: data.patientId!, data: JSON.stringify(data) };
      default:
        return { kind: 'child', line, encounterId: data.encounterId!, data: JSON.stringify(data) };
    }
  }
}
