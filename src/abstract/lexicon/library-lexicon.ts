import { AlphabeticIndex } from '../../codesets/alphabetic-index.js';
import { STARTER_VERSION } from '../../codesets/systems.js';
import type { ReferenceLibrary, VersionInfo } from '../../codesets/reference-library.js';
import type { Db } from '../../store/database.js';
import { lastSiteLearning, loadSiteLexicon } from '../../learn/site-lexicon.js';
import { compileLexicon, type SiteLexiconRow } from './compile-lexicon.js';
import type { Lexicon } from './lexicon.js';

export interface LibraryLexicon {
  lexicon: Lexicon;
  /** What went into it, for logs and reports ("ICD-10-CM 2021, ICD-10-PCS 2025, site lexicon 2,519 rows"). */
  sources: string[];
  /** Versions used, so a caller can cache one lexicon per set of versions. */
  key: string;
}

/** The official version of a system in force on a date, else the newest one (evaluations have no date). */
function pick(library: ReferenceLibrary, system: 'ICD-10-CM' | 'ICD-10-PCS' | 'HCPCS' | 'CPT', date?: string): VersionInfo | undefined {
  const official = library.versions(system).filter((v) => v.version !== STARTER_VERSION);
  if (date) {
    const inForce = official.filter((v) => v.effectiveFrom <= date && date <= v.effectiveTo).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
    if (inForce) return inForce;
  }
  return official.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
}

/**
 * The abstraction lexicon from the run repository: the official code sets in force on the
 * date (ICD-10-CM tabular; HCPCS, and CPT when a licensed file is imported; the Alphabetic
 * Index and the Neoplasm Table when imported; ICD-10-PCS titles only when asked), the site
 * lexicon `nightcode learn` stored, and the starter lexicon. External causes are left to
 * coding. With only the starter library loaded, the starter lexicon alone.
 */
export function lexiconFromLibrary(
  db: Db,
  library: ReferenceLibrary,
  options: { date?: string; site?: readonly SiteLexiconRow[] | false; reuse?: LibraryLexicon; pcsTitles?: boolean } = {},
): LibraryLexicon {
  const cmInfo = pick(library, 'ICD-10-CM', options.date);
  const pcsInfo = pick(library, 'ICD-10-PCS', options.date);
  // Procedure codes: without an imported HCPCS or licensed CPT file, the starter table's own
  // short descriptions (team-written), so documented procedures still find their line.
  const starter = (system: 'HCPCS' | 'CPT') => library.versions(system).find((v) => v.version === STARTER_VERSION);
  const hcpcsInfo = pick(library, 'HCPCS', options.date) ?? starter('HCPCS');
  const cptInfo = pick(library, 'CPT', options.date) ?? starter('CPT');
  // The Alphabetic Index and the Neoplasm Table in force on the date (the latest-starting one
  // that covers it); without a date (an evaluation), the newest of each.
  const imported = AlphabeticIndex.list(db);
  const indexInfo = (['index', 'neoplasm'] as const).flatMap((kind) => {
    const all = imported.filter((i) => i.kind === kind).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
    const chosen = options.date ? all.find((i) => i.effectiveFrom <= options.date! && options.date! <= i.effectiveTo) : all[0];
    return chosen ? [chosen] : [];
  });
  const learning = options.site === undefined ? lastSiteLearning(db) : undefined;
  // Same versions, same index list and the same learning: the lexicon compiled before still holds.
  const key = [cmInfo?.id, pcsInfo?.id, options.pcsTitles ? 'pcs-titles' : 'no-pcs-titles', hcpcsInfo?.id, cptInfo?.id, indexInfo.map((i) => i.id).join(','),
    options.site === false ? 'no-site' : options.site ? `given:${options.site.length}` : `stored:${learning?.learnedAt ?? 'none'}`].join('|');
  if (options.reuse?.key === key) return options.reuse;
  const cm = cmInfo ? library.load(cmInfo) : undefined;
  const pcsAxes = pcsInfo ? library.load(pcsInfo) : undefined;
  const pcs = options.pcsTitles ? pcsAxes : undefined;
  const hcpcs = hcpcsInfo ? library.load(hcpcsInfo) : undefined;
  const cpt = cptInfo ? library.load(cptInfo) : undefined;
  const indexes = indexInfo.map((i) => AlphabeticIndex.load(db, i));
  const site = options.site === false ? [] : options.site ?? loadSiteLexicon(db);
  // ICD-10-PCS titles ("Excision of Right Upper Lung Lobe, Percutaneous Endoscopic Approach")
  // are not how notes name procedures: on CodiEsp dev they moved procedure F1 from 0.338 to
  // 0.344 while costing 120 MB per worker and a fifth of the throughput. Off unless asked;
  // PCS codes come from the site's learned terms (and, later, from the PCS table axes).
  const lexicon = compileLexicon({
    ...(cm ? { cm } : {}), ...(pcs ? { pcs } : {}), ...(pcsAxes ? { pcsAxes } : {}), ...(hcpcs ? { hcpcs } : {}), ...(cpt ? { cpt } : {}),
    indexes, site,
  });
  const sources = [
    ...[cmInfo, pcsInfo, hcpcsInfo, cptInfo].filter((v): v is VersionInfo => v !== undefined).map((v) => `${v.system} ${v.version}`),
    ...indexes.map((i) => `${i.info.system} ${i.info.version}`),
    ...(site.length > 0 ? [`site lexicon (${site.length} rows)`] : []),
    'starter lexicon',
  ];
  return { lexicon, sources, key };
}
