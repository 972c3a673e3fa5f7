import { basename } from 'node:path';
import type { LoadedPipeline } from '../config/load.js';
import { LIST_NAMES, listVersionFor, staleNote } from '../codesets/official-lists.js';
import { ReferenceLibrary } from '../codesets/reference-library.js';
import { ensureStarterLibrary } from '../codesets/starter-library.js';
import { parseDate } from '../ingest/export-values.js';
import type { StagingStore } from '../ingest/staging.js';
import { lastSiteLearning } from '../learn/site-lexicon.js';
import type { Logger } from '../log/logger.js';
import type { Db } from '../store/database.js';

/**
 * The reference versions the export's dates of service use, and what is missing or old:
 * dates no ICD-10-CM version covers (those records are held with CODE_CODESET_MISSING, the
 * night goes on), MCE and POA exempt lists published for an earlier fiscal year than the
 * date's, HCPCS years older than the date. An empty library gets the starter tables (the
 * demo), and the log says so.
 */
export function codeSetsForRun(db: Db, store: StagingStore, pipeline: LoadedPipeline, log: Logger, runId: number): { used: { system: string; version: string }[]; warnings: string[] } {
  const written = ensureStarterLibrary(db);
  if (written.length > 0) log.warn({ runId, systems: written }, 'no official code sets imported: using the starter reference library (demo); import the official releases with "nightcode codesets import"');
  const library = new ReferenceLibrary(db);
  const dates = new Set<string>();
  for (const raw of store.distinctDates()) {
    // Document formats stage ISO dates whatever the CSV mapping's format is.
    const d = parseDate(raw, pipeline.mapping.dateFormat) ?? parseDate(raw, 'YYYY-MM-DD');
    if (d) dates.add(d);
  }
  const warnings: string[] = [];
  const uncovered = library.uncoveredDates('ICD-10-CM', dates);
  if (uncovered.length > 0) {
    const loaded = library.versions('ICD-10-CM').map((v) => `${v.version} (${v.effectiveFrom} – ${v.effectiveTo})`).join(', ');
    warnings.push(`no ICD-10-CM version is loaded for dates of service ${uncovered.slice(0, 5).join(', ')}${uncovered.length > 5 ? ` and ${uncovered.length - 5} more` : ''} (loaded: ${loaded}): those records are held (CODE_CODESET_MISSING); import that fiscal year's release`);
  }
  if (!library.isStarterOnly('ICD-10-CM') && library.versions('ICD-10-PCS').length === 0) {
    warnings.push('no ICD-10-PCS code set is imported: inpatient procedure codes are neither built from the notes nor verified; import the ICD-10-PCS codes file');
  }
  const used = new Map<string, { system: string; version: string }>();
  const stale = new Set<string>();
  for (const d of [...dates].sort()) {
    for (const system of ['ICD-10-CM', 'ICD-10-PCS', 'CPT', 'HCPCS'] as const) {
      const v = library.versionFor(system, d);
      if (v) used.set(`${system}@${v.version}`, { system, version: v.version });
      else if ((system === 'HCPCS' || system === 'CPT') && library.latestOnOrBefore(system, d)) {
        const older = library.latestOnOrBefore(system, d)!.version;
        used.set(`${system}@${older.version}`, { system, version: older.version });
        stale.add(`${system} ${older.version} (${older.effectiveFrom} – ${older.effectiveTo}) is the latest loaded and is used for dates of service from ${d}: import the ${system} release of ${d.slice(0, 4)}`);
      }
    }
    for (const table of ['mce_lists', 'poa_exempt_lists'] as const) {
      const v = listVersionFor(db, table, d);
      if (!v) continue;
      used.set(`${table}@${v.version}`, { system: LIST_NAMES[table], version: v.version });
      const note = staleNote(v, d);
      if (note) stale.add(note.replace(` is applied to ${d} in`, ' is applied to dates of service in'));
    }
  }
  warnings.push(...stale);
  for (const w of warnings) log.warn({ runId }, w);
  // The site lexicon weighs what abstraction finds: which one a night used belongs with the versions.
  const site = lastSiteLearning(db);
  if (site) used.set('site', { system: 'site lexicon', version: `${site.split} of ${basename(site.corpus)}, ${site.terms} rows, learned ${site.learnedAt}` });
  return { used: [...used.values()], warnings };
}
