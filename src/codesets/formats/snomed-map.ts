import { CodeFileFormatError, readLines } from './line-reader.js';

/**
 * The SNOMED CT to ICD-10-CM map (NLM, US Edition): the RF2 Extended Map refset file
 * (`der2_iisssccRefset_ExtendedMap…_US1000124_….txt`) or its human-readable TSV
 * (`tls_Icd10cmHumanReadableMap_US1000124_….tsv`), tab-separated with a header row. A site
 * supplies it under its own SNOMED CT licence; nothing of it ships with nightcode.
 * Columns used: id, effectiveTime, active, refsetId, referencedComponentId, mapGroup,
 * mapPriority, mapRule, mapAdvice, mapTarget. A Full file holds every state of a row: the
 * latest (by effectiveTime) is the one read, as in a Snapshot.
 */
export interface SnomedMapRow {
  concept: string;
  group: number;
  priority: number;
  rule: string;
  /** ICD-10-CM code as written ("I10", "E11.9"); empty when the concept maps to no code. */
  target: string;
  advice: string;
}

/** The refset of the SNOMED CT to ICD-10-CM map in the US Edition. */
export const ICD10CM_MAP_REFSET = '6011000124106';

export const SNOMED_MAP_COLUMNS = ['referencedComponentId', 'mapGroup', 'mapPriority', 'mapRule', 'mapTarget'] as const;

export async function readSnomedIcd10cmMap(file: string, name: string): Promise<{ rows: SnomedMapRow[]; release: string }> {
  let header: string[] | undefined;
  let col: Record<string, number> = {};
  // Latest state of each row id (Full files repeat ids across releases).
  const latest = new Map<string, { time: string; active: boolean; row: SnomedMapRow | undefined }>();
  let release = '';
  for await (const { line, n } of readLines(file)) {
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    if (!header) {
      header = cells.map((c) => c.trim().replace(/^\uFEFF/, ''));
      col = Object.fromEntries(header.map((h, i) => [h, i]));
      const missing = [...SNOMED_MAP_COLUMNS, 'id', 'effectiveTime', 'active'].filter((c) => col[c] === undefined);
      if (missing.length > 0) throw new CodeFileFormatError(`${name} line 1: not a SNOMED CT to ICD-10-CM map header (no ${missing.join(', ')})`);
      continue;
    }
    const get = (c: string) => (col[c] === undefined ? '' : (cells[col[c]!] ?? '').trim());
    if (col.refsetId !== undefined && get('refsetId') !== ICD10CM_MAP_REFSET) continue;
    const id = get('id');
    const time = get('effectiveTime');
    if (!/^\d{8}$/.test(time)) throw new CodeFileFormatError(`${name} line ${n}: effectiveTime "${time}" is not YYYYMMDD`);
    const concept = get('referencedComponentId');
    if (!/^\d{6,18}$/.test(concept)) throw new CodeFileFormatError(`${name} line ${n}: referencedComponentId "${concept}" is not a SNOMED CT identifier`);
    const group = Number(get('mapGroup'));
    const priority = Number(get('mapPriority'));
    if (!Number.isInteger(group) || !Number.isInteger(priority)) throw new CodeFileFormatError(`${name} line ${n}: mapGroup and mapPriority must be whole numbers`);
    const target = get('mapTarget');
    if (target !== '' && !/^[A-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?$/.test(target)) throw new CodeFileFormatError(`${name} line ${n}: mapTarget "${target}" is not an ICD-10-CM code`);
    if (time > release) release = time;
    const prev = latest.get(id);
    if (prev && prev.time > time) continue;
    latest.set(id, { time, active: get('active') === '1', row: { concept, group, priority, rule: get('mapRule'), target, advice: get('mapAdvice') } });
  }
  if (!header) throw new CodeFileFormatError(`${name}: empty file`);
  const rows = [...latest.values()].filter((x) => x.active && x.row).map((x) => x.row!);
  if (rows.length === 0) throw new CodeFileFormatError(`${name}: no active rows of the SNOMED CT to ICD-10-CM map (refset ${ICD10CM_MAP_REFSET})`);
  return { rows, release };
}
