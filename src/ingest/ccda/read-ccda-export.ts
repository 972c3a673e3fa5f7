import { openSpillDb } from '../documents/spill-db.js';
import type { DocumentResult, DocumentRows, RowData, SourceReader } from '../documents/document-rows.js';
import { addConflicts, valueConflict, type ValueConflict } from '../documents/value-conflicts.js';
import { readCcdaFile } from './read-ccda.js';

/**
 * A C-CDA export: the documents of one encounter (the discharge summary, H&P, progress and
 * consultation notes of one stay) are one record. Each document is read alone; its rows
 * wait in a temporary SQLite file by encounter identity (patient, encounter id and its
 * root), then each encounter's documents are merged in file order: every note, every
 * coded entry once, each keeping its document and element as provenance. A value two
 * documents give differently keeps the first and is named in `$conflicts`, which assembly
 * turns into an `INGEST_VALUE_CONFLICT` finding.
 */

function mergeData(into: RowData, from: RowData, into$: string, from$: string, conflicts: ValueConflict[]): void {
  for (const [field, value] of Object.entries(from)) {
    if (field.startsWith('$') || value === '') continue;
    const cur = into[field];
    if (cur === undefined || cur === '') {
      into[field] = value;
      if (from[`$path.${field}`]) into[`$path.${field}`] = from[`$path.${field}`]!;
    } else if (cur !== value && field !== 'encounterId' && field !== 'patientId') {
      conflicts.push(valueConflict(field, cur, value, into$, from$));
    }
  }
}

/** The key a child row is the same entry by, across documents (its data without provenance). */
function entryKey(role: string, data: RowData): string {
  if (role === 'notes') return `notes:${data.noteId ?? ''}`;
  return `${role}:${JSON.stringify(Object.entries(data).filter(([k]) => !k.startsWith('$')).sort())}`;
}

/** Merges documents of one encounter, in order: the first document's values stand. */
export function mergeDocuments(docs: { file: string; line: number; rows: DocumentRows }[]): DocumentRows {
  const first = docs[0]!;
  const encounter = { ...first.rows.encounter, data: { ...first.rows.encounter.data } };
  const patient = first.rows.patient ? { ...first.rows.patient, data: { ...first.rows.patient.data } } : undefined;
  const conflicts: ValueConflict[] = [];
  const seen = new Set<string>();
  const children: DocumentRows['children'] = [];
  for (const doc of docs) {
    if (doc !== first) {
      mergeData(encounter.data, doc.rows.encounter.data, first.file, doc.file, conflicts);
      if (patient && doc.rows.patient) mergeData(patient.data, doc.rows.patient.data, first.file, doc.file, conflicts);
    }
    for (const child of doc.rows.children) {
      const key = entryKey(child.role, child.data);
      if (seen.has(key)) continue;
      seen.add(key);
      children.push({ ...child, file: child.file ?? doc.file, line: child.line ?? doc.line });
    }
  }
  if (docs.length > 1) {
    encounter.data.$documents = docs.map((d) => d.file).join('|');
    addConflicts(encounter.data, conflicts);
  }
  return { encounter, ...(patient ? { patient } : {}), children };
}

export const readCcdaExport: SourceReader = async function* readCcdaExport(files, options) {
  const { db, dispose } = openSpillDb('nightcode-ccda-', 'CREATE TABLE doc (n INTEGER PRIMARY KEY, key TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, rows TEXT NOT NULL); CREATE TABLE enc (key TEXT PRIMARY KEY, n INTEGER NOT NULL);');
  try {
    const addDoc = db.prepare('INSERT INTO doc (key, file, line, rows) VALUES (?, ?, ?, ?)');
    const addEnc = db.prepare('INSERT OR IGNORE INTO enc (key, n) VALUES (?, ?)');
    for (const f of files) {
      for await (const r of readCcdaFile(f.path, f.name, options)) {
        if (r.ok !== true) {
          yield { ...r, file: f.name };
          continue;
        }
        const key = r.rows.encounter.encounterId;
        const n = addDoc.run(key, f.name, r.line, JSON.stringify(r.rows)).lastInsertRowid;
        addEnc.run(key, n);
      }
    }
    db.exec('CREATE INDEX doc_key ON doc (key, n)');
    const docsOf = db.prepare('SELECT file, line, rows FROM doc WHERE key = ? ORDER BY n');
    for (const { key } of db.prepare('SELECT key FROM enc ORDER BY n').iterate() as IterableIterator<{ key: string }>) {
      const docs = (docsOf.all(key) as { file: string; line: number; rows: string }[]).map((d) => ({ file: d.file, line: d.line, rows: JSON.parse(d.rows) as DocumentRows }));
      const result: DocumentResult & { file: string } = { ok: true, line: docs[0]!.line, file: docs[0]!.file, rows: mergeDocuments(docs) };
      yield result;
    }
  } finally {
    dispose();
  }
};
