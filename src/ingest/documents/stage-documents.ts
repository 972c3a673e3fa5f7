import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { limitsSchema, type FieldLimits } from '../../config/mapping-schema.js';
import { DEFAULT_PATTERNS, type ExportFormat } from '../../config/schema.js';
import { NightcodeError } from '../../contract/errors.js';
import { readCcdaExport } from '../ccda/read-ccda-export.js';
import { globToRegExp, type StagedFileReport } from '../csv/stage-csv.js';
import type { StagingStore } from '../staging.js';
import { readFhirExport } from '../fhir/read-fhir.js';
import { readHl7Export } from '../hl7v2/read-hl7v2.js';
import { CONTROL } from '../field-rules.js';
import { rowsProblem, type DocumentReaderOptions, type SourceReader } from './document-rows.js';

/** Readers by document format. */
export const DOCUMENT_READERS: Record<Exclude<ExportFormat, 'csv'>, SourceReader> = {
  ccda: readCcdaExport,
  hl7v2: readHl7Export,
  fhir: readFhirExport,
};

/**
 * Stages the document files of an export (C-CDA …): each document becomes the same
 * canonical rows a CSV export stages. An unusable document is quarantined with its file,
 * location and a stable code; the rest of the export goes on. Every document read is an
 * input record of the run.
 */
export async function stageDocuments(options: {
  dir: string;
  format: Exclude<ExportFormat, 'csv'>;
  pattern?: string;
  /** Files another source of the same pipeline already claimed. */
  claimed: Set<string>;
  store: StagingStore;
  reader: DocumentReaderOptions;
  /** What one field may hold (the pipeline's documents.limits). */
  limits?: FieldLimits;
  onRecords?: (n: number) => void;
}): Promise<{ files: StagedFileReport[]; inputRecords: number }> {
  const { dir, store } = options;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new NightcodeError('INPUT_MISSING', `Export folder not found: ${dir}`);
  const pattern = options.pattern ?? DEFAULT_PATTERNS[options.format];
  const re = globToRegExp(pattern);
  const names = readdirSync(dir).filter((n) => re.test(n) && !options.claimed.has(n) && statSync(join(dir, n)).isFile()).sort();
  const read = DOCUMENT_READERS[options.format];
  const reports = new Map<string, StagedFileReport>();
  for (const name of names) {
    options.claimed.add(name);
    reports.set(name, { role: 'encounters', file: name, rows: 0, staged: 0, rejected: 0 });
  }
  const limits = options.limits ?? limitsSchema.parse({});
  let inputRecords = 0;
  for await (const result of read(names.map((name) => ({ path: join(dir, name), name })), options.reader)) {
    const name = result.file;
    const report = reports.get(name)!;
    if (result.ok === 'ignored') {
      // Not an input record: the summary counts it by what it is.
      const ignored = (report.ignored ??= {});
      ignored[result.what] = (ignored[result.what] ?? 0) + 1;
      continue;
    }
    report.rows++;
    inputRecords++;
    options.onRecords?.(1);
    if (!result.ok) {
      store.addReject({ role: 'encounters', file: name, line: result.line, code: result.code, message: result.message, ...(result.encounterId ? { encounterId: result.encounterId } : {}) });
      continue;
    }
    const { encounter, patient, children } = result.rows;
    const line = result.line;
    const problem = rowsProblem(result.rows, limits);
    if (problem) {
      // The encounter id goes on the quarantine row only when it is itself readable.
      const readable = encounter.encounterId.length <= limits.fieldChars && !CONTROL.test(encounter.encounterId);
      store.addReject({ role: 'encounters', file: name, line, code: problem.code, message: `${name}: ${problem.message}`, ...(readable ? { encounterId: encounter.encounterId } : {}) });
      continue;
    }
    // The patient travels with the document (two documents of one patient may carry different
    // coverage): its fields go on the encounter row, as a one-file CSV export would have them.
    const data = { ...Object.fromEntries(Object.entries(patient?.data ?? {}).filter(([k]) => k !== '$path')), ...encounter.data };
    if (patient?.data.$path) data['$path.patient'] = patient.data.$path;
    store.addEncounter({ file: name, line, data, encounterId: encounter.encounterId, patientId: encounter.patientId });
    for (const child of children) store.addChild(child.role, { file: child.file ?? name, line: child.line ?? line, data: child.data, encounterId: encounter.encounterId });
  }
  const files = [...reports.values()];
  return { files, inputRecords };
}
