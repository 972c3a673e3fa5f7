import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, test } from 'vitest';
import { asRunError } from '../../src/contract/errors.js';
import { runCli, writeTestConfig } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The claims and findings files a night writes on a worker thread (the built module, as the
 * CLI runs it; under vitest's TypeScript sources the same files are written inline): the
 * same bytes as the night's own, and a failure that reaches the run with its code.
 */
type Aside = typeof import('../../src/run/emit-data-files.js');
const dir = tempDir('nightcode-emit-aside-');
const DATE = '2026-11-27';
const FILES = ['claims.jsonl', 'claims.csv', 'exceptions.csv', 'released-warnings.csv', 'quarantine.csv'];
let aside: Aside;
let database: string;
let outDir: string;
let runId: number;
let outputs: { name: string; records: number; sha256: string }[];

beforeAll(async () => {
  aside = (await import(pathToFileURL(resolve('dist/src/run/emit-data-files.js')).href)) as Aside;
  const exportDir = join(dir, 'export');
  expect(runCli(['generate', '--encounters', '150', '--seed', '11', '--date', DATE, '--out', exportDir, '--broken-rate', '0.05']).code).toBe(0);
  const config = writeTestConfig(dir, { run: { workers: 1, chunkSize: 40 } });
  const r = runCli(['--config', config, 'run', '--date', DATE, '--input', exportDir, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { runId: number; outDir: string; outputs: { name: string; records: number; sha256: string }[] };
  ({ runId, outDir, outputs } = summary);
  database = (JSON.parse(readFileSync(config, 'utf8')) as { database: string }).database;
}, 120_000);

describe('the claims and findings files on a worker thread', () => {
  test('are the night\'s files byte for byte, in the order the summary lists them', async () => {
    expect(aside.DATA_FILES_WORKER).toMatch(/dist[\\/]src[\\/]run[\\/]emit-data-worker\.js$/);
    const db = new Database(database, { readonly: true });
    try {
      const again = join(dir, 'again');
      const files = await aside.writeDataFilesAside(db, { database, runId, pipeline: 'nightly-csv', businessDate: DATE, outDir: again });
      expect(files.map((f) => f.name)).toEqual(FILES);
      for (const f of files) {
        const night = outputs.find((o) => o.name === f.name)!;
        expect(readFileSync(join(again, f.name))).toEqual(readFileSync(join(outDir, f.name)));
        expect({ name: f.name, records: f.records, sha256: f.sha256 }).toEqual({ name: night.name, records: night.records, sha256: night.sha256 });
      }
      expect(files.find((f) => f.name === 'claims.jsonl')!.records).toBeGreaterThan(0);
      expect(files.find((f) => f.name === 'quarantine.csv')!.records).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  test('a folder it cannot write fails the promise with the file system\'s code, which the run classifies', async () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where the output folder should be');
    const db = new Database(database, { readonly: true });
    try {
      const failed = aside.writeDataFilesAside(db, { database, runId, pipeline: 'nightly-csv', businessDate: DATE, outDir: join(blocker, 'out') });
      await expect(failed).rejects.toMatchObject({ code: 'ENOTDIR', message: expect.stringContaining('not-a-folder') });
      const err = await failed.catch((e: unknown) => e);
      expect(asRunError(err).code).toBe(asRunError(Object.assign(new Error('x'), { code: 'ENOTDIR' })).code);
    } finally {
      db.close();
    }
  });
});
