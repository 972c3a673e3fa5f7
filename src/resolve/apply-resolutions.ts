import { basename } from 'node:path';
import { ReferenceLibrary } from '../codesets/reference-library.js';
import { NightcodeError } from '../contract/errors.js';
import { RunRepository } from '../run/run-repository.js';
import type { Db } from '../store/database.js';
import { codeProblem, recodeRefs, recodeShapeProblem } from './answer-checks.js';
import { answerOn, claimAsAnswered, codesOf } from './answer-claim.js';
import { codesAdded } from './claim-edits.js';
import { checkEditedClaim, CODE_ACTIONS, contextOf, NOT_FIXED_BY_EDITS, type ClaimState, type FindingRow } from './claim-state.js';
import { changedWork, claimWorkOf, NO_ROUTING, routeTeam, saveClaimWork, type ClaimWorkChange, type TeamRouting } from './claim-work.js';
import type { RecodeEditOptions } from './recode-edits.js';
import { PAYER_ACTIONS, type ResolutionsFile } from './resolutions-file.js';
import { decideClaim } from '../payer/claim-lifecycle.js';

export { applyRecode } from './answer-claim.js';

const PAYER_SET: ReadonlySet<string> = new Set(PAYER_ACTIONS);
/** Answers that decide the whole claim: one per claim in a file. */
const DECISIONS: ReadonlySet<string> = new Set(['release', 'hold', 'void', ...PAYER_ACTIONS]);

export interface ApplyResult {
  file: string;
  /** Rows recorded now. */
  applied: number;
  /** Answers given before, word for word (the file applied again, or an edited copy of it): skipped. */
  alreadyApplied: number;
  /** Rows left without an action (not answered yet, or an owner/team/note unchanged). */
  unanswered: number;
  /** Claims that will go out in the next run's claim files. */
  toRelease: number;
  /** Claims withdrawn: a void claim goes out next run when the encounter had been billed. */
  toVoid: number;
  /** Claims a payer denied that staff appealed or wrote off (their lifecycle step is recorded). */
  appealed: number;
  writtenOff: number;
  held: number;
  /** Claims answered in part: findings still open keep them held. */
  stillOpen: number;
  /** Claims whose owner, team, hold reason or note changed. */
  assigned: number;
  /** Findings still failing after a claim's edits (they keep it held), and other notes for the person. */
  warnings: string[];
}

/**
 * Applies a resolutions file to the work queue, all or nothing: every row is checked first
 * (the finding or claim exists and is held, the answer fits the claim, every code answered
 * is valid on the claim's date, the edited claim passes the edits), and any problem stops
 * the whole file with every problem listed by line.
 *
 * A row answers one finding (exception_id) or the whole claim (encounter_id, a worklist row):
 * - release overrides: a finding's release answers it; a claim's release answers them all;
 * - recode and the edit actions change the claim's codes or fields; on a finding's row they
 *   answer that finding (the edited claim must then pass the coding edits); on a claim's row
 *   every finding the edits fixed is answered (findings the re-run edits still raise, and
 *   read or run problems, stay open: answer release to send the claim over them), and an
 *   edit that makes the claim fail an edit it did not fail before is refused;
 * - hold keeps findings open, marked held, with the hold reason;
 * - void withdraws the claim: all its findings close, and the next run sends a void
 *   (frequency 8) for the claim billed before, if there was one;
 * - on a claim a payer rejected or denied: resubmit (or release, or an edit that corrects
 *   it) sends it again next run, a replacement of a denied claim or a new claim after a
 *   rejection; appeal and write-off close its findings and record the step in its lifecycle;
 * - owner, team, hold reason and note are kept with the claim and shown every morning
 *   (a row with only these is an assignment).
 * Once no error finding of a claim is open, the claim as answered waits for the next run's
 * claim files. Every answer is stored with its file, line, user and note, and audited.
 */
export function applyResolutions(db: Db, input: ResolutionsFile, now: () => Date = () => new Date(), edits: RecodeEditOptions = { coverage: [] }, routing: TeamRouting = NO_ROUTING): ApplyResult {
  const q = {
    status: db.prepare(`SELECT s.*, e.code, e.stage, e.action FROM exception_status s LEFT JOIN exceptions e ON e.run_id = s.last_run_id AND e.exception_id = s.exception_id
                        WHERE s.exception_id = ?`),
    claimOpen: db.prepare(`SELECT s.*, e.code, e.stage FROM exception_status s LEFT JOIN exceptions e ON e.run_id = s.last_run_id AND e.exception_id = s.exception_id
                           WHERE s.encounter_id = ? AND (? = '' OR s.source = ?) AND s.status IN ('open', 'held') ORDER BY s.last_run_id DESC, e.seq, s.exception_id`),
    known: db.prepare("SELECT status FROM exception_status WHERE encounter_id = ? AND (? = '' OR source = ?) LIMIT 1"),
    // The same answer given before (this file again, or an edited copy of it).
    sameFinding: db.prepare("SELECT id FROM resolutions WHERE exception_id = ? AND action = ? AND coalesce(codes, '') = ? AND coalesce(target, '') = ? AND user = ?"),
    sameClaim: db.prepare(`SELECT id FROM resolutions WHERE exception_id IS NULL AND source = ? AND encounter_id = ? AND claim_run_id = ? AND action = ?
                           AND coalesce(codes, '') = ? AND coalesce(target, '') = ? AND user = ?`),
    sameClosed: db.prepare(`SELECT id FROM resolutions WHERE exception_id IS NULL AND encounter_id = ? AND (? = '' OR source = ?) AND action = ?
                            AND coalesce(codes, '') = ? AND coalesce(target, '') = ? AND user = ? LIMIT 1`),
    resolution: db.prepare('SELECT id, user, applied_at, action FROM resolutions WHERE id = ?'),
    // The held claim, or for a payer's answer to a claim a resolution released (seq minus its resolved_claims id) that claim.
    claim: db.prepare(`SELECT coalesce(r.payload, rc.released_claim) AS payload, coalesce(r.content_hash, rc.content_hash) AS content_hash, runs.business_date
                       FROM exceptions e LEFT JOIN run_records r ON r.run_id = e.run_id AND r.seq = e.seq
                       LEFT JOIN resolved_claims rc ON e.seq < 0 AND rc.id = -e.seq
                       JOIN runs ON runs.id = e.run_id WHERE e.run_id = ? AND e.exception_id = ?`),
    // Findings of the claim a person released as they were: the edits behind them are overridden.
    released: db.prepare(`SELECT DISTINCT e.code FROM resolutions r JOIN exceptions e ON e.run_id = r.claim_run_id AND e.exception_id = r.exception_id
                          WHERE r.source = ? AND r.encounter_id = ? AND r.claim_run_id = ? AND r.action = 'release'`),
    claimFindings: db.prepare(`SELECT s.*, e.code, e.stage, e.action FROM exception_status s LEFT JOIN exceptions e ON e.run_id = s.last_run_id AND e.exception_id = s.exception_id
                               WHERE s.source = ? AND s.encounter_id = ? AND s.last_run_id = ? AND s.status IN ('open', 'held')`),
    insert: db.prepare(`INSERT INTO resolutions (exception_id, source, encounter_id, claim_run_id, action, target, codes, hold_reason, note, user, file, line, file_sha256, applied_at, pipeline_codes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
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
    const claims = new Map<string, ClaimState>();
    let alreadyApplied = 0;
    let unanswered = input.unanswered;
    const seenFinding = new Map<string, number>();
    const claimDecision = new Map<string, { action: string; line: number }>();

    // What the worklist showed: the stored owner, hold reason and note, and the assigned or routed team.
    const workOf = (state: ClaimState) => {
      const w = claimWorkOf(db, state.source, state.encounterId);
      return { updatedBy: '', updatedAt: '', ...w, team: w?.team ?? state.routedTeam };
    };
    const load = (f: FindingRow, problem: (m: string) => void): ClaimState | undefined => {
      const key = `${f.source}\u0000${f.encounter_id}`;
      const known = claims.get(key);
      if (known) return known;
      const held = q.claim.get(f.last_run_id, f.exception_id) as { payload: string | null; content_hash: string | null; business_date: string } | undefined;
      if (!held?.payload || !held.content_hash) {
        problem(`the held claim of encounter ${f.encounter_id} (run ${f.last_run_id}) is not stored`);
        return undefined;
      }
      // Answers from earlier files that changed the claim stay: this file builds on them.
      const answered = claimAsAnswered(db, { source: f.source, encounterId: f.encounter_id, runId: f.last_run_id, payload: held.payload });
      const state: ClaimState = {
        source: f.source, encounterId: f.encounter_id, runId: f.last_run_id, businessDate: held.business_date, contentHash: held.content_hash,
        before: answered.claim, claim: answered.claim, findings: q.claimFindings.all(f.source, f.encounter_id, f.last_run_id) as FindingRow[],
        edited: answered.answers > 0, setField: answered.setField, routedTeam: '', answers: [],
      };
      const lead = state.findings.find((x) => x.severity === 'error') ?? state.findings[0];
      state.routedTeam = lead?.code ? routeTeam(lead.code, lead.action ?? undefined, routing) : '';
      claims.set(key, state);
      return state;
    };

    for (const row of input.rows) {
      const problem = (m: string) => problems.push(`line ${row.line}: ${m}`);
      let finding: FindingRow | undefined;
      let state: ClaimState | undefined;
      let repeated = false;
      if (row.exceptionId) {
        repeated = row.action !== 'assign' && Boolean(q.sameFinding.get(row.exceptionId, row.action, row.codes ?? '', row.target ?? '', row.user));
        finding = q.status.get(row.exceptionId) as FindingRow | undefined;
        if (repeated && finding?.status !== 'open' && finding?.status !== 'held') {
          alreadyApplied++;
          continue;
        }
        if (!finding) {
          problem(`${row.exceptionId} is not a finding of a held claim in this database (warnings on released claims need no answer)`);
          continue;
        }
        if (finding.status === 'resolved') {
          if (row.action === 'assign') {
            unanswered++;
            continue;
          }
          const r = q.resolution.get(finding.resolution_id) as { id: number; user: string; applied_at: string; action: string } | undefined;
          problem(`${row.exceptionId} is already resolved${r ? ` (${r.action} by ${r.user} at ${r.applied_at}, resolution ${r.id})` : ''}`);
          continue;
        }
        if (finding.status === 'superseded') {
          problem(`${row.exceptionId} is closed: encounter ${finding.encounter_id} was processed again since; answer the findings tonight's worklist lists for it`);
          continue;
        }
        state = load(finding, problem);
      } else {
        const source = row.source ?? '';
        const open = q.claimOpen.all(row.encounterId, source, source) as FindingRow[];
        const sources = new Set(open.map((f) => f.source));
        if (sources.size > 1) {
          problem(`encounter ${row.encounterId} is held in ${[...sources].join(' and ')}: fill in source`);
          continue;
        }
        if (open.length === 0) {
          if (row.action === 'assign') {
            unanswered++;
            continue;
          }
          // The answer that closed the claim, given again (the same file applied twice).
          if (q.sameClosed.get(row.encounterId, source, source, row.action, row.codes ?? '', row.target ?? '', row.user)) {
            alreadyApplied++;
            continue;
          }
          const any = q.known.get(row.encounterId, source, source);
          problem(any ? `encounter ${row.encounterId} has no open findings: its claim was answered, released or processed again since` : `encounter ${row.encounterId}${source ? ` (source ${source})` : ''} is not a held claim in this database`);
          continue;
        }
        state = load(open[0]!, problem);
        repeated = Boolean(state && row.action !== 'assign' && q.sameClaim.get(state.source, state.encounterId, state.runId, row.action, row.codes ?? '', row.target ?? '', row.user));
      }
      if (!state) continue;
      const key = `${state.source}\u0000${state.encounterId}`;
      const payerFindings = finding ? finding.stage === 'payer' : state.findings.some((f) => f.stage === 'payer' && (f.status === 'open' || f.status === 'held'));
      if (PAYER_SET.has(row.action) && !payerFindings) {
        problem(`${finding ? finding.exception_id : `encounter ${state.encounterId}`}: ${row.action} answers a payer's rejection or denial, and there is none here (answer release, hold or void)`);
        continue;
      }
      if (repeated) {
        // The same answer again (the file applied twice, or a hold answered again next morning):
        // not a new answer, but a changed hold reason, note, owner or team is kept.
        alreadyApplied++;
        if (Object.keys(changedWork(workOf(state), contextOf(row))).length > 0) state.answers.push({ row: { ...row, action: 'assign' } });
        continue;
      }

      if (row.action === 'assign') {
        const change = changedWork(workOf(state), contextOf(row));
        if (Object.keys(change).length === 0) {
          unanswered++;
          continue;
        }
        if (!row.user) {
          problem(`owner, team, hold reason or note changed for encounter ${state.encounterId}, but user is empty: every change names who made it`);
          continue;
        }
        state.answers.push({ row });
        continue;
      }
      if (finding) {
        const earlier = seenFinding.get(finding.exception_id);
        if (earlier !== undefined) {
          problem(`${finding.exception_id} is answered twice in this file (also line ${earlier})`);
          continue;
        }
        seenFinding.set(finding.exception_id, row.line);
      } else if (DECISIONS.has(row.action)) {
        const earlier = claimDecision.get(key);
        if (earlier) {
          problem(`encounter ${state.encounterId} is answered ${earlier.action} on line ${earlier.line} and ${row.action} here: one decision per claim`);
          continue;
        }
        claimDecision.set(key, { action: row.action, line: row.line });
      }
      const withdrawn = finding ? finding.code === 'INGEST_ENCOUNTER_WITHDRAWN' : state.findings.some((f) => f.code === 'INGEST_ENCOUNTER_WITHDRAWN');
      if (withdrawn && (row.action === 'release' || row.action === 'resubmit' || CODE_ACTIONS.has(row.action))) {
        problem(`${finding ? `${finding.exception_id}: ` : ''}the source withdrew encounter ${state.encounterId}; answer void (send a void for the billed claim) or hold`);
        continue;
      }
      if (CODE_ACTIONS.has(row.action)) {
        if (row.recode) {
          const shape = recodeShapeProblem(row.recode, state.claim);
          if (shape) {
            problem(shape);
            continue;
          }
        }
        const refs = row.recode ? recodeRefs(row.recode) : row.edit ? codesAdded(row.edit) : [];
        const invalid = refs.map((r) => codeProblem(r, state!.claim, library)).find(Boolean);
        if (invalid) {
          problem(invalid);
          continue;
        }
        const next = answerOn(state.claim, row.action, row.target ?? '', row.codes ?? '', `${basename(input.file)} line ${row.line}`);
        if (typeof next === 'string') {
          problem(`encounter ${state.encounterId}: ${next}`);
          continue;
        }
        state.claim = next;
        state.edited = true;
        if (row.action === 'set-field') state.setField = true;
      }
      state.answers.push({ row, ...(finding ? { finding } : {}) });
    }

    // Each edited claim through the edits, as the file leaves it. An edit a person released on
    // that claim stays overridden; errors the claim already had, and did not answer with the
    // edit, stay its findings (open: the claim waits for them).
    const stillFailing = new Map<string, Set<string>>();
    for (const [key, state] of claims) {
      if (!state.edited || state.answers.every((a) => a.row.action === 'assign')) continue;
      if (claimDecision.get(key)?.action === 'void') continue;
      const released = (q.released.all(state.source, state.encounterId, state.runId) as { code: string }[]).map((r) => r.code);
      const checked = checkEditedClaim(db, state, edits, released);
      warnings.push(...checked.warnings);
      if (checked.problem) problems.push(checked.problem);
      else stillFailing.set(key, checked.stillFailing);
    }
    if (problems.length > 0) {
      throw new NightcodeError('RESOLUTIONS_INVALID', `${input.file}: ${problems.length} row(s) cannot be applied; nothing was applied. Fix them and run resolve again`, { details: problems });
    }

    const result: ApplyResult = { file: input.file, applied: 0, alreadyApplied, unanswered, toRelease: 0, toVoid: 0, appealed: 0, writtenOff: 0, held: 0, stillOpen: 0, assigned: 0, warnings };
    const at = now().toISOString();
    const fileName = basename(input.file);
    for (const [key, state] of claims) {
      if (state.answers.length === 0) continue;
      let last = 0;
      let voided = 0;
      let claim = state.before;
      let work: ClaimWorkChange = {};
      for (const { row, finding } of state.answers) {
        work = { ...work, ...contextOf(row) };
        if (row.action === 'assign') continue;
        const code = CODE_ACTIONS.has(row.action);
        const id = Number(q.insert.run(finding?.exception_id ?? null, state.source, state.encounterId, state.runId, row.action, row.target ?? null, row.codes ?? null,
          row.holdReason ?? null, row.note ?? null, row.user, fileName, row.line, input.sha256, at, code ? JSON.stringify(codesOf(claim)) : null).lastInsertRowid);
        last = id;
        if (code) {
          const next = answerOn(claim, row.action, row.target ?? '', row.codes ?? '', id);
          if (typeof next !== 'string') claim = next;
        }
        const answered = finding ? [finding] : state.findings.filter((f) => f.status === 'open' || f.status === 'held');
        for (const f of answered) {
          let to: 'held' | 'resolved' | undefined;
          if (row.action === 'hold') to = 'held';
          else if (row.action === 'release' || row.action === 'void' || PAYER_SET.has(row.action)) to = 'resolved';
          else if (finding) to = 'resolved';
          else {
            // A claim's edit answers what it fixed: not what the edits still raise, nor read or run problems.
            const fixed = !stillFailing.get(key)?.has(f.code ?? '') && !NOT_FIXED_BY_EDITS.has(f.stage ?? '');
            to = fixed ? 'resolved' : undefined;
          }
          if (!to) continue;
          q.setStatus.run(to, id, f.exception_id);
          f.status = to;
          if (to === 'held') result.held++;
        }
        repo.audit(row.user, state.runId, state.source, state.encounterId, `resolve-${row.action}`, finding?.status ?? 'held', row.action === 'hold' ? 'held' : row.action === 'void' ? 'voided' : 'answered',
          `${finding ? finding.exception_id : 'claim'} (resolution ${id}, ${fileName} line ${row.line})`);
        if (row.action === 'void') voided = id;
        result.applied++;
      }
      const change = changedWork(workOf(state), work);
      if (Object.keys(change).length > 0) {
        const user = [...state.answers].reverse().find((a) => a.row.user)!.row.user;
        saveClaimWork(db, state.source, state.encounterId, change, user, at);
        repo.audit(user, state.runId, state.source, state.encounterId, 'assign', 'held', 'held',
          Object.entries(change).filter(([k]) => k !== 'note').map(([k, v]) => `${k}=${v}`).join(', ') || 'note');
        result.assigned++;
        if (last === 0) result.applied++;
      }
      if (last === 0) continue;
      const remaining = q.claimFindings.all(state.source, state.encounterId, state.runId) as FindingRow[];
      // A decided claim no longer waits: its hold reason goes (owner, team and note stay on record).
      const decided = () => {
        if (claimWorkOf(db, state.source, state.encounterId)?.holdReason) saveClaimWork(db, state.source, state.encounterId, { holdReason: '' }, state.answers.at(-1)!.row.user, at);
      };
      if (voided) {
        decided();
        for (const f of remaining) q.setStatus.run('resolved', voided, f.exception_id);
        q.decide.run(state.source, state.encounterId, 'void', state.contentHash, voided, JSON.stringify(claim), at);
        result.toVoid++;
        continue;
      }
      const payerDecision = claimDecision.get(key)?.action;
      if (payerDecision === 'appeal' || payerDecision === 'write-off') {
        decided();
        for (const f of remaining) q.setStatus.run('resolved', last, f.exception_id);
        const answer = state.answers.find((a) => a.row.action === payerDecision)!.row;
        decideClaim(db, {
          claimId: state.before.claimId, to: payerDecision === 'appeal' ? 'appealed' : 'written-off', actor: answer.user, date: at.slice(0, 10), at, runId: state.runId,
          detail: `(${fileName} line ${answer.line}${answer.note ? `: ${answer.note}` : ''})`,
        });
        if (payerDecision === 'appeal') result.appealed++;
        else result.writtenOff++;
        continue;
      }
      if (remaining.some((f) => f.severity === 'error')) {
        result.stillOpen++;
        for (const f of state.findings.filter((x) => x.status === 'open' && stillFailing.get(key)?.has(x.code ?? ''))) {
          warnings.push(`encounter ${state.encounterId}: ${f.code} still fails after the edits; the claim stays held (answer release to send it as is)`);
        }
        continue;
      }
      // Every error answered: the warnings close with the claim, which goes out next run.
      decided();
      for (const f of remaining) q.setStatus.run('resolved', last, f.exception_id);
      q.decide.run(state.source, state.encounterId, 'release', state.contentHash, last, JSON.stringify(claim), at);
      result.toRelease++;
    }
    return result;
  }).immediate();
}
