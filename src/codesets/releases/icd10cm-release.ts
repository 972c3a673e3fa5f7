import type { OrderEntry } from '../formats/order-file.js';
import type { TabularEntry, TabularFile } from '../formats/icd10cm-tabular.js';
import { icd10cmDisplay, parseNoteRanges } from '../icd10cm-code.js';
import { rangeFor, type CodeRow, type ImportOptions, type PreparedVersion, type SourceFile } from './prepared.js';

/** Nearest ancestor present in the tabular: S72001A → S72001, T1500XA → T1500. */
function nearestParent(key: string, known: ReadonlySet<string>): string | undefined {
  for (let k = key.slice(0, -1).replace(/X+$/, ''); k.length >= 3; k = k.slice(0, -1).replace(/X+$/, '')) {
    if (known.has(k)) return k;
  }
  return undefined;
}

/**
 * An ICD-10-CM fiscal-year release (CDC/NCHS): the tabular XML (hierarchy, notes,
 * 7th-character rules) and the order file (billable flags, short titles), cross-checked
 * against each other when both are given.
 */
export function prepareIcd10cm(tabular: { data: TabularFile; source: SourceFile } | undefined, order: { data: OrderEntry[]; source: SourceFile } | undefined, year: number, options: ImportOptions): PreparedVersion {
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
  const sources = [tabular?.source, order?.source].filter((s): s is SourceFile => s !== undefined);
  return { system: 'ICD-10-CM', version: range.version, effectiveFrom: range.from, effectiveTo: range.to, sources, warnings, rows: [...rows.values()], notes, seventh };
}

