import { basename } from 'node:path';
import { readHead } from '../detect-format.js';
import type { HcpcsEntry } from '../formats/hcpcs-cpt.js';
import type { MueRow, PtpRow } from '../formats/ncci.js';
import type { ProviderType } from '../systems.js';
import { fail, type ImportOptions, type PreparedVersion, type SourceFile } from './prepared.js';

/**
 * Procedure code releases: HCPCS Level II (CMS, calendar year with quarterly updates) and
 * CPT (the AMA file a site licenses), and the NCCI PTP and MUE edit tables (quarterly, by
 * provider type).
 */
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** The release month a file name gives ("HCPC2026_APR_ANWEB.txt" → 4); January when none. */
export function monthInName(name: string): number {
  const m = new RegExp(`(?:^|[^A-Z])(${MONTHS.join('|')})(?:[^A-Z]|$)`, 'i').exec(name);
  return m ? MONTHS.indexOf(m[1]!.toUpperCase()) + 1 : 1;
}

export interface ProcedureSet {
  system: 'HCPCS' | 'CPT';
  data: HcpcsEntry[];
  modifiers: HcpcsEntry[];
  source: SourceFile;
  year: number;
  month: number;
}

/** HCPCS and CPT run by calendar year; HCPCS quarterly files start on the first of their month. */
export function prepareProcedureSet(p: ProcedureSet, options: ImportOptions): PreparedVersion {
  const from = options.effectiveFrom ?? `${p.year}-${String(p.month).padStart(2, '0')}-01`;
  const version = options.version ?? (p.month === 1 ? String(p.year) : `${p.year}-${String(p.month).padStart(2, '0')}`);
  return {
    system: p.system, version, effectiveFrom: from, effectiveTo: `${p.year}-12-31`, sources: [p.source], warnings: [],
    rows: [
      ...p.data.map((c) => ({ key: c.code, display: c.code, title: c.title, ...(c.shortTitle ? { shortTitle: c.shortTitle } : {}), kind: 'code', billable: true })),
      ...p.modifiers.map((m) => ({ key: `MOD:${m.code}`, display: m.code, title: m.title, ...(m.shortTitle ? { shortTitle: m.shortTitle } : {}), kind: 'modifier', billable: false })),
    ],
    notes: [], seventh: [],
  };
}

export interface EditTableFile {
  kind: 'ptp' | 'mue';
  provider: ProviderType;
  ptp?: PtpRow[];
  mue?: MueRow[];
  source: SourceFile;
}

/** Provider type of an NCCI/MUE file: the option, else the file name or its header (CMS names files "…pra…", "…oph…", "…dme…"). */
export function providerOf(file: string, fileName: string, options: ImportOptions): ProviderType {
  if (options.provider) return options.provider;
  const name = basename(fileName).toLowerCase();
  const head = readHead(file, 4096).toLowerCase();
  if (/pra|practitioner/.test(name) || /practitioner/.test(head)) return 'practitioner';
  if (/oph|hosp|outpatient/.test(name) || /outpatient hospital|facility/.test(head)) return 'hospital';
  if (/dme/.test(name) || /\bdme\b/.test(head)) return 'dme';
  fail(`${fileName}: cannot tell whether this NCCI/MUE table is for practitioners, hospitals or DME suppliers; pass --provider`);
}
