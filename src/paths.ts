import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed project's root (where package.json and data/ are), found the same way
 * whether the code runs from src/ under vitest or from dist/ after the build.
 */
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'nightcode') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('nightcode package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const PROJECT_ROOT = findProjectRoot();
export const DATA_DIR = join(PROJECT_ROOT, 'data');

/**
 * A team-written JSON data file (data/…), parsed. A syntax error names the file, the line
 * and column, and the problem, instead of JSON.parse's bare "Unexpected token … at
 * position N"; a file that cannot be read keeps its system error, which names the path.
 */
export function readJsonData<T>(file: string): T {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    if (!at) throw new Error(`${file}: not valid JSON: ${message}`);
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new Error(`${file}:${line}:${column}: not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}
