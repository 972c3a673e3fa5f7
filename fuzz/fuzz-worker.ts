import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { runCase, type FormatExports, type FuzzCase, type FuzzOutcome } from './fuzz-case.js';

/**
 * Runs fuzz cases one at a time for the fuzz runner. It lives in a worker thread so that the
 * runner can terminate a case that hangs and count it, instead of hanging with it. An
 * unhandled rejection or uncaught exception anywhere in a night is a crash: it is reported
 * for the case that was running and the worker exits.
 */
interface WorkerData { base: FormatExports; scratch: string }
const { base, scratch } = workerData as WorkerData;
let current: number | undefined;

const crash = (kind: string) => (err: unknown) => {
  parentPort!.postMessage({ id: current, outcome: { ok: false, result: 'CRASH', problems: [`${kind}: ${err instanceof Error ? err.stack?.split('\n').slice(0, 4).join(' | ') : String(err)}`], ms: 0 } satisfies FuzzOutcome });
  process.exit(1);
};
process.on('unhandledRejection', crash('unhandled rejection'));
process.on('uncaughtException', crash('uncaught exception'));

parentPort!.on('message', async (msg: { id: number; case: FuzzCase }) => {
  current = msg.id;
  const dir = mkdtempSync(join(scratch, 'case-'));
  try {
    const outcome = await runCase(msg.case, base, dir);
    parentPort!.postMessage({ id: msg.id, outcome });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    current = undefined;
  }
});
