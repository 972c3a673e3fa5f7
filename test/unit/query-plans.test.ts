import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { generateSampleExport } from '../../src/generate/sample-export.js';
import { silentLogger } from '../../src/log/logger.js';
import { runPipeline } from '../../src/run/runner.js';
import { openDatabase } from '../../src/store/database.js';
import { statementsOf, type Seen } from '../helpers/query-plans.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The per-record statements of a night keep their indexes. SQLite picks a plan when a
 * statement is prepared, and with no ANALYZE statistics (nightcode never runs ANALYZE) an
 * index added for one query can change another's plan: an index on run_records (run_id,
 * state) once turned the night's duplicate lookup (run_records joined on run_id, source and
 * encounter_id) into a walk of the whole run per record, and the 100k bench's process step
 * went from 40 to 91 s with every test green. Here two real nights run in-process; every
 * statement prepared on the database is planned (EXPLAIN QUERY PLAN) when it is prepared
 * and counted when it runs, and the statements run at least once per two records must not
 * scan a table, build an automatic index, or walk a run's rows by run_id alone.
 */
const dir = tempDir('nightcode-plans-');
const pipeline = loadPipeline('pipelines/nightly-csv.json');
const ENCOUNTERS = 120;

/** What is wrong with a per-record statement's plan, if anything. */
function planProblems(plan: readonly string[]): string[] {
  return plan.filter((step) =>
    // A table read from end to end (json_each over a parameter and a constant row are not tables).
    (/^SCAN /.test(step) && !/^SCAN (json_each|CONSTANT ROW)/.test(step))
    // An index SQLite builds for this one execution.
    || /AUTOMATIC/.test(step)
    // Every row of a run, by the primary key's or an index's run_id prefix alone.
    || /^SEARCH \w+ USING (COVERING )?(INDEX \w+|PRIMARY KEY) \(run_id=\?\)( LEFT-JOIN)?$/.test(step));
}

async function nights(name: string, x12: boolean, prepareDb?: (db: Database.Database) => void): Promise<Map<string, Seen>> {
  const exportDir = join(dir, `${name}-export`);
  const changed = join(dir, `${name}-export-2`);
  await generateSampleExport({ outDir: exportDir, encounters: ENCOUNTERS, seed: 42, kind: 'mixed', businessDate: '2026-11-27', brokenRate: 0.07 });
  await generateSampleExport({ outDir: changed, encounters: ENCOUNTERS, seed: 43, kind: 'mixed', businessDate: '2026-11-28', brokenRate: 0.07 });
  const config = configSchema.parse({ database: join(dir, `${name}.db`), outDir: join(dir, `${name}-out`), run: { chunkSize: 17, workers: 0, maxQuarantinedRatio: 0.2 }, x12: { enabled: x12 } });
  if (prepareDb) {
    const db = openDatabase(config.database);
    prepareDb(db);
    db.close();
  }
  const log = silentLogger();
  return statementsOf(async () => {
    // Two nights on one database: the second looks up the first night's ledger, claims and fingerprints.
    for (const [date, input] of [['2026-11-27', exportDir], ['2026-11-28', changed]] as const) {
      const s = await runPipeline({ config, pipeline, businessDate: date, inputDir: input, log });
      expect(s.status).toBe('completed');
    }
  });
}

const FIRST_RELEASED_TONIGHT = /FROM claim_fingerprints f\s+LEFT JOIN run_records r/;

/**
 * Statements run at least once per two records of a night (the two nights have 2 × 120
 * records and more; a statement on a night's own temporary table is prepared per night),
 * and the lookup of the night's first claim with a fingerprint: a night runs it for each
 * released claim whose fingerprint the run's filter may hold (run-repository.ts), which is
 * rare, but every claim of a night full of duplicates.
 */
const perRecord = (seen: Map<string, Seen>) => [...seen].filter(([sql, s]) => s.executions >= ENCOUNTERS / 2 || FIRST_RELEASED_TONIGHT.test(sql));

describe('query plans of the per-record statements', () => {
  test('a night prepares no per-record statement that scans a table or walks a run', async () => {
    const seen = await nights('plain', true);
    const hot = perRecord(seen);
    const sqlOf = hot.map(([sql]) => sql);
    // The lookups this test is for are among the statements it checks (it cannot pass by checking nothing).
    expect(sqlOf.some((sql) => FIRST_RELEASED_TONIGHT.test(sql))).toBe(true);
    expect(sqlOf.some((sql) => /FROM ledger WHERE source = \? AND encounter_id = \?/.test(sql))).toBe(true);
    expect(sqlOf.some((sql) => /^\s*INSERT INTO run_records\b/.test(sql))).toBe(true);
    // The 837 step's bookkeeping: each claim's lifecycle row.
    expect(sqlOf.some((sql) => /^\s*INSERT INTO claim_lifecycle\b/.test(sql))).toBe(true);
    expect(hot.length).toBeGreaterThan(10);
    const bad = hot.map(([sql, s]) => ({ sql: sql.replace(/\s+/g, ' '), problems: planProblems(s.plan) })).filter((b) => b.problems.length > 0);
    expect(bad).toEqual([]);
  });

  test('the check catches the index that once turned the duplicate lookup into a walk of the run', async () => {
    // Without 837 files: the lookup is in the process step.
    const seen = await nights('state-index', false, (db) => db.exec('CREATE INDEX plan_test_run_state ON run_records (run_id, state)'));
    const lookup = perRecord(seen).find(([sql]) => FIRST_RELEASED_TONIGHT.test(sql));
    expect(lookup).toBeDefined();
    expect(planProblems(lookup![1].plan)).toEqual([expect.stringMatching(/^SEARCH r USING .*\(run_id=\?\)/)]);
  });
});
