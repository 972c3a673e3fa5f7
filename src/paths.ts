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
