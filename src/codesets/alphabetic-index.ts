import type { Db } from '../store/database.js';
import type { IndexKind, IndexTerm } from './formats/icd10cm-index.js';
import { INDEX_SYSTEMS } from './systems.js';

export interface IndexInfo {
  id: number;
  kind: IndexKind;
  system: string;
  version: string;
  effectiveFrom: string;
  effectiveTo: string;
  terms: number;
  columns: string[];
  sources: { file: string }[];
}

export interface IndexHit {
  /** The deepest term reached, and the titles walked to it. */
  term: IndexTerm;
  path: string[];
  /** The code of that term, or of the nearest term above it that has one. */
  code?: string;
  cells?: Record<string, string>;
  /** A cross-reference to follow instead ("see Accident, transport"). */
  see?: string;
}

/** Index titles compare without case, punctuation spacing, or the nonessential modifiers. */
export function normalizeIndexTitle(title: string): string {
  return title.toLowerCase().replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').replace(/\s*,\s*/g, ', ').trim();
}

/**
 * One loaded Alphabetic Index (main index, external causes, drugs or neoplasms):
 * main terms and their subterms by level, with codes, table cells and see references,
 * so abstraction can use it as a lexicon and coding can resolve "pneumonia, aspiration".
 */
export class AlphabeticIndex {
  private readonly mains = new Map<string, IndexTerm>();
  private readonly childrenOf = new Map<number, IndexTerm[]>();

  constructor(readonly info: IndexInfo, readonly terms: IndexTerm[]) {
    for (const t of terms) {
      if (t.parent === undefined) {
        const key = normalizeIndexTitle(t.title);
        if (!this.mains.has(key)) this.mains.set(key, t);
      } else {
        const list = this.childrenOf.get(t.parent);
        if (list) list.push(t);
        else this.childrenOf.set(t.parent, [t]);
      }
    }
  }

  static list(db: Db): IndexInfo[] {
    const rows = db.prepare('SELECT * FROM codeset_indexes ORDER BY kind, effective_from').all() as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as number, kind: r.kind as IndexKind, system: INDEX_SYSTEMS[r.kind as IndexKind], version: r.version as string,
      effectiveFrom: r.effective_from as string, effectiveTo: r.effective_to as string, terms: r.terms as number,
      columns: JSON.parse(r.columns as string) as string[], sources: JSON.parse(r.sources as string) as { file: string }[],
    }));
  }

  /** The index of a kind in force on a date (the latest-starting version that covers it). */
  static forDate(db: Db, kind: IndexKind, date: string): AlphabeticIndex | undefined {
    const info = AlphabeticIndex.list(db)
      .filter((i) => i.kind === kind && i.effectiveFrom <= date && date <= i.effectiveTo)
      .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
    return info ? AlphabeticIndex.load(db, info) : undefined;
  }

  /** One imported index version, read whole. */
  static load(db: Db, info: IndexInfo): AlphabeticIndex {
    const rows = db.prepare('SELECT seq, parent_seq, level, title, nemod, code, manif, see, see_also, cells FROM codeset_index_terms WHERE index_id = ? ORDER BY seq').raw().all(info.id) as
      [number, number | null, number, string, string | null, string | null, string | null, string | null, string | null, string | null][];
    const terms = rows.map(([seq, parent, level, title, nemod, code, manif, see, seeAlso, cells]) => ({
      seq, level, title,
      ...(parent !== null ? { parent } : {}), ...(nemod ? { nemod } : {}), ...(code ? { code } : {}), ...(manif ? { manif } : {}),
      ...(see ? { see } : {}), ...(seeAlso ? { seeAlso } : {}), ...(cells ? { cells: JSON.parse(cells) as Record<string, string> } : {}),
    }));
    return new AlphabeticIndex(info, terms);
  }

  mainTerm(title: string): IndexTerm | undefined {
    return this.mains.get(normalizeIndexTitle(title));
  }

  subterms(term: IndexTerm): IndexTerm[] {
    return this.childrenOf.get(term.seq) ?? [];
  }

  /**
   * Walks a main term and subterms ("Accident", "boat, boating", "striking swimmer",
   * "powered") as far as the index goes; the code is the deepest one on the way.
   */
  lookup(path: readonly string[]): IndexHit | undefined {
    const [first, ...rest] = path;
    if (first === undefined) return undefined;
    const main = this.mainTerm(first);
    if (!main) return undefined;
    let term: IndexTerm = main;
    const walked = [term.title];
    let code = term.code;
    for (const step of rest) {
      const want = normalizeIndexTitle(step);
      const next: IndexTerm | undefined = this.subterms(term).find((t) => normalizeIndexTitle(t.title) === want);
      if (!next) break;
      term = next;
      walked.push(term.title);
      if (term.code) code = term.code;
    }
    return {
      term, path: walked,
      ...(code ? { code } : {}), ...(term.cells ? { cells: term.cells } : {}), ...(term.see ? { see: term.see } : {}),
    };
  }

  /** Follows a "see" reference ("Accident, transport, car occupant") to where it points. */
  follow(see: string): IndexHit | undefined {
    return this.lookup(see.split(',').map((s) => s.trim()).filter(Boolean));
  }
}
