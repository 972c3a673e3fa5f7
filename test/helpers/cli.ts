import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The built CLI (`npm test` builds first through `pretest`). */
export const CLI = resolve('dist/src/cli/main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? process.cwd(), encoding: 'utf8', env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? process.cwd(), env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolveDone) => {
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** A config file for a test: its own database and output root, small chunks. */
export function writeTestConfig(dir: string, overrides: Record<string, unknown> = {}): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  const base = {
    database: join(dir, 'nightcode.db'),
    outDir: join(dir, 'out'),
    timezone: 'UTC',
    run: { chunkSize: 50, concurrency: 8, workers: 1, maxQuarantined: 1000, maxQuarantinedRatio: 0.2, lockStaleSeconds: 30 },
  };
  writeFileSync(file, JSON.stringify({ ...base, ...overrides, run: { ...base.run, ...((overrides.run as object | undefined) ?? {}) } }));
  return file;
}
