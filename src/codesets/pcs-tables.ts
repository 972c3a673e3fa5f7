import type { Db } from '../store/database.js';
import type { VersionInfo } from './reference-library.js';

export interface PcsAxisExplained {
  pos: number;
  title: string;
  code: string;
  label: string;
  definition?: string;
}

/**
 * A PCS code explained axis by axis from the imported tables (section, body system,
 * operation with its definition, body part, approach, device, qualifier), or undefined
 * when no row of its table allows that combination of values.
 */
export function explainPcsCode(db: Db, version: VersionInfo, code: string): PcsAxisExplained[] | undefined {
  const key = code.trim().toUpperCase();
  if (!/^[0-9A-HJ-NP-Z]{7}$/.test(key)) return undefined;
  const rows = db.prepare('SELECT row, pos, code, label, title, definition FROM codeset_pcs_axes WHERE version_id = ? AND table_key = ?').all(version.id, key.slice(0, 3)) as
    { row: number; pos: number; code: string; label: string; title: string; definition: string | null }[];
  if (rows.length === 0) return undefined;
  const at = (row: number, pos: number) => rows.find((r) => r.row === row && r.pos === pos && r.code === key[pos - 1]);
  const head = [1, 2, 3].map((pos) => at(0, pos));
  if (head.some((h) => !h)) return undefined;
  const rowNumbers = [...new Set(rows.filter((r) => r.row > 0).map((r) => r.row))];
  for (const row of rowNumbers) {
    const tail = [4, 5, 6, 7].map((pos) => at(row, pos));
    if (tail.every((t) => t)) {
      return [...head, ...tail].map((r) => ({ pos: r!.pos, title: r!.title, code: r!.code, label: r!.label, ...(r!.definition ? { definition: r!.definition } : {}) }));
    }
  }
  return undefined;
}
