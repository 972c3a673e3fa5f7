import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DATA_DIR, readJsonData } from '../paths.js';
import type { Db } from '../store/database.js';
import { icd10cmDisplay, icd10cmKey } from './icd10cm-code.js';
import { STARTER_VERSION, type CodeSystemName } from './systems.js';

/**
 * The demo reference library, built from the team-written tables in data/starter (our
 * own short titles; no official or AMA text), so `npm start` works without downloads.
 * It is written once into an empty library and answers only until official releases
 * of the same system are imported.
 */
export const STARTER_FILES = {
  diagnoses: join(DATA_DIR, 'starter', 'diagnosis-lexicon.json'),
  procedures: join(DATA_DIR, 'starter', 'cpt-hcpcs-starter.csv'),
} as const;

interface StarterCode {
  system: CodeSystemName;
  key: string;
  display: string;
  title: string;
}

function starterCodes(): StarterCode[] {
  const out: StarterCode[] = [];
  const dx = readJsonData<{ entries: { code: string; title: string; laterality?: Record<string, string> }[] }>(STARTER_FILES.diagnoses);
  const seen = new Set<string>();
  for (const e of dx.entries) {
    for (const code of [e.code, ...Object.values(e.laterality ?? {})]) {
      const key = icd10cmKey(code);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      out.push({ system: 'ICD-10-CM', key, display: icd10cmDisplay(key), title: code === e.code ? e.title : `${e.title} (${code})` });
    }
  }
  const rows = parse(readFileSync(STARTER_FILES.procedures, 'utf8'), { columns: true, skip_empty_lines: true }) as { code: string; system: string; description: string }[];
  for (const r of rows) {
    if (r.system === 'CPT' || r.system === 'HCPCS') out.push({ system: r.system, key: r.code, display: r.code, title: r.description });
  }
  return out;
}

/** Writes the starter version of every system that has no version yet. Returns the systems written. */
export function ensureStarterLibrary(db: Db, now: () => Date = () => new Date()): CodeSystemName[] {
  const written: CodeSystemName[] = [];
  db.transaction(() => {
    const has = db.prepare('SELECT 1 FROM codeset_versions WHERE system = ? LIMIT 1');
    const codes = starterCodes();
    for (const system of ['ICD-10-CM', 'CPT', 'HCPCS'] as const) {
      if (has.get(system)) continue;
      const mine = codes.filter((c) => c.system === system);
      const file = system === 'ICD-10-CM' ? 'data/starter/diagnosis-lexicon.json' : 'data/starter/cpt-hcpcs-starter.csv';
      const id = Number(db.prepare(`INSERT INTO codeset_versions (system, version, effective_from, effective_to, sources, imported_at, codes, billable, details)
        VALUES (?, ?, '1900-01-01', '9999-12-31', ?, ?, ?, ?, ?)`).run(
        system, STARTER_VERSION, JSON.stringify([{ file, format: 'starter', sha256: '' }]), now().toISOString(), mine.length, mine.length,
        JSON.stringify({ warnings: ['team-written starter table for the demo: import the official release'] }),
      ).lastInsertRowid);
      const ins = db.prepare("INSERT INTO codeset_codes (version_id, key, display, title, short_title, kind, parent, billable) VALUES (?, ?, ?, ?, NULL, 'code', NULL, 1)");
      for (const c of mine) ins.run(id, c.key, c.display, c.title);
      written.push(system);
    }
  }).immediate();
  return written;
}

let prices: ReadonlyMap<string, number> | undefined;

/** The starter table's typical charges (team-chosen demo prices), the default chargemaster. */
export function starterPrices(): ReadonlyMap<string, number> {
  if (prices) return prices;
  const rows = parse(readFileSync(STARTER_FILES.procedures, 'utf8'), { columns: true, skip_empty_lines: true }) as { code: string; typical_charge: string }[];
  prices = new Map(rows.filter((r) => Number(r.typical_charge) > 0).map((r) => [r.code, Number(r.typical_charge)]));
  return prices;
}
