import { parse, type Options as CsvOptions } from 'csv-parse';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { NightcodeError } from '../../contract/errors.js';
import { FILE_ROLES, REQUIRED_FIELDS, type ColumnGroup, type FileRole, type Mapping } from '../../config/schema.js';
import type { StagingStore } from '../staging.js';

export interface StagedFileReport {
  role: FileRole;
  file: string;
  /** Records read (rows after the header, including unreadable ones). */
  rows: number;
  staged: number;
  rejected: number;
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

function openText(path: string, mapping: Mapping): Readable {
  const raw = createReadStream(path);
  if (mapping.encoding === 'utf-8') return raw;
  return raw.pipe(iconv.decodeStream(mapping.encoding)) as unknown as Readable;
}

function parserOptions(mapping: Mapping, extra: CsvOptions): CsvOptions {
  return {
    bom: true,
    delimiter: mapping.delimiter,
    skip_empty_lines: true,
    // A stray quote inside a field is kept as written rather than swallowing the rest of the file.
    relax_quotes: true,
    ...extra,
  };
}

export async function readHeader(file: RoleFile, mapping: Mapping): Promise<string[]> {
  const stream = openText(file.path, mapping);
  const parser = stream.pipe(parse(parserOptions(mapping, { to_line: 1 })));
  try {
    for await (const record of parser) return (record as string[]).map((h) => h.trim());
    return [];
  } catch (err) {
    throw new NightcodeError('INPUT_UNREADABLE', `${file.name}: header line could not be read: ${(err as Error).message}`, { cause: err });
  } finally {
    stream.destroy();
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
 * Physical line numbers from each record's raw text. csv-parse's own line counter
 * counts a CRLF inside a quoted field twice, so lines are counted here instead: raw
 * text may start with skipped blank lines and ends with its record delimiter (for CRLF
 * files only the CR of it), and records and skip events arrive in file order.
 */
export class LineCounter {
  private next: number;

  constructor(firstDataLine = 2) {
    this.next = firstDataLine;
  }

  /** The line the record starts on; advances past the record. */
  advance(raw: string | undefined): number {
    if (raw === undefined) return this.next;
    const leading = /^(?:\r\n|\r|\n)*/.exec(raw)![0];
    const start = this.next + countBreaks(leading);
    this.next = start + countBreaks(raw.slice(leading.length));
    return start;
  }

  /** Last line of the record just counted. */
  peekLastLine(): number {
    return this.next - 1;
  }
}

function countBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (s.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

interface CsvSkipError extends Error {
  code?: string;
  lines?: number;
  raw?: string;
  record?: string[];
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

    const lines = new LineCounter();
    const parser = openText(f.path, mapping).pipe(
      parse(parserOptions(mapping, {
        columns: (h: string[]) => h.map((c) => c.trim()),
        raw: true,
        skip_records_with_error: true,
        // Runs in file order, interleaved with 'skip' events, so the line counter stays true.
        on_record: ((rec: { record: Record<string, string>; raw: string }) => ({ record: rec.record, line: lines.advance(rec.raw) })) as unknown as CsvOptions['on_record'],
      })),
    );
    parser.on('skip', (err: CsvSkipError) => {
      report.rows++;
      const line = lines.advance(err.raw);
      const last = lines.peekLastLine();
      const endNote = last > line ? ` (through line ${last})` : '';
      const id = encounterIndex >= 0 ? err.record?.[encounterIndex]?.trim() : undefined;
      const reason = (err.message ?? 'unreadable').replace(/\s+on line \d+.*$/s, '').slice(0, 200);
      reject(line, 'INGEST_ROW_UNPARSEABLE', `${err.code ?? 'CSV_ERROR'}: ${reason}${endNote}`, id || undefined);
    });

    try {
      for await (const item of parser as AsyncIterable<{ record: Record<string, string>; line: number }>) {
        report.rows++;
        const line = item.line;
        const data: Record<string, string> = {};
        for (const [field, column] of Object.entries(f.columns)) {
          const value = item.record[column]?.trim();
          if (value) data[field] = value;
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
            store.addEncounter({ ...staged, encounterId: data.encounterId!, patientId: data.patientId! }, groupRows(f.groups, item.record));
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

