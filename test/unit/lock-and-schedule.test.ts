import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, test } from 'vitest';
import { NightcodeError } from '../../src/contract/errors.js';
import { dateRange, defaultBusinessDate } from '../../src/run/business-date.js';
import { acquireLock, readLocks } from '../../src/run/lock.js';
import { datesToRun } from '../../src/run/scheduler.js';
import { openDatabase } from '../../src/store/database.js';

describe('run lock', () => {
  test('a second holder is refused while the first is alive', () => {
    const db = openDatabase(':memory:');
    const first = acquireLock(db, { staleSeconds: 60, label: 'run 1' });
    expect(() => acquireLock(db, { staleSeconds: 60 })).toThrow(NightcodeError);
    expect(() => acquireLock(db, { staleSeconds: 60 })).toThrow(/holds the runner lock \(pid \d+ .*run 1/);
    first.release();
    const second = acquireLock(db, { staleSeconds: 60 });
    expect(second.recoveredFrom).toBeUndefined();
    second.release();
  });

  test('a lock whose holder process died is recovered', () => {
    const db = openDatabase(':memory:');
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!; // a pid that has exited
    const now = new Date().toISOString();
    db.prepare("INSERT INTO locks (name, owner, pid, host, run_label, acquired_at, heartbeat_at) VALUES ('runner', 'x', ?, ?, 'run 9', ?, ?)").run(dead, hostname(), now, now);
    const lock = acquireLock(db, { staleSeconds: 60 });
    expect(lock.recoveredFrom).toMatchObject({ pid: dead, runLabel: 'run 9' });
    expect(readLocks(db)[0]!.pid).toBe(process.pid);
  });

  test('a lock from another host is recovered only when its heartbeat is stale', () => {
    const db = openDatabase(':memory:');
    const insert = db.prepare("INSERT OR REPLACE INTO locks (name, owner, pid, host, run_label, acquired_at, heartbeat_at) VALUES ('runner', 'x', 1, 'other-host', null, ?, ?)");
    const fresh = new Date().toISOString();
    insert.run(fresh, fresh);
    expect(() => acquireLock(db, { staleSeconds: 60 })).toThrow(/other-host/);
    const old = new Date(Date.now() - 120_000).toISOString();
    insert.run(old, old);
    expect(acquireLock(db, { staleSeconds: 60 }).recoveredFrom?.host).toBe('other-host');
  });

  test('heartbeat fails once another process took the lock over', () => {
    const db = openDatabase(':memory:');
    const lock = acquireLock(db, { staleSeconds: 60 });
    db.prepare("UPDATE locks SET owner = 'someone-else'").run();
    expect(() => lock.heartbeat()).toThrow(/taken over/);
  });
});

describe('schedule catch-up policy', () => {
  test.each([
    ['nothing ever completed: only the due date', undefined, '2026-11-27', { enabled: true, maxDays: 7 }, ['2026-11-27']],
    ['completed yesterday: the due date', '2026-11-26', '2026-11-27', { enabled: true, maxDays: 7 }, ['2026-11-27']],
    ['two nights missed: run them in order', '2026-11-24', '2026-11-27', { enabled: true, maxDays: 7 }, ['2026-11-25', '2026-11-26', '2026-11-27']],
    ['bounded by maxDays', '2026-11-01', '2026-11-27', { enabled: true, maxDays: 3 }, ['2026-11-25', '2026-11-26', '2026-11-27']],
    ['catch-up off', '2026-11-20', '2026-11-27', { enabled: false, maxDays: 7 }, ['2026-11-27']],
    ['already done: the due date (a no-op run)', '2026-11-27', '2026-11-27', { enabled: true, maxDays: 7 }, ['2026-11-27']],
  ])('%s', (_name, last, due, policy, expected) => {
    expect(datesToRun(last, due, policy)).toEqual(expected);
  });

  test('the business date is yesterday in the site time zone', () => {
    // 03:00 UTC on Nov 28 is still Nov 27 in New York: business date Nov 26.
    expect(defaultBusinessDate(new Date('2026-11-28T03:00:00Z'), 'America/New_York')).toBe('2026-11-26');
    expect(defaultBusinessDate(new Date('2026-11-28T03:00:00Z'), 'UTC')).toBe('2026-11-27');
  });

  test('date ranges are inclusive and checked', () => {
    expect(dateRange('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(() => dateRange('2026-03-02', '2026-03-01')).toThrow(/after/);
  });
});
