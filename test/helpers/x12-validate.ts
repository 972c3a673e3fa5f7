import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The independent X12 validator (pyx12, ../shared/tools/x12-validate): every 837 the suite
 * writes must pass it. Results are remembered by content (SHA-256) in a folder under the
 * system temp, so identical files (a resumed night, a re-run) are validated once. A
 * validator that cannot run fails the test: CI must not pass without it.
 */
export const X12_VALIDATE = resolve('..', 'shared', 'tools', 'x12-validate');
const CACHE = join(tmpdir(), 'nightcode-x12-validated');

export interface X12Verdict {
  file: string;
  ok: boolean;
  errors: string[];
}

export function validateX12(files: readonly string[]): X12Verdict[] {
  if (files.length === 0) return [];
  if (!existsSync(X12_VALIDATE)) throw new Error(`the independent X12 validator is missing: ${X12_VALIDATE}`);
  mkdirSync(CACHE, { recursive: true });
  const hashOf = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
  const hashes = new Map(files.map((f) => [f, hashOf(f)]));
  // One file of each content not validated before.
  const todo = [...new Map(files.filter((f) => !existsSync(join(CACHE, hashes.get(f)!))).map((f) => [hashes.get(f)!, f])).values()];
  const verdicts = new Map<string, X12Verdict>();
  if (todo.length > 0) {
    // pyx12 starts afresh for each file (about a second each): the files are shared among
    // parallel validators, one per core. Their output lines may interleave, so only the
    // verdicts are read from it; the files that fail are validated again, one validator,
    // for their error lines in order.
    const all = runValidators(todo);
    for (const v of parseVerdicts(all.stdout)) verdicts.set(v.file, v);
    const failed = todo.filter((f) => verdicts.get(f)?.ok === false);
    if (failed.length > 0) for (const v of parseVerdicts(runValidators(failed, 1).stdout)) verdicts.set(v.file, v);
    for (const f of todo) {
      const v = verdicts.get(f);
      if (!v) throw new Error(`x12-validate said nothing about ${f}:\n${all.stdout.slice(-2000)}${all.stderr.slice(-2000)}`);
      if (v.ok) writeFileSync(join(CACHE, hashes.get(f)!), 'OK\n');
    }
  }
  const byContent = new Map(todo.map((f) => [hashes.get(f)!, verdicts.get(f)!]));
  return files.map((f) => {
    const v = byContent.get(hashes.get(f)!);
    return v ? { ...v, file: f } : { file: f, ok: true, errors: [] };
  });
}

/** x12-validate on the files, split among `parallel` processes (xargs -P). */
function runValidators(files: readonly string[], parallel = Math.min(availableParallelism(), files.length)): { stdout: string; stderr: string } {
  const perProcess = Math.ceil(files.length / parallel);
  const r = spawnSync('xargs', ['-0', '-n', String(perProcess), '-P', String(parallel), X12_VALIDATE], {
    input: files.join('\0'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  // xargs exits 123 when a validator exits 1 to 125 (a file failed, or no python3: then no
  // verdicts, and the caller shows stderr); anything else means it could not run at all.
  if (r.error || (r.status !== 0 && r.status !== 123)) throw new Error(`x12-validate could not run (exit ${r.status}): ${r.error?.message ?? ''}${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** "OK   FILE", or "FAIL FILE" followed by indented error lines. */
function parseVerdicts(stdout: string): X12Verdict[] {
  const verdicts: X12Verdict[] = [];
  let current: X12Verdict | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^(OK|FAIL)\s+(.*)$/.exec(line);
    if (m) verdicts.push((current = { file: m[2]!.replace(/:.*$/, ''), ok: m[1] === 'OK', errors: [] }));
    else if (current && line.trim()) current.errors.push(line.trim());
  }
  return verdicts;
}

/** Every X12 file the project writes under a folder (recursively): 837 claims, and 999, 277CA and 835 responses. */
export function x12FilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out.push(...x12FilesUnder(p));
    else if (/\.(837|835|999|277ca)$/.test(name)) out.push(p);
  }
  return out.sort();
}

/** Throws with pyx12's errors when any of the files is invalid. */
export function assertValidX12(files: readonly string[]): void {
  const bad = validateX12(files).filter((v) => !v.ok);
  if (bad.length > 0) {
    throw new Error(`${bad.length} of ${files.length} X12 file(s) fail the independent validator (pyx12):\n${bad.map((b) => `${b.file}\n    ${b.errors.slice(0, 12).join('\n    ')}`).join('\n')}`);
  }
}

/** An interchange held in memory, validated through a file. */
export function assertValidX12Text(text: string, dir: string, name = 'interchange.837'): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 12)}-${name}`);
  writeFileSync(file, text);
  assertValidX12([file]);
}
