import type { Db } from '../store/database.js';
import { listLabel, listVersionFor, loadMceEntries } from './official-lists.js';
import type { CodeSet } from './reference-library.js';
import { MCE_AGE_RANGES, type MceList } from './systems.js';

export { MCE_AGE_RANGES, MCE_LISTS, type MceList } from './systems.js';

/**
 * Medicare Code Editor lists (CMS "Definitions of Medicare Code Edits"): which diagnoses
 * belong to an age group or a sex, which are manifestations or otherwise unacceptable as
 * principal diagnosis, which procedures are for one sex. The lists are imported (the MCE
 * simple-edits table, or the team's `list,code` CSV); where the classification itself
 * defines a list, a default is derived from the loaded tabular as well:
 * - maternity: chapter 15, O00–O9A (and the female list);
 * - newborn: chapter 16, P00–P96;
 * - manifestation (never principal): titles "in (other) diseases classified elsewhere";
 * - female / male: codes under a section about female or male genital (or female pelvic)
 *   organs ("Diseases of male genital organs (N40-N53)", "Malignant neoplasms of female
 *   genital organs (C51-C58)").
 * Age ranges of the groups are the MCE's (systems.ts).
 */
export interface MceFinding {
  list: MceList;
  /** "derived from ICD-10-CM 2021" or "MCE lists 2020 (v37)" */
  source: string;
}

export class MedicareCodeEditor {
  private readonly imported: ReadonlyMap<string, ReadonlySet<MceList>>;
  /** The imported list version this editor applies ("MCE lists 2020 (v37)"), if any. */
  readonly importedLabel?: string;

  /** With a database and a date of service: the MCE list version serving that date (the latest one published by then). */
  constructor(private readonly codes: CodeSet, db?: Db, date?: string) {
    const version = db && date ? listVersionFor(db, 'mce_lists', date) : undefined;
    this.imported = version && db ? loadMceEntries(db, version.id) : new Map();
    if (version) this.importedLabel = listLabel(version);
  }

  /** The lists a diagnosis is on, with where each membership comes from. */
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

  /** An ICD-10-PCS procedure on the other sex's list (MCE section 5, procedures), if any. */
  procedureSexConflict(pcsCode: string, sex: 'M' | 'F'): MceFinding | undefined {
    const lists = this.imported.get(pcsCode.trim().toUpperCase());
    const list: MceList | undefined = lists?.has('female-procedure') && sex === 'M' ? 'female-procedure' : lists?.has('male-procedure') && sex === 'F' ? 'male-procedure' : undefined;
    return list ? { list, source: this.importedLabel! } : undefined;
  }

  /** Why the code cannot be the principal diagnosis, if it cannot. */
  unacceptableAsPrincipal(code: string): MceFinding | undefined {
    return this.listsOf(code).find((f) => f.list === 'manifestation' || f.list === 'unacceptable-principal');
  }
}
