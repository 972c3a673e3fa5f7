import { basename } from 'node:path';
import type { CodeSystemName } from '../codesets/systems.js';
import { ReferenceLibrary } from '../codesets/reference-library.js';
import { NightcodeError } from '../contract/errors.js';
import type { ClaimRecord } from '../emit/claims/claim-record.js';
import { RunRepository } from '../run/run-repository.js';
import type { Db } from '../store/database.js';
import { recodeFindings, type RecodeEditOptions } from './recode-edits.js';
import { parseRecode, type Recode, type ResolutionLine, type ResolutionsFile } from './resolutions-file.js';

interface StatusRow {
  exception_id: string;
  source: string;
  encounter_id: string;
  severity: string;
  last_run_id: number;
  status: 'open' | 'held' | 'resolved' | 'superseded';
  resolution_id: number | null;
  /** The finding's issue code. */
  code: string | null;
}

interface HeldClaim {
  source: string;
  encounterId: string;
  runId: number;
  contentHash: string;
  claim: ClaimRecord;
}

export interface ApplyResult {
  file: string;
  /** Rows recorded now. */
  applied: number;
  /** Answers given before, word for word (the file applied again, or an edited copy of it): skipped. */
  alreadyApplied: number;
  /** Rows left without an action (not answered yet). */
  unanswered: number;
  /** Claims that will go out in the next run's claim files. */
  toRelease: number;
  /** Claims withdrawn: a void claim goes out next run when the encounter had been billed. */
  toVoid: number;
  held: number;
  /** Claims answered in part: findings still open keep them held. */
  stillOpen: number;
  /** Codes that could not be verified (only the starter tables are loaded). */
  warnings: string[];
}

const DIAGNOSIS_POINTER_LIMIT = 12;

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

function codesOf(c: ClaimRecord) {
  return { diagnoses: c.diagnoses.map((d) => d.code), lines: c.lines.map((l) => [l.code ?? '', ...l.modifiers].join('-')), pcs: (c.icd10pcs ?? []).map((p) => p.code) };
}

/**
 * Checks a recode against the claim and the code sets in force on its date of service:
 * procedure codes replace the claim's lines one for one, PCS codes only on an
 * institutional claim, and every code must be a billable code of its version.
 */
function checkRecode(recode: Recode, claim: ClaimRecord, library: ReferenceLibrary, warnings: string[]): string | undefined {
  if (recode.lines.length > 0 && recode.lines.length !== claim.lines.length) {
    return `recode lists ${recode.lines.length} procedure code(s) for a claim with ${claim.lines.length} service line(s): give one per line, in line order`;
  }
  if (recode.pcs.length > 0 && claim.claimType !== '837I') return 'ICD-10-PCS codes belong on institutional (837I) claims only';
  const date = claim.serviceDate ?? claim.dischargeDate ?? claim.admissionDate;
  if (!date) return undefined;
  const check = (system: CodeSystemName, code: string): string | undefined => {
    const cs = library.codeSetFor(system, date);
    if (!cs) {
      warnings.push(`${code}: no ${system} version is loaded for ${date}; not verified`);
      return undefined;
    }
    if (library.isStarterOnly(system)) {
      if (!cs.get(code)) warnings.push(`${code}: not in the starter ${system} table; not verified`);
      return undefined;
    }
    const info = cs.get(code);
    if (!info) return `${code} is not a code in ${system} ${cs.version.version} (in force on ${date})`;
    if (!info.billable) return `${code} is not billable in ${system} ${cs.version.version}: code to the highest specificity`;
    return undefined;
  };
  for (const code of recode.diagnoses) {
    const p = check('ICD-10-CM', code);
    if (p) return p;
  }
  for (const l of recode.lines) {
    const p = check(/^\d/.test(l.code) ? 'CPT' : 'HCPCS', l.code);
    if (p) return p;
  }
  for (const code of recode.pcs) {
    const p = check('ICD-10-PCS', code);
    if (p) return p;
  }
  return undefined;
}

/**
 * Applies a resolutions file to the work queue, all or nothing: every row is checked
 * first (the finding exists, is still open or held, its claim can take the answer), and
 * any problem stops the whole file with every problem listed by line.
 *
 * An answer is given per finding; the claim moves when its findings allow:
 * - release or recode answers a finding; once every error finding of the claim is
 *   answered, the claim (with the last recode's codes) waits for the next run's claim files;
 * - hold keeps the finding open, marked held, aged and re-reported;
 * - void withdraws the claim: all its findings close, and the next run sends a void
 *   (frequency 8) for the claim billed before, if there was one.
 * Every answer is stored with its file, line, user and note, and audited.
 */
export function applyResolutions(db: Db, input: ResolutionsFile, now: () => Date = () => new Date(), edits: RecodeEditOptions = { coverage: [] }): ApplyResult {
  const q = {
    status: db.prepare(`SELECT s.*, e.code FROM exception_status s LEFT JOIN exceptions e ON e.run_id = s.last_run_id AND e.exception_id = s.exception_id
                        WHERE s.exception_id = ?`),
    // The same answer given before (this file again, or an edited copy of it).
    same: db.prepare("SELECT id FROM resolutions WHERE exception_id = ? AND action = ? AND coalesce(codes, '') = ? AND user = ?"),
    resolution: db.prepare('SELECT id, user, applied_at, action FROM resolutions WHERE id = ?'),
    claim: db.prepare(`SELECT r.payload, r.content_hash FROM exceptions e JOIN run_records r ON r.run_id = e.run_id AND r.seq = e.seq
                       WHERE e.run_id = ? AND e.exception_id = ?`),
    // Findings of the claim a person released as they were: the edits behind them are overridden.
    released: db.prepare(`SELECT DISTINCT e.code FROM resolutions r JOIN exceptions e ON e.run_id = r.claim_run_id AND e.exception_id = r.exception_id
                          WHERE r.source = ? AND r.encounter_id = ? AND r.claim_run_id = ? AND r.action = 'release'`),
    recodes: db.prepare("SELECT id, codes FROM resolutions WHERE source = ? AND encounter_id = ? AND claim_run_id = ? AND action = 'recode' ORDER BY id"),
    claimFindings: db.prepare("SELECT * FROM exception_status WHERE source = ? AND encounter_id = ? AND last_run_id = ? AND status IN ('open', 'held')"),
    insert: db.prepare(`INSERT INTO resolutions (exception_id, source, encounter_id, claim_run_id, action, codes, note, user, file, line, file_sha256, applied_at, pipeline_codes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    setStatus: db.prepare('UPDATE exception_status SET status = ?, resolution_id = ? WHERE exception_id = ?'),
    decide: db.prepare('INSERT INTO resolved_claims (source, encounter_id, kind, content_hash, resolution_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
  };
  const library = new ReferenceLibrary(db);
  const repo = new RunRepository(db, now);
  // Checked and applied in one immediate transaction: two resolve commands (or a run's inbox)
  // answering the same finding cannot both apply, and a refused file writes nothing.
  return db.transaction((): ApplyResult => {
    const problems = [...input.problems];
    const warnings: string[] = [];
    const todo: { row: ResolutionLine; status: StatusRow; claimKey: string }[] = [];
    const claims = new Map<string, HeldClaim>();
    let alreadyApplied = 0;
    const seen = new Map<string, number>();
    for (const row of input.rows) {
      const problem = (m: string) => problems.push(`line ${row.line}: ${m}`);
      if (q.same.get(row.exceptionId, row.action, row.codes ?? '', row.user)) {
        alreadyApplied++;
        continue;
      }
      const earlier = seen.get(row.exceptionId);
      if (earlier !== undefined) {
        problem(`${row.exceptionId} is answered twice in this file (also line ${earlier})`);
        continue;
      }
      seen.set(row.exceptionId, row.line);
      const status = q.status.get(row.exceptionId) as StatusRow | undefined;
      if (!status) {
        problem(`${row.exceptionId} is not a finding of a held claim in this database (warnings on released claims need no answer)`);
        continue;
      }
      if (status.status === 'resolved') {
        const r = q.resolution.get(status.resolution_id) as { id: number; user: string; applied_at: string; action: string } | undefined;
        problem(`${row.exceptionId} is already resolved${r ? ` (${r.action} by ${r.user} at ${r.applied_at}, resolution ${r.id})` : ''}`);
        continue;
      }
      if (status.status === 'superseded') {
        problem(`${row.exceptionId} is closed: encounter ${status.encounter_id} was processed again since; answer the findings tonight's exceptions.csv lists for it`);
        continue;
      }
      if (status.code === 'INGEST_ENCOUNTER_WITHDRAWN' && (row.action === 'release' || row.action === 'recode')) {
        problem(`${row.exceptionId}: the source withdrew encounter ${status.encounter_id}; answer void (send a void for the billed claim) or hold`);
        continue;
      }
      const claimKey = `${status.source}\u0000${status.encounter_id}`;
      if (!claims.has(claimKey)) {
        const held = q.claim.get(status.last_run_id, status.exception_id) as { payload: string | null; content_hash: string | null } | undefined;
        if (!held?.payload || !held.content_hash) {
          problem(`the held claim of ${row.exceptionId} (encounter ${status.encounter_id}, run ${status.last_run_id}) is not stored`);
          continue;
        }
        // Recodes answered in an earlier file stay: the claim builds on them.
        let claim = JSON.parse(held.payload) as ClaimRecord;
        for (const r of q.recodes.all(status.source, status.encounter_id, status.last_run_id) as { id: number; codes: string }[]) {
          const recode = parseRecode(r.codes);
          if (typeof recode !== 'string') claim = applyRecode(claim, recode, r.id);
        }
        claims.set(claimKey, { source: status.source, encounterId: status.encounter_id, runId: status.last_run_id, contentHash: held.content_hash, claim });
      }
      if (row.recode) {
        const p = checkRecode(row.recode, claims.get(claimKey)!.claim, library, warnings);
        if (p) {
          problem(p);
          continue;
        }
      }
      todo.push({ row, status, claimKey });
    }
    // Each recode through the coding edits, in file order, on the claim as answered so far;
    // an edit whose finding a person released on this claim stays overridden.
    const recoded = new Map<string, ClaimRecord>();
    for (const t of todo) {
      if (!t.row.recode) continue;
      const held = claims.get(t.claimKey)!;
      const overridden = new Set([
        ...(q.released.all(held.source, held.encounterId, held.runId) as { code: string }[]).map((r) => r.code),
        ...todo.filter((o) => o.claimKey === t.claimKey && o.row.action === 'release' && o.status.code).map((o) => o.status.code!),
      ]);
      const candidate = applyRecode(recoded.get(t.claimKey) ?? held.claim, t.row.recode, 0);
      const found = recodeFindings(db, candidate, edits);
      const errors = found.filter((i) => i.severity === 'error' && !overridden.has(i.code));
      if (errors.length > 0) {
        problems.push(`line ${t.row.line}: the recoded claim fails ${errors.map((i) => `${i.code} (${i.message})`).join('; ')}`);
        continue;
      }
      recoded.set(t.claimKey, candidate);
      for (const w of found) if (w.severity === 'warning' && w.code !== 'EDIT_CODE_UNVERIFIED') warnings.push(`line ${t.row.line}: ${w.code}: ${w.message}`);
    }
    if (problems.length > 0) {
      throw new NightcodeError('RESOLUTIONS_INVALID', `${input.file}: ${problems.length} row(s) cannot be applied; nothing was applied. Fix them and run resolve again`, { details: problems });
    }

    const result: ApplyResult = { file: input.file, applied: 0, alreadyApplied, unanswered: input.unanswered, toRelease: 0, toVoid: 0, held: 0, stillOpen: 0, warnings };
    const at = now().toISOString();
    const fileName = basename(input.file);
    const byClaim = new Map<string, typeof todo>();
    for (const t of todo) byClaim.set(t.claimKey, [...(byClaim.get(t.claimKey) ?? []), t]);
    for (const [key, answers] of byClaim) {
      const held = claims.get(key)!;
      let claim = held.claim;
      let last = 0;
      let voided = 0;
      for (const { row, status } of answers) {
        const pipelineCodes = row.action === 'recode' ? JSON.stringify(codesOf(claim)) : null;
        const id = Number(q.insert.run(row.exceptionId, status.source, status.encounter_id, status.last_run_id, row.action, row.codes ?? null, row.note ?? null, row.user,
          fileName, row.line, input.sha256, at, pipelineCodes).lastInsertRowid);
        last = id;
        if (row.recode) claim = applyRecode(claim, row.recode, id);
        const toState = row.action === 'hold' ? 'held' : 'resolved';
        q.setStatus.run(toState, id, row.exceptionId);
        repo.audit(row.user, status.last_run_id, status.source, status.encounter_id, `resolve-${row.action}`, status.status, toState,
          `${row.exceptionId} (resolution ${id}, ${fileName} line ${row.line})`);
        if (row.action === 'hold') result.held++;
        if (row.action === 'void') voided = id;
        result.applied++;
      }
      const remaining = q.claimFindings.all(held.source, held.encounterId, held.runId) as StatusRow[];
      if (voided) {
        for (const f of remaining) q.setStatus.run('resolved', voided, f.exception_id);
        q.decide.run(held.source, held.encounterId, 'void', held.contentHash, voided, JSON.stringify(claim), at);
        result.toVoid++;
        continue;
      }
      if (remaining.some((f) => f.severity === 'error')) {
        result.stillOpen++;
        continue;
      }
      // Every error answered: the warnings close with the claim, which goes out next run.
      for (const f of remaining) q.setStatus.run('resolved', last, f.exception_id);
      q.decide.run(held.source, held.encounterId, 'release', held.contentHash, last, JSON.stringify(claim), at);
      result.toRelease++;
    }
    return result;
  }).immediate();
}
