import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import { loadConfig, loadPipeline, type LoadedPipeline } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger, type Logger } from '../log/logger.js';

export interface CommonFlags {
  config?: string;
  db?: string;
  out?: string;
  logLevel?: string;
}

/** Config with precedence flag > env > file > default. */
export function configFrom(flags: CommonFlags): Config {
  return loadConfig({
    ...(flags.config ? { file: flags.config } : {}),
    overrides: { ...(flags.db ? { database: flags.db } : {}), ...(flags.out ? { outDir: flags.out } : {}) },
  }).config;
}

/** A pipeline file relative to the working folder, else to the installed project (its shipped pipelines). */
export function pipelineFrom(config: Config, file?: string): LoadedPipeline {
  const target = file ?? config.defaultPipeline;
  const local = resolve(target);
  return loadPipeline(existsSync(local) || isAbsolute(target) ? local : join(PROJECT_ROOT, target));
}

/** JSON logs on stderr; on a terminal only warnings, so the progress bar stays readable. */
export function loggerFor(flags: CommonFlags): Logger {
  const level = flags.logLevel ?? process.env.NIGHTCODE_LOG_LEVEL ?? (process.stderr.isTTY ? 'warn' : 'info');
  return createLogger({ level });
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

const reported = new WeakSet<object>();

/** The command printed this failure as JSON itself (with its own context): main prints nothing more on stdout. */
export function markReported(err: object): void {
  reported.add(err);
}

export function wasReported(err: unknown): boolean {
  return typeof err === 'object' && err !== null && reported.has(err);
}

/** A moment as the site reads it: local date and time in the configured zone, e.g. "2026-12-02 01:30 EST (America/New_York)". */
export function inZone(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).formatToParts(at);
  const part = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')} (${timeZone})`;
}
