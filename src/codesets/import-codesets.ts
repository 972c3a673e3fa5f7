import { readFileSync, statSync } from 'node:fs';
import { NightcodeError } from '../contract/errors.js';
import type { Db } from '../store/database.js';
import { expandArchives, type ReleaseFile } from './archives.js';
import { detectFormat, yearInName } from './detect-format.js';
import { readIcd10cmOrder, type OrderEntry } from './formats/order-file.js';
import { parseIcd10cmIndex, type IndexFile } from './formats/icd10cm-index.js';
import { readCptFile, readHcpcsFile } from './formats/hcpcs-cpt.js';
import { readMueFile, readPtpFile } from './formats/ncci.js';
import { parseIcd10cmTabular, type TabularFile } from './formats/icd10cm-tabular.js';
import { readIcd10pcsAddenda, readIcd10pcsCodes, type PcsAddendum, type PcsEntry } from './formats/icd10pcs.js';
import { parseIcd10pcsTables, type PcsTable } from './formats/icd10pcs-tables.js';
import { prepareIcd10cm } from './releases/icd10cm-release.js';
import { preparePcs } from './releases/icd10pcs-release.js';
import {
  readMceCsv, readMceSimpleEdits, readPoaExempt, writeMceLists, writePoaExemptLists, type ListPlan, type ListRows,
} from './releases/official-lists.js';
import { fail, rangeFor, sha256, type ImportOptions, type ImportedVersion, type PreparedVersion, type SourceFile } from './releases/prepared.js';
import { monthInName, prepareProcedureSet, providerOf, type EditTableFile, type ProcedureSet } from './releases/procedure-release.js';
import { readSnomedIcd10cmMap, type SnomedMapRow } from './formats/snomed-map.js';
import { writeSnomedMaps, type SnomedMapPlan } from './snomed-map.js';
import { INDEX_SYSTEMS, quarterOf, type ProviderType } from './systems.js';

export type { ImportOptions, ImportedVersion } from './releases/prepared.js';

/** What the files of one import hold, by release family, before anything is written. */
interface ReadReleases {
  tabulars: Map<number, { data: TabularFile; source: SourceFile }>;
  orders: Map<number, { data: OrderEntry[]; source: SourceFile }>;
  pcsCodes: Map<number, { data: PcsEntry[]; source: SourceFile }>;
  pcsAddenda: Map<number, { data: PcsAddendum[]; source: SourceFile }>;
  pcsTables: Map<number, { data: PcsTable[]; source: SourceFile }>;
  indexes: { data: IndexFile; source: SourceFile; year: number }[];
  procedureSets: ProcedureSet[];
  editTables: EditTableFile[];
  mceLists: (ListRows & { source: SourceFile })[];
  poaExempt: (ListRows & { source: SourceFile })[];
  snomedMaps: { rows: SnomedMapRow[]; release: string; source: SourceFile }[];
  /** Files recognized and deliberately not imported (change lists). */
  skipped: string[];
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
    const read = await readReleases(expanded.files, options);
    return writeReleases(db, read, options, now);
  } finally {
    expanded.cleanup();
  }
}

async function readReleases(files: ReleaseFile[], options: ImportOptions): Promise<ReadReleases> {
  const r: ReadReleases = {
    tabulars: new Map(), orders: new Map(), pcsCodes: new Map(), pcsAddenda: new Map(), pcsTables: new Map(),
    indexes: [], procedureSets: [], editTables: [], mceLists: [], poaExempt: [], snomedMaps: [], skipped: [],
  };
  for (const { path: file, name } of files) {
    let bytes: number;
    try {
      bytes = statSync(file).size;
    } catch (err) {
      fail(`${name}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, err);
    }
    const format = detectFormat(file);
    if (!format) fail(`${name}: not a recognized release file (ICD-10-CM tabular, index or order file; ICD-10-PCS codes, tables or addenda; HCPCS, CPT, NCCI PTP, MUE; MCE lists; POA exempt list; SNOMED CT to ICD-10-CM map)`);
    const source = { file: name, format, sha256: sha256(file), bytes };
    const fiscalYear = (example: string) => yearInName(name) ?? fail(`${name}: the file name does not say which fiscal year it is (e.g. ${example})`);
    try {
      switch (format) {
        case 'icd10cm-tabular': {
          const data = parseIcd10cmTabular(readFileSync(file, 'utf8'), name);
          r.tabulars.set(Number(data.version.slice(0, 4)), { data, source });
          break;
        }
        case 'icd10cm-order':
          r.orders.set(fiscalYear('icd10cm-order-2026.txt'), { data: await readIcd10cmOrder(file, name), source });
          break;
        case 'icd10pcs-codes':
          r.pcsCodes.set(fiscalYear('icd10pcs_codes_2025.txt'), { data: await readIcd10pcsCodes(file, name), source });
          break;
        case 'icd10pcs-addenda':
          r.pcsAddenda.set(fiscalYear('icd10pcs_addenda_2025.txt'), { data: await readIcd10pcsAddenda(file, name), source });
          break;
        case 'icd10pcs-tables': {
          const data = parseIcd10pcsTables(readFileSync(file, 'utf8'), name);
          const year = Number(data.version.slice(0, 4)) || yearInName(name);
          if (!year) fail(`${name}: neither <version> nor the file name says which fiscal year it is`);
          r.pcsTables.set(year, { data: data.tables, source });
          break;
        }
        case 'icd10cm-index': {
          const data = parseIcd10cmIndex(readFileSync(file, 'utf8'), name);
          const year = Number(data.version.slice(0, 4)) || yearInName(name);
          if (!year) fail(`${name}: neither <version> nor the file name says which fiscal year it is`);
          r.indexes.push({ data, source, year });
          break;
        }
        case 'hcpcs':
        case 'cpt-csv':
        case 'cpt-tsv': {
          const year = yearInName(name);
          if (!year) fail(`${name}: the file name does not say which year it is (e.g. HCPC2026_JAN_ANWEB.txt, cpt_2026.csv)`);
          const month = monthInName(name);
          if (format === 'hcpcs') {
            const data = await readHcpcsFile(file, name);
            r.procedureSets.push({ system: 'HCPCS', data: data.codes, modifiers: data.modifiers, source, year, month });
          } else {
            r.procedureSets.push({ system: 'CPT', data: await readCptFile(file, name, format === 'cpt-csv' ? ',' : '\t'), modifiers: [], source, year, month });
          }
          break;
        }
        case 'ncci-ptp':
        case 'mue': {
          const provider = providerOf(file, name, options);
          if (format === 'ncci-ptp') r.editTables.push({ kind: 'ptp', provider, ptp: await readPtpFile(file, name), source });
          else r.editTables.push({ kind: 'mue', provider, mue: await readMueFile(file, name), source });
          break;
        }
        case 'mce-lists':
          r.mceLists.push({ ...readMceCsv(file, name, fiscalYear('mce_lists_2026.csv')), source });
          break;
        case 'mce-simple-edits':
          r.mceLists.push({ ...readMceSimpleEdits(file, name), source });
          break;
        case 'poa-exempt':
          r.poaExempt.push({ ...readPoaExempt(file, name), source });
          break;
        case 'snomed-icd10cm-map':
          r.snomedMaps.push({ ...(await readSnomedIcd10cmMap(file, name)), source });
          break;
        case 'poa-exempt-changes':
          r.skipped.push(`${name}: a list of changes to the POA exempt list (the full list is what is imported)`);
          break;
      }
    } catch (err) {
      if (err instanceof NightcodeError) throw err;
      fail((err as Error).message, err);
    }
  }
  for (const year of r.pcsAddenda.keys()) {
    if (!r.pcsCodes.has(year)) fail(`ICD-10-PCS addenda for ${year} given without the codes file of the same year`);
  }
  if (r.skipped.length === files.length) fail(`nothing to import: ${r.skipped.join('; ')}`);
  return r;
}

function writeReleases(db: Db, r: ReadReleases, options: ImportOptions, now: () => Date): ImportedVersion[] {
  const prepared: PreparedVersion[] = [];
  for (const year of new Set([...r.tabulars.keys(), ...r.orders.keys()])) prepared.push(prepareIcd10cm(r.tabulars.get(year), r.orders.get(year), year, options));
  for (const year of new Set([...r.pcsCodes.keys(), ...r.pcsTables.keys()])) prepared.push(preparePcs(r.pcsCodes.get(year), r.pcsAddenda.get(year), r.pcsTables.get(year), year, options));
  for (const p of r.procedureSets) prepared.push(prepareProcedureSet(p, options));

  // Everything about the versions is settled before writing (ranges can be refused as
  // usage errors), so the transaction only writes.
  const ranged = <T extends { year: number }>(items: T[]) => items.map((x) => ({ ...x, range: rangeFor(x.year, options) }));
  const indexPlan = ranged(r.indexes);
  const listPlan = (lists: ReadReleases['mceLists']): ListPlan[] => ranged(lists).map((l) => ({ ...l, range: { ...l.range, version: l.label ? `${l.range.version} (${l.label})` : l.range.version } }));
  const mcePlan = listPlan(r.mceLists);
  const poaPlan = listPlan(r.poaExempt);
  // A map release is in force from its release date (effectiveTime) until a later one.
  const mapPlan: SnomedMapPlan[] = r.snomedMaps.map((m) => {
    const released = `${m.release.slice(0, 4)}-${m.release.slice(4, 6)}-${m.release.slice(6, 8)}`;
    const from = options.effectiveFrom ?? released;
    return { rows: m.rows, source: m.source, range: { version: options.version ?? released, from, to: '9999-12-31' } };
  });
  const quarter = quarterOf(options.effectiveFrom ?? now().toISOString().slice(0, 10));
  // Several files of one edit table (PTP comes split by code range) form one version.
  const editGroups = new Map<string, { kind: 'ptp' | 'mue'; provider: ProviderType; files: EditTableFile[] }>();
  for (const t of r.editTables) {
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
      const codeRows = v.rows.filter((x) => x.kind === 'category' || x.kind === 'code');
      const billable = codeRows.filter((x) => x.billable).length;
      const id = Number(insVersion.run(v.system, v.version, v.effectiveFrom, v.effectiveTo, JSON.stringify(v.sources), at, codeRows.length, billable, JSON.stringify({ warnings: v.warnings })).lastInsertRowid);
      for (const x of v.rows) insCode.run(id, x.key, x.display, x.title, x.shortTitle ?? null, x.kind, x.parent ?? null, x.billable ? 1 : 0);
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
        for (const x of f.ptp ?? []) insPair.run(id, x.column1, x.column2, x.effectiveFrom, x.deletedOn ?? null, x.modifierIndicator, x.rationale ?? null);
        for (const x of f.mue ?? []) insMue.run(id, x.code, x.maxUnits, x.mai, x.rationale ?? null);
      }
      // Rows after de-duplication across the group's files.
      db.prepare(`UPDATE edit_tables SET rows = (SELECT count(*) FROM ${g.kind === 'ptp' ? 'ptp_pairs' : 'mue_values'} WHERE table_id = ?) WHERE id = ?`).run(id, id);
    }

    writeMceLists(db, mcePlan, at);
    writePoaExemptLists(db, poaPlan, at);
    writeSnomedMaps(db, mapPlan, at);

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
    const codeRows = v.rows.filter((x) => x.kind === 'category' || x.kind === 'code');
    return {
      system: v.system, version: v.version, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo,
      codes: codeRows.length, billable: codeRows.filter((x) => x.billable).length, sources: v.sources, warnings: v.warnings,
    };
  });
  for (const [system, plan] of [['MCE lists', mcePlan], ['POA exempt list', poaPlan]] as const) {
    for (const m of plan) {
      versions.push({ system, version: m.range.version, effectiveFrom: m.range.from, effectiveTo: m.range.to, codes: m.rows.length, billable: 0, sources: [m.source], warnings: [...m.warnings, ...r.skipped] });
    }
  }
  for (const m of mapPlan) {
    versions.push({ system: 'SNOMED CT to ICD-10-CM map', version: m.range.version, effectiveFrom: m.range.from, effectiveTo: m.range.to, codes: m.rows.length, billable: 0, sources: [m.source as SourceFile], warnings: [] });
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
