import { join } from 'node:path';
import { expect, test } from 'vitest';
import { recordTools } from '../../src/run/record-tools.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

test("a slice's lookups share one read snapshot: a commit made meanwhile shows after it, and snapshots nest", () => {
  const file = join(tempDir('nightcode-record-tools-'), 'n.db');
  const db = openDatabase(file);
  const insert = db.prepare('INSERT INTO claim_fingerprints (fingerprint, source, encounter_id, claim_id, run_id) VALUES (?, ?, ?, ?, ?)');
  insert.run('FP1', 'ehr', 'E1', 'NC1-1', 1);
  const tools = recordTools(file, 2, '2026-11-27');
  const lookup = (fp: string) => tools.billedClaims!(fp, 'ehr', 'E9', [2]);

  expect(tools.snapshot).toBeDefined();
  const seen = tools.snapshot!(() => {
    const before = lookup('FP2');
    // Another connection (the main thread committing a chunk) writes during the slice.
    insert.run('FP2', 'ehr', 'E2', 'NC2-1', 1);
    const nested = tools.snapshot!(() => lookup('FP2'));
    return { first: lookup('FP1'), before, nested, after: lookup('FP2') };
  });
  expect(seen).toEqual({ first: { claimId: 'NC1-1', encounterId: 'E1' }, before: undefined, nested: undefined, after: undefined });
  // The next slice reads a new snapshot.
  expect(lookup('FP2')).toEqual({ claimId: 'NC2-1', encounterId: 'E2' });
  // A slice that throws still ends its transaction.
  expect(() => tools.snapshot!(() => { throw new Error('record failed'); })).toThrow('record failed');
  insert.run('FP3', 'ehr', 'E3', 'NC3-1', 1);
  expect(tools.snapshot!(() => lookup('FP3'))).toEqual({ claimId: 'NC3-1', encounterId: 'E3' });
  db.close();
});
