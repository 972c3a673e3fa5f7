import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { assertValidX12, x12FilesUnder } from './x12-validate.js';

/**
 * A temporary folder removed after the test file. Before it goes, every 837 file any test
 * wrote under it must pass the independent validator (pyx12): nothing the suite writes
 * escapes it, whichever test wrote it.
 */
export function tempDir(prefix = 'nightcode-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => {
    try {
      assertValidX12(x12FilesUnder(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
  return dir;
}
