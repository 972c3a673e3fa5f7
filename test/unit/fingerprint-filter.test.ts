import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FingerprintFilter } from '../../src/run/fingerprint-filter.js';
import { RunRepository, type RecordOutcome } from '../../src/run/run-repository.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

/** Fingerprints as claimFingerprint writes them: 22 characters of base64url (random bytes drawn in bulk). */
const pool = randomBytes(17 * 1_200_000);
let drawn = 0;
const fingerprint = () => pool.toString('base64url', 17 * drawn, 17 * ++drawn).slice(0, 22);

describe('FingerprintFilter', () => {
  it('holds every fingerprint added, and few others once a million are in', () => {
    const filter = new FingerprintFilter();
    const added = Array.from({ length: 1_000_000 }, fingerprint);
    for (const f of added) filter.add(f);
    expect(added.every((f) => filter.mightHave(f))).toBe(true);
    let others = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mightHave(fingerprint())) others++;
    // 1 − e^(−10^6 / 2^25) ≈ 2.9 %.
    expect(others / 100_000).toBeGreaterThan(0.02);
    expect(others / 100_000).toBeLessThan(0.04);
    expect(new FingerprintFilter().mightHave(added[0]!)).toBe(false);
  });
});

function released(seq: number, fp: string): RecordOutcome {
  return {
    seq, source: 'EHR', encounterId: `E${seq}`, contentHash: `h${seq}`, state: 'released', claimId: `C${seq}-1`, frequency: '1', confidence: 0.9,
    payload: JSON.stringify({ claimId: `C${seq}-1` }), fingerprint: fp, exceptions: [],
  } as RecordOutcome;
}

describe('RunRepository.firstReleasedTonight behind the filter', () => {
  it('answers as the database does: fingerprints stored before the filter (records, resolved claims), after it, and none', () => {
    const file = join(tempDir('nightcode-fingerprint-filter-'), 'db.sqlite');
    const db = openDatabase(file);
    const repo = new RunRepository(db);
    const earlier = repo.createRun('nightly-csv', '2026-11-26', '/in', '/out', false);
    const run = repo.createRun('nightly-csv', '2026-11-27', '/in', '/out', false);
    repo.startStep(run.id, 'process');
    const fps = Array.from({ length: 6 }, fingerprint);
    // Another night's claim with tonight's first fingerprint: not tonight's.
    repo.saveFingerprint(fps[0]!, 'EHR', 'E900', 'C900-1', earlier.id);
    // A claim a resolution released tonight (before any chunk), then a committed chunk.
    db.prepare(`INSERT INTO resolved_claims (source, encounter_id, kind, content_hash, resolution_id, payload, created_at, released_run_id, released_claim)
                VALUES ('EHR', 'E800', 'release', 'h800', 1, '{}', '2026-11-27T00:00:00Z', ?, '{}')`).run(run.id);
    repo.saveFingerprint(fps[1]!, 'EHR', 'E800', 'C800-2', run.id);
    repo.commitChunk(run.id, [released(1, fps[2]!), released(2, fps[3]!)], 2, 'test');

    // A resumed process step: a new repository filters what the run stored so far.
    const resumed = new RunRepository(db);
    const unfiltered = new RunRepository(db);
    const lookup = resumed.firstReleasedTonightLookup(run.id);
    resumed.commitChunk(run.id, [released(3, fps[4]!)], 3, 'test');
    for (const f of [...fps, fingerprint()]) {
      expect(resumed.firstReleasedTonight(run.id, f)).toEqual(unfiltered.firstReleasedTonight(run.id, f));
      expect(resumed.firstReleasedTonight(earlier.id, f)).toEqual(unfiltered.firstReleasedTonight(earlier.id, f));
    }
    expect(resumed.firstReleasedTonight(run.id, fps[0]!)).toBeUndefined();
    expect(resumed.firstReleasedTonight(earlier.id, fps[0]!)).toEqual({ claimId: 'C900-1', encounterId: 'E900' });
    expect(resumed.firstReleasedTonight(run.id, fps[1]!)).toEqual({ claimId: 'C800-2', encounterId: 'E800' });
    expect(resumed.firstReleasedTonight(run.id, fps[2]!)).toEqual({ claimId: 'C1-1', encounterId: 'E1' });
    expect(lookup(fps[4]!)).toEqual({ claimId: 'C3-1', encounterId: 'E3' });
    // Stored through this repository after the filter was made (a resolution's path too).
    resumed.saveFingerprint(fps[5]!, 'EHR', 'E801', 'C801-1', run.id);
    expect(resumed.firstReleasedTonight(run.id, fps[5]!)).toEqual({ claimId: 'C801-1', encounterId: 'E801' });
    db.close();
  });
});
