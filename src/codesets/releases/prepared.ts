import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NightcodeError } from '../../contract/errors.js';
import type { CodeFileFormat } from '../detect-format.js';
import { fiscalYearOf, fiscalYearRange, type ProviderType } from '../systems.js';

/**
 * What every release family's reader hands the importer: a code-set version with its
 * rows, notes and 7th-character rules, ready to be written in the import transaction.
 */
export interface ImportOptions {
  /** Provider type of NCCI/MUE tables when neither the file name nor its header says. */
  provider?: ProviderType;
  /** Overrides the start of the version's effective range (an April update: YYYY-04-01). */
  effectiveFrom?: string;
  /** Overrides the version label (default: the fiscal year, or `YYYY-MM` with --effective-from). */
  version?: string;
  now?: () => Date;
}

export type SourceFile = { file: string; format: CodeFileFormat; sha256: string; bytes: number };

export interface ImportedVersion {
  system: string;
  version: string;
  effectiveFrom: string;
  effectiveTo: string;
  codes: number;
  billable: number;
  sources: SourceFile[];
  warnings: string[];
}

export interface CodeRow {
  key: string;
  display: string;
  title: string;
  shortTitle?: string;
  kind: string;
  parent?: string;
  billable: boolean;
}

export interface PreparedVersion extends Omit<ImportedVersion, 'codes' | 'billable'> {
  rows: CodeRow[];
  pcsAxes?: { table: string; row: number; pos: number; code: string; label: string; title: string; definition?: string }[];
  notes: { key: string; seq: number; kind: string; block: number; text: string; ranges: string | null }[];
  seventh: { key: string; char: string; title: string }[];
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function fail(message: string, cause?: unknown): never {
  throw new NightcodeError('INPUT_UNREADABLE', message, cause === undefined ? {} : { cause });
}

/** The version label and effective range of a fiscal-year release (an April update with --effective-from). */
export function rangeFor(year: number, options: ImportOptions): { version: string; from: string; to: string } {
  const fy = fiscalYearRange(year);
  if (!options.effectiveFrom) return { version: options.version ?? String(year), ...fy };
  if (fiscalYearOf(options.effectiveFrom) !== year) {
    throw new NightcodeError('USAGE', `--effective-from ${options.effectiveFrom} is outside fiscal year ${year} (${fy.from} – ${fy.to})`);
  }
  return { version: options.version ?? `${year}-${options.effectiveFrom.slice(5, 7)}`, from: options.effectiveFrom, to: fy.to };
}
