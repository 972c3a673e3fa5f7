import { copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { nightFiles } from '../helpers/night-files.js';
import { haveRedis, startRedis, type TestRedis } from '../helpers/redis.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * With the official library (ICD-10-CM FY2021 tabular and order file, MCE, POA-exempt list,
 * HCPCS) and real admissions in a hospital's own layout (MIMIC-IV demo), a worker coding with
 * the coordinator's reference snapshot writes what the in-process pool writes.
 */
const SHARED = resolve('..', 'shared');
const dir = tempDir('nightcode-queue-library-');
const DATE = '2021-07-01';
let redis: TestRedis;

function config(name: string): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ database: join(dir, `${name}.db`), outDir: join(dir, `out-${name}`), timezone: 'UTC', run: { workers: 1, chunkSize: 20 } }));
  return file;
}

describe.skipIf(!haveRedis)('a queue worker with the official library', () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  test('MIMIC-IV demo admissions: the same claims, findings and 837I files in-process and on a worker', async () => {
    const inProcess = config('in-process');
    const cs = join(SHARED, 'codesets');
    const imported = runCli(['--config', inProcess, 'codesets', 'import',
      join(cs, 'icd10cm-2021', 'icd10cm_tabular_2021.xml'), join(cs, 'icd10cm-2021', 'icd10cm-order-Jan-2021.txt'),
      join(cs, 'mce-lists', 'MCE_Simple_Code_Edits_v37.txt'), join(cs, 'poa-exempt', 'POAexemptCodes2020.txt'), join(cs, 'hcpcs-2019', '2019-Alpha-Numeric-HCPCS-File.zip')]);
    expect(imported.code, imported.stderr).toBe(0);
    const queued = config('queued');
    copyFileSync(join(dir, 'in-process.db'), join(dir, 'queued.db'));
    const args = (c: string) => ['--config', c, 'run', '--pipeline', 'pipelines/mimic-iv-demo-wide.json', '--date', DATE, '--json'];
    const a = runCli(args(inProcess));
    expect(a.code, a.stderr).toBe(0);

    const worker = startCli(['worker', '--queue', redis.url, '--concurrency', '1', '--name', 'lib1', '--cache', join(dir, 'cache'), '--log-level', 'info']);
    try {
      const b = await startCli([...args(queued), '--queue', redis.url]).done;
      expect(b.code, b.stderr).toBe(0);
      const s = JSON.parse(b.stdout) as { counts: { input: number }; queue: { chunks: number; byWorker: Record<string, number>; snapshot: { bytes: number } } };
      expect(s.counts.input).toBe(61);
      expect(s.queue.byWorker).toEqual({ lib1: 4 });
      expect(s.queue.snapshot.bytes).toBeGreaterThan(10_000_000);
      const want = nightFiles(join(dir, 'out-in-process', 'mimic-iv-demo-wide', DATE));
      const got = nightFiles(join(dir, 'out-queued', 'mimic-iv-demo-wide', DATE));
      expect([...got.keys()]).toEqual([...want.keys()]);
      expect([...want.keys()].some((f) => f.endsWith('.837'))).toBe(true);
      for (const [name, text] of want) expect(got.get(name), name).toBe(text);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.done;
    }
  }, 300_000);
});
