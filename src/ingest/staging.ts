import Database from 'better-sqlite3';
import { rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FileRole } from '../config/schema.js';
import { ownerOnlyFile } from '../store/private-file.js';

/**
 * The staging store of one run: every readable row of the export, joined later by
 * encounter id. Exports arrive as several files in any order, so rows are staged on
 * disk (bounded memory) and the run then walks encounters in export order, fetching
 * each one's patient, notes, diagnoses and charges by index.
 *
 * It is a separate SQLite file per run: rebuilt from the export if a crash interrupts
 * staging, deleted when the run completes, so note text does not linger.
 */
export interface StagedRow {
  file: string;
  line: number;
  data: Record<string, string>;
}

export interface StagedEncounter extends StagedRow {
  seq: number;
  encounterId: string;
  patientId: string;
}

/** One encounter with everything staged for it. */
export interface StagedBundle {
  staged: StagedEncounter;
  patient?: StagedRow;
  children: { role: FileRole; row: StagedRow }[];
  rejectedChildren: StagedReject[];
}

export interface StagedReject {
  role: FileRole;
  file: string;
  line: number;
  encounterId?: string;
  code: string;
  message: string;
}

export class StagingStore {
  readonly db: Database.Database;
  private readonly insertEncounterIfNew: Database.Statement;
  private readonly insertPatientIfNew: Database.Statement;
  private readonly insertChild: Database.Statement;
  private readonly insertReject: Database.Statement;
  private readonly findEncounter: Database.Statement;
  private readonly findPatient: Database.Statement;
  private readonly readEncountersStmt: Database.Statement;
  private readonly childrenInRange: Database.Statement;
  private readonly rejectsInRange: Database.Statement;
  private pending: (() => void)[] = [];

  constructor(readonly file: string, options: { create: boolean }) {
    if (options.create) rmSync(file, { force: true });
    ownerOnlyFile(file);
    this.db = new Database(file);
    // Staging is rebuilt from the export after a crash, so it needs no journal.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS encounters (seq INTEGER PRIMARY KEY, encounter_id TEXT NOT NULL UNIQUE, patient_id TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS patients (patient_id TEXT PRIMARY KEY, file TEXT NOT NULL, line INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS children (id INTEGER PRIMARY KEY, seq INTEGER, role TEXT NOT NULL, encounter_id TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS rejects (id INTEGER PRIMARY KEY, seq INTEGER, role TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, encounter_id TEXT, code TEXT NOT NULL, message TEXT NOT NULL);
    `);
    this.insertEncounterIfNew = this.db.prepare('INSERT OR IGNORE INTO encounters (encounter_id, patient_id, file, line, data) VALUES (?, ?, ?, ?, ?)');
    this.insertPatientIfNew = this.db.prepare('INSERT OR IGNORE INTO patients (patient_id, file, line, data) VALUES (?, ?, ?, ?)');
    // A child row takes its encounter's position as it is staged when the encounter is
    // already there (its file came first); finishLoading fills in the rest.
    this.insertChild = this.db.prepare('INSERT INTO children (seq, role, encounter_id, file, line, data) VALUES ((SELECT seq FROM encounters WHERE encounter_id = ?), ?, ?, ?, ?, ?)');
    this.insertReject = this.db.prepare('INSERT INTO rejects (role, file, line, encounter_id, code, message) VALUES (?, ?, ?, ?, ?, ?)');
    this.findEncounter = this.db.prepare('SELECT file, line FROM encounters WHERE encounter_id = ?');
    this.findPatient = this.db.prepare('SELECT file, line, data FROM patients WHERE patient_id = ?');
    this.readEncountersStmt = this.db.prepare(`
      SELECT e.seq, e.encounter_id, e.patient_id, e.file, e.line, e.data, p.file AS p_file, p.line AS p_line, p.data AS p_data
      FROM encounters e LEFT JOIN patients p ON p.patient_id = e.patient_id WHERE e.seq > ? ORDER BY e.seq LIMIT ?`);
    // A chunk's child rows (most of what a run reads) as arrays, all at once: at 100k
    // encounters 0.65 s, against 0.9-1.4 s as objects one at a time (iterate).
    this.childrenInRange = this.db.prepare('SELECT seq, role, file, line, data FROM children WHERE seq > ? AND seq <= ? ORDER BY seq, id').raw(true);
    this.rejectsInRange = this.db.prepare("SELECT seq, role, file, line, encounter_id, code, message FROM rejects WHERE seq > ? AND seq <= ? AND role <> 'encounters' ORDER BY id");
  }

  /** Queues a write; writes are flushed in one transaction per batch. */
  private queue(fn: () => void): void {
    this.pending.push(fn);
    if (this.pending.length >= 5000) this.flush();
  }

  flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.db.transaction(() => {
      for (const fn of batch) fn();
    })();
  }

  /**
   * Stages an encounter row with the child rows its own columns carry (wide layouts). A
   * second row with the same encounter id is rejected (INGEST_DUPLICATE_KEY) naming the
   * first, with its child rows; the check runs when the batch is written.
   */
  addEncounter(row: StagedRow & { encounterId: string; patientId: string }, children: readonly { role: FileRole; data: Record<string, string> }[] = []): void {
    this.addEncounterJson(row, JSON.stringify(row.data), children.map((c) => ({ role: c.role, data: JSON.stringify({ ...c.data, encounterId: row.encounterId }) })));
  }

  /** addEncounter with the row's and its child rows' data already as JSON (the CSV reader makes it as it reads). */
  addEncounterJson(row: { file: string; line: number; encounterId: string; patientId: string }, data: string, children: readonly { role: FileRole; data: string }[]): void {
    this.queue(() => {
      const inserted = this.insertEncounterIfNew.run(row.encounterId, row.patientId, row.file, row.line, data).changes;
      // The rows a wide layout carries in the encounter row go with it (not with a duplicate's first row).
      if (inserted === 1) for (const c of children) this.insertChild.run(row.encounterId, c.role, row.encounterId, row.file, row.line, c.data);
      if (inserted === 0) {
        const first = this.findEncounter.get(row.encounterId) as { file: string; line: number };
        this.insertReject.run('encounters', row.file, row.line, row.encounterId, 'INGEST_DUPLICATE_KEY',
          `encounter ${row.encounterId} appears again; first at ${first.file} line ${first.line}`);
      }
    });
  }

  /** Stages a patient row; identical repeats merge, a different row with the same id is rejected. */
  addPatient(row: StagedRow & { patientId: string }): void {
    this.addPatientJson(row, JSON.stringify(row.data));
  }

  addPatientJson(row: { file: string; line: number; patientId: string }, data: string): void {
    this.queue(() => {
      const inserted = this.insertPatientIfNew.run(row.patientId, row.file, row.line, data).changes;
      if (inserted === 0) {
        const first = this.findPatient.get(row.patientId) as { file: string; line: number; data: string };
        if (first.data !== data) {
          this.insertReject.run('patients', row.file, row.line, null, 'INGEST_DUPLICATE_KEY',
            `patient ${row.patientId} appears again with different data; first at ${first.file} line ${first.line}`);
        }
      }
    });
  }

  addChild(role: FileRole, row: StagedRow & { encounterId: string }): void {
    this.addChildJson(role, row, JSON.stringify(row.data));
  }

  addChildJson(role: FileRole, row: { file: string; line: number; encounterId: string }, data: string): void {
    this.queue(() => this.insertChild.run(row.encounterId, role, row.encounterId, row.file, row.line, data));
  }

  addReject(reject: StagedReject): void {
    this.queue(() =>
      this.insertReject.run(reject.role, reject.file, reject.line, reject.encounterId ?? null, reject.code, reject.message),
    );
  }

  /**
   * Ends loading: child rows staged before their encounter, and rejected child rows, learn
   * its position, so the run reads a whole chunk with three range queries; child rows
   * whose encounter is not in the export become rejects (nothing is dropped silently).
   * Returns the number of orphans. (Setting every child's position here rewrote every row,
   * notes included: 1.8 s of a 100k export's 6.4 s staging. Rows that took it as they were
   * staged are left alone, found through the index.)
   */
  finishLoading(): number {
    this.flush();
    let orphans = 0;
    this.db.transaction(() => {
      this.db.exec(`
        CREATE INDEX IF NOT EXISTS children_seq ON children (seq, id);
        UPDATE children SET seq = (SELECT e.seq FROM encounters e WHERE e.encounter_id = children.encounter_id) WHERE seq IS NULL;
        UPDATE rejects SET seq = (SELECT e.seq FROM encounters e WHERE e.encounter_id = rejects.encounter_id)
          WHERE role <> 'encounters' AND encounter_id IS NOT NULL;
      `);
      orphans = this.db.prepare(`
        INSERT INTO rejects (role, file, line, encounter_id, code, message)
        SELECT role, file, line, encounter_id, 'INGEST_ORPHAN_ROW', role || ' row refers to encounter ' || encounter_id || ', which is not in the export'
        FROM children WHERE seq IS NULL ORDER BY id`).run().changes;
      this.db.exec(`
        DELETE FROM children WHERE seq IS NULL;
        CREATE INDEX IF NOT EXISTS rejects_seq ON rejects (seq);
      `);
    })();
    return orphans;
  }

  /** Distinct service, admission and discharge dates as exported (unparsed). */
  distinctDates(): string[] {
    const rows = this.db.prepare(`
      SELECT json_extract(data, '$.serviceDate') AS d FROM encounters
      UNION SELECT json_extract(data, '$.admissionDate') FROM encounters
      UNION SELECT json_extract(data, '$.dischargeDate') FROM encounters`).pluck().all() as (string | null)[];
    return rows.filter((d): d is string => d !== null);
  }

  encounterCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM encounters').get() as { n: number }).n;
  }

  /**
   * The next `limit` encounters after `afterSeq`, in export order, each with its
   * patient, child rows and rejected child rows.
   */
  readChunk(afterSeq: number, limit: number): StagedBundle[] {
    const rows = this.readEncountersStmt.all(afterSeq, limit) as {
      seq: number; encounter_id: string; patient_id: string; file: string; line: number; data: string;
      p_file: string | null; p_line: number | null; p_data: string | null;
    }[];
    if (rows.length === 0) return [];
    const bySeq = new Map<number, StagedBundle>();
    const out = rows.map((r) => {
      const bundle: StagedBundle = {
        staged: { seq: r.seq, encounterId: r.encounter_id, patientId: r.patient_id, file: r.file, line: r.line, data: JSON.parse(r.data) as Record<string, string> },
        ...(r.p_data !== null ? { patient: { file: r.p_file!, line: r.p_line!, data: JSON.parse(r.p_data) as Record<string, string> } } : {}),
        children: [],
        rejectedChildren: [],
      };
      bySeq.set(r.seq, bundle);
      return bundle;
    });
    const last = rows[rows.length - 1]!.seq;
    for (const [seq, role, file, line, data] of this.childrenInRange.all(afterSeq, last) as [number, FileRole, string, number, string][]) {
      bySeq.get(seq)?.children.push({ role, row: { file, line, data: JSON.parse(data) as Record<string, string> } });
    }
    for (const r of this.rejectsInRange.iterate(afterSeq, last) as Iterable<{ seq: number; role: FileRole; file: string; line: number; encounter_id: string; code: string; message: string }>) {
      bySeq.get(r.seq)?.rejectedChildren.push({ role: r.role, file: r.file, line: r.line, encounterId: r.encounter_id, code: r.code, message: r.message });
    }
    return out;
  }

  /** Rejected rows per `role/file`. */
  rejectCounts(): Map<string, number> {
    const rows = this.db.prepare('SELECT role, file, count(*) AS n FROM rejects GROUP BY role, file').all() as { role: string; file: string; n: number }[];
    return new Map(rows.map((r) => [`${r.role}/${r.file}`, r.n]));
  }

  rejects(): StagedReject[] {
    const rows = this.db.prepare('SELECT role, file, line, encounter_id, code, message FROM rejects ORDER BY id').all() as {
      role: FileRole; file: string; line: number; encounter_id: string | null; code: string; message: string;
    }[];
    return rows.map((r) => ({ role: r.role, file: r.file, line: r.line, code: r.code, message: r.message, ...(r.encounter_id ? { encounterId: r.encounter_id } : {}) }));
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  /** Deletes a run's staging file, and its folder once no other run's file is in it. */
  static remove(file: string): void {
    rmSync(file, { force: true });
    try {
      rmdirSync(dirname(file));
    } catch {
      // Another run's staging file is still there.
    }
  }
}
