import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export type CsvRow = Record<string, string>;

/** One RFC 4180 cell, quoted when it must be (no formula guard: tests write exports as an EHR would). */
export const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A CSV file as rows keyed by header (a byte-order mark is skipped). */
export const readCsv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as CsvRow[];

/** Every finding of a run's outputs: those of held claims (exceptions.csv), then the warnings that travelled with released claims (released-warnings.csv). */
export const readFindings = (outDir: string) => [...readCsv(join(outDir, 'exceptions.csv')), ...readCsv(join(outDir, 'released-warnings.csv'))];

const EXPORT_FILES = ['patients.csv', 'encounters.csv', 'diagnoses.csv', 'charges.csv', 'notes.csv'];

/** A copy of a sample export without some encounters and with encounter rows edited (columns may be added). */
export function rewriteExport(from: string, to: string, options: { drop?: ReadonlySet<string>; editEncounter?: (r: CsvRow) => CsvRow } = {}): void {
  mkdirSync(to, { recursive: true });
  for (const file of EXPORT_FILES) {
    const rows = readCsv(join(from, file))
      .filter((r) => !options.drop?.has(r.EncounterID ?? ''))
      .map((r) => (file === 'encounters.csv' && options.editEncounter ? options.editEncounter(r) : r));
    const header = Object.keys(rows[0]!);
    writeFileSync(join(to, file), [header.join(','), ...rows.map((r) => header.map((h) => csvCell(r[h] ?? '')).join(','))].join('\r\n') + '\r\n');
  }
}
