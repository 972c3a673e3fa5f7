import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExceptionRow } from '../../src/emit/exceptions/exceptions-csv.js';
import { INFO_ROW_LIMIT, type ReportRun } from '../../src/emit/report/report-html.js';
import { writeReport } from '../../src/emit/write-run-outputs.js';
import { RunFindings } from '../../src/run/run-findings.js';
import { RunRepository, type RecordOutcome } from '../../src/run/run-repository.js';
import { openDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { statementsOf } from '../helpers/query-plans.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Schema 18's index exceptions_order (run, record state, seq, id): the files and the report
 * read a run's findings of one state in seq order through it, with no sort, and count them
 * from it alone; given that count, the report reads no more warnings than it lists.
 */

const root = tempDir('nightcode-findings-order-');

/** Finding ids are hashes, as the pipeline's are: their order is not the records' order. */
const idOf = (seq: number, k: number) => `EX${createHash('sha256').update(`${seq}/${k}`).digest('hex').slice(0, 16).toUpperCase()}`;

function outcome(seq: number, state: 'released' | 'exception', findings: number): RecordOutcome {
  return {
    seq, source: 'EHR', encounterId: `E${seq}`, contentHash: `h${seq}`, state, claimId: `C${seq}`, frequency: '1', confidence: 0.5,
    payload: JSON.stringify({ claimId: `C${seq}` }),
    exceptions: Array.from({ length: findings }, (_, k) => ({
      exceptionId: idOf(seq, k), runId: 0, businessDate: '2026-11-27', source: 'EHR', encounterId: `E${seq}`, recordState: state,
      code: 'CODE_X', severity: state === 'released' ? 'warning' : 'error', stage: 'validate', message: `finding ${k} of ${seq}`,
    })),
  } as RecordOutcome;
}

/** Two chunks, committed in order as the runner does: records 1–40, every third held. */
function commitNight(repo: RunRepository, dir: string): number {
  const run = repo.createRun('nightly-csv', '2026-11-27', dir, dir, false);
  repo.startStep(run.id, 'process');
  const night = Array.from({ length: 40 }, (_, i) => outcome(i + 1, (i + 1) % 3 === 0 ? 'exception' : 'released', (i % 4) + 1));
  repo.commitChunk(run.id, night.slice(0, 20), 20, 'test');
  repo.commitChunk(run.id, night.slice(20), 40, 'test');
  return run.id;
}

describe('schema 18: a run\'s findings read in seq order through exceptions_order', () => {
  it('reads each state in seq order (ids in seq order), counts it from the index, and sorts nothing', async () => {
    const dir = join(root, 'order');
    mkdirSync(dir);
    const file = join(dir, 'db.sqlite');
    // Written before schema 18, read after it: the migration indexes rows already there.
    const old = openDatabase(file, MIGRATIONS.filter((m) => m.version < 18));
    const runId = commitNight(new RunRepository(old), dir);
    old.close();
    const db = openDatabase(file);
    let findings!: RunFindings;
    const prepared = await statementsOf(async () => {
      findings = new RunFindings(db);
    });

    for (const state of ['released', 'exception'] as const) {
      const rows = [...findings.exceptionsInOrder(runId, '2026-11-27', state)];
      const expected = db.prepare('SELECT seq, exception_id FROM exceptions NOT INDEXED WHERE run_id = ? AND record_state = ?').all(runId, state) as { seq: number; exception_id: string }[];
      expected.sort((a, b) => a.seq - b.seq || (a.exception_id < b.exception_id ? -1 : 1));
      expect(rows.map((r) => r.exceptionId)).toEqual(expected.map((r) => r.exception_id));
      expect(rows.every((r) => r.recordState === state)).toBe(true);
      expect(findings.countOfState(runId, state)).toBe(rows.length);
    }
    expect(findings.countOfState(runId, 'released')).toBeGreaterThan(40);
    // The ids' own order differs from the records' (else this test could not tell).
    const released = [...findings.exceptionsInOrder(runId, '2026-11-27', 'released')].map((r) => r.exceptionId);
    expect([...released].sort()).not.toEqual(released);

    const byState = [...prepared].filter(([sql]) => /record_state = \?/.test(sql));
    expect(byState).toHaveLength(2);
    for (const [, seen] of byState) {
      const plan = seen.plan.join(' / ');
      expect(plan).toMatch(/SEARCH e USING (COVERING )?INDEX exceptions_order \(run_id=\? AND record_state=\?\)|SEARCH exceptions USING COVERING INDEX exceptions_order/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
    db.close();
  });

  it('the report, given the warnings\' count, reads no more of them than it lists', async () => {
    const dir = join(root, 'report');
    for (const d of ['a', 'b']) mkdirSync(join(dir, d), { recursive: true });
    const total = INFO_ROW_LIMIT + 50;
    const row = (i: number, status: ExceptionRow['status'], recordState: ExceptionRow['recordState']): ExceptionRow => ({
      exceptionId: `EX${String(i).padStart(16, '0')}`, runId: 7, businessDate: '2026-11-27', source: 'EHR', encounterId: `E${i}`, recordState,
      severity: status === 'info' ? 'warning' : 'error', code: 'CODE_X', stage: 'validate', message: `finding ${i}`, status, firstSeen: '2026-11-27', ageDays: 0,
    });
    let read = 0;
    const warnings = function* () {
      for (let i = 0; i < total; i++) {
        read++;
        yield row(i, 'info', 'released');
      }
    };
    const held = () => [row(total, 'new', 'exception'), row(total + 1, 'new', 'exception')];
    const run: ReportRun = {
      runId: 7, pipeline: 'nightly-csv', businessDate: '2026-11-27', generatedAt: '2026-11-28T02:00:00.000Z',
      counts: { input: total + 2, released: total, exception: 2, quarantined: 0, unchanged: 0 }, resolved: { released: 0, voided: 0, voidClaims: 0 },
      autoReleaseRate: 0.99, durationMs: 1000, recordsPerSecond: 10, codeSets: [], claimFiles: [], notReleased: [], codeSetWarnings: [], resolutionFiles: [],
    };
    const counted = await writeReport(join(dir, 'a'), run, { held, warnings, warningCount: () => total, warningClaims: () => total }, () => []);
    expect(read).toBeLessThanOrEqual(INFO_ROW_LIMIT + 1);
    expect(counted.records).toBe(total + 2);
    read = 0;
    const readAll = await writeReport(join(dir, 'b'), run, { held, warnings, warningClaims: () => total }, () => []);
    expect(read).toBeGreaterThanOrEqual(total);
    expect(readAll.records).toBe(total + 2);
    // The same page either way.
    const html = readFileSync(counted.path, 'utf8');
    expect(html).toBe(readFileSync(readAll.path, 'utf8'));
    expect(html).toContain(`Warnings on released claims (${total})`);
  });
});
