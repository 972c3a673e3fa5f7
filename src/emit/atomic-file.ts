import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface WrittenFile {
  path: string;
  bytes: number;
  sha256: string;
}

const TMP_MARK = '.tmp-';

/**
 * Writes a file so that readers only ever see it complete: the content goes to a
 * temporary name beside it, is fsynced, then renamed over the final name (rename is
 * atomic on one file system), and the folder entry is fsynced. Owner-only permissions:
 * outputs carry protected health information.
 */
export async function writeFileAtomic(path: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<WrittenFile> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}${TMP_MARK}${process.pid}`;
  const hash = createHash('sha256');
  let bytes = 0;
  const source = Readable.from(
    (async function* () {
      for await (const chunk of chunks) {
        const buf = Buffer.from(chunk, 'utf8');
        hash.update(buf);
        bytes += buf.length;
        yield buf;
      }
    })(),
  );
  const out = createWriteStream(tmp, { mode: 0o600 });
  try {
    await pipeline(source, out);
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    fsyncDir(dirname(path));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return { path, bytes, sha256: hash.digest('hex') };
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems do not allow fsync on a directory; the rename is still atomic.
  }
}

/** Removes temporary files a killed writer left behind in `dir`. */
export function removeStaleTemporaries(dir: string): number {
  let removed = 0;
  try {
    for (const name of readdirSync(dir)) {
      if (name.includes(TMP_MARK)) {
        rmSync(join(dir, name), { force: true });
        removed++;
      }
    }
  } catch {
    // The folder does not exist yet.
  }
  return removed;
}
