import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { NightcodeError } from '../contract/errors.js';
import type { Db } from '../store/database.js';
import { expandArchives, type ReleaseFile } from './archives.js';
import { detectFormat, readHead, yearInName, type CodeFileFormat } from './detect-format.js';
import { readIcd10cmOrder, type OrderEntry } from './formats/order-file.js';
import { parseIcd10cmIndex, type IndexFile } from './formats/icd10cm-index.js';
import { readCptFile, readHcpcsFile, type HcpcsEntry } from './formats/hcpcs-cpt.js';
import { readMueFile, readPtpFile, type MueRow, type PtpRow } from './formats/ncci.js';
import { parseIcd10cmTabular, type TabularEntry, type TabularFile } from './formats/icd10cm-tabular.js';
import { readIcd10pcsAddenda, readIcd10pcsCodes, type PcsAddendum, type PcsEntry } from './formats/icd10pcs.js';
import { expandPcsTable, parseIcd10pcsTables, type PcsTable } from './formats/icd10pcs-tables.js';
import { icd10cmDisplay, icd10cmKey, parseNoteRanges } from './icd10cm-code.js';
import { MCE_LISTS } from './medicare-code-editor.js';

export type CodeSystemName = 'ICD-10-CM' | 'ICD-10-PCS' | 'CPT' | 'HCPCS';

/** How the index family is named in listings (its "codes" count is its terms). */
export const INDEX_SYSTEMS = {
  index: 'ICD-10-CM Index',
  eindex: 'ICD-10-CM External Cause Index',
  drug: 'ICD-10-CM Table of Drugs',
  neoplasm: 'ICD-10-CM Neoplasm Table',
} as const;

/** The version label of the team-written demo tables (data/starter). */
export const STARTER_VERSION = 'starter';

export type ProviderType = 'practitioner' | 'hospital' | 'dme';

export interface ImportOptions {
  /** Provider type of NCCI/MUE tables when neither the file name nor its header says. */
  provider?: ProviderType;
  /** Overrides the start of the version's effective range (an April update: YYYY-04-01). */
  effectiveFrom?: string;
  /** Overrides the version label (default: the fiscal year, or `YYYY-MM` with --effective-from). */
  version?: string;
  now?: () => Date;
}

export interface ImportedVersion {
  system: string;
  version: string;
  effectiveFrom: string;
  effectiveTo: string;
  codes: number;
  billable: number;
  sources: { file: string; format: CodeFileFormat; sha256: string; bytes: number }[];
  warnings: string[];
}

interface CodeRow {
  key: string;
  display: string;
  title: string;
  shortTitle?: string;
  kind: string;
  parent?: string;
  billable: boolean;
}

interface PreparedVersion extends Omit<ImportedVersion, 'codes' | 'billable'> {
  rows: CodeRow[];
  pcsAxes?: { table: string; row: number; pos: number; code: string; label: string; title: string; definition?: string }[];
  notes: { key: string; seq: number; kind: string; block: number; text: string; ranges: string | null }[];
  seventh: { key: string; char: string; title: string }[];
}

/** ICD-10-CM and -PCS fiscal year N runs from October 1 of N-1 to September 30 of N. */
export function fiscalYearRange(year: number): { from: string; to: string } {
  return { from: `${year - 1}-10-01`, to: `${year}-09-30` };
}

function fiscalYearOf(date: string): number {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m >= 10 ? y + 1 : y;
}

/** MCE lists in the documented layout: `list,code` per line, lists named as in MCE_LISTS. */
function readMceLists(file: string, name: string): { list: string; key: string }[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const out: { list: string; key: string }[] = [];
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const [list, code] = line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
    const key = code ? icd10cmKey(code) : undefined;
    if (!list || !(MCE_LISTS as readonly string[]).includes(list) || !key) {
      fail(`${name} line ${i + 1}: expected "list,code" with a list among ${MCE_LISTS.join(', ')} and an ICD-10-CM code`);
    }
    out.push({ list, key });
  });
  if (out.length === 0) fail(`${name}: no MCE list rows`);
  return out;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** The release month a file name gives ("HCPC2026_APR_ANWEB.txt" → 4); January when none. */
function monthInName(name: string): number {
  const m = new RegExp(`(?:^|[^A-Z])(${MONTHS.join('|')})(?:[^A-Z]|$)`, 'i').exec(name);
  return m ? MONTHS.indexOf(m[1]!.toUpperCase()) + 1 : 1;
}

/** NCCI and MUE tables are quarterly: the quarter a date falls in, as "2026Q4" from its first day. */
export function quarterOf(date: string): { label: string; from: string } {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const q = Math.floor((m - 1) / 3) + 1;
  return { label: `${y}Q${q}`, from: `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01` };
}

/** Provider type of an NCCI/MUE file: the option, else the file name or its header (CMS names files "…pra…", "…oph…", "…dme…"). */
function providerOf(file: string, fileName: string, options: ImportOptions): ProviderType {
  if (options.provider) return options.provider;
  const name = basename(fileName).toLowerCase();
  const head = readHead(file, 4096).toLowerCase();
  if (/pra|practitioner/.test(name) || /practitioner/.test(head)) return 'practitioner';
  if (/oph|hosp|outpatient/.test(name) || /outpatient hospital|facility/.test(head)) return 'hospital';
  if (/dme/.test(name) || /\bdme\b/.test(head)) return 'dme';
  fail(`${fileName}: cannot tell whether this NCCI/MUE table is for practitioners, hospitals or DME suppliers; pass --provider`);
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function fail(message: string, cause?: unknown): never {
  throw new NightcodeError('INPUT_UNREADABLE', message, cause === undefined ? {} : { cause });
}

function rangeFor(year: number, options: ImportOptions): { version: string; from: string; to: string } {
  const fy = fiscalYearRange(year);
  if (!options.effectiveFrom) return { version: options.version ?? String(year), ...fy };
  if (fiscalYearOf(options.effectiveFrom) !== year) {
    throw new NightcodeError('USAGE', `--effective-from ${options.effectiveFrom} is outside fiscal year ${year} (${fy.from} – ${fy.to})`);
  }
  return { version: options.version ?? `${year}-${options.effectiveFrom.slice(5, 7)}`, from: options.effectiveFrom, to: fy.to };
}

/** Nearest ancestor present in the tabular: S72001A → S72001, T1500XA → T1500. */
function nearestParent(key: string, known: ReadonlySet<string>): string | undefined {
  for (let k = key.slice(0, -1).replace(/X+$/, ''); k.length >= 3; k = k.slice(0, -1).replace(/X+$/, '')) {
    if (known.has(k)) return k;
  }
  return undefined;
}

function prepareIcd10cm(tabular: { data: TabularFile; source: ImportedVersion['sources'][number] } | undefined, order: { data: OrderEntry[]; source: ImportedVersion['sources'][number] } | undefined, year: number, options: ImportOptions): PreparedVersion {
  const range = rangeFor(year, options);
  const warnings: string[] = [];
  const rows = new Map<string, CodeRow>();
  const notes: PreparedVersion['notes'] = [];
  const seventh: PreparedVersion['seventh'] = [];
  const tabularKeys = new Set<string>();
  const byKey = new Map<string, TabularEntry>();
  if (tabular) {
    for (const e of tabular.data.entries) {
      byKey.set(e.key, e);
      if (e.kind === 'category' || e.kind === 'code') tabularKeys.add(e.key);
      rows.set(e.key, {
        key: e.key, display: e.name, title: e.title, kind: e.kind, billable: false, ...(e.parent ? { parent: e.parent } : {}),
      });
      e.notes.forEach((n, seq) => {
        const ranges = n.kind === 'inclusionTerm' ? [] : parseNoteRanges(n.text);
        notes.push({ key: e.key, seq, kind: n.kind, block: n.block, text: n.text, ranges: ranges.length > 0 ? JSON.stringify(ranges) : null });
      });
      for (const [char, title] of Object.entries(e.seventh ?? {})) seventh.push({ key: e.key, char, title });
    }
  }
  // Which tabular codes need a 7th character (a sevenChrDef on them or an ancestor).
  const needsSeventh = (key: string): boolean => {
    for (let k: string | undefined = key; k; k = byKey.get(k)?.parent) if (byKey.get(k)?.seventh) return true;
    return false;
  };
  if (order) {
    const orderKeys = new Set<string>();
    for (const o of order.data) {
      orderKeys.add(o.key);
      const row = rows.get(o.key);
      if (row) {
        row.billable = o.billable;
        row.shortTitle = o.shortTitle;
        if (row.title !== o.title) row.title = row.title || o.title;
      } else {
        const parent = nearestParent(o.key, tabular ? tabularKeys : orderKeys);
        if (tabular && !parent) warnings.push(`order file code ${icd10cmDisplay(o.key)} has no tabular ancestor`);
        rows.set(o.key, {
          key: o.key, display: icd10cmDisplay(o.key), title: o.title, shortTitle: o.shortTitle, billable: o.billable,
          kind: o.key.length === 3 ? 'category' : 'code', ...(parent ? { parent } : {}),
        });
      }
    }
    if (tabular) {
      // Cross-check: the order file and the tabular must describe the same classification.
      let missing = 0;
      let leafMismatch = 0;
      for (const key of tabularKeys) {
        if (!orderKeys.has(key)) missing++;
        const e = byKey.get(key)!;
        const row = rows.get(key)!;
        if (e.leaf && !needsSeventh(key) && !row.billable) leafMismatch++;
        if (!e.leaf && row.billable) leafMismatch++;
      }
      if (missing > 0) warnings.push(`${missing} tabular codes are not in the order file`);
      if (leafMismatch > 0) warnings.push(`${leafMismatch} codes where "billable" (order file) and "leaf" (tabular) disagree`);
    }
  } else {
    // Tabular alone: billable = a leaf that needs no 7th character (7th-character codes come from the order file).
    for (const key of tabularKeys) rows.get(key)!.billable = byKey.get(key)!.leaf && !needsSeventh(key);
    warnings.push('no order file: 7th-character codes (e.g. S72.001A) are not listed; import the order file of the same year too');
  }
  const sources = [tabular?.source, order?.source].filter((s): s is ImportedVersion['sources'][number] => s !== undefined);
  return { system: 'ICD-10-CM', version: range.version, effectiveFrom: range.from, effectiveTo: range.to, sources, warnings, rows: [...rows.values()], notes, seventh };
}

function preparePcs(
  codes: { data: PcsEntry[]; source: ImportedVersion['sources'][number] } | undefined,
  addenda: { data: PcsAddendum[]; source: ImportedVersion['sources'][number] } | undefined,
  tables: { data: PcsTable[]; source: ImportedVersion['sources'][number] } | undefined,
  year: number,
  options: ImportOptions,
): PreparedVersion {
  const range = rangeFor(year, options);
  const warnings: string[] = [];
  let rows: CodeRow[];
  if (codes) {
    const keys = new Set(codes.data.map((c) => c.key));
    if (keys.size !== codes.data.length) warnings.push(`${codes.data.length - keys.size} duplicate codes in the codes file`);
    if (addenda) {
      const notAdded = addenda.data.filter((a) => a.action !== 'delete' && !keys.has(a.key)).length;
      const notDeleted = addenda.data.filter((a) => a.action === 'delete' && keys.has(a.key)).length;
      if (notAdded > 0) warnings.push(`${notAdded} codes the addenda add or revise are missing from the codes file`);
      if (notDeleted > 0) warnings.push(`${notDeleted} codes the addenda delete are still in the codes file`);
    }
    if (tables) {
      // The tables generate the code list: both files must agree.
      let fromTables = 0;
      let unknown = 0;
      for (const t of tables.data) for (const code of expandPcsTable(t)) { fromTables++; if (!keys.has(code)) unknown++; }
      if (fromTables !== keys.size || unknown > 0) warnings.push(`the tables allow ${fromTables} codes (${unknown} not in the codes file); the codes file has ${keys.size}`);
    }
    rows = codes.data.map((c) => ({ key: c.key, display: c.key, title: c.title, kind: 'code', billable: true }));
  } else {
    // Tables alone: the code list is their expansion, titled from the axis labels.
    rows = [];
    for (const t of tables!.data) {
      const head = t.axes.map((a) => a.values[0]!.label);
      for (const row of t.rows) {
        for (const a of row[0]!.values) for (const b of row[1]!.values) for (const c of row[2]!.values) for (const d of row[3]!.values) {
          const key = `${t.key}${a.code}${b.code}${c.code}${d.code}`;
          rows.push({ key, display: key, title: [head[2], a.label, b.label, c.label, d.label].join(', '), kind: 'code', billable: true });
        }
      }
    }
    warnings.push('no codes file: titles are built from the table axis labels');
  }
  const axes: PreparedVersion['pcsAxes'] = [];
  for (const t of tables?.data ?? []) {
    for (const a of t.axes) for (const v of a.values) axes.push({ table: t.key, row: 0, pos: a.pos, code: v.code, label: v.label, title: a.title, ...(a.definition ? { definition: a.definition } : {}) });
    t.rows.forEach((row, i) => {
      for (const a of row) for (const v of a.values) axes.push({ table: t.key, row: i + 1, pos: a.pos, code: v.code, label: v.label, title: a.title });
    });
  }
  const sources = [codes?.source, addenda?.source, tables?.source].filter((s): s is ImportedVersion['sources'][number] => s !== undefined);
  return { system: 'ICD-10-PCS', version: range.version, effectiveFrom: range.from, effectiveTo: range.to, sources, warnings, rows, notes: [], seventh: [], pcsAxes: axes };
}

/**
 * Imports official release files into the reference library. Every file is read and
 * checked first; then all versions are written in one transaction, replacing a version
 * of the same system and label. A bad or truncated file changes nothing and the error
 * names the file and the problem.
 */
export async function importCodesetFiles(db: Db, files: string[], options: ImportOptions = {}): Promise<ImportedVersion[]> {
  const now = options.now ?? (() => new Date());
  const expanded = expandArchives(files);
  try {
    return await importExpanded(db, expanded.files, options, now);
  } finally {
    expanded.cleanup();
  }
}

async function importExpanded(db: Db, files: ReleaseFile[], options: ImportOptions, now: () => Date): Promise<ImportedVersion[]> {
  const tabulars = new Map<number, { data: TabularFile; source: ImportedVersion['sources'][number] }>();
  const orders = new Map<number, { data: OrderEntry[]; source: ImportedVersion['sources'][number] }>();
  const pcsCodes = new Map<number, { data: PcsEntry[]; source: ImportedVersion['sources'][number] }>();
  const pcsAddenda = new Map<number, { data: PcsAddendum[]; source: ImportedVersion['sources'][number] }>();
  const pcsTables = new Map<number, { data: PcsTable[]; source: ImportedVersion['sources'][number] }>();
  const indexes: { data: IndexFile; source: ImportedVersion['sources'][number]; year: number }[] = [];
  const procedureSets: { system: 'HCPCS' | 'CPT'; data: HcpcsEntry[]; modifiers: HcpcsEntry[]; source: ImportedVersion['sources'][number]; year: number; month: number }[] = [];
  const editTables: { kind: 'ptp' | 'mue'; provider: ProviderType; ptp?: PtpRow[]; mue?: MueRow[]; source: ImportedVersion['sources'][number] }[] = [];
  const mceLists: { rows: { list: string; key: string }[]; source: ImportedVersion['sources'][number]; year: number }[] = [];

  for (const { path: file, name } of files) {
    let bytes: number;
    try {
      bytes = statSync(file).size;
    } catch (err) {
      fail(`${name}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, err);
    }
    const format = detectFormat(file);
    if (!format) fail(`${name}: not a recognized release file (ICD-10-CM tabular XML or order file, ICD-10-PCS codes or addenda)`);
    const source = { file: name, format, sha256: sha256(file), bytes };
    try {
      if (format === 'icd10cm-tabular') {
        const data = parseIcd10cmTabular(readFileSync(file, 'utf8'), name);
        tabulars.set(Number(data.version.slice(0, 4)), { data, source });
      } else if (format === 'mce-lists') {
        const year = yearInName(name);
        if (!year) fail(`${name}: the file name does not say which fiscal year the lists are for (e.g. mce_lists_2026.csv)`);
        mceLists.push({ rows: readMceLists(file, name), source, year });
      } else if (format === 'hcpcs' || format === 'cpt-csv' || format === 'cpt-tsv') {
        const year = yearInName(name);
        if (!year) fail(`${name}: the file name does not say which year it is (e.g. HCPC2026_JAN_ANWEB.txt, cpt_2026.csv)`);
        const month = monthInName(name);
        if (format === 'hcpcs') {
          const data = await readHcpcsFile(file, name);
          procedureSets.push({ system: 'HCPCS', data: data.codes, modifiers: data.modifiers, source, year, month });
        } else {
          procedureSets.push({ system: 'CPT', data: await readCptFile(file, name, format === 'cpt-csv' ? ',' : '\t'), modifiers: [], source, year, month });
        }
      } else if (format === 'ncci-ptp' || format === 'mue') {
        const provider = providerOf(file, name, options);
        if (format === 'ncci-ptp') editTables.push({ kind: 'ptp', provider, ptp: await readPtpFile(file, name), source });
        else editTables.push({ kind: 'mue', provider, mue: await readMueFile(file, name), source });
      } else if (format === 'icd10pcs-tables') {
        const data = parseIcd10pcsTables(readFileSync(file, 'utf8'), name);
        const year = Number(data.version.slice(0, 4)) || yearInName(name);
        if (!year) fail(`${name}: neither <version> nor the file name says which fiscal year it is`);
        pcsTables.set(year, { data: data.tables, source });
      } else if (format === 'icd10cm-index') {
        const data = parseIcd10cmIndex(readFileSync(file, 'utf8'), name);
        const year = Number(data.version.slice(0, 4)) || yearInName(name);
        if (!year) fail(`${name}: neither <version> nor the file name says which fiscal year it is`);
        indexes.push({ data, source, year });
      } else {
        const year = yearInName(name);
        if (!year) fail(`${name}: the file name does not say which fiscal year it is (e.g. icd10pcs_codes_2025.txt)`);
        if (format === 'icd10cm-order') orders.set(year, { data: await readIcd10cmOrder(file, name), source });
        else if (format === 'icd10pcs-codes') pcsCodes.set(year, { data: await readIcd10pcsCodes(file, name), source });
        else pcsAddenda.set(year, { data: await readIcd10pcsAddenda(file, name), source });
      }
    } catch (err) {
      if (err instanceof NightcodeError) throw err;
      fail((err as Error).message, err);
    }
  }

  const prepared: PreparedVersion[] = [];
  for (const year of new Set([...tabulars.keys(), ...orders.keys()])) prepared.push(prepareIcd10cm(tabulars.get(year), orders.get(year), year, options));
  for (const year of new Set([...pcsCodes.keys(), ...pcsTables.keys()])) prepared.push(preparePcs(pcsCodes.get(year), pcsAddenda.get(year), pcsTables.get(year), year, options));
  for (const p of procedureSets) {
    // HCPCS and CPT run by calendar year; HCPCS quarterly files start on the first of their month.
    const from = options.effectiveFrom ?? `${p.year}-${String(p.month).padStart(2, '0')}-01`;
    const version = options.version ?? (p.month === 1 ? String(p.year) : `${p.year}-${String(p.month).padStart(2, '0')}`);
    prepared.push({
      system: p.system, version, effectiveFrom: from, effectiveTo: `${p.year}-12-31`, sources: [p.source], warnings: [],
      rows: [
        ...p.data.map((c) => ({ key: c.code, display: c.code, title: c.title, ...(c.shortTitle ? { shortTitle: c.shortTitle } : {}), kind: 'code', billable: true })),
        ...p.modifiers.map((m) => ({ key: `MOD:${m.code}`, display: m.code, title: m.title, ...(m.shortTitle ? { shortTitle: m.shortTitle } : {}), kind: 'modifier', billable: false })),
      ],
      notes: [], seventh: [],
    });
  }
  for (const year of pcsAddenda.keys()) {
    if (!pcsCodes.has(year)) fail(`ICD-10-PCS addenda for ${year} given without the codes file of the same year`);
  }

  // Everything about the versions is settled before writing (ranges can be refused as
  // usage errors), so the transaction only writes.
  const ranged = <T extends { year: number }>(items: T[]) => items.map((x) => ({ ...x, range: rangeFor(x.year, options) }));
  const indexPlan = ranged(indexes);
  const mcePlan = ranged(mceLists);
  const quarter = quarterOf(options.effectiveFrom ?? now().toISOString().slice(0, 10));
  // Several files of one edit table (PTP comes split by code range) form one version.
  const editGroups = new Map<string, { kind: 'ptp' | 'mue'; provider: ProviderType; files: typeof editTables }>();
  for (const t of editTables) {
    const key = `${t.kind}/${t.provider}`;
    const group = editGroups.get(key) ?? { kind: t.kind, provider: t.provider, files: [] };
    group.files.push(t);
    editGroups.set(key, group);
  }
  const editVersion = options.version ?? quarter.label;
  const editFrom = options.effectiveFrom ?? quarter.from;

  const at = now().toISOString();
  const write = db.transaction(() => {
    const del = db.prepare('DELETE FROM codeset_versions WHERE system = ? AND version = ?');
    const insVersion = db.prepare('INSERT INTO codeset_versions (system, version, effective_from, effective_to, sources, imported_at, codes, billable, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insCode = db.prepare('INSERT INTO codeset_codes (version_id, key, display, title, short_title, kind, parent, billable) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insNote = db.prepare('INSERT INTO codeset_notes (version_id, key, seq, kind, block, text, ranges) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insSeventh = db.prepare('INSERT INTO codeset_seventh (version_id, key, char, title) VALUES (?, ?, ?, ?)');
    const insAxis = db.prepare('INSERT OR IGNORE INTO codeset_pcs_axes (version_id, table_key, row, pos, code, label, title, definition) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const v of prepared) {
      del.run(v.system, v.version);
      const codeRows = v.rows.filter((r) => r.kind === 'category' || r.kind === 'code');
      const billable = codeRows.filter((r) => r.billable).length;
      const id = Number(insVersion.run(v.system, v.version, v.effectiveFrom, v.effectiveTo, JSON.stringify(v.sources), at, codeRows.length, billable, JSON.stringify({ warnings: v.warnings })).lastInsertRowid);
      for (const r of v.rows) insCode.run(id, r.key, r.display, r.title, r.shortTitle ?? null, r.kind, r.parent ?? null, r.billable ? 1 : 0);
      for (const n of v.notes) insNote.run(id, n.key, n.seq, n.kind, n.block, n.text, n.ranges);
      for (const s of v.seventh) insSeventh.run(id, s.key, s.char, s.title);
      for (const a of v.pcsAxes ?? []) insAxis.run(id, a.table, a.row, a.pos, a.code, a.label, a.title, a.definition ?? null);
    }

    const insTable = db.prepare("INSERT INTO edit_tables (kind, provider, version, effective_from, effective_to, sources, rows, imported_at) VALUES (?, ?, ?, ?, '9999-12-31', ?, 0, ?)");
    const insPair = db.prepare('INSERT OR REPLACE INTO ptp_pairs (table_id, column1, column2, effective_from, deleted_on, modifier_indicator, rationale) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insMue = db.prepare('INSERT OR REPLACE INTO mue_values (table_id, code, max_units, mai, rationale) VALUES (?, ?, ?, ?, ?)');
    for (const g of editGroups.values()) {
      db.prepare('DELETE FROM edit_tables WHERE kind = ? AND provider = ? AND version = ?').run(g.kind, g.provider, editVersion);
      const id = Number(insTable.run(g.kind, g.provider, editVersion, editFrom, JSON.stringify(g.files.map((f) => f.source)), at).lastInsertRowid);
      for (const f of g.files) {
        for (const r of f.ptp ?? []) insPair.run(id, r.column1, r.column2, r.effectiveFrom, r.deletedOn ?? null, r.modifierIndicator, r.rationale ?? null);
        for (const r of f.mue ?? []) insMue.run(id, r.code, r.maxUnits, r.mai, r.rationale ?? null);
      }
      // Rows after de-duplication across the group's files.
      db.prepare(`UPDATE edit_tables SET rows = (SELECT count(*) FROM ${g.kind === 'ptp' ? 'ptp_pairs' : 'mue_values'} WHERE table_id = ?) WHERE id = ?`).run(id, id);
    }

    const insList = db.prepare('INSERT INTO mce_lists (version, effective_from, effective_to, sources, rows, imported_at) VALUES (?, ?, ?, ?, ?, ?)');
    const insEntry = db.prepare('INSERT OR IGNORE INTO mce_entries (list_id, list, code_key) VALUES (?, ?, ?)');
    for (const m of mcePlan) {
      db.prepare('DELETE FROM mce_lists WHERE version = ?').run(m.range.version);
      const id = Number(insList.run(m.range.version, m.range.from, m.range.to, JSON.stringify([m.source]), m.rows.length, at).lastInsertRowid);
      for (const r of m.rows) insEntry.run(id, r.list, r.key);
    }

    const insIndex = db.prepare('INSERT INTO codeset_indexes (kind, version, effective_from, effective_to, title, columns, sources, terms, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insTerm = db.prepare('INSERT INTO codeset_index_terms (index_id, seq, parent_seq, level, title, nemod, code, manif, see, see_also, cells) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const x of indexPlan) {
      db.prepare('DELETE FROM codeset_indexes WHERE kind = ? AND version = ?').run(x.data.kind, x.range.version);
      const id = Number(insIndex.run(x.data.kind, x.range.version, x.range.from, x.range.to, x.data.title, JSON.stringify(x.data.columns), JSON.stringify([x.source]), x.data.terms.length, at).lastInsertRowid);
      for (const t of x.data.terms) {
        insTerm.run(id, t.seq, t.parent ?? null, t.level, t.title, t.nemod ?? null, t.code ?? null, t.manif ?? null, t.see ?? null, t.seeAlso ?? null, t.cells ? JSON.stringify(t.cells) : null);
      }
    }
  });
  try {
    write.immediate();
  } catch (err) {
    throw new NightcodeError('DATABASE', `import failed while writing the reference library; nothing was changed: ${(err as Error).message}`, { cause: err });
  }

  const versions: ImportedVersion[] = prepared.map((v) => {
    const codeRows = v.rows.filter((r) => r.kind === 'category' || r.kind === 'code');
    return {
      system: v.system, version: v.version, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo,
      codes: codeRows.length, billable: codeRows.filter((r) => r.billable).length, sources: v.sources, warnings: v.warnings,
    };
  });
  for (const m of mcePlan) {
    versions.push({ system: 'MCE lists', version: m.range.version, effectiveFrom: m.range.from, effectiveTo: m.range.to, codes: m.rows.length, billable: 0, sources: [m.source], warnings: [] });
  }
  for (const g of editGroups.values()) {
    versions.push({
      system: `${g.kind === 'ptp' ? 'NCCI PTP' : 'MUE'} ${g.provider}`, version: editVersion, effectiveFrom: editFrom, effectiveTo: '9999-12-31',
      codes: g.files.reduce((sum, f) => sum + (f.ptp?.length ?? f.mue?.length ?? 0), 0), billable: 0, sources: g.files.map((f) => f.source), warnings: [],
    });
  }
  for (const x of indexPlan) {
    versions.push({
      system: INDEX_SYSTEMS[x.data.kind], version: x.range.version, effectiveFrom: x.range.from, effectiveTo: x.range.to,
      codes: x.data.terms.length, billable: 0, sources: [x.source], warnings: [],
    });
  }
  return versions;
}
