import { readFileSync } from 'node:fs';
import type { Db } from '../../store/database.js';
import { POA_EXEMPT_HEADER } from '../detect-format.js';
import { icd10cmKey } from '../icd10cm-code.js';
import { MCE_LISTS, type MceList } from '../systems.js';
import { fail, type SourceFile } from './prepared.js';

/**
 * CMS code lists that are not code sets: the Medicare Code Editor lists and the
 * present-on-admission exempt list. Each is versioned by the fiscal year it was published
 * for; a date of service uses the latest list published for it or before it, and a run
 * says when that list is older than the date's fiscal year (codesets/official-lists.ts).
 */
export interface ListRows {
  rows: { list: string; key: string }[];
  year: number;
  /** The list's own version label ("v37"), when it has one besides the fiscal year. */
  label?: string;
  warnings: string[];
}

/** MCE lists in the team's documented layout: `list,code` per line, lists named as in MCE_LISTS. */
export function readMceCsv(file: string, name: string, year: number): ListRows {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const rows: ListRows['rows'] = [];
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const [list, code] = line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
    const key = code ? icd10cmKey(code) : undefined;
    if (!list || !(MCE_LISTS as readonly string[]).includes(list) || !key) {
      fail(`${name} line ${i + 1}: expected "list,code" with a list among ${MCE_LISTS.join(', ')} and an ICD-10-CM code`);
    }
    rows.push({ list, key });
  });
  if (rows.length === 0) fail(`${name}: no MCE list rows`);
  return { rows, year, warnings: [] };
}

/**
 * The MCE "simple code edits" table (CMS "Definitions of Medicare Code Edits" chapter 1,
 * one row per listed code: MCE_Version, ICD_Version, MCE_Section, MCE_Subsection,
 * MCE_Edit_Type, ICD_Code_Type D/P, ICD_Code, ICD_Desc). Only ICD-10 rows of the lists
 * our edits apply are kept; the others (non-covered and limited-coverage procedures, …)
 * are counted in the warnings.
 */
const MCE_EDIT_TYPES: Record<string, MceList> = {
  'Newborn_Only/D': 'newborn', 'Pediatric_Only/D': 'pediatric', 'Maternity_Only/D': 'maternity', 'Adult_Only/D': 'adult',
  'Female_Only/D': 'female', 'Male_Only/D': 'male', 'Female_Only/P': 'female-procedure', 'Male_Only/P': 'male-procedure',
  'Principal_Manifestation/D': 'manifestation', 'Principal_Questionable_Admit/D': 'questionable-admission', 'Principal_Unacceptable/D': 'unacceptable-principal',
};
const MCE_HEADER = ['MCE_Version', 'ICD_Version', 'MCE_Section', 'MCE_Subsection', 'MCE_Edit_Type', 'ICD_Code_Type', 'ICD_Code'];
const PCS_CODE = /^[0-9A-HJ-NP-Z]{7}$/;

export function readMceSimpleEdits(file: string, name: string): ListRows {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').split('\t');
  const col = Object.fromEntries(MCE_HEADER.map((h) => [h, header.indexOf(h)]));
  const missing = MCE_HEADER.filter((h) => col[h]! < 0);
  if (missing.length > 0) fail(`${name} line 1: MCE edits table without column(s) ${missing.join(', ')}`);
  const rows: ListRows['rows'] = [];
  const skipped = new Map<string, number>();
  let version: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    const cell = (h: string) => (cells[col[h]!] ?? '').trim();
    const v = cell('MCE_Version');
    if (!/^\d+$/.test(v)) fail(`${name} line ${i + 1}: MCE_Version "${v}" is not a version number`);
    if (version !== undefined && v !== version) fail(`${name} line ${i + 1}: MCE version ${v} in a file of version ${version}; import one version per file`);
    version = v;
    if (cell('ICD_Version') !== '10') {
      skipped.set('ICD-9 rows', (skipped.get('ICD-9 rows') ?? 0) + 1);
      continue;
    }
    const type = `${cell('MCE_Edit_Type')}/${cell('ICD_Code_Type')}`;
    const list = MCE_EDIT_TYPES[type];
    if (!list) {
      skipped.set(type, (skipped.get(type) ?? 0) + 1);
      continue;
    }
    const code = cell('ICD_Code').toUpperCase();
    const key = cell('ICD_Code_Type') === 'P' ? (PCS_CODE.test(code) ? code : undefined) : icd10cmKey(code);
    if (!key) fail(`${name} line ${i + 1}: "${code}" is not an ICD-10-${cell('ICD_Code_Type') === 'P' ? 'PCS' : 'CM'} code`);
    rows.push({ list, key });
  }
  if (!version || rows.length === 0) fail(`${name}: no ICD-10 MCE list rows`);
  // MCE version N is published for fiscal year N + 1983 (v37 FY2020, v36 FY2019: the MS-DRG grouper's numbering).
  const year = Number(version) + 1983;
  const warnings = [...skipped].map(([type, n]) => `${n} rows of ${type} not used by the edits (skipped)`);
  return { rows, year, label: `v${version}`, warnings };
}

/** The CMS POA exempt list of a fiscal year (the year from its header). */
export function readPoaExempt(file: string, name: string): ListRows {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const m = POA_EXEMPT_HEADER.exec((lines[0] ?? '').replace(/^\uFEFF/, ''));
  if (!m) fail(`${name} line 1: expected the POA exempt header (Order, POAexemptCode, Description)`);
  const year = m[1]!.length === 2 ? 2000 + Number(m[1]) : Number(m[1]);
  const rows: ListRows['rows'] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const code = line.split('\t')[1]?.trim() ?? '';
    const key = icd10cmKey(code);
    if (!key) fail(`${name} line ${i + 1}: "${code}" is not an ICD-10-CM code`);
    rows.push({ list: 'poa-exempt', key });
  }
  if (rows.length === 0) fail(`${name}: no POA exempt codes`);
  return { rows, year, warnings: [] };
}

export interface ListPlan extends ListRows {
  source: SourceFile;
  range: { version: string; from: string; to: string };
}

/** Writes MCE list versions (one per fiscal year, replacing one of the same label) inside the import transaction. */
export function writeMceLists(db: Db, plans: readonly ListPlan[], at: string): void {
  const insList = db.prepare('INSERT INTO mce_lists (version, effective_from, effective_to, sources, rows, imported_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insEntry = db.prepare('INSERT OR IGNORE INTO mce_entries (list_id, list, code_key) VALUES (?, ?, ?)');
  for (const m of plans) {
    db.prepare('DELETE FROM mce_lists WHERE version = ?').run(m.range.version);
    const id = Number(insList.run(m.range.version, m.range.from, m.range.to, JSON.stringify([m.source]), m.rows.length, at).lastInsertRowid);
    for (const r of m.rows) insEntry.run(id, r.list, r.key);
  }
}

/** Writes POA exempt list versions inside the import transaction. */
export function writePoaExemptLists(db: Db, plans: readonly ListPlan[], at: string): void {
  const insList = db.prepare('INSERT INTO poa_exempt_lists (version, effective_from, effective_to, sources, rows, imported_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insCode = db.prepare('INSERT OR IGNORE INTO poa_exempt_codes (list_id, code_key) VALUES (?, ?)');
  for (const p of plans) {
    db.prepare('DELETE FROM poa_exempt_lists WHERE version = ?').run(p.range.version);
    const id = Number(insList.run(p.range.version, p.range.from, p.range.to, JSON.stringify([p.source]), p.rows.length, at).lastInsertRowid);
    for (const r of p.rows) insCode.run(id, r.key);
  }
}
