import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { createProgress } from '../../src/log/progress.js';
import { terminalStderr } from '../../src/log/terminal.js';

/** A terminal that keeps what was drawn on it. */
function fakeTerminal(): Writable & { isTTY: true; columns: number; text: () => string } {
  let out = '';
  const w = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      out += chunk.toString();
      done();
    },
  }) as Writable & { isTTY: true; columns: number; text: () => string };
  w.isTTY = true;
  w.columns = 200;
  w.text = () => out;
  return w;
}

test('the progress bar on a terminal: a running count while the total is unknown, then a bar with its own ETA; a log line clears the bar first', async () => {
  const term = fakeTerminal();
  const progress = createProgress(silentLogger(), true, term);
  progress.start(0, 'stage');
  progress.increment(1000);
  progress.stop();
  progress.start(300, 'process');
  await new Promise((r) => setTimeout(r, 20));
  progress.increment(100);
  // A log line written while the bar is shown clears the bar's line first.
  const writes: string[] = [];
  const realWrite = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    terminalStderr.write('{"level":40,"msg":"warning"}\n');
  } finally {
    process.stderr.write = realWrite;
  }
  progress.increment(200);
  progress.stop();
  const text = term.text();
  expect(text).toContain('stage 1000 records');
  expect(text).not.toMatch(/\d+\/0 records/);
  expect(text).toContain('process');
  expect(text).toMatch(/300\/300 records \| \d+ rec\/s \| ETA \d+s/);
  expect(text).not.toMatch(/ETA (INF|NULL|LL)/);
  expect(text).toContain('\r\x1b[K');
  expect(writes).toEqual(['{"level":40,"msg":"warning"}\n']);
});
