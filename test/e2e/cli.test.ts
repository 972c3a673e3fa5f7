import { createHash } from 'node:crypto';
import { checkInterchange } from '../../src/emit/x12/x12-check.js';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { Prng } from '../../src/generate/prng.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli, startCli, writeTestConfig } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-e2e-');
const small = join(dir, 'small');
const big = join(dir, 'big');
const DATE = '2026-11-27';
const OUTPUT_FILES = ['claims.jsonl', 'claims.csv', 'worklist.csv', 'exceptions.csv', 'released-warnings.csv', 'quarantine.csv'];

interface JsonSummary {
  runId: number;
  status: string;
  noop: boolean;
  resumed: boolean;
  counts: Record<'input' | 'released' | 'exception' | 'quarantined' | 'unchanged', number>;
  outputs: { name: string; path: string; records: number }[];
  outDir: string;
  notReleased: unknown[];
}

function runJson(args: string[]): { code: number | null; summary: JsonSummary; stderr: string } {
  const r = runCli([...args, '--json']);
  return { code: r.code, summary: JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as JsonSummary, stderr: r.stderr };
}

beforeAll(() => {
  expect(runCli(['generate', '--encounters', '200', '--seed', '5', '--date', DATE, '--out', small, '--broken-rate', '0.05']).code).toBe(0);
  expect(runCli(['generate', '--encounters', '3000', '--seed', '9', '--date', DATE, '--out', big, '--broken-rate', '0.01']).code).toBe(0);
});

describe('nightcode CLI end to end', () => {
  test('run --json prints one reconciled summary and the files it wrote', () => {
    const config = writeTestConfig(join(dir));
    const { code, summary, stderr } = runJson(['--config', config, 'run', '--date', DATE, '--input', small]);
    expect(code).toBe(0);
    const c = summary.counts;
    expect(c.input).toBe(c.released + c.exception + c.quarantined + c.unchanged);
    expect(c.input).toBe(201);
    expect(summary.notReleased).toEqual([]);
    // The data files, one 837 per receiver and claim type, the HTML report, each listed in the manifest written last.
    const names = summary.outputs.map((o) => o.name);
    expect(names.slice(0, OUTPUT_FILES.length)).toEqual(OUTPUT_FILES);
    expect(names.at(-1)).toBe('report.html');
    const x12 = names.slice(OUTPUT_FILES.length, -1);
    expect(x12.length).toBeGreaterThan(0);
    // One file per receiver: an interchange with a functional group per claim type.
    expect(x12.every((n) => /^[A-Z0-9]+\.837$/.test(n))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(summary.outDir, 'manifest.json'), 'utf8')) as {
      claimFiles: { name: string; sha256: string; claims: number; groups: { claimType: string; gs: number; claims: number }[] }[]; dataFiles: { name: string }[];
    };
    // A receiver with professional and institutional claims gets both groups in its one interchange.
    const both = manifest.claimFiles.find((f) => f.groups.length === 2)!;
    expect(both.groups.map((g) => g.claimType)).toEqual(['837P', '837I']);
    expect(both.groups[1]!.gs).toBe(both.groups[0]!.gs + 1);
    const gsSegments = readFileSync(join(summary.outDir, both.name), 'utf8').split('~').filter((seg) => seg.startsWith('GS*'));
    expect(gsSegments.map((g) => g.split('*')[8])).toEqual(['005010X222A1', '005010X223A2']);
    expect(both.groups.reduce((n, g) => n + g.claims, 0)).toBe(both.claims);
    expect(manifest.claimFiles.map((f) => f.name)).toEqual(x12);
    expect(manifest.dataFiles.map((f) => f.name)).toEqual([...OUTPUT_FILES, 'report.html']);
    expect(manifest.claimFiles.reduce((n, f) => n + f.claims, 0)).toBe(c.released);
    for (const f of manifest.claimFiles) {
      const bytes = readFileSync(join(summary.outDir, f.name));
      expect(createHash('sha256').update(bytes).digest('hex'), f.name).toBe(f.sha256);
      expect(checkInterchange(bytes.toString('utf8')), f.name).toEqual([]);
    }
    // Logs are structured JSON on stderr and carry no note text or patient names.
    const logs = stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.some((l) => l.msg === 'run completed' && l.runId === summary.runId)).toBe(true);
    const patients = readFileSync(join(small, 'patients.csv'), 'utf8').split('\n').slice(1, 30).map((l) => l.split(',')[2]).filter(Boolean);
    for (const name of patients) expect(stderr).not.toContain(`"${name}"`);
    expect(stderr).not.toContain('denies');
  });

  test('exit codes: 2 for bad usage or config, 1 for a failed run, with the problem named', () => {
    const bad = join(dir, 'bad-config.json');
    writeFileSync(bad, JSON.stringify({ run: { chunkSize: 'many' } }));
    const r1 = runCli(['--config', bad, 'run', '--date', DATE]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('run.chunkSize');
    expect(runCli(['run', '--date', '2026-02-30', '--config', writeTestConfig(dir)]).code).toBe(2);
    expect(runCli(['run', '--no-such-flag']).code).toBe(2);
    const broken = join(dir, 'broken-export');
    runCli(['generate', '--encounters', '5', '--seed', '1', '--date', DATE, '--out', broken, '--broken-rate', '0']);
    const enc = readFileSync(join(broken, 'encounters.csv'), 'utf8');
    writeFileSync(join(broken, 'encounters.csv'), enc.replace('RenderingNPI', 'Rendering_NPI'));
    const r2 = runCli(['--config', writeTestConfig(join(dir, 'cfg-broken')), 'run', '--date', DATE, '--input', broken]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('encounters.csv: mapped column "RenderingNPI" (encounters.renderingNpi) is missing');
  });

  test('conventions: --version; a wrong option is one line and the usage; with --json every failure is one JSON object on stdout', () => {
    const version = runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
    const wrong = runCli(['exceptions', '--statuss', 'held']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toEqual(["error: unknown option '--statuss'", '(Did you mean --status?)', 'usage: nightcode exceptions [options]', '(nightcode exceptions --help lists the options)']);
    for (const args of [['exceptions', '--statuss', 'held'], ['--config', join(dir, 'missing.json'), 'status'], ['worklist', '--status', 'lost'], ['exceptions', '--status', 'info']]) {
      const r = runCli([...args, '--json']);
      expect(r.code, args.join(' ')).toBe(2);
      const lines = r.stdout.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(JSON.parse(lines[0]!), args.join(' ')).toMatchObject({ status: 'failed', error: { code: expect.any(String), message: expect.any(String) } });
    }
    // The statuses the files print are accepted where a status is asked for.
    const db = join(dir, 'conventions.db');
    for (const status of ['new', 'open', 'held', 'new,held']) {
      expect(runCli(['exceptions', '--status', status, '--db', db]).code, status).toBe(0);
      expect(runCli(['worklist', '--status', status, '--db', db]).code, status).toBe(0);
    }
  });

  test('--help on every command lists its options', () => {
    for (const cmd of ['run', 'schedule', 'backfill', 'status', 'generate', 'worklist', 'exceptions', 'resolve']) {
      const r = runCli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: nightcode ${cmd}`);
    }
  });

  test('two runs started together: one runs, the other exits saying a run holds the lock', async () => {
    const work = join(dir, 'lock');
    const config = writeTestConfig(work, { run: { chunkSize: 100 } });
    const a = startCli(['--config', config, 'run', '--date', DATE, '--input', big]);
    const b = startCli(['--config', config, 'run', '--date', DATE, '--input', big]);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const codes = [ra.code, rb.code].sort();
    expect(codes).toEqual([0, 1]);
    const loser = ra.code === 1 ? ra : rb;
    expect(loser.stderr).toContain('LOCK_HELD');
    expect(loser.stderr).toMatch(/holds the runner lock \(pid \d+/);
    const status = JSON.parse(runCli(['--config', config, 'status', '--json']).stdout) as { runs: { status: string }[]; locks: unknown[] };
    expect(status.runs.map((r) => r.status)).toEqual(['completed']);
    expect(status.locks).toEqual([]);
  });

  test('killed with SIGKILL at random points (at least 10 times), re-runs lose and duplicate nothing, outputs identical', async () => {
    // Reference: one uninterrupted run.
    const refDir = join(dir, 'crash-ref');
    const refConfig = writeTestConfig(refDir, { run: { chunkSize: 40 } });
    const started = Date.now();
    const ref = runJson(['--config', refConfig, 'run', '--date', DATE, '--input', big]);
    const refMs = Date.now() - started;
    expect(ref.code).toBe(0);

    const crashDir = join(dir, 'crash');
    const config = writeTestConfig(crashDir, { run: { chunkSize: 40, lockStaleSeconds: 5 } });
    const rng = new Prng(20261128);
    let kills = 0;
    let attempts = 0;
    const interruptedSteps = new Set<string>();
    const dbFile = join(crashDir, 'nightcode.db');
    const stepState = () => {
      if (!existsSync(dbFile)) return undefined;
      const db = openDatabase(dbFile);
      try {
        return db.prepare("SELECT step, status, committed_seq FROM run_steps ORDER BY rowid DESC LIMIT 1").get() as { step: string; status: string; committed_seq: number } | undefined;
      } finally {
        db.close();
      }
    };
    while ((kills < 10 || !interruptedSteps.has('emit')) && attempts < 40) {
      attempts++;
      const before = stepState();
      const processed = before?.step === 'emit' || (before?.step === 'process' && before.status === 'completed');
      // Aim each kill at a phase: start-up/staging by time, processing and emit once their log line appears.
      // After ten kills the next attempt is let through processing and killed in emit.
      const phase = processed || kills >= 10 ? 'emit' : attempts % 2 === 1 ? 'startup' : 'process';
      const { child, done } = startCli(['--config', config, '--log-level', 'debug', 'run', '--date', DATE, '--input', big]);
      let stderr = '';
      const seen = (re: RegExp) => new Promise<void>((resolveSeen) => {
        const onData = (d: Buffer) => {
          stderr += d.toString();
          if (re.test(stderr)) {
            child.stderr!.off('data', onData);
            resolveSeen();
          }
        };
        child.stderr!.on('data', onData);
        void done.then(() => resolveSeen());
      });
      let timer: NodeJS.Timeout | undefined;
      const arm = (ms: number) => {
        timer = setTimeout(() => child.kill('SIGKILL'), ms);
      };
      if (phase === 'startup') arm(rng.int(50, 900));
      // Mid-way through processing: after the first committed chunk, however long the workers took to start.
      else if (phase === 'process') void seen(/"msg":"chunk committed"/).then(() => arm(rng.int(0, 300)));
      else void seen(/"msg":"emitting outputs"/).then(() => arm(rng.int(0, 20)));
      const result = await done;
      if (timer) clearTimeout(timer);
      if (process.env.DEBUG_CRASH) console.log(attempts, phase, result.signal, result.code, JSON.stringify(stepState()), stderr.slice(0, 300));
      if (result.signal === 'SIGKILL') {
        kills++;
        const after = stepState();
        if (after) interruptedSteps.add(after.step === 'process' && after.status === 'running' && after.committed_seq > 0 ? 'process (mid-way)' : after.status === 'running' ? after.step : `${after.step} ${after.status}`);
        else interruptedSteps.add('before start');
      } else {
        expect(result.code, result.stderr).toBe(0);
        break; // it finished before the kill: later attempts would all be no-ops
      }
    }
    expect(kills, `reference run took ${refMs} ms; interrupted: ${[...interruptedSteps].join(', ')}`).toBeGreaterThanOrEqual(10);
    // The kills landed in several phases: between committed chunks and during emit.
    expect([...interruptedSteps]).toEqual(expect.arrayContaining(['process (mid-way)', 'emit']));
    const final = runJson(['--config', config, 'run', '--date', DATE, '--input', big]);
    expect(final.code).toBe(0);
    expect(final.summary.counts).toEqual(ref.summary.counts);
    for (const name of OUTPUT_FILES) {
      expect(readFileSync(join(final.summary.outDir, name), 'utf8'), name).toBe(readFileSync(join(ref.summary.outDir, name), 'utf8'));
    }
    // The 837 files too, but for the dates and times of the interchange (volatile fields), and
    // with the control numbers the first attempt allocated: a redone emit reuses them.
    const x12 = (d: string) => readdirSync(d).filter((f) => f.endsWith('.837')).sort();
    const stable = (t: string) => t.replace(/^(ISA(?:\*[^*]*){8})\*\d{6}\*\d{4}/, '$1*DATE*TIME').replace(/((?:^|~)GS(?:\*[^*]*){3})\*\d{8}\*\d{4}/g, '$1*DATE*TIME').replace(/(BHT\*[^*]*\*[^*]*\*[^*]*)\*\d{8}\*\d{4}/g, '$1*DATE*TIME');
    expect(x12(final.summary.outDir)).toEqual(x12(ref.summary.outDir));
    for (const name of x12(ref.summary.outDir)) {
      expect(stable(readFileSync(join(final.summary.outDir, name), 'utf8')), name).toBe(stable(readFileSync(join(ref.summary.outDir, name), 'utf8')));
    }
    // No partial file was ever left under a final name, and temporaries are cleaned up.
    expect(readdirSync(final.summary.outDir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // Nothing duplicated in the repository: one record per staged encounter, one ledger row per key.
    const db = openDatabase(join(crashDir, 'nightcode.db'));
    const records = db.prepare('SELECT count(*) AS n, count(DISTINCT encounter_id) AS d FROM run_records').get() as { n: number; d: number };
    expect(records.n).toBe(records.d);
    const ledger = db.prepare("SELECT count(*) AS n FROM ledger WHERE last_state = 'released'").get() as { n: number };
    expect(ledger.n).toBe(ref.summary.counts.released);
    expect((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(1);
    db.close();
  });

  test('schedule --once runs due and missed dates in order; backfill runs a range', () => {
    const work = join(dir, 'sched');
    const config = writeTestConfig(work);
    const backfill = runCli(['--config', config, 'backfill', '--from', '2026-11-20', '--to', '2026-11-22', '--input', small, '--json']);
    expect(backfill.code).toBe(0);
    const runs = backfill.stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonSummary & { businessDate: string });
    expect(runs.map((r) => r.businessDate)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(runs[1]!.counts.released).toBe(0); // the same export again: unchanged
    // The schedule's trigger today catches up from the 23rd to yesterday, bounded by maxDays.
    const schedConfig = writeTestConfig(work, { schedule: { cron: '0 2 * * *', pipelines: [join(process.cwd(), 'pipelines/nightly-csv.json')], catchUp: { enabled: true, maxDays: 3 } } });
    const env = { NIGHTCODE_DB: join(work, 'nightcode.db') };
    const once = runCli(['--config', schedConfig, 'schedule', '--once', '--json'], { env });
    expect(once.code).toBe(0);
    const [result] = JSON.parse(once.stdout) as { pipeline: string; summaries: { businessDate: string }[] }[];
    expect(result!.summaries.length).toBe(3);
    const dates = result!.summaries.map((s) => s.businessDate);
    expect([...dates].sort()).toEqual(dates);
  });
});
