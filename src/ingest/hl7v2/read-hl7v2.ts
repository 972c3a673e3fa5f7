import { readFile, stat } from 'node:fs/promises';
import { openSpillDb } from '../documents/spill-db.js';
import type { DocumentResult, SourceReader } from '../documents/document-rows.js';
import { decodeDocumentBytes } from '../documents/decode.js';
import { BILLING_ROLES, eventOf, identityOf, roleOf } from './hl7-events.js';
import { Hl7SyntaxError, iterateMessages, splitMessages, type Hl7Message } from './hl7-message.js';
import { addMessage, visitRows, type Visit } from './hl7-visit.js';

/**
 * HL7 v2.x files into canonical rows, one record per visit (messages spilled to SQLite by
 * visit, so memory holds one visit at a time). A visit is one patient's visit number (see
 * `identityOf`); its messages are merged across files in file order. What each message
 * does is its role (`hl7-events.ts`): a visit is a record of the night when a message bills
 * it (a discharge, charges) or cancels it; its other messages (notes, results, updates) add
 * to it. Messages of other types, and visits with nothing to bill, are counted as ignored.
 * A message with lines that are not its segments quarantines its visit, once.
 */

async function readText(path: string, name: string, maxBytes: number): Promise<string | DocumentResult> {
  const size = (await stat(path)).size;
  if (size > maxBytes) return { ok: false, line: 1, code: 'INGEST_DOCUMENT_TOO_LARGE', message: `${name}: ${size} bytes, over the ${maxBytes}-byte document limit` };
  const bytes = await readFile(path);
  // HL7 v2 declares its character set in MSH-18; UTF-8 and ASCII files are the norm here.
  const text = decodeDocumentBytes(bytes);
  if (typeof text !== 'string') return { ok: false, line: 1, code: 'INGEST_DOCUMENT_ENCODING', message: `${name}: ${text.error}` };
  return text;
}

interface VisitRow { key: string; encounter_id: string; file: string; line: number; billed: number; cancelled: number; broken: string | null }

/**
 * Messages wait in a temporary SQLite file by visit until every file is read (a visit's
 * messages may be in any file), then each visit is merged and yielded on its own: memory
 * holds one file's text and one visit, not the export.
 */
export const readHl7Export: SourceReader = async function* readHl7Export(files, options) {
  const { db, dispose } = openSpillDb('nightcode-hl7-', `CREATE TABLE msg (n INTEGER PRIMARY KEY, visit TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, event TEXT NOT NULL, role TEXT NOT NULL, raw TEXT NOT NULL, lines TEXT NOT NULL);
    CREATE TABLE visit (key TEXT PRIMARY KEY, n INTEGER NOT NULL, encounter_id TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,
      billed INTEGER NOT NULL DEFAULT 0, cancelled INTEGER NOT NULL DEFAULT 0, broken TEXT);`);
  try {
    const addMsg = db.prepare('INSERT INTO msg (visit, file, line, event, role, raw, lines) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const addVisit = db.prepare('INSERT OR IGNORE INTO visit (key, n, encounter_id, file, line) VALUES (?, ?, ?, ?, ?)');
    const markBilled = db.prepare('UPDATE visit SET billed = 1 WHERE key = ?');
    const markCancelled = db.prepare('UPDATE visit SET cancelled = 1 WHERE key = ?');
    const markBroken = db.prepare('UPDATE visit SET broken = coalesce(broken, ?) WHERE key = ?');
    const events = options.hl7Events ?? {};
    for (const f of files) {
      const text = await readText(f.path, f.name, options.maxBytes);
      if (typeof text !== 'string') {
        yield { ...text, file: f.name };
        continue;
      }
      const out: (DocumentResult & { file: string })[] = [];
      let seen = 0;
      let batch: Hl7Message[] = [];
      const store = () => db.transaction(() => {
        for (const m of batch) {
          const event = eventOf(m);
          const role = roleOf(event, events);
          // A message of a type billing ignores is ignored whole, even damaged; one whose type
          // (MSH-9) is missing may be anything, so it is never ignored: it is malformed.
          if (role === 'ignore' && event) {
            out.push({ ok: 'ignored', line: m.line, what: event, file: f.name });
            continue;
          }
          if (!event) (m.errors ??= []).unshift(new Hl7SyntaxError('the message has no type (MSH-9)', m.line));
          const what = event || 'untyped';
          const broken = m.errors ? `${f.name} line ${m.errors[0]!.line}: ${m.errors[0]!.message}${m.errors.length > 1 ? ` (and ${m.errors.length - 1} more line(s))` : ''}, in the ${what} message at line ${m.line}` : undefined;
          const id = identityOf(m);
          if (!id) {
            out.push(broken
              ? { ok: false, line: m.line, code: 'INGEST_DOCUMENT_MALFORMED', message: broken, file: f.name }
              : { ok: false, line: m.line, code: 'INGEST_REQUIRED_FIELD_MISSING', message: `${f.name} line ${m.line}: ${what} message has no visit number (PV1-19), account (PID-18) or control id (MSH-10)`, file: f.name });
            continue;
          }
          const n = addMsg.run(id.key, f.name, m.line, event, role, m.raw.join('\r'), JSON.stringify(m.segments.map((s) => s.line))).lastInsertRowid;
          addVisit.run(id.key, n, id.encounterId, f.name, m.line);
          // Billing and cancelling follow message order: the last of them decides.
          if (BILLING_ROLES.has(role)) markBilled.run(id.key);
          if (broken) markBroken.run(broken, id.key);
          if (role === 'cancel') markCancelled.run(id.key);
        }
        batch = [];
      })();
      for (const item of iterateMessages(text)) {
        seen++;
        if (item instanceof Hl7SyntaxError) {
          out.push({ ok: false, line: item.line, code: 'INGEST_DOCUMENT_MALFORMED', message: `${f.name} line ${item.line}: ${item.message}`, file: f.name });
          continue;
        }
        batch.push(item);
        if (batch.length >= 1000) store();
      }
      store();
      if (seen === 0) out.push({ ok: false, line: 1, code: 'INGEST_DOCUMENT_NOT_RECOGNIZED', message: `${f.name}: no HL7 message (no MSH segment)`, file: f.name });
      yield* out;
    }
    db.exec('CREATE INDEX msg_visit ON msg (visit, n)');
    const messagesOf = db.prepare('SELECT file, line, event, role, raw, lines FROM msg WHERE visit = ? ORDER BY n');
    for (const row of db.prepare('SELECT key, encounter_id, file, line, billed, cancelled, broken FROM visit ORDER BY n').iterate() as IterableIterator<VisitRow>) {
      if (row.broken) {
        yield { ok: false, line: row.line, code: 'INGEST_DOCUMENT_MALFORMED', message: `visit ${row.encounter_id}: ${row.broken}`, encounterId: row.encounter_id, file: row.file };
        continue;
      }
      if (!row.billed && !row.cancelled) {
        yield { ok: 'ignored', line: row.line, what: 'visit with no billing message (ADT^A03, DFT)', file: row.file };
        continue;
      }
      const v: Visit = { encounterId: row.encounter_id, file: row.file, line: row.line, encounter: { $canonical: '1', $path: `${row.file} line ${row.line}: MSH` }, patient: {}, children: [], seen: new Set() };
      for (const m of messagesOf.all(row.key) as { file: string; line: number; event: string; role: string; raw: string; lines: string }[]) {
        const parsed = splitMessages(m.raw).messages[0];
        if (!parsed) continue;
        // Lines as in the original file.
        const lines = JSON.parse(m.lines) as number[];
        parsed.segments.forEach((seg, i) => (seg.line = lines[i] ?? m.line));
        parsed.line = m.line;
        addMessage(v, parsed, m.file, options.timeZone);
        // The last billing or cancel message decides whether the visit stands.
        if (m.role === 'cancel') v.cancelled = { event: m.event, path: `${m.file} line ${m.line}: MSH-9` };
        else if (m.role === 'bill' || m.role === 'charges') delete v.cancelled;
      }
      const patientId = identityPatient(row.key);
      if (!patientId) {
        yield { ok: false, line: v.line, code: 'INGEST_REQUIRED_FIELD_MISSING', message: `${v.file} line ${v.line}: visit ${v.encounterId} has no patient identifier (PID-3)`, encounterId: v.encounterId, file: v.file };
        continue;
      }
      yield { ok: true, line: v.line, file: v.file, rows: visitRows({ ...v, patientId }) };
    }
  } finally {
    dispose();
  }
};

/** The patient id of a visit key (its last element). */
function identityPatient(key: string): string | undefined {
  const parts = JSON.parse(key) as string[];
  return parts[3] || undefined;
}
