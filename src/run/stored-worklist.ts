import { claimsNeedingWork, workOrder, type WorklistOptions, type WorklistRow } from '../resolve/worklist-rows.js';
import { addToSummary, emptySummary, type Worklist } from '../resolve/worklist-summary.js';
import type { Db } from '../store/database.js';

/**
 * A night's worklist, stored as it is read: each claim's row goes into a temporary table
 * (the connection's temp store, on disk past its cache) as it is built, its figures into the
 * summary and its sort key into a small list, so the night never holds the whole worklist.
 * The worklist file and the report's table each read the rows again, in work order.
 */
export function storedWorklist(db: Db, o: WorklistOptions): Worklist {
  // One name per connection: a night left unfinished leaves its table for the next to replace.
  const table = 'temp.nightcode_worklist';
  db.exec(`DROP TABLE IF EXISTS ${table}`);
  db.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, row TEXT NOT NULL)`);
  const insert = db.prepare(`INSERT INTO ${table} (row) VALUES (?)`);
  const summary = emptySummary();
  const keys: (Pick<WorklistRow, 'ageDays' | 'amount' | 'encounterId'> & { id: number })[] = [];
  db.transaction(() => {
    for (const w of claimsNeedingWork(db, o)) {
      addToSummary(summary, w);
      const id = Number(insert.run(JSON.stringify(w)).lastInsertRowid);
      keys.push({ id, ageDays: w.ageDays, amount: w.amount, encounterId: w.encounterId });
    }
  })();
  // Stable: claims equal on every key stay in (source, encounter) order, as worklistRows gives them.
  keys.sort(workOrder);
  const rowAt = db.prepare(`SELECT row FROM ${table} WHERE id = ?`).pluck();
  return {
    summary,
    rows: function* () {
      for (const k of keys) yield JSON.parse(rowAt.get(k.id) as string) as WorklistRow;
    },
    close: () => db.exec(`DROP TABLE IF EXISTS ${table}`),
  };
}
