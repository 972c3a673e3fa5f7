import { parseReleaseXml, xmlText as text } from './xml.js';

/**
 * The ICD-10-PCS tables XML (CMS "icd10pcs_tables_YYYY.xml"): each `pcsTable` fixes the
 * first three axes (section, body system, root operation, with its definition); each
 * `pcsRow` lists the values allowed together on axes 4–7 (body part, approach, device,
 * qualifier). Every combination of a row's values is a valid code, so the tables both
 * explain a code axis by axis and generate the code list.
 */
export interface PcsAxisValue {
  code: string;
  label: string;
}

export interface PcsAxis {
  pos: number;
  title: string;
  values: PcsAxisValue[];
  definition?: string;
}

export interface PcsTable {
  /** The first three characters: section, body system, operation. */
  key: string;
  axes: PcsAxis[];
  rows: PcsAxis[][];
}

type Node = Record<string, unknown>;


export class PcsTablesFormatError extends Error {}

function axisOf(node: Node, fileName: string): PcsAxis {
  const pos = Number(text(node['@_pos']));
  const values = ((node.label as Node[] | undefined) ?? []).map((l) => ({ code: text(l['@_code']), label: text(l) }));
  if (!(pos >= 1 && pos <= 7) || values.length === 0 || values.some((v) => !/^[0-9A-HJ-NP-Z]$/.test(v.code))) {
    throw new PcsTablesFormatError(`${fileName}: <axis pos="${text(node['@_pos'])}"> without valid <label code> values`);
  }
  const definition = text(node.definition);
  return { pos, title: text(node.title), values, ...(definition ? { definition } : {}) };
}

export function parseIcd10pcsTables(xml: string, fileName: string): { version: string; tables: PcsTable[] } {
  const doc = parseReleaseXml(xml, fileName, { trimValues: true, isArray: (name) => ['pcsTable', 'pcsRow', 'axis', 'label'].includes(name) });
  const root = doc['ICD10PCS.tabular'] as Node | undefined;
  if (!root) throw new PcsTablesFormatError(`${fileName}: no <ICD10PCS.tabular> root element`);
  const tables: PcsTable[] = [];
  for (const t of (root.pcsTable as Node[] | undefined) ?? []) {
    const axes = ((t.axis as Node[] | undefined) ?? []).map((a) => axisOf(a, fileName)).sort((a, b) => a.pos - b.pos);
    if (axes.map((a) => a.pos).join() !== '1,2,3' || axes.some((a) => a.values.length !== 1)) {
      throw new PcsTablesFormatError(`${fileName}: table ${tables.length + 1} does not fix axes 1–3 with one value each`);
    }
    const key = axes.map((a) => a.values[0]!.code).join('');
    const rows = ((t.pcsRow as Node[] | undefined) ?? []).map((r, i) => {
      const rowAxes = ((r.axis as Node[] | undefined) ?? []).map((a) => axisOf(a, fileName)).sort((a, b) => a.pos - b.pos);
      if (rowAxes.map((a) => a.pos).join() !== '4,5,6,7') throw new PcsTablesFormatError(`${fileName}: table ${key} row ${i + 1} does not list axes 4–7`);
      return rowAxes;
    });
    tables.push({ key, axes, rows });
  }
  if (tables.length === 0) throw new PcsTablesFormatError(`${fileName}: no <pcsTable> elements (truncated file?)`);
  return { version: text(root.version), tables };
}

/** Every code a table's rows allow (the cartesian product of each row's axes 4–7). */
export function* expandPcsTable(table: PcsTable): Iterable<string> {
  for (const row of table.rows) {
    for (const a of row[0]!.values) for (const b of row[1]!.values) for (const c of row[2]!.values) for (const d of row[3]!.values) {
      yield `${table.key}${a.code}${b.code}${c.code}${d.code}`;
    }
  }
}
