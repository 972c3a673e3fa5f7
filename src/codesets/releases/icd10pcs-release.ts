import type { PcsAddendum, PcsEntry } from '../formats/icd10pcs.js';
import { expandPcsTable, type PcsTable } from '../formats/icd10pcs-tables.js';
import { rangeFor, type CodeRow, type ImportOptions, type PreparedVersion, type SourceFile } from './prepared.js';

/**
 * An ICD-10-PCS fiscal-year release (CMS): the codes file with its long titles, the
 * addenda (checked against it) and the tables XML (its axes kept for building codes;
 * alone, the tables generate the code list).
 */
export function preparePcs(
  codes: { data: PcsEntry[]; source: SourceFile } | undefined,
  addenda: { data: PcsAddendum[]; source: SourceFile } | undefined,
  tables: { data: PcsTable[]; source: SourceFile } | undefined,
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
  const sources = [codes?.source, addenda?.source, tables?.source].filter((s): s is SourceFile => s !== undefined);
  return { system: 'ICD-10-PCS', version: range.version, effectiveFrom: range.from, effectiveTo: range.to, sources, warnings, rows, notes: [], seventh: [], pcsAxes: axes };
}
