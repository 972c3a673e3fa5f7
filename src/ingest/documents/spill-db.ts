import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerOnlyFile } from '../../store/private-file.js';

/**
 * A temporary SQLite file a reader spills records to while it groups them (HL7 messages by
 * visit, C-CDA documents by encounter): owner-only (it holds PHI), no journal, and removed
 * with its folder by `dispose`.
 */
export function openSpillDb(prefix: string, schema: string): { db: Database.Database; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  ownerOnlyFile(join(dir, 'spill.db'));
  const db = new Database(join(dir, 'spill.db'));
  const dispose = () => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(schema);
  } catch (err) {
    dispose();
    throw err;
  }
  return { db, dispose };
}
