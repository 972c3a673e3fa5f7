import { parseReleaseXml, xmlText as text } from './xml.js';

/**
 * The ICD-10-CM Alphabetic Index family (CDC/NCHS; one schema, icd10cm_index.xsd and
 * icd10cm_drug_neoplasm.xsd): the main Index and the External Cause Index (terms with
 * codes, "see", "see also", nonessential modifiers in parentheses), the Table of Drugs
 * and the Neoplasm Table (the same terms with table cells by column).
 */
export type IndexKind = 'index' | 'eindex' | 'drug' | 'neoplasm';

export interface IndexTerm {
  /** Position in file order; parents come before their subterms. */
  seq: number;
  parent?: number;
  /** 0 for a main term, then the subterm level. */
  level: number;
  title: string;
  /** Nonessential modifiers: "(adult) (child)" — they do not change the code. */
  nemod?: string;
  code?: string;
  manif?: string;
  see?: string;
  seeAlso?: string;
  /** Table columns (drug and neoplasm tables): column header → code ("--" = none). */
  cells?: Record<string, string>;
}

export interface IndexFile {
  kind: IndexKind;
  version: string;
  title: string;
  columns: string[];
  terms: IndexTerm[];
}

type Node = Record<string, unknown>;


export class IndexFormatError extends Error {}

export function parseIcd10cmIndex(xml: string, fileName: string): IndexFile {
  // Mixed content ("Abandonment<nemod>(…)</nemod> NEC") keeps its spaces; they are collapsed here.
  const doc = parseReleaseXml(xml, fileName, {
    trimValues: false,
    isArray: (name) => ['letter', 'mainTerm', 'term', 'cell', 'head'].includes(name),
  }) as Node;
  const root = doc['ICD10CM.index'] as Node | undefined;
  if (!root) throw new IndexFormatError(`${fileName}: no <ICD10CM.index> root element`);
  const version = text(root.version);
  const title = text(root.title);
  const heads = (((root.indexHeading as Node | undefined)?.head as Node[] | undefined) ?? []).map((h) => ({ col: text(h['@_col']), name: text(h) }));
  const columns = heads.map((h) => h.name);
  const kind: IndexKind = /neoplasm/i.test(columns.join(' ')) || heads.some((h) => /malignant/i.test(h.name)) ? 'neoplasm'
    : heads.some((h) => /poisoning/i.test(h.name)) ? 'drug'
    : /external cause/i.test(title) ? 'eindex' : 'index';
  const letters = (root.letter as Node[] | undefined) ?? [];
  if (letters.length === 0) throw new IndexFormatError(`${fileName}: no <letter> elements (truncated file?)`);
  const colName = new Map(heads.map((h) => [h.col, h.name]));

  const terms: IndexTerm[] = [];
  const walk = (node: Node, level: number, parent: number | undefined) => {
    const t = node.title;
    const term: IndexTerm = { seq: terms.length, level, title: text(t), ...(parent === undefined ? {} : { parent }) };
    const nemod = typeof t === 'object' && t !== null ? text((t as Node).nemod) : '';
    if (nemod) term.nemod = nemod;
    for (const key of ['code', 'manif', 'see', 'seeAlso'] as const) {
      const v = text(node[key]);
      if (v) term[key] = v;
    }
    const cells = (node.cell as Node[] | undefined) ?? [];
    if (cells.length > 0) term.cells = Object.fromEntries(cells.map((c) => [colName.get(text(c['@_col'])) ?? text(c['@_col']), text(c)]));
    terms.push(term);
    for (const child of (node.term as Node[] | undefined) ?? []) walk(child, level + 1, term.seq);
  };
  for (const letter of letters) for (const main of (letter.mainTerm as Node[] | undefined) ?? []) walk(main, 0, undefined);
  return { kind, version, title, columns, terms };
}
