import type Database from 'better-sqlite3';
import type { SnomedMapRow } from './formats/snomed-map.js';

/**
 * A site's SNOMED CT to ICD-10-CM map in the reference library, and how a concept is mapped
 * for one patient: each map group gives at most one code, from its first row (by priority)
 * whose rule holds (NLM, "SNOMED CT to ICD-10-CM Map: Technical Specifications"). Rules are
 * TRUE / OTHERWISE TRUE, the patient's sex (IFA 248152002 Female, IFA 248153007 Male), an
 * age bound (IFA 445518008 Age at onset, or 424144002 current age, compared with the age at
 * the encounter) and another concept the encounter also carries; a rule this cannot judge
 * (a descendant of a concept) is taken as false, so the group falls to its next row.
 */
export interface MapFacts {
  sex?: string;
  /** Age in years at the encounter. */
  ageYears?: number;
  /** SNOMED CT concepts the encounter carries. */
  concepts: ReadonlySet<string>;
}

export interface MappedTarget { code: string; group: number; priority: number; rule: string }

export interface SnomedMapLookup {
  /** "SNOMED CT to ICD-10-CM map 2025-09-01". */
  label: string;
  /** The codes the concept maps to for these facts (one per group that gives one), or none. */
  map(concept: string, facts: MapFacts): MappedTarget[];
}

const FEMALE = '248152002';
const MALE = '248153007';
const AGE_CONCEPTS = new Set(['445518008', '424144002']);
const UNIT_YEARS: Record<string, number> = { year: 1, years: 1, month: 1 / 12, months: 1 / 12, day: 1 / 365.25, days: 1 / 365.25 };

/** Whether one map rule holds for the facts. */
export function ruleHolds(rule: string, facts: MapFacts): boolean {
  const r = rule.trim();
  if (r === '' || r === 'TRUE' || r === 'OTHERWISE TRUE') return true;
  return r.split(/\s+AND\s+/).every((clause) => {
    const m = /^IFA\s+(\d+)\s*\|[^|]*\|\s*(.*)$/.exec(clause.trim());
    if (!m) return false;
    const [, concept, tail] = m as unknown as [string, string, string];
    if (concept === FEMALE && tail === '') return facts.sex === 'F';
    if (concept === MALE && tail === '') return facts.sex === 'M';
    if (AGE_CONCEPTS.has(concept)) {
      const age = /^([<>]=?|=)\s*([\d.]+)\s*(years?|months?|days?)$/.exec(tail);
      if (!age || facts.ageYears === undefined) return false;
      const bound = Number(age[2]) * UNIT_YEARS[age[3]!]!;
      switch (age[1]) {
        case '<': return facts.ageYears < bound;
        case '<=': return facts.ageYears <= bound;
        case '>': return facts.ageYears > bound;
        case '>=': return facts.ageYears >= bound;
        default: return facts.ageYears === bound;
      }
    }
    return tail === '' && facts.concepts.has(concept);
  });
}

/** The targets of a concept's map rows for the facts. */
export function mapRows(rows: readonly SnomedMapRow[], facts: MapFacts): MappedTarget[] {
  const groups = new Map<number, SnomedMapRow[]>();
  for (const r of rows) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  const out: MappedTarget[] = [];
  for (const group of [...groups.keys()].sort((a, b) => a - b)) {
    const first = groups.get(group)!.sort((a, b) => a.priority - b.priority).find((r) => ruleHolds(r.rule, facts));
    if (first?.target) out.push({ code: first.target, group, priority: first.priority, rule: first.rule || 'TRUE' });
  }
  return out;
}

export interface SnomedMapVersion { id: number; version: string; effectiveFrom: string; effectiveTo: string; rows: number; sources: { file: string }[] }

export function listSnomedMaps(db: Database.Database): SnomedMapVersion[] {
  return (db.prepare('SELECT id, version, effective_from AS effectiveFrom, effective_to AS effectiveTo, rows, sources FROM snomed_maps ORDER BY effective_from').all() as (Omit<SnomedMapVersion, 'sources'> & { sources: string })[])
    .map((r) => ({ ...r, sources: JSON.parse(r.sources) as { file: string }[] }));
}

/** The map in force on a date (the latest-starting one that covers it), read on demand by concept. */
export function snomedMapFor(db: Database.Database, date: string): SnomedMapLookup | undefined {
  const v = db.prepare('SELECT id, version FROM snomed_maps WHERE effective_from <= ? AND effective_to >= ? ORDER BY effective_from DESC LIMIT 1').get(date, date) as { id: number; version: string } | undefined;
  if (!v) return undefined;
  const stmt = db.prepare('SELECT concept, map_group AS "group", map_priority AS priority, map_rule AS rule, map_target AS target, map_advice AS advice FROM snomed_map_rows WHERE map_id = ? AND concept = ?');
  return {
    label: `SNOMED CT to ICD-10-CM map ${v.version}`,
    map: (concept, facts) => mapRows(stmt.all(v.id, concept) as SnomedMapRow[], facts),
  };
}

export interface SnomedMapPlan { rows: SnomedMapRow[]; range: { version: string; from: string; to: string }; source: unknown }

/** Writes maps inside the import's transaction, replacing a version of the same label. */
export function writeSnomedMaps(db: Database.Database, plans: readonly SnomedMapPlan[], at: string): void {
  const ins = db.prepare('INSERT INTO snomed_maps (version, effective_from, effective_to, sources, rows, imported_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insRow = db.prepare('INSERT INTO snomed_map_rows (map_id, concept, map_group, map_priority, map_rule, map_target, map_advice) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const p of plans) {
    db.prepare('DELETE FROM snomed_maps WHERE version = ?').run(p.range.version);
    const id = Number(ins.run(p.range.version, p.range.from, p.range.to, JSON.stringify([p.source]), p.rows.length, at).lastInsertRowid);
    for (const r of p.rows) insRow.run(id, r.concept, r.group, r.priority, r.rule, r.target, r.advice);
  }
}
