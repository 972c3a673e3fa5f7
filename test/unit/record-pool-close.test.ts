import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';

/**
 * A record pool closed while its threads are still loading their modules (a run failing in
 * its first moments, `nightcode worker` stopped on SIGTERM just after it started) closes; it
 * must not abort the process. On Node 20, a thread terminated while require() instantiated
 * the record worker's ES module graph hit a V8 fatal error (SIGABRT): the queue test "SIGTERM
 * while Redis is gone" failed that way. The window is a few ms wide, so the built pool (the
 * test runs dist/, as `nightcode` does) is closed 30 times, at delays across the measured load
 * time, in one child process; with the require() entry 3 of 4 such children aborted.
 */
const DIST = resolve('dist');

const script = `
import { Worker } from 'node:worker_threads';
const { createRecordPool } = await import(${JSON.stringify(`${DIST}/src/run/record-pool.js`)});
// How long a thread takes to load the record worker's modules, on this machine now.
const load = await new Promise((resolve, reject) => {
  const w = new Worker(\`const t = performance.now(); import(${JSON.stringify(`${DIST}/src/run/record-worker.js`)}).then(() => require('node:worker_threads').parentPort.postMessage(performance.now() - t));\`, { eval: true, execArgv: [] });
  w.once('message', (ms) => { void w.terminate(); resolve(ms); });
  w.once('error', reject);
});
const pools = 30;
for (let i = 0; i < pools; i++) {
  const pool = createRecordPool(1);
  if (pool.threads !== 1) throw new Error('no thread pool: is dist/ built?');
  await new Promise((r) => setTimeout(r, load * (0.5 + (0.6 * i) / pools)));
  await pool.close();
}
console.log(\`closed \${pools} pools\`);
`;

test('record pools closed while their threads load their modules close cleanly, without aborting the process', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 90_000 });
  expect({ status: r.status, signal: r.signal, fatal: /FATAL ERROR.*/.exec(r.stderr)?.[0] }, r.stderr.slice(0, 2000)).toEqual({ status: 0, signal: null, fatal: undefined });
  expect(r.stdout).toContain('closed 30 pools');
});
