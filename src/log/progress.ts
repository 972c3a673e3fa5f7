import cliProgress from 'cli-progress';
import type { Logger } from './logger.js';

export interface Progress {
  start(total: number, label: string): void;
  increment(n: number): void;
  stop(): void;
}

/**
 * A progress bar with records/s and ETA when stderr is a terminal; otherwise a
 * structured log line every few seconds (schedulers capture logs, not bars).
 */
export function createProgress(log: Logger, tty = Boolean(process.stderr.isTTY)): Progress {
  if (tty) {
    const bar = new cliProgress.SingleBar(
      { format: '{label} [{bar}] {percentage}% | {value}/{total} records | {speed} rec/s | ETA {eta_formatted}', stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = 0;
    let done = 0;
    return {
      start(total, label) {
        started = Date.now();
        done = 0;
        bar.start(total, 0, { label, speed: '0' });
      },
      increment(n) {
        done += n;
        const secs = (Date.now() - started) / 1000;
        bar.increment(n, { speed: secs > 0 ? Math.round(done / secs).toString() : '0' });
      },
      stop: () => bar.stop(),
    };
  }
  let total = 0;
  let done = 0;
  let started = 0;
  let lastLog = 0;
  let label = '';
  return {
    start(t, l) {
      total = t;
      label = l;
      done = 0;
      started = Date.now();
      lastLog = started;
    },
    increment(n) {
      done += n;
      const now = Date.now();
      if (now - lastLog >= 5000) {
        lastLog = now;
        const rate = done / ((now - started) / 1000);
        log.info({ step: label, done, total, recordsPerSecond: Math.round(rate), etaSeconds: rate > 0 ? Math.round((total - done) / rate) : null }, 'progress');
      }
    },
    stop() {},
  };
}

export const NO_PROGRESS: Progress = { start() {}, increment() {}, stop() {} };
