import cliProgress from 'cli-progress';
import type { Logger } from './logger.js';
import { setActiveBar } from './terminal.js';

/** Seconds as 1h02m, 3m05s or 12s. */
function duration(secs: number): string {
  const s = Math.round(secs);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export interface Progress {
  start(total: number, label: string): void;
  increment(n: number): void;
  stop(): void;
}

/**
 * A progress bar with records/s and ETA when stderr is a terminal; otherwise a
 * structured log line every few seconds (schedulers capture logs, not bars).
 */
export function createProgress(log: Logger, tty = Boolean(process.stderr.isTTY), stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Progress {
  if (tty) {
    // A known total draws a bar with percentage and ETA; an unknown one (staging reads until
    // the files end) a running count: never "1000/0" or an ETA of nothing.
    const withTotal = '{label} [{bar}] {percentage}% | {value}/{total} records | {speed} rec/s | ETA {remaining}';
    const counting = '{label} {value} records | {speed} rec/s';
    let bar: cliProgress.SingleBar | undefined;
    let started = 0;
    let done = 0;
    let total = 0;
    const payload = () => {
      const secs = (Date.now() - started) / 1000;
      const rate = secs > 0 ? done / secs : 0;
      return { speed: String(Math.round(rate)), remaining: rate > 0 && total > 0 ? duration(Math.max(0, (total - done) / rate)) : '…' };
    };
    return {
      start(t, label) {
        bar?.stop();
        started = Date.now();
        done = 0;
        total = t;
        bar = new cliProgress.SingleBar({ format: t > 0 ? withTotal : counting, stream, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(t > 0 ? t : 1, 0, { label, ...payload() });
        setActiveBar(() => stream.write('\r\x1b[K'));
      },
      increment(n) {
        done += n;
        bar?.increment(n, payload());
      },
      stop: () => {
        bar?.stop();
        bar = undefined;
        setActiveBar(undefined);
      },
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
