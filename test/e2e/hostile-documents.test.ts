import { describe, expect, test } from 'vitest';
import { hostileDocuments, runHostile } from '../../bench/hostile-documents.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Hostile documents just under their configured size limit (here 2 MB): one huge narrative,
 * a hundred thousand tiny elements, a large base64 attachment, an HL7 note segment of a
 * megabyte. Each is read (or refused) and its record ends in a state; nothing hangs. The
 * test timeout is the guard; `npm run bench:hostile` measures time and peak RSS at the
 * default limit (10 MB).
 */
const dir = tempDir('nightcode-hostile-');
const LIMIT = 2_000_000;

describe('documents at 99% of their size limit end in a state, in bounded time', () => {
  test.each(hostileDocuments(LIMIT).map((d) => [d.pipeline, d.name, d] as const))('%s %s', (_pipeline, _name, doc) => {
    const r = runHostile(doc, LIMIT, dir, { fullText: true });
    expect(r.bytes).toBeGreaterThan(LIMIT * 0.98);
    expect(r.bytes).toBeLessThanOrEqual(LIMIT);
    expect(r.reconciled).toBe(true);
    expect(r.counts.input).toBe(1);
    expect(r.counts.input).toBe(r.counts.released! + r.counts.exception! + r.counts.quarantined! + r.counts.unchanged!);
  }, 60_000);
});
