import type { Db } from '../store/database.js';
import type { NoteKind } from './formats/icd10cm-tabular.js';
import { icd10cmKey, inRange, parseNoteRanges, withSeventhCharacter, type CodeRange } from './icd10cm-code.js';
import { STARTER_VERSION, type CodeSystemName } from './systems.js';

export interface VersionInfo {
  id: number;
  system: CodeSystemName;
  version: string;
  effectiveFrom: string;
  effectiveTo: string;
  codes: number;
  billable: number;
  importedAt: string;
  sources: { file: string; format: string; sha256: string }[];
  warnings: string[];
}

export interface CodeInfo {
  key: string;
  /** The code as written in claims (`E11.9`). */
  code: string;
  title: string;
  shortTitle?: string;
  kind: 'chapter' | 'section' | 'category' | 'code' | 'modifier';
  parent?: string;
  billable: boolean;
}

export interface CodeNote {
  kind: NoteKind;
  text: string;
  ranges: CodeRange[];
  /** The code (or section, chapter) the note is written at. */
  at: string;
}

export interface SeventhCharacterRule {
  /** Where the sevenChrDef is declared (S72 for S72.001). */
  definedAt: string;
  values: Record<string, string>;
}

/**
 * One loaded code-set version, in memory for the hot path: lookups by any input form,
 * the hierarchy, notes inherited down it (a note at a category applies to its
 * children), Excludes1 partners, and 7th-character rules with the placeholder X.
 */
export class CodeSet {
  private children?: Map<string, string[]>;

  constructor(
    readonly version: VersionInfo,
    private readonly codes: Map<string, CodeInfo>,
    private readonly notesAt: Map<string, CodeNote[]>,
    private readonly seventhAt: Map<string, Record<string, string>>,
  ) {}

  get size(): number {
    return this.codes.size;
  }

  /** Lookup key for an input form (`E11.9`, `E119`, `e11.9`; PCS codes as they are). */
  normalize(input: string): string | undefined {
    if (this.version.system === 'ICD-10-CM') return icd10cmKey(input);
    const key = input.trim().toUpperCase();
    return key.length > 0 ? key : undefined;
  }

  get(input: string): CodeInfo | undefined {
    const key = this.normalize(input);
    return key === undefined ? undefined : this.codes.get(key);
  }

  /** In the classification for this version (a header or a billable code). */
  isValid(input: string): boolean {
    const c = this.get(input);
    return c !== undefined && (c.kind === 'category' || c.kind === 'code');
  }

  /** Valid for HIPAA transactions: a leaf, with its 7th character where one is required. */
  isBillable(input: string): boolean {
    return this.get(input)?.billable ?? false;
  }

  title(input: string): string | undefined {
    return this.get(input)?.title;
  }

  /** Ancestors, nearest first, up to the chapter. */
  parents(input: string): CodeInfo[] {
    const out: CodeInfo[] = [];
    for (let c = this.get(input); c?.parent !== undefined; ) {
      c = this.codes.get(c.parent);
      if (c) out.push(c);
    }
    return out;
  }

  childrenOf(input: string): CodeInfo[] {
    if (!this.children) {
      this.children = new Map();
      for (const c of this.codes.values()) {
        if (c.parent === undefined) continue;
        const list = this.children.get(c.parent);
        if (list) list.push(c.key);
        else this.children.set(c.parent, [c.key]);
      }
    }
    const key = this.normalize(input) ?? input;
    return (this.children.get(key) ?? []).map((k) => this.codes.get(k)!);
  }

  /** Notes of the code and, when `inherited`, of every ancestor (section and chapter too). */
  notes(input: string, kind?: NoteKind, inherited = true): CodeNote[] {
    const key = this.normalize(input);
    if (key === undefined) return [];
    const chain = [key];
    if (inherited) {
      const start = this.nearestKnown(key);
      if (start !== undefined && start !== key) chain.push(start);
      for (let k = start === undefined ? undefined : this.codes.get(start)?.parent; k !== undefined; k = this.codes.get(k)?.parent) chain.push(k);
    }
    const out: CodeNote[] = [];
    for (const k of chain) for (const n of this.notesAt.get(k) ?? []) if (!kind || n.kind === kind) out.push(n);
    return out;
  }

  /**
   * The Excludes1 note that forbids coding `a` with `b`, from either side, if any
   * (ICD-10-CM Guidelines I.A.12.a: the two conditions are never coded together).
   */
  excludes1Between(a: string, b: string): CodeNote | undefined {
    const ka = this.normalize(a);
    const kb = this.normalize(b);
    if (!ka || !kb) return undefined;
    const hit = (from: string, to: string) => this.notes(from, 'excludes1').find((n) => n.ranges.some((r) => inRange(to, r)));
    return hit(ka, kb) ?? hit(kb, ka);
  }

  /**
   * A manifestation code: "in (other) diseases classified elsewhere" in its title or its
   * category's (ICD-10-CM Guidelines I.A.13: never first-listed or principal).
   */
  isManifestation(input: string): boolean {
    const own = this.get(input);
    return MANIFESTATION.test(own?.title ?? '') || this.parents(input).some((p) => p.kind === 'category' && MANIFESTATION.test(p.title));
  }

  /** The 7th-character rule that applies to a code (declared on it or an ancestor). */
  seventhCharacter(input: string): SeventhCharacterRule | undefined {
    const key = this.normalize(input);
    for (let k = key === undefined ? undefined : this.nearestKnown(key); k !== undefined; k = this.codes.get(k)?.parent) {
      const values = this.seventhAt.get(k);
      if (values) return { definedAt: this.codes.get(k)?.code ?? k, values };
    }
    return undefined;
  }

  /** The key itself when loaded, else its nearest loaded ancestor (S72.001A → S72.001 without the order file). */
  private nearestKnown(key: string): string | undefined {
    for (let k = key; k.length >= 3; k = k.slice(0, -1).replace(/X+$/, '')) if (this.codes.has(k)) return k;
    return undefined;
  }

  /** Every code of the version (chapters and sections included). */
  all(): IterableIterator<CodeInfo> {
    return this.codes.values();
  }

  /**
   * The full code for a base code and a 7th character, placeholder X filling the gap
   * (S02.0 + A → S02.0XXA); undefined when the base takes no 7th character or the
   * character is not one of its values.
   */
  addSeventhCharacter(base: string, seventh: string): string | undefined {
    const key = this.normalize(base);
    const rule = key ? this.seventhCharacter(key) : undefined;
    if (!key || !rule || !(seventh in rule.values) || key.length > 6) return undefined;
    return withSeventhCharacter(key, seventh);
  }
}

const MANIFESTATION = /\bin (?:other )?diseases classified elsewhere\b/i;

interface VersionRow {
  id: number; system: CodeSystemName; version: string; effective_from: string; effective_to: string;
  codes: number; billable: number; imported_at: string; sources: string; details: string | null;
}

function toInfo(r: VersionRow): VersionInfo {
  return {
    id: r.id, system: r.system, version: r.version, effectiveFrom: r.effective_from, effectiveTo: r.effective_to,
    codes: r.codes, billable: r.billable, importedAt: r.imported_at,
    sources: JSON.parse(r.sources) as VersionInfo['sources'],
    warnings: r.details ? ((JSON.parse(r.details) as { warnings?: string[] }).warnings ?? []) : [],
  };
}

/**
 * The versioned reference library: which versions are loaded, which one applies to a
 * date of service, and each version's CodeSet (loaded once, on first use).
 */
export class ReferenceLibrary {
  private readonly loaded = new Map<number, CodeSet>();
  private readonly infos: VersionInfo[];

  constructor(private readonly db: Db) {
    this.infos = (db.prepare('SELECT * FROM codeset_versions ORDER BY system, effective_from, version').all() as VersionRow[]).map(toInfo);
  }

  versions(system?: CodeSystemName): VersionInfo[] {
    return system ? this.infos.filter((v) => v.system === system) : [...this.infos];
  }

  /** True when only the team-written starter tables stand in for this system (the demo). */
  isStarterOnly(system: CodeSystemName): boolean {
    const vs = this.versions(system);
    return vs.length > 0 && vs.every((v) => v.version === STARTER_VERSION);
  }

  /**
   * The version in force on a date: the latest-starting one whose range contains it
   * (April updates win from April 1). The starter tables answer only while no official
   * version of the system is loaded: with official data, a date outside every version
   * is uncovered rather than silently coded against the demo tables.
   */
  versionFor(system: CodeSystemName, date: string): VersionInfo | undefined {
    const useStarter = this.isStarterOnly(system);
    let best: VersionInfo | undefined;
    for (const v of this.infos) {
      if (v.system !== system || (v.version === STARTER_VERSION && !useStarter)) continue;
      if (v.effectiveFrom <= date && date <= v.effectiveTo && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
    }
    return best;
  }

  /**
   * For code sets that change by addition (HCPCS, CPT): the latest official version that
   * took effect on or before the date, even when its year has ended, for a date no version
   * covers. Callers say that they used an older year.
   */
  latestOnOrBefore(system: CodeSystemName, date: string): CodeSet | undefined {
    let best: VersionInfo | undefined;
    for (const v of this.infos) {
      if (v.system !== system || v.version === STARTER_VERSION || v.effectiveFrom > date) continue;
      if (!best || v.effectiveFrom > best.effectiveFrom) best = v;
    }
    return best ? this.load(best) : undefined;
  }

  /** Dates (of those given) that no loaded version of the system covers. */
  uncoveredDates(system: CodeSystemName, dates: Iterable<string>): string[] {
    return [...new Set(dates)].filter((d) => !this.versionFor(system, d)).sort();
  }

  find(system: CodeSystemName, version: string): VersionInfo | undefined {
    return this.infos.find((v) => v.system === system && v.version === version);
  }

  codeSetFor(system: CodeSystemName, date: string): CodeSet | undefined {
    const v = this.versionFor(system, date);
    return v ? this.load(v) : undefined;
  }

  load(v: VersionInfo): CodeSet {
    const cached = this.loaded.get(v.id);
    if (cached) return cached;
    const codes = new Map<string, CodeInfo>();
    const rows = this.db.prepare('SELECT key, display, title, short_title, kind, parent, billable FROM codeset_codes WHERE version_id = ?').raw().iterate(v.id) as Iterable<[string, string, string, string | null, CodeInfo['kind'], string | null, number]>;
    for (const [key, code, title, shortTitle, kind, parent, billable] of rows) {
      const info: CodeInfo = { key, code, title, kind, billable: billable === 1 };
      if (shortTitle !== null) info.shortTitle = shortTitle;
      if (parent !== null) info.parent = parent;
      codes.set(key, info);
    }
    const notes = new Map<string, CodeNote[]>();
    const noteRows = this.db.prepare('SELECT key, kind, text, ranges FROM codeset_notes WHERE version_id = ? ORDER BY key, seq').raw().iterate(v.id) as Iterable<[string, NoteKind, string, string | null]>;
    for (const [key, kind, text, ranges] of noteRows) {
      // The ranges again from the note's text, where the import found any: a database imported
      // before the parser read "with" clauses holds "(E08-E13 with .44)" as all of E08-E13.
      const note: CodeNote = { kind, text, ranges: ranges ? parseNoteRanges(text) : [], at: codes.get(key)?.code ?? key };
      const list = notes.get(key);
      if (list) list.push(note);
      else notes.set(key, [note]);
    }
    const seventh = new Map<string, Record<string, string>>();
    for (const [key, ch, title] of this.db.prepare('SELECT key, char, title FROM codeset_seventh WHERE version_id = ?').raw().iterate(v.id) as Iterable<[string, string, string]>) {
      const values = seventh.get(key) ?? {};
      values[ch] = title;
      seventh.set(key, values);
    }
    const set = new CodeSet(v, codes, notes, seventh);
    this.loaded.set(v.id, set);
    return set;
  }
}

export interface VersionDiff {
  from: string;
  to: string;
  added: CodeInfo[];
  deleted: CodeInfo[];
  retitled: { code: string; from: string; to: string }[];
}

/** Codes added, deleted and retitled between two versions of a system (headers and billable codes). */
export function diffCodeSets(a: CodeSet, b: CodeSet): VersionDiff {
  const codesOf = (s: CodeSet) => {
    const m = new Map<string, CodeInfo>();
    for (const c of s.all()) if (c.kind === 'category' || c.kind === 'code') m.set(c.key, c);
    return m;
  };
  const ma = codesOf(a);
  const mb = codesOf(b);
  const added = [...mb.values()].filter((c) => !ma.has(c.key));
  const deleted = [...ma.values()].filter((c) => !mb.has(c.key));
  const retitled = [...mb.values()].filter((c) => ma.has(c.key) && ma.get(c.key)!.title !== c.title).map((c) => ({ code: c.code, from: ma.get(c.key)!.title, to: c.title }));
  const byKey = (x: CodeInfo, y: CodeInfo) => (x.key < y.key ? -1 : 1);
  return { from: `${a.version.system} ${a.version.version}`, to: `${b.version.system} ${b.version.version}`, added: added.sort(byKey), deleted: deleted.sort(byKey), retitled };
}
