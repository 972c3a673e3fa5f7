import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { StagingStore } from '../../src/ingest/staging.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-private-');
const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);
const previous = process.umask(0o022);
afterAll(() => { process.umask(previous); });

describe('files that hold records are owner-only whatever the umask', () => {
  test('the run repository with its -wal and -shm, in a 0700 folder', () => {
    const file = join(dir, 'new', 'nightcode.db');
    const db = openDatabase(file);
    db.prepare("INSERT INTO locks (name, owner, pid, host, acquired_at, heartbeat_at) VALUES ('x', 'h', 1, 'h', 'a', 'a')").run();
    expect(mode(file)).toBe('600');
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(mode(`${file}-wal`)).toBe('600');
    expect(mode(`${file}-shm`)).toBe('600');
    expect(mode(join(dir, 'new'))).toBe('700');
    db.close();
  });

  test('a repository an older version left readable is narrowed when opened', () => {
    const file = join(dir, 'old.db');
    writeFileSync(file, '', { mode: 0o644 });
    openDatabase(file).close();
    expect(mode(file)).toBe('600');
  });

  test('a night\'s staging copy of the export', () => {
    const store = new StagingStore(join(dir, 'staging.sqlite'), { create: true });
    expect(mode(join(dir, 'staging.sqlite'))).toBe('600');
    store.close();
  });
});
