import { parseReleaseXml, xmlText as text } from './xml.js';
import { icd10cmKey } from '../icd10cm-code.js';

/**
 * The official ICD-10-CM tabular XML (CDC/NCHS, schema icd10cm_tabular.xsd):
 * chapters → sections → nested `diag` elements, each with its notes. Parsed whole (the
 * file is ~10 MB) with tag and attribute values kept as strings.
 */
export const NOTE_KINDS = [
  'inclusionTerm', 'includes', 'excludes1', 'excludes2', 'codeFirst', 'useAdditionalCode', 'codeAlso', 'notes', 'sevenChrNote',
] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export type TabularKind = 'chapter' | 'section' | 'category' | 'code';

export interface TabularEntry {
  /**
   * Lookup key: `E119` for codes, `ch:4` for chapters, `sec:E08-E13` for sections (a
   * one-category section is named like its category, "B10", so sections get a prefix).
   */
  key: string;
  /** As written in the file (`E11.9`, `4`, `E08-E13`). */
  name: string;
  title: string;
  kind: TabularKind;
  parent?: string;
  depth: number;
  /** Notes in file order; `block` numbers the elements of one kind (useAdditionalCode may repeat). */
  notes: { kind: NoteKind; text: string; block: number }[];
  /** 7th character values defined here (`A` → "initial encounter for closed fracture"). */
  seventh?: Record<string, string>;
  /** True when the entry has no `diag` children. */
  leaf: boolean;
}

export interface TabularFile {
  version: string;
  entries: TabularEntry[];
}

type Node = Record<string, unknown>;

const ARRAYS = new Set(['chapter', 'section', 'diag', 'note', 'extension', 'sectionRef', ...NOTE_KINDS]);


function notesOf(node: Node): TabularEntry['notes'] {
  const out: TabularEntry['notes'] = [];
  for (const kind of NOTE_KINDS) {
    ((node[kind] as Node[] | undefined) ?? []).forEach((block, b) => {
      for (const n of (block.note as unknown[] | undefined) ?? []) {
        const t = text(n);
        if (t) out.push({ kind, text: t, block: b });
      }
    });
  }
  return out;
}

function seventhOf(node: Node): Record<string, string> | undefined {
  const def = node.sevenChrDef as Node[] | Node | undefined;
  const block = Array.isArray(def) ? def[0] : def;
  if (!block) return undefined;
  const out: Record<string, string> = {};
  for (const ext of (block.extension as Node[] | undefined) ?? []) {
    const ch = text(ext['@_char']);
    if (ch) out[ch] = text(ext);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export class TabularFormatError extends Error {}

export function parseIcd10cmTabular(xml: string, fileName: string): TabularFile {
  const doc = parseReleaseXml(xml, fileName, { trimValues: true, isArray: (name) => ARRAYS.has(name) }) as Node;
  const root = doc['ICD10CM.tabular'] as Node | undefined;
  if (!root) throw new TabularFormatError(`${fileName}: no <ICD10CM.tabular> root element; not an ICD-10-CM tabular file`);
  const version = text(root.version);
  if (!/^\d{4}/.test(version)) throw new TabularFormatError(`${fileName}: <version> "${version}" does not name a fiscal year`);
  const chapters = (root.chapter as Node[] | undefined) ?? [];
  if (chapters.length === 0) throw new TabularFormatError(`${fileName}: no <chapter> elements (truncated file?)`);

  const entries: TabularEntry[] = [];
  const walkDiag = (node: Node, parent: string, depth: number) => {
    const name = text(node.name);
    const key = icd10cmKey(name);
    if (!key) throw new TabularFormatError(`${fileName}: <diag> with invalid code "${name}" under ${parent}`);
    const children = (node.diag as Node[] | undefined) ?? [];
    const seventh = seventhOf(node);
    entries.push({
      key, name, title: text(node.desc), kind: key.length === 3 ? 'category' : 'code', parent, depth,
      notes: notesOf(node), leaf: children.length === 0, ...(seventh ? { seventh } : {}),
    });
    for (const child of children) walkDiag(child, key, depth + 1);
  };
  for (const ch of chapters) {
    const chName = text(ch.name);
    const chKey = `ch:${chName}`;
    entries.push({ key: chKey, name: chName, title: text(ch.desc), kind: 'chapter', depth: 0, notes: notesOf(ch), leaf: false });
    for (const sec of (ch.section as Node[] | undefined) ?? []) {
      const id = text(sec['@_id']);
      const secKey = `sec:${id}`;
      entries.push({ key: secKey, name: id, title: text(sec.desc), kind: 'section', parent: chKey, depth: 1, notes: notesOf(sec), leaf: false });
      for (const d of (sec.diag as Node[] | undefined) ?? []) walkDiag(d, secKey, 2);
    }
  }
  return { version, entries };
}
