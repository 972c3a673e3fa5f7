import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database.js';
import type { MueRow, PtpRow } from './formats/ncci.js';
import type { ProviderType } from './systems.js';

export interface EditTableInfo {
  id: number;
  kind: 'ptp' | 'mue';
  provider: ProviderType;
  version: string;
  effectiveFrom: string;
  rows: number;
  sources: { file: string }[];
}

/** A PTP pair as imported (modifier indicator 0 never together, 1 with a modifier, 9 not applied) and the table it came from. */
export interface PtpEdit extends PtpRow {
  /** "NCCI PTP practitioner 2026Q4" */
  tableVersion: string;
}

/** An MUE value (adjudication indicator 1 per line, 2 per day absolute, 3 per day clinical) and its table. */
export interface MueValue extends MueRow {
  tableVersion: string;
}

/**
 * NCCI PTP pairs and MUE values. A full practitioner PTP table has well over a million
 * pairs, so lookups go to the database through prepared, indexed statements instead of
 * loading the table into memory; the version is the latest quarter that started on or
 * before the date of service, and a pair applies from its effective date until (not
 * including) its deletion date.
 */
export class EditTables {
  private readonly tables: EditTableInfo[];
  private readonly pairStmt: Statement;
  private readonly pairsOfStmt: Statement;
  private readonly mueStmt: Statement;
  private readonly amongStmt: Statement;
  /** MUE rows by table and code (a table is small: one value per code), loaded on first use. */
  private readonly mueCache = new Map<string, MueValue | null>();

  constructor(db: Db) {
    this.tables = (db.prepare('SELECT * FROM edit_tables ORDER BY effective_from').all() as Record<string, unknown>[]).map((r) => ({
      id: r.id as number, kind: r.kind as 'ptp' | 'mue', provider: r.provider as ProviderType, version: r.version as string,
      effectiveFrom: r.effective_from as string, rows: r.rows as number, sources: JSON.parse(r.sources as string) as { file: string }[],
    }));
    this.pairStmt = db.prepare('SELECT * FROM ptp_pairs WHERE table_id = ? AND column1 = ? AND column2 = ? AND effective_from <= ? AND (deleted_on IS NULL OR deleted_on > ?) ORDER BY effective_from DESC LIMIT 1');
    this.pairsOfStmt = db.prepare('SELECT * FROM ptp_pairs WHERE table_id = ? AND column1 = ? AND effective_from <= ? AND (deleted_on IS NULL OR deleted_on > ?) ORDER BY column2');
    this.mueStmt = db.prepare('SELECT * FROM mue_values WHERE table_id = ? AND code = ?');
    // Every pair among a claim's codes in one indexed query (column1 IN … AND column2 IN …).
    this.amongStmt = db.prepare(`SELECT * FROM ptp_pairs WHERE table_id = ? AND column1 IN (SELECT value FROM json_each(?)) AND column2 IN (SELECT value FROM json_each(?))
      AND effective_from <= ? AND (deleted_on IS NULL OR deleted_on > ?) ORDER BY column1, column2, effective_from DESC`);
  }

  list(): EditTableInfo[] {
    return [...this.tables];
  }

  /**
   * The table version for a date: the latest quarter started on or before it. PTP rows
   * carry their own effective and deletion dates (CMS files keep deleted pairs), so a
   * date before every loaded quarter is still answered from the oldest PTP table; MUE
   * values have no dates and are not.
   */
  tableFor(kind: 'ptp' | 'mue', provider: ProviderType, date: string): EditTableInfo | undefined {
    const mine = this.tables.filter((t) => t.kind === kind && t.provider === provider);
    let best: EditTableInfo | undefined;
    for (const t of mine) if (t.effectiveFrom <= date) best = t;
    return best ?? (kind === 'ptp' ? mine[0] : undefined);
  }

  private toEdit(r: Record<string, unknown>, t: EditTableInfo): PtpEdit {
    return {
      column1: r.column1 as string, column2: r.column2 as string, effectiveFrom: r.effective_from as string,
      ...(r.deleted_on ? { deletedOn: r.deleted_on as string } : {}),
      modifierIndicator: r.modifier_indicator as PtpEdit['modifierIndicator'],
      ...(r.rationale ? { rationale: r.rationale as string } : {}),
      tableVersion: `NCCI PTP ${t.provider} ${t.version}`,
    };
  }

  /** The PTP edit between two codes on a date, whichever of them is column 1. */
  ptpPair(provider: ProviderType, a: string, b: string, date: string): PtpEdit | undefined {
    const t = this.tableFor('ptp', provider, date);
    if (!t) return undefined;
    const r = (this.pairStmt.get(t.id, a, b, date, date) ?? this.pairStmt.get(t.id, b, a, date, date)) as Record<string, unknown> | undefined;
    return r ? this.toEdit(r, t) : undefined;
  }

  /** Column 2 codes that a column 1 code bundles on a date. */
  ptpPairsOf(provider: ProviderType, column1: string, date: string): PtpEdit[] {
    const t = this.tableFor('ptp', provider, date);
    return t ? (this.pairsOfStmt.all(t.id, column1, date, date) as Record<string, unknown>[]).map((r) => this.toEdit(r, t)) : [];
  }

  /**
   * The PTP edits among a set of codes billed on one date: one query for the whole claim
   * instead of one per pair (a claim of n lines has n(n-1)/2 pairs). One edit per pair, the
   * latest effective row when several are active.
   */
  ptpPairsAmong(provider: ProviderType, codes: readonly string[], date: string): PtpEdit[] {
    const t = this.tableFor('ptp', provider, date);
    if (!t || codes.length < 2) return [];
    const list = JSON.stringify([...new Set(codes)]);
    const out: PtpEdit[] = [];
    let last = '';
    for (const r of this.amongStmt.all(t.id, list, list, date, date) as Record<string, unknown>[]) {
      const key = `${r.column1 as string}|${r.column2 as string}`;
      if (key === last || r.column1 === r.column2) continue;
      last = key;
      out.push(this.toEdit(r, t));
    }
    return out;
  }

  mue(provider: ProviderType, code: string, date: string): MueValue | undefined {
    const t = this.tableFor('mue', provider, date);
    if (!t) return undefined;
    const key = `${t.id}|${code}`;
    let v = this.mueCache.get(key);
    if (v === undefined) {
      const r = this.mueStmt.get(t.id, code) as Record<string, unknown> | undefined;
      v = r ? {
        code, maxUnits: r.max_units as number, mai: r.mai as MueValue['mai'], ...(r.rationale ? { rationale: r.rationale as string } : {}),
        tableVersion: `MUE ${t.provider} ${t.version}`,
      } : null;
      this.mueCache.set(key, v);
    }
    return v ?? undefined;
  }
}
