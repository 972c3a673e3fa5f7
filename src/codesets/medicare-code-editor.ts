import type { Db } from '../store/database.js';
import type { CodeSet } from './reference-library.js';

/**
 * Medicare Code Editor lists (CMS MCE definitions): which diagnoses belong to an age
 * group or a sex, which are manifestations or otherwise unacceptable as principal
 * diagnosis. CMS publishes them in the MCE manual rather than as data files, so sites
 * import them in a documented CSV layout (`list,code`); where the classification itself
 * defines a list, a default is derived from the loaded tabular:
 * - maternity: chapter 15, O00–O9A (and the female list);
 * - newborn: chapter 16, P00–P96;
 * - manifestation (never principal): titles "in (other) diseases classified elsewhere";
 * - female / male: codes under a section about female or male genital (or female pelvic)
 *   organs ("Diseases of male genital organs (N40-N53)", "Malignant neoplasms of female
 *   genital organs (C51-C58)").
 * Age ranges of the groups are the MCE's: newborn 0, pediatric 0–17, maternity 9–64,
 * adult 15–124.
 */
export const MCE_LISTS = ['newborn', 'pediatric', 'maternity', 'adult', 'female', 'male', 'manifestation', 'unacceptable-principal', 'questionable-admission'] as const;
export type MceList = (typeof MCE_LISTS)[number];

export const MCE_AGE_RANGES: Partial<Record<MceList, [number, number]>> = {
  newborn: [0, 0],
  pediatric: [0, 17],
  maternity: [9, 64],
  adult: [15, 124],
};

export interface MceFinding {
  list: MceList;
  /** "derived from ICD-10-CM 2021" or "MCE lists 2026" */
  source: string;
}

export class MedicareCodeEditor {
  private readonly imported = new Map<string, Set<MceList>>();
  private importedLabel?: string;

  constructor(private readonly codes: CodeSet, db?: Db, date?: string) {
    if (db && date) {
      const list = db.prepare('SELECT id, version FROM mce_lists WHERE effective_from <= ? AND ? <= effective_to ORDER BY effective_from DESC LIMIT 1').get(date, date) as { id: number; version: string } | undefined;
      if (list) {
        this.importedLabel = `MCE lists ${list.version}`;
        for (const [l, key] of db.prepare('SELECT list, code_key FROM mce_entries WHERE list_id = ?').raw().iterate(list.id) as Iterable<[MceList, string]>) {
          const set = this.imported.get(key) ?? new Set<MceList>();
          set.add(l);
          this.imported.set(key, set);
        }
      }
    }
  }

  /** The lists a code is on, with where each membership comes from. */
  listsOf(code: string): MceFinding[] {
    const key = this.codes.normalize(code);
    if (!key) return [];
    const out: MceFinding[] = [];
    const derived = `derived from ${this.codes.version.system} ${this.codes.version.version}`;
    if (key >= 'O00' && key < 'O9B') out.push({ list: 'maternity', source: derived }, { list: 'female', source: derived });
    if (key >= 'P00' && key < 'P97') out.push({ list: 'newborn', source: derived });
    if (this.codes.isManifestation(key)) out.push({ list: 'manifestation', source: derived });
    // Sex lists where the classification's own sections name the sex (genital organs).
    for (const p of this.codes.parents(key)) {
      if (p.kind !== 'section') continue;
      if (/\bfemale (?:genital|pelvic)\b/i.test(p.title)) out.push({ list: 'female', source: derived });
      else if (/\bmale genital\b/i.test(p.title)) out.push({ list: 'male', source: derived });
    }
    for (const l of this.imported.get(key) ?? []) if (!out.some((f) => f.list === l)) out.push({ list: l, source: this.importedLabel! });
    return out;
  }

  /** The age-group list whose range excludes this age, if any (MCE age conflict). */
  ageConflict(code: string, ageYears: number): MceFinding | undefined {
    return this.listsOf(code).find((f) => {
      const range = MCE_AGE_RANGES[f.list];
      return range !== undefined && (ageYears < range[0] || ageYears > range[1]);
    });
  }

  /** The sex list that excludes this sex, if any (MCE sex conflict). */
  sexConflict(code: string, sex: 'M' | 'F'): MceFinding | undefined {
    return this.listsOf(code).find((f) => (f.list === 'female' && sex === 'M') || (f.list === 'male' && sex === 'F'));
  }

  /** Why the code cannot be the principal diagnosis, if it cannot. */
  unacceptableAsPrincipal(code: string): MceFinding | undefined {
    return this.listsOf(code).find((f) => f.list === 'manifestation' || f.list === 'unacceptable-principal');
  }
}
