import type { MapFacts, SnomedMapLookup } from '../codesets/snomed-map.js';
import type { CodeSystem, Note, SourceLocation, StructuredCode } from '../contract/types.js';

/**
 * Coded entries in systems a claim cannot carry: diagnoses that are not ICD-10-CM (ICD-9-CM,
 * SNOMED CT, a local code), procedures that are neither ICD-10-PCS nor CPT/HCPCS, charge
 * lines in another system. They are never billed as they are. Each one with a name goes to
 * abstraction as a one-line note under the section its status gives ("Diagnoses:",
 * "Past Medical History:" when resolved, "Procedures:"), with the entry as its source, so
 * "Hypertension (SNOMED CT 38341003)" is coded I10 with the structured entry as evidence.
 */
export interface CodedEntry {
  kind: 'diagnosis' | 'procedure';
  system: CodeSystem;
  code: string;
  description?: string;
  /** Canonical diagnosis status (active when absent). */
  status?: string;
  source: SourceLocation;
}

/** Diagnosis systems a claim carries; procedure systems (institutional HI, or lines). */
export const CLAIM_DIAGNOSIS_SYSTEMS: ReadonlySet<CodeSystem> = new Set(['ICD-10-CM']);
export const CLAIM_PROCEDURE_SYSTEMS: ReadonlySet<CodeSystem> = new Set(['ICD-10-PCS', 'CPT', 'HCPCS']);

/** Statuses whose entries are not coded at all. */
const NOT_CODED = new Set(['refuted', 'negated', 'entered-in-error']);

/** The notes abstraction reads for the entries (one per entry with a name). */
export function codedEntryNotes(encounterId: string, entries: readonly CodedEntry[]): Note[] {
  const notes: Note[] = [];
  entries.forEach((e, i) => {
    const name = e.description?.replace(/\s+/g, ' ').trim();
    if (!name || NOT_CODED.has(e.status ?? '')) return;
    const header = e.kind === 'procedure' ? 'Procedures' : e.status === 'resolved' ? 'Past Medical History' : 'Diagnoses';
    const text = `${header}:\n${e.status === 'uncertain' ? 'Possible ' : ''}${name}.`;
    notes.push({ id: `${encounterId}-entry-${i + 1}`, type: `coded entry (${e.system} ${e.code})`, text, source: e.source });
  });
  return notes;
}

/** One line of what the finding says about the entries. */
export function describeEntries(entries: readonly CodedEntry[]): string {
  const shown = entries.slice(0, 5).map((e) => `${e.kind} ${e.system} ${e.code}${e.description ? '' : ' (no name: not coded)'}`);
  const icd9 = entries.some((e) => e.system === 'ICD-9-CM') ? '; ICD-9-CM is not accepted for services after 2015-09-30' : '';
  return `${entries.length} coded entr${entries.length === 1 ? 'y' : 'ies'} in a system a claim cannot carry (${shown.join(', ')}${entries.length > 5 ? ', …' : ''})${icd9}: coded from their names instead, never billed as exported`;
}

/**
 * SNOMED CT problems mapped by the site's SNOMED CT to ICD-10-CM map, first: each mapped
 * entry's exported row becomes the ICD-10-CM code(s) its map rows give for this patient
 * (status, sequence, POA and type kept; `mappedFrom` names the map row), and leaves the
 * entries coded from their names. Returns the entries left, and one line per mapped entry.
 */
export function mapSnomedEntries(
  entries: readonly CodedEntry[], diagnoses: StructuredCode[], map: SnomedMapLookup, facts: Omit<MapFacts, 'concepts'>,
): { left: CodedEntry[]; mapped: string[] } {
  const concepts = new Set(entries.filter((e) => e.system === 'SNOMED-CT').map((e) => e.code));
  const left: CodedEntry[] = [];
  const mapped: string[] = [];
  for (const e of entries) {
    const targets = e.kind === 'diagnosis' && e.system === 'SNOMED-CT' && !NOT_CODED.has(e.status ?? '') ? map.map(e.code, { ...facts, concepts }) : [];
    const at = diagnoses.findIndex((d) => d.source === e.source && d.system === 'SNOMED-CT');
    if (targets.length === 0 || at < 0) {
      left.push(e);
      continue;
    }
    const exported = diagnoses[at]!;
    diagnoses.splice(at, 1, ...targets.map((t) => ({
      ...exported, code: t.code, system: 'ICD-10-CM' as const, mappedFrom: `SNOMED CT ${e.code} → ${t.code} by the ${map.label}, group ${t.group}: ${t.rule}`,
    })));
    mapped.push(`SNOMED CT ${e.code} → ${targets.map((t) => t.code).join(' + ')}`);
  }
  return { left, mapped };
}
