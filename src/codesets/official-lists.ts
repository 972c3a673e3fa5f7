import type { Db } from '../store/database.js';
import { fiscalYearOf, type MceList } from './systems.js';

/**
 * Which version of a CMS code list serves a date of service. Code sets answer only inside
 * their effective range (a deleted code must fail), but these lists change little from
 * year to year and CMS publishes them late or not in machine-readable form: a date uses
 * the latest list that took effect on or before it, and when that list was published for
 * an earlier fiscal year than the date's, callers say so (`staleNote`) instead of silently
 * using it or silently skipping the edit.
 */
export type ListTable = 'mce_lists' | 'poa_exempt_lists';

export const LIST_NAMES: Record<ListTable, string> = { mce_lists: 'MCE lists', poa_exempt_lists: 'POA exempt list' };

export interface ListVersion {
  table: ListTable;
  id: number;
  version: string;
  effectiveFrom: string;
  effectiveTo: string;
}

export function listVersionFor(db: Db, table: ListTable, date: string): ListVersion | undefined {
  const row = db.prepare(`SELECT id, version, effective_from, effective_to FROM ${table} WHERE effective_from <= ? ORDER BY effective_from DESC, id DESC LIMIT 1`).get(date) as
    { id: number; version: string; effective_from: string; effective_to: string } | undefined;
  return row ? { table, id: row.id, version: row.version, effectiveFrom: row.effective_from, effectiveTo: row.effective_to } : undefined;
}

/** "MCE lists 2020 (v37)" */
export function listLabel(v: ListVersion): string {
  return `${LIST_NAMES[v.table]} ${v.version}`;
}

/** When the list serving `date` was published for an earlier fiscal year than the date's: what to tell people. */
export function staleNote(v: ListVersion, date: string): string | undefined {
  if (date <= v.effectiveTo) return undefined;
  return `${listLabel(v)} (fiscal year ${fiscalYearOf(v.effectiveTo)}) is applied to ${date} in fiscal year ${fiscalYearOf(date)}: import the ${LIST_NAMES[v.table]} of that year`;
}

/** The imported MCE list memberships of one version, by code key. */
export function loadMceEntries(db: Db, listId: number): Map<string, Set<MceList>> {
  const out = new Map<string, Set<MceList>>();
  for (const [l, key] of db.prepare('SELECT list, code_key FROM mce_entries WHERE list_id = ?').raw().iterate(listId) as Iterable<[MceList, string]>) {
    const set = out.get(key) ?? new Set<MceList>();
    set.add(l);
    out.set(key, set);
  }
  return out;
}

/** Which codes are exempt from POA reporting, and from which list that comes. */
export interface PoaExemptLookup {
  label: string;
  has(key: string): boolean;
}

/** The POA exempt codes of one version (keys without dots). */
export function loadPoaExempt(db: Db, listId: number): Set<string> {
  return new Set(db.prepare('SELECT code_key FROM poa_exempt_codes WHERE list_id = ?').pluck().all(listId) as string[]);
}

/** Every imported list version, for listings (`nightcode codesets list`). */
export function listVersions(db: Db): (ListVersion & { rows: number; sources: { file: string }[] })[] {
  const out: (ListVersion & { rows: number; sources: { file: string }[] })[] = [];
  for (const table of ['mce_lists', 'poa_exempt_lists'] as const) {
    const rows = db.prepare(`SELECT id, version, effective_from, effective_to, rows, sources FROM ${table} ORDER BY effective_from`).all() as
      { id: number; version: string; effective_from: string; effective_to: string; rows: number; sources: string }[];
    for (const r of rows) out.push({ table, id: r.id, version: r.version, effectiveFrom: r.effective_from, effectiveTo: r.effective_to, rows: r.rows, sources: JSON.parse(r.sources) as { file: string }[] });
  }
  return out;
}
