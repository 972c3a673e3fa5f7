import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateSampleExport } from '../../src/generate/sample-export.js';
import { CLI, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Failures that are not the export's: a damaged database, a full disk. Each ends with one
 * JSON object and a stable code under --json, exit 1, the lock not left held, and (for the
 * disk) a night that resumes once there is room.
 */
const dir = tempDir('nightcode-failures-');

describe('clean failures', () => {
  test('a damaged run repository: DB_CORRUPT as one JSON object, exit 1; db check says so too', () => {
    const db = join(dir, 'corrupt.db');
    writeFileSync(db, Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(4096, 0x5a)]));
    const r = runCli(['run', '--db', db, '--date', '2026-11-27', '--json']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ status: 'failed', error: { code: 'DB_CORRUPT', message: expect.stringMatching(/nightcode db check/) } });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    const check = runCli(['db', 'check', '--db', db, '--json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ status: 'failed', error: { code: 'DB_CORRUPT' } });
  });

  test('a database that is not SQLite at all, and usage errors, answer in JSON too', () => {
    const other = join(dir, 'notes.txt');
    writeFileSync(other, 'these are not the droids\n'.repeat(200));
    expect(JSON.parse(runCli(['status', '--db', other, '--json']).stdout)).toMatchObject({ status: 'failed', error: { code: 'DB_CORRUPT' } });
    const usage = runCli(['run', '--no-such-option', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ status: 'failed', error: { code: 'USAGE' } });
  });

  test('db backup writes an owner-only copy that passes its check; db check passes the original', () => {
    const db = join(dir, 'sound.db');
    expect(runCli(['codesets', 'list', '--db', db]).code).toBe(0);
    const backup = JSON.parse(runCli(['db', 'backup', join(dir, 'sound-backup.db'), '--db', db, '--json']).stdout) as { ok: boolean; bytes: number };
    expect(backup).toMatchObject({ ok: true });
    expect(JSON.parse(runCli(['db', 'check', '--db', db, '--json']).stdout)).toMatchObject({ ok: true, problems: [] });
    expect(runCli(['db', 'backup', join(dir, 'sound-backup.db'), '--db', db]).code).toBe(2);
  });

  test('a full disk (a 1.2 MB tmpfs): DISK_FULL as one JSON object, exit 1, and the night resumes once there is room', async () => {
    const probe = spawnSync('unshare', ['-rm', 'true']);
    expect(probe.status, 'this test mounts a tmpfs in a user and mount namespace (unshare -rm): the machine must allow it').toBe(0);
    const exportDir = join(dir, 'export');
    await generateSampleExport({ outDir: exportDir, encounters: 400, seed: 3, kind: 'mixed', businessDate: '2026-11-27', brokenRate: 0.01 });
    const mnt = join(dir, 'small-disk');
    mkdirSync(mnt);
    const config = join(dir, 'full.json');
    writeFileSync(config, JSON.stringify({ database: join(mnt, 'n.db'), outDir: join(mnt, 'out'), run: { workers: 1, chunkSize: 50, maxQuarantinedRatio: 0.2 } }));
    const node = (args: string, out: string) => `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --config ${JSON.stringify(config)} ${args} > ${JSON.stringify(join(dir, `${out}.json`))} 2>/dev/null; echo "${out}=$?" >> ${JSON.stringify(join(dir, 'codes.txt'))}`;
    const script = [
      `mount -t tmpfs -o size=1200k tmpfs ${JSON.stringify(mnt)}`,
      node(`run --date 2026-11-27 --input ${JSON.stringify(exportDir)} --json`, 'first'),
      node('status --json', 'status'),
      `mount -o remount,size=64m ${JSON.stringify(mnt)}`,
      node(`run --date 2026-11-27 --input ${JSON.stringify(exportDir)} --json`, 'second'),
    ].join(' && ');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const codes = Object.fromEntries(readFileSync(join(dir, 'codes.txt'), 'utf8').trim().split('\n').map((l) => l.split('=')));
    expect(codes).toEqual({ first: '1', status: '0', second: '0' });
    const first = readFileSync(join(dir, 'first.json'), 'utf8').trim().split('\n');
    expect(first).toHaveLength(1);
    expect(JSON.parse(first[0]!)).toMatchObject({ status: 'failed', error: { code: 'DISK_FULL' } });
    const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as { runs: { status: string; errorCode?: string }[]; locks: unknown[] };
    expect(status.runs[0]).toMatchObject({ status: 'failed' });
    const second = JSON.parse(readFileSync(join(dir, 'second.json'), 'utf8')) as { status: string; resumed: boolean; reconciled: boolean; counts: { input: number } };
    expect(second).toMatchObject({ status: 'completed', resumed: true, reconciled: true });
    expect(second.counts.input).toBe(401);
  }, 120_000);
});

describe('resolutions files nightcode cannot read as answers', () => {
  test('one answer row without its header is refused, naming the header it needs; nothing is applied', () => {
    const db = join(dir, 'resolve.db');
    const file = join(dir, 'answers.csv');
    writeFileSync(file, 'EX0123456789ABCDEF,release,,looks fine,jane\n');
    const r = runCli(['resolve', file, '--db', db, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', error: { code: 'INPUT_COLUMNS_MISSING', message: expect.stringMatching(/the first line is not a resolutions header: it lacks exception_id \(or encounter_id\), action, user/) } });
    writeFileSync(file, '');
    expect(JSON.parse(runCli(['resolve', file, '--db', db, '--json']).stdout)).toMatchObject({ error: { code: 'RESOLUTIONS_INVALID' } });
  });
});
