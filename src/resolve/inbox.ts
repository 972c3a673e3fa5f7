import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NightcodeError } from '../contract/errors.js';
import type { Db } from '../store/database.js';
import { applyResolutions } from './apply-resolutions.js';
import { NO_ROUTING, type TeamRouting } from './claim-work.js';
import type { RecodeEditOptions } from './recode-edits.js';
import { readResolutionsFile } from './resolutions-file.js';

export interface InboxFileResult {
  file: string;
  status: 'applied' | 'already-applied' | 'refused';
  applied: number;
  toRelease: number;
  toVoid: number;
  held: number;
  /** Why a refused file was not applied, line by line. */
  problems: string[];
}

/**
 * Applies every resolutions CSV in the inbox folder that has not been applied yet, in
 * name order. A file is applied whole or not at all: a refused one is reported with its
 * problems and left where it is, for staff to fix; the run goes on without it.
 */
export function applyInbox(db: Db, dir: string, now: () => Date, edits: RecodeEditOptions, routing: TeamRouting = NO_ROUTING): InboxFileResult[] {
  if (!existsSync(dir)) return [];
  const applied = db.prepare('SELECT 1 FROM resolutions WHERE file_sha256 = ? LIMIT 1');
  const out: InboxFileResult[] = [];
  for (const name of readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv')).sort()) {
    const file = join(dir, name);
    const empty = { file, applied: 0, toRelease: 0, toVoid: 0, held: 0, problems: [] as string[] };
    try {
      const read = readResolutionsFile(file);
      if (read.problems.length === 0 && read.rows.length > 0 && applied.get(read.sha256)) {
        out.push({ ...empty, status: 'already-applied' });
        continue;
      }
      const r = applyResolutions(db, read, now, edits, routing);
      out.push({ ...empty, status: r.applied === 0 && r.alreadyApplied > 0 ? 'already-applied' : 'applied', applied: r.applied, toRelease: r.toRelease, toVoid: r.toVoid, held: r.held });
    } catch (err) {
      if (!(err instanceof NightcodeError)) throw err;
      out.push({ ...empty, status: 'refused', problems: err.details.length > 0 ? err.details : [err.message] });
    }
  }
  return out;
}
