import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFileWriter, writeFileAtomic } from '../../src/emit/atomic-file.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The output files' writer encodes each string into a byte buffer as it comes: what reaches
 * the file must be the strings' UTF-8, whatever their characters and sizes, and the
 * reported size and SHA-256 must be the file's.
 */
const dir = tempDir('nightcode-atomic-file-');

describe('AtomicFileWriter', () => {
  it('writes the UTF-8 of every chunk, across buffer boundaries, with the file\'s size and SHA-256', async () => {
    const chunks: string[] = [];
    // Small chunks of one-, two-, three- and four-byte characters (a surrogate pair), so
    // flushes fall at every kind of character, then chunks larger than the buffer.
    const samples = ['CLM*A1*140***22:B:1~', 'Müller, José', '中文病历', 'a\u{1F600}b', '"quoted, \r\n"'];
    for (let i = 0; i < 40_000; i++) chunks.push(samples[i % samples.length]! + i);
    chunks.push('é'.repeat(300_000), 'x'.repeat(90_000), '\u{1F600}'.repeat(50_000), 'tail\n');
    const content = chunks.join('');
    const file = join(dir, 'mixed.txt');
    const written = await writeFileAtomic(file, chunks);
    const bytes = readFileSync(file);
    expect(bytes.toString('utf8')).toBe(content);
    expect(written).toEqual({ path: file, bytes: Buffer.byteLength(content, 'utf8'), sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('an empty file, and an aborted one that leaves nothing behind', () => {
    const empty = new AtomicFileWriter(join(dir, 'empty.txt')).commit();
    expect(empty).toMatchObject({ bytes: 0, sha256: createHash('sha256').digest('hex') });
    const aborted = new AtomicFileWriter(join(dir, 'aborted.txt'));
    aborted.write('x'.repeat(1_000_000));
    aborted.abort();
    expect(existsSync(join(dir, 'aborted.txt'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('aborted'))).toEqual([]);
  });
});
