import type { ClaimRecord } from '../emit/claims/claim-record.js';
import type { Db } from '../store/database.js';
import { applyEdit, DIAGNOSIS_POINTER_LIMIT, EDIT_ACTIONS, parseEdit, type EditAction } from './claim-edits.js';
import { parseRecode, type Recode } from './resolutions-file.js';

/** The answers that change a claim's codes or fields (a whole-list recode and the edits). */
export const CODE_ACTIONS: ReadonlySet<string> = new Set(['recode', ...EDIT_ACTIONS]);

/** A claim with a coder's codes in place of the pipeline's; lines keep their charges and units. */
export function applyRecode(claim: ClaimRecord, recode: Recode, resolutionId: number): ClaimRecord {
  const rulePath = `coder recode (resolution ${resolutionId})`;
  const poaOf = new Map(claim.diagnoses.map((d) => [d.code, d.poa]));
  const diagnoses = recode.diagnoses.length > 0
    ? recode.diagnoses.map((code, i) => {
        const poa = poaOf.get(code);
        return { sequence: i + 1, code, ...(poa ? { poa } : {}), confidence: 1, rulePath };
      })
    : claim.diagnoses;
  const limit = Math.min(diagnoses.length, DIAGNOSIS_POINTER_LIMIT);
  const lines = claim.lines.map((l, i) => {
    const coded = recode.lines[i];
    const pointers = l.diagnosisPointers.filter((p) => p <= limit);
    return {
      ...l,
      ...(coded ? { code: coded.code, system: /^\d/.test(coded.code) ? 'CPT' : 'HCPCS', modifiers: coded.modifiers } : {}),
      diagnosisPointers: pointers.length > 0 ? pointers : [1],
    };
  });
  const icd10pcs = recode.pcs.length > 0 ? recode.pcs.map((code, i) => ({ sequence: i + 1, code, confidence: 1, rulePath })) : claim.icd10pcs;
  return { ...claim, diagnoses, lines, ...(icd10pcs ? { icd10pcs } : {}) };
}

export function codesOf(c: ClaimRecord) {
  return { diagnoses: c.diagnoses.map((d) => d.code), lines: c.lines.map((l) => [l.code ?? '', ...l.modifiers].join('-')), pcs: (c.icd10pcs ?? []).map((p) => p.code) };
}

/** One stored or new code-changing answer made on a claim; the problem when it does not fit. */
export function answerOn(claim: ClaimRecord, action: string, target: string, codes: string, id: number | string): ClaimRecord | string {
  if (action === 'recode') {
    const recode = parseRecode(codes);
    return typeof recode === 'string' ? recode : applyRecode(claim, recode, typeof id === 'number' ? id : 0);
  }
  const edit = parseEdit(action as EditAction, target, codes);
  return typeof edit === 'string' ? edit : applyEdit(claim, edit, typeof id === 'number' ? `resolution ${id}` : id);
}


/**
 * A held claim as answered so far: its stored claim with the code-changing answers of earlier
 * files replayed in order (the worklist shows it so, and a new file builds on it). Returns
 * the claim and how many answers, and whether one set a field.
 */
export function claimAsAnswered(db: Db, held: { source: string; encounterId: string; runId: number; payload: string }): { claim: ClaimRecord; answers: number; setField: boolean } {
  const stored = db.prepare(`SELECT id, action, target, codes FROM resolutions WHERE source = ? AND encounter_id = ? AND claim_run_id = ?
                             AND action IN (SELECT value FROM json_each(?)) ORDER BY id`)
    .all(held.source, held.encounterId, held.runId, JSON.stringify([...CODE_ACTIONS])) as { id: number; action: string; target: string | null; codes: string | null }[];
  let claim = JSON.parse(held.payload) as ClaimRecord;
  for (const r of stored) {
    const next = answerOn(claim, r.action, r.target ?? '', r.codes ?? '', r.id);
    if (typeof next !== 'string') claim = next;
  }
  return { claim, answers: stored.length, setField: stored.some((r) => r.action === 'set-field') };
}
