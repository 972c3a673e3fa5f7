import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { generateSampleExport } from '../../src/generate/sample-export.js';
import type { RunSummary } from '../../src/run/runner.js';
import { runCli, writeTestConfig } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// The thread runs only from the build (there is no worker file among the TypeScript
// sources vitest runs), so these tests use the built CLI and the built module.
type ThreadModule = typeof import('../../src/run/claims-files-thread.js');
const built = async () => (await import(pathToFileURL(resolve('dist/src/run/claims-files-thread.js')).href)) as ThreadModule;

type Manifest = { dataFiles: { name: string; records: number; bytes: number; sha256: string }[] };

function night(dir: string, name: string, input: string, overrides: Record<string, unknown>) {
  const config = writeTestConfig(join(dir, name), overrides);
  const r = runCli(['--config', config, 'run', '--date', '2026-11-27', '--input', input, '--json']);
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.stdout) as RunSummary;
  const file = (f: string) => readFileSync(join(summary.outDir, f), 'utf8');
  const manifest = JSON.parse(file('manifest.json')) as Manifest;
  const listed = (f: string) => manifest.dataFiles.find((d) => d.name === f);
  return { summary, file, listed, database: join(dir, name, 'nightcode.db') };
}

const DATA_FILES = ['claims.jsonl', 'claims.csv', 'exceptions.csv', 'released-warnings.csv', 'quarantine.csv'];

test('claims.jsonl, claims.csv and the findings files written on their own thread are the files the main thread writes', async () => {
  const dir = tempDir('nightcode-claims-thread-');
  const input = join(dir, 'export');
  await generateSampleExport({ outDir: input, encounters: 80, seed: 44, kind: 'mixed', businessDate: '2026-11-27', brokenRate: 0.02 });
  const threaded = night(dir, 'threaded', input, { run: { workers: 1 } });
  const inline = night(dir, 'inline', input, { run: { workers: 0 } });
  expect(threaded.summary.notReleased).toEqual([]);
  expect(threaded.summary.counts.released).toBeGreaterThan(40);
  expect(threaded.file('claims.jsonl').split('\n').filter(Boolean)).toHaveLength(threaded.summary.counts.released);
  // Findings of both kinds and a quarantined row: none of the files is empty.
  for (const f of DATA_FILES) expect(threaded.listed(f)!.records).toBeGreaterThan(0);
  for (const f of DATA_FILES) {
    expect(threaded.file(f)).toBe(inline.file(f));
    expect(threaded.listed(f)).toEqual(inline.listed(f));
  }

  // The thread itself, from the build: the same files from the stored run, the findings files when asked.
  const { startClaimsFiles } = await built();
  const out = join(dir, 'again');
  const started = await startClaimsFiles({ database: threaded.database, runId: threaded.summary.runId, outDir: out });
  expect(started).toBeDefined();
  const files = await started!.files;
  expect(files.map((f) => [f.name, f.records])).toEqual([['claims.jsonl', threaded.summary.counts.released], ['claims.csv', threaded.summary.counts.released]]);
  const all = await (await startClaimsFiles({
    database: threaded.database, runId: threaded.summary.runId, outDir: join(dir, 'all'), findings: { pipeline: threaded.summary.pipeline, businessDate: '2026-11-27' },
  }))!.files;
  expect(all.map((f) => [f.name, f.records])).toEqual(DATA_FILES.map((f) => [f, threaded.listed(f)!.records]));
  for (const f of [...files, ...all]) {
    expect(readFileSync(f.path, 'utf8')).toBe(threaded.file(f.name));
    expect(f.sha256).toBe(threaded.listed(f.name)!.sha256);
  }
}, 120_000);

test('a claim file refused after the thread wrote the data files: they are written again, its claims held', async () => {
  const dir = tempDir('nightcode-claims-thread-refused-');
  const input = join(dir, 'export');
  await generateSampleExport({ outDir: input, encounters: 30, seed: 45, kind: 'professional', businessDate: '2026-11-27', brokenRate: 0 });
  // A production file with placeholders is refused: its claims become exceptions.
  const threaded = night(dir, 'threaded', input, { run: { workers: 1 }, x12: { usage: 'P' } });
  const inline = night(dir, 'inline', input, { run: { workers: 0 }, x12: { usage: 'P' } });
  expect(threaded.summary.notReleased.length).toBeGreaterThan(0);
  expect(threaded.summary.counts.released).toBe(0);
  expect(threaded.file('claims.jsonl')).toBe('');
  expect(threaded.listed('claims.jsonl')!.records).toBe(0);
  // The refused claims are held: exceptions.csv has their findings, as the inline run's has.
  expect(threaded.file('exceptions.csv')).toContain('EMIT_X12_NOT_CONFIGURED');
  for (const f of DATA_FILES) expect(threaded.listed(f)).toEqual(inline.listed(f));
}, 120_000);

test('a claims files thread that cannot open the database fails the start; an in-memory database has none', async () => {
  const dir = tempDir('nightcode-claims-thread-fails-');
  const { startClaimsFiles } = await built();
  await expect(startClaimsFiles({ database: join(dir, 'missing', 'n.db'), runId: 1, outDir: join(dir, 'out') })).rejects.toThrow(/unable to open database|directory does not exist/);
  await expect(startClaimsFiles({ database: ':memory:', runId: 1, outDir: join(dir, 'out') })).resolves.toBeUndefined();
});
