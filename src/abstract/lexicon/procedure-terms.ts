import { join } from 'node:path';
import type { CodeSet } from '../../codesets/reference-library.js';
import { DATA_DIR, readJsonData } from '../../paths.js';
import type { LexiconEntry } from './lexicon.js';
import { STARTER_WEIGHT } from './starter-lexicon.js';
import { PCS_AXIS_WEIGHT } from './pcs-terms.js';

/**
 * Procedures notes name by a word of their own ("EEG", "parenteral nutrition",
 * "echocardiogram"), outside the root operations and imaging types `pcs-terms.ts` composes
 * from the PCS axes: team-written in data/lexicon/procedure-terms.json, each code with its
 * title as the PCS files give it.
 */
export interface ProcedureTerms {
  procedures: { code: string; title: string; terms: string[] }[];
}

export const PROCEDURE_TERMS_FILE = join(DATA_DIR, 'lexicon', 'procedure-terms.json');

export function loadProcedureTerms(file: string = PROCEDURE_TERMS_FILE): ProcedureTerms {
  return readJsonData<ProcedureTerms>(file);
}

/**
 * The entries for the PCS version in force: a 7-character code when it is valid there, a
 * 4-character prefix (weighted as the axes' prefixes: evidence, never a claim code) when
 * some valid code begins with it. Codes the version lacks are left out.
 */
export function procedureTermEntries(pcs: CodeSet, terms: ProcedureTerms = loadProcedureTerms()): LexiconEntry[] {
  // The valid prefixes, read from the whole code set only if an entry is a prefix.
  let prefixes: Set<string> | undefined;
  const isPrefix = (code: string) => (prefixes ??= new Set([...pcs.all()].filter((c) => c.billable).map((c) => c.code.slice(0, 4)))).has(code);
  const out: LexiconEntry[] = [];
  for (const p of terms.procedures) {
    const full = p.code.length === 7;
    if (full ? !pcs.isBillable(p.code) : !isPrefix(p.code)) continue;
    const title = full ? pcs.title(p.code) ?? p.title : p.title;
    for (const term of p.terms) {
      out.push({ code: p.code, system: 'ICD-10-PCS', title, term, symptom: false, source: 'starter', weight: full ? STARTER_WEIGHT : PCS_AXIS_WEIGHT, detail: 'team-written procedure term' });
    }
  }
  return out;
}
