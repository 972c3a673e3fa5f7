import type { Command } from 'commander';
import { asRunError, NightcodeError } from '../contract/errors.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { readLocks } from '../run/lock.js';
import { RunFindings } from '../run/run-findings.js';
import { RunRepository, type RunRow } from '../run/run-repository.js';
import { claimsNeedingWork } from '../resolve/worklist-rows.js';
import { addToSummary, emptySummary } from '../resolve/worklist-summary.js';
import { openDatabase } from '../store/database.js';
import { configFrom, inZone, printJson, type CommonFlags } from './common.js';
import { queueDate } from './worklist-command.js';

interface StatusFlags extends CommonFlags {
  run?: string;
  queue?: string;
  limit: string;
  json?: boolean;
}

function runView(r: RunRow) {
  return {
    runId: r.id, pipeline: r.pipeline, businessDate: r.business_date, status: r.status, executions: r.executions,
    forced: r.forced === 1, startedAt: r.started_at, endedAt: r.ended_at,
    counts: r.counts ? (JSON.parse(r.counts) as unknown) : null,
    error: r.error_code ? { code: r.error_code, message: r.error_message } : null,
    inputDir: r.input_dir, outDir: r.out_dir,
  };
}

/** The queue's side of status; a queue that cannot be reached is reported, not fatal (the rest still shows). */
async function queueView(flag: string | undefined, configured: string | undefined) {
  const text = flag ?? configured;
  if (!text) return undefined;
  const url = parseQueueUrl(text, flag ? '--queue' : 'run.queue');
  try {
    const { queueStatus } = await import('../queue/chunk-queue.js');
    return await queueStatus(url);
  } catch (err) {
    const e = asRunError(err);
    return { url: url.redacted, error: { code: e.code, message: e.message } };
  }
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('runs, their steps and counts, the work queue and worklist, and who holds the run lock')
    .option('--run <id>', 'one run in detail: steps, committed chunk, findings by code')
    .option('--limit <n>', 'how many recent runs', '20')
    .option('--db <file>', 'SQLite run repository')
    .option('--queue <url>', 'also the queue: workers connected, chunks waiting / active / failed (default: config run.queue)')
    .option('--json', 'print JSON')
    .action(async (flags: StatusFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const repo = new RunRepository(db);
        const locks = readLocks(db).map((l) => ({ name: l.name, pid: l.pid, host: l.host, run: l.run_label, acquiredAt: l.acquired_at, heartbeatAt: l.heartbeat_at }));
        if (flags.run) {
          const run = repo.getRun(Number(flags.run));
          if (!run) throw new NightcodeError('USAGE', `no run ${flags.run} in ${config.database}`);
          const detail = {
            ...runView(run),
            steps: repo.steps(run.id).map((s) => ({
              step: s.step, status: s.status, startedAt: s.started_at, endedAt: s.ended_at, read: s.read_count, written: s.write_count,
              committedSeq: s.committed_seq, commits: s.commits, details: s.details ? (JSON.parse(s.details) as unknown) : null,
            })),
            findingsByCode: new RunFindings(db).exceptionCounts(run.id),
            locks,
          };
          if (flags.json) printJson(detail);
          else process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
          return;
        }
        const runs = repo.recentRuns(Number(flags.limit) || 20).map(runView);
        const workQueue = db.prepare(`SELECT status, count(*) AS findings, count(DISTINCT source || char(0) || encounter_id) AS claims, min(first_seen) AS oldest
                                      FROM exception_status WHERE status IN ('open', 'held') GROUP BY status ORDER BY status`).all() as { status: string; findings: number; claims: number; oldest: string }[];
        // The claims behind those findings: what the morning's worklist holds.
        // Its figures only: the claims are counted as they are read, not held (or sorted).
        const s = emptySummary();
        for (const w of claimsNeedingWork(db, { reportDate: queueDate(db, undefined, config.timezone) })) addToSummary(s, w);
        const worklist = { claims: s.claims, new: s.newClaims, dollars: s.heldCents / 100, oldestDays: s.oldestDays };
        const queue = await queueView(flags.queue, config.run.queue);
        if (flags.json) {
          printJson({ database: config.database, runs, locks, workQueue, worklist, ...(queue ? { queue } : {}) });
          return;
        }
        const out: string[] = [`database ${config.database}`];
        if (queue && 'error' in queue) out.push(`queue ${queue.url}: ${queue.error.code}: ${queue.error.message}`);
        else if (queue) {
          const j = queue.jobs;
          const mine = queue.workers.filter((w) => w.sameBuild);
          const others = queue.workers.filter((w) => !w.sameBuild);
          out.push(`queue ${queue.url} (build ${queue.build}): ${mine.length} worker(s)${mine.length ? ` (${mine.map((w) => `${w.name} ${w.addr}, connected ${w.ageSeconds} s`).join('; ')})` : ''}; chunks waiting ${j.waiting ?? 0}, active ${j.active ?? 0}, delayed ${j.delayed ?? 0}, failed ${j.failed ?? 0}, done and not yet committed ${j.completed ?? 0}`);
          if (others.length) out.push(`  ${others.length} worker(s) of other builds, which take no chunk of this one: ${others.map((w) => `${w.name} (build ${w.build})`).join(', ')}`);
        }
        out.push(`worklist: ${worklist.claims} claim(s) need a person (${worklist.new} new), $${worklist.dollars.toFixed(2)} held${worklist.claims ? `, oldest ${worklist.oldestDays} day(s)` : ''} (nightcode worklist)`);
        out.push(workQueue.length
          ? `work queue: ${workQueue.map((w) => `${w.findings} ${w.status} finding(s) on ${w.claims} claim(s), first raised ${w.oldest}`).join('; ')} (nightcode exceptions)`
          : 'work queue: empty');
        out.push(locks.length ? `lock: ${locks.map((l) => `${l.name} held by pid ${l.pid} on ${l.host} (${l.run ?? 'starting'}), heartbeat ${l.heartbeatAt ? inZone(new Date(l.heartbeatAt), config.timezone) : 'none'}`).join('; ')}` : 'lock: free');
        out.push('  id  pipeline              date        status      exec  input  released  exception  quarantined  unchanged');
        for (const r of runs) {
          const c = (r.counts ?? {}) as Record<string, number>;
          out.push(`${String(r.runId).padStart(4)}  ${r.pipeline.padEnd(20)}  ${r.businessDate}  ${r.status.padEnd(10)}  ${String(r.executions).padStart(4)}  ${String(c.input ?? '').padStart(5)}  ${String(c.released ?? '').padStart(8)}  ${String(c.exception ?? '').padStart(9)}  ${String(c.quarantined ?? '').padStart(11)}  ${String(c.unchanged ?? '').padStart(9)}${r.error ? `  ${r.error.code}` : ''}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        db.close();
      }
    });
}
