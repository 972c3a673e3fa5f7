import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NightcodeError } from '../../contract/errors.js';
import { FILE_ROLES, REQUIRED_FIELDS, type FileRole, type Mapping } from '../../config/schema.js';
import type { StagingStore } from '../staging.js';
import { fileOps, groupColumns, groupRepetitions, recordsOf, type RoleFile, type StagingOp } from './csv-file-rows.js';

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

/** Writes one operation of a file into the store. */
function applyOp(store: StagingStore, f: RoleFile, op: StagingOp, onRecords: ((n: number) => void) | undefined): void {
  switch (op.kind) {
    case 'reject':
      store.addReject({ role: f.role, file: f.name, line: op.line, code: op.code, message: op.message, ...(op.encounterId ? { encounterId: op.encounterId } : {}) });
      break;
    case 'encounter':
      store.addEncounterJson({ file: f.name, line: op.line, encounterId: op.encounterId, patientId: op.patientId }, op.data, op.children);
      break;
    case 'patient':
      store.addPatientJson({ file: f.name, line: op.line, patientId: op.patientId }, op.data);
      break;
    case 'child':
      store.addChildJson(f.role, { file: f.name, line: op.line, encounterId: op.encounterId }, op.data);
      break;
    case 'progress':
      onRecords?.(op.records);
  }
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
    try {
      for await (const ops of fileOps(f, mapping, header, report)) for (const op of ops) applyOp(store, f, op, options.onRecords);
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

