import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NightcodeError } from '../../contract/errors.js';
import { DESCRIPTION_FIELDS, TEXT_FIELDS } from '../../config/mapping-schema.js';
import { FILE_ROLES, REQUIRED_FIELDS, type ColumnGroup, type FileRole, type Mapping } from '../../config/schema.js';
import { CONTROL, CONTROL_ALL } from '../field-rules.js';
import type { StagingStore } from '../staging.js';
import { readCsvLines, RecordSplitter, type CsvEncoding, type RawRecord } from './csv-records.js';

export interface StagedFileReport {
  role: FileRole;
  file: string;
  /** Records read (rows after the header, including unreadable ones). */
  rows: number;
  staged: number;
  rejected: number;
  /** Documents or messages read but not billed by design (HL7 orders, registrations without a discharge …), by kind. */
  ignored?: Record<string, number>;
}

export interface StageReport {
  files: StagedFileReport[];
  /** Encounter rows read: the input records of the run. */
  inputRecords: number;
}

interface RoleFile {
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

/** `*` and `?` wildcards over file names (not paths). */
export function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** The export's files by role, checked before any work starts. */
export function findExportFiles(dir: string, mapping: Mapping): RoleFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new NightcodeError('INPUT_MISSING', `Export folder not found: ${dir}`);
  }
  const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile()).sort();
  const out: RoleFile[] = [];
  const claimed = new Map<string, FileRole>();
  for (const role of FILE_ROLES) {
    const spec = mapping.files[role];
    if (!spec) continue;
    const re = globToRegExp(spec.pattern);
    const matches = names.filter((n) => re.test(n));
    if (matches.length === 0 && (role === 'encounters' || spec.required)) {
      throw new NightcodeError('INPUT_MISSING', `Export ${dir} has no ${role} file matching "${spec.pattern}"`);
    }
    for (const name of matches) {
      const other = claimed.get(name);
      if (other) throw new NightcodeError('CONFIG_INVALID', `File ${name} matches both the ${other} and the ${role} pattern of the mapping`);
      claimed.set(name, role);
      const columns = Object.fromEntries(Object.entries(spec.columns).filter((e): e is [string, string] => e[1] !== undefined));
      out.push({ role, path: join(dir, name), name, columns, groups: spec.groups });
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

/** Records of a file, with the boundaries and limits staging reads them by. */
async function* recordsOf(f: RoleFile, mapping: Mapping, header?: readonly string[]): AsyncIterable<RawRecord> {
  const textColumns = new Set((header ?? []).map((h, i) => (Object.entries(f.columns).some(([field, column]) => column === h && TEXT_FIELDS.has(field)) ? i : -1)).filter((i) => i >= 0));
  const splitter = new RecordSplitter({
    delimiter: mapping.delimiter,
    multiline: (column) => textColumns.has(column),
    maxFieldChars: (column) => (textColumns.has(column) ? mapping.limits.noteChars : mapping.limits.fieldChars),
    maxFieldLines: mapping.limits.noteLines,
  });
  for await (const line of readCsvLines(f.path, encodingOf(f.path, mapping))) yield* splitter.push(line);
  yield* splitter.end();
}

/** The header row: the file's first record, names trimmed. */
export async function readHeader(file: RoleFile, mapping: Mapping): Promise<string[]> {
  try {
    for await (const record of recordsOf(file, mapping)) {
      if (record.error) throw new Error(record.error.message);
      return record.fields.map((h) => h.trim());
    }
    return [];
  } catch (err) {
    throw new NightcodeError('INPUT_UNREADABLE', `${file.name}: header line could not be read: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Checks that every mapped column exists in its file before any record is read, and
 * reports every missing column of every file at once.
 */
export async function checkHeaders(files: RoleFile[], mapping: Mapping): Promise<Map<string, string[]>> {
  const headers = new Map<string, string[]>();
  const problems: string[] = [];
  for (const f of files) {
    const header = await readHeader(f, mapping);
    headers.set(f.path, header);
    const present = new Set(header);
    for (const [field, column] of Object.entries(f.columns)) {
      if (!present.has(column)) {
        const need = (REQUIRED_FIELDS[f.role] as readonly string[]).includes(field) ? 'required' : 'mapped';
        problems.push(`${f.name}: ${need} column "${column}" (${f.role}.${field}) is missing`);
      }
    }
    for (const field of REQUIRED_FIELDS[f.role]) {
      if (!(field in f.columns)) problems.push(`mapping for ${f.role} does not name a column for required field ${field}`);
    }
    f.groups.forEach((g, i) => {
      const missing = groupRepetitions(g).flatMap((n) => Object.values(groupColumns(g, n))).filter((c) => !present.has(c));
      if (missing.length > 0) problems.push(`${f.name}: ${g.role} group ${i + 1} column(s) ${[...new Set(missing)].map((c) => `"${c}"`).join(', ')} missing`);
    });
  }
  if (problems.length > 0) {
    throw new NightcodeError('INPUT_COLUMNS_MISSING', `Export columns do not match the mapping:\n  ${problems.join('\n  ')}`, { details: problems });
  }
  return headers;
}

/**
 * Streams every file of a CSV export into the staging store. Unreadable rows and rows
 * missing their identifying fields become rejects with file, line and a stable code;
 * the rest of the export goes on.
 */
export async function stageCsvExport(options: {
  dir: string;
  mapping: Mapping;
  store: StagingStore;
  onRecords?: (n: number) => void;
  /** End loading (orphans, indexes) here; false when other sources of the run follow. */
  finish?: boolean;
  /** File names the run's other sources read (not this mapping's to claim). */
  claimed?: Set<string>;
}): Promise<StageReport> {
  const { mapping, store } = options;
  const files = findExportFiles(options.dir, mapping);
  const headers = await checkHeaders(files, mapping);
  const reports: StagedFileReport[] = [];
  let inputRecords = 0;

  for (const f of files) {
    const header = headers.get(f.path) ?? [];
    const report: StagedFileReport = { role: f.role, file: f.name, rows: 0, staged: 0, rejected: 0 };
    const encounterColumn = f.columns.encounterId;
    const encounterIndex = encounterColumn === undefined ? -1 : header.indexOf(encounterColumn);
    const reject = (line: number, code: string, message: string, encounterId?: string) => {
      store.addReject({ role: f.role, file: f.name, line, code, message, ...(encounterId ? { encounterId } : {}) });
    };

    const textFields = Object.keys(f.columns).filter((field) => TEXT_FIELDS.has(field));
    const limitOf = (field: string) => (TEXT_FIELDS.has(field) ? mapping.limits.noteChars : DESCRIPTION_FIELDS.has(field) ? mapping.limits.descriptionChars : mapping.limits.fieldChars);
    let first = true;
    try {
      for await (const record of recordsOf(f, mapping, header)) {
        if (first) {
          first = false; // the header
          continue;
        }
        report.rows++;
        const line = record.line;
        const id = encounterIndex >= 0 ? record.fields[encounterIndex]?.trim() || undefined : undefined;
        const through = record.lastLine > line ? ` (through line ${record.lastLine})` : '';
        if (record.error) {
          reject(line, record.error.code, record.error.message, id);
          continue;
        }
        if (record.invalid) {
          reject(line, 'INGEST_INVALID_ENCODING', `the row${through} holds bytes that are not valid ${mapping.encoding === 'utf-8' ? 'UTF-8' : mapping.encoding}; fix the export's encoding (or the mapping's)`, id);
          continue;
        }
        if (record.fields.length !== header.length) {
          reject(line, 'INGEST_ROW_UNPARSEABLE', `CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: the row has ${record.fields.length} fields, the header ${header.length}${through}`, id);
          continue;
        }
        const data: Record<string, string> = {};
        const values: Record<string, string> = {};
        header.forEach((h, i) => { values[h] = record.fields[i]!; });
        let problem: [string, string] | undefined;
        for (const [field, column] of Object.entries(f.columns)) {
          let value = values[column]?.trim();
          if (!value) continue;
          if (value.length > limitOf(field)) problem ??= ['INGEST_FIELD_TOO_LONG', `"${column}" (${field}) holds ${value.length} characters, more than the ${limitOf(field)} the mapping allows (limits)`];
          // Control characters (a NUL inside "denies") never reach abstraction: removed from text, refused elsewhere.
          if (CONTROL.test(value)) {
            if (textFields.includes(field) || DESCRIPTION_FIELDS.has(field)) value = value.replace(CONTROL_ALL, '');
            else problem ??= ['INGEST_INVALID_CHARACTERS', `"${column}" (${field}) holds control characters`];
          }
          if (value) data[field] = value;
        }
        if (problem) {
          reject(line, problem[0], problem[1], data.encounterId ?? id);
          continue;
        }
        const missing = REQUIRED_FIELDS[f.role].filter((field) => !(field in data));
        if (missing.length > 0) {
          const cols = missing.map((m) => `"${f.columns[m]}"`).join(', ');
          reject(line, 'INGEST_REQUIRED_FIELD_MISSING', `${f.role} row has no value in ${cols}`, data.encounterId);
          continue;
        }
        const staged = { file: f.name, line, data };
        switch (f.role) {
          case 'encounters':
            store.addEncounter({ ...staged, encounterId: data.encounterId!, patientId: data.patientId! }, groupRows(f.groups, values));
            break;
          case 'patients':
            store.addPatient({ ...staged, patientId: data.patientId! });
            break;
          default:
            store.addChild(f.role, { ...staged, encounterId: data.encounterId! });
        }
        if (f.role === 'encounters' && report.rows % 1000 === 0) options.onRecords?.(1000);
      }
    } catch (err) {
      throw new NightcodeError('INPUT_UNREADABLE', `${f.name}: could not be read after line ${report.rows}: ${(err as Error).message}`, { cause: err });
    }
    if (f.role === 'encounters') {
      inputRecords += report.rows;
      options.onRecords?.(report.rows % 1000);
    }
    reports.push(report);
  }
  for (const f of files) options.claimed?.add(f.name);
  if (options.finish !== false) finishStaging(store, reports);
  return { files: reports, inputRecords };
}

/**
 * Ends loading and counts each file's rejects from the store (duplicates are found when a
 * batch is written, orphans when loading ends).
 */
export function finishStaging(store: StagingStore, reports: StagedFileReport[]): void {
  store.finishLoading();
  const rejectsByFile = store.rejectCounts();
  for (const r of reports) {
    r.rejected = rejectsByFile.get(`${r.role}/${r.file}`) ?? 0;
    r.staged = r.rows - r.rejected;
  }
}

