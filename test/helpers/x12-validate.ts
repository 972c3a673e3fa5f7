import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  const todo = [...new Set(files.filter((f) => !existsSync(join(CACHE, hashes.get(f)!))))];
  const verdicts = new Map<string, X12Verdict>();
  if (todo.length > 0) {
    const r = spawnSync(X12_VALIDATE, todo, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error || (r.status !== 0 && r.status !== 1)) throw new Error(`x12-validate could not run (exit ${r.status}): ${r.error?.message ?? ''}${r.stderr}`);
    // Output: "OK   FILE" or "FAIL FILE" followed by indented error lines.
    let current: X12Verdict | undefined;
    for (const line of r.stdout.split('\n')) {
      const m = /^(OK|FAIL)\s+(.*)$/.exec(line);
      if (m) {
        current = { file: m[2]!.replace(/:.*$/, ''), ok: m[1] === 'OK', errors: [] };
        verdicts.set(current.file, current);
      } else if (current && line.trim()) current.errors.push(line.trim());
    }
    for (const f of todo) {
      const v = verdicts.get(f);
      if (!v) throw new Error(`x12-validate said nothing about ${f}:\n${r.stdout}${r.stderr}`);
      if (v.ok) writeFileSync(join(CACHE, hashes.get(f)!), 'OK\n');
    }
  }
  return files.map((f) => verdicts.get(f) ?? { file: f, ok: true, errors: [] });
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
