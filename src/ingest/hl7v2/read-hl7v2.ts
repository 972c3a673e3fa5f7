import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { ownerOnlyFile } from '../../store/private-file.js';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentResult, DocumentRows, RowData, SourceReader } from '../documents/document-rows.js';
import { decodeDocumentBytes, hl7Date } from '../documents/decode.js';
import { field, Hl7SyntaxError, iterateMessages, splitMessages, type Hl7Delimiters, type Hl7Message, type Hl7Segment } from './hl7-message.js';

/**
 * HL7 v2.x files into canonical rows, one record per visit (messages spilled to SQLite by
 * visit, so memory holds one visit at a time): ADT^A03 (discharge: PID, PV1,
 * PV2, DG1, PR1, IN1, GT1), DFT^P03 (FT1 charges), MDM^T02 (TXA + OBX note text) and
 * ORU^R01 (OBR + OBX results) of one visit are merged, across files, by visit number
 * (PV1-19, else PID-18 account number, else the message control id MSH-10). Field
 * numbers from HL7 v2.5.1 Chapters 3 (ADT), 6 (financial), 7 (observations), 9 (documents).
 */

/** HL7 table 0396 coding systems → ours. */
const CODING_SYSTEMS: Record<string, string> = {
  I10: 'ICD-10-CM', I10C: 'ICD-10-CM', ICD10CM: 'ICD-10-CM', 'ICD-10-CM': 'ICD-10-CM',
  I10P: 'ICD-10-PCS', ICD10PCS: 'ICD-10-PCS',
  C4: 'CPT', CPT: 'CPT', CPT4: 'CPT', HCPCS: 'HCPCS', HCPC: 'HCPCS',
  SCT: 'SNOMED-CT', SNM: 'SNOMED-CT', LN: 'LOINC',
};
/** HL7 table 0001 administrative sex → ours. */
const SEX: Record<string, string> = { M: 'M', F: 'F', U: 'U', O: 'U', A: 'U', N: 'U' };
/** HL7 table 0063 relationship → X12 individual relationship code (1069). */
const RELATIONSHIP: Record<string, string> = { SEL: '18', SPO: '01', CHD: '19', EME: '20', OTH: 'G8' };
/** Inpatient classes billed on an institutional claim (HL7 table 0004). */
const INPATIENT = new Set(['I']);
const TEXT_TYPES = new Set(['TX', 'FT', 'ST', 'ED']);

interface Visit {
  key: string;
  file: string;
  line: number;
  encounter: RowData;
  patient: RowData;
  patientId?: string;
  children: DocumentRows['children'];
  seen: Set<string>;
}

const codeSystemOf = (name: string, fallback?: string) => CODING_SYSTEMS[name.toUpperCase()] ?? fallback;

/** An XCN (person with id) as an NPI when its assigning authority or id type says so, or when it looks like one. */
function npiOf(f: ReturnType<typeof field>): string | undefined {
  const id = f.component(1);
  const authority = `${f.component(9)} ${f.component(13)}`.toUpperCase();
  return /^\d{10}$/.test(id) && (authority.includes('NPI') || authority.trim() === '') ? id : undefined;
}

function visitKeyOf(m: Hl7Message): string | undefined {
  const d = m.delimiters;
  const pv1 = m.segments.find((s) => s.id === 'PV1');
  const pid = m.segments.find((s) => s.id === 'PID');
  const msh = m.segments[0]!;
  return field(pv1, 19, d).component(1) || field(pid, 18, d).component(1) || field(msh, 10, d).component(1) || undefined;
}

function where(file: string, seg: Hl7Segment, n?: number): string {
  return `${file} line ${seg.line}: ${seg.id}${n === undefined ? '' : `-${n}`}`;
}

/** Adds one message's segments to its visit. */
function addMessage(v: Visit, m: Hl7Message, file: string): void {
  const d: Hl7Delimiters = m.delimiters;
  const msh = m.segments[0]!;
  const set = (rows: RowData, name: string, value: string | undefined, seg: Hl7Segment, n: number) => {
    if (!value) return;
    rows[name] = value;
    rows[`$path.${name}`] = where(file, seg, n);
  };
  const messageDate = hl7Date(field(msh, 7, d).component(1));
  if (messageDate && !v.encounter.serviceDate) set(v.encounter, 'serviceDate', messageDate, msh, 7);
  let noteLines: string[] = [];
  let noteId: string | undefined;
  let noteType = 'note';
  let noteSeg: Hl7Segment | undefined;
  const flushNote = () => {
    const text = noteLines.join('\n').trim();
    if (text && noteSeg) {
      const id = noteId ?? `${v.key}-${file}-${noteSeg.line}`;
      if (!v.seen.has(`note:${id}`)) {
        v.seen.add(`note:${id}`);
        v.children.push({ role: 'notes', data: { encounterId: v.key, noteId: id, noteType, text, $path: where(file, noteSeg) }, file, line: noteSeg.line });
      }
    }
    noteLines = [];
    noteId = undefined;
    noteSeg = undefined;
  };
  for (const seg of m.segments) {
    const f = (n: number) => field(seg, n, d);
    switch (seg.id) {
      case 'PID': {
        const id = f(3).component(1);
        if (id) v.patientId = id;
        set(v.patient, 'lastName', f(5).component(1), seg, 5);
        set(v.patient, 'firstName', f(5).component(2), seg, 5);
        set(v.patient, 'birthDate', hl7Date(f(7).component(1)), seg, 7);
        set(v.patient, 'sex', SEX[f(8).component(1).toUpperCase()], seg, 8);
        set(v.patient, 'addressLine1', f(11).component(1), seg, 11);
        set(v.patient, 'city', f(11).component(3), seg, 11);
        set(v.patient, 'state', f(11).component(4), seg, 11);
        set(v.patient, 'zip', f(11).component(5), seg, 11);
        break;
      }
      case 'PV1': {
        const cls = f(2).component(1).toUpperCase();
        if (INPATIENT.has(cls)) set(v.encounter, 'kind', 'institutional', seg, 2);
        else if (cls) set(v.encounter, 'kind', 'professional', seg, 2);
        set(v.encounter, 'attendingNpi', npiOf(f(7)), seg, 7);
        set(v.encounter, 'renderingNpi', npiOf(f(7)), seg, 7);
        const admit = hl7Date(f(44).component(1));
        const discharge = hl7Date(f(45).component(1));
        if (admit) {
          set(v.encounter, 'serviceDate', admit, seg, 44);
          if (INPATIENT.has(cls)) set(v.encounter, 'admissionDate', admit, seg, 44);
        }
        if (discharge && INPATIENT.has(cls)) set(v.encounter, 'dischargeDate', discharge, seg, 45);
        break;
      }
      case 'PV2': {
        const reason = f(3).component(2) || f(3).component(1);
        if (reason && !v.seen.has('note:admit-reason')) {
          v.seen.add('note:admit-reason');
          v.children.push({ role: 'notes', data: { encounterId: v.key, noteId: `${v.key}-admit-reason`, noteType: 'admit reason', text: `Reason for Admission: ${reason}`, $path: where(file, seg, 3) }, file, line: seg.line });
        }
        break;
      }
      case 'DG1': {
        const code = f(3).component(1);
        const system = codeSystemOf(f(3).component(3) || f(2).component(1), 'ICD-10-CM');
        if (!code || !system || v.seen.has(`dx:${system}:${code}`)) break;
        v.seen.add(`dx:${system}:${code}`);
        const description = f(3).component(2) || f(4).component(1);
        v.children.push({ role: 'diagnoses', data: {
          encounterId: v.key, code, codeSystem: system, ...(description ? { description } : {}),
          ...(f(1).component(1) ? { sequence: f(1).component(1) } : {}), $path: where(file, seg, 3),
        }, file, line: seg.line });
        break;
      }
      case 'PR1': {
        const code = f(3).component(1);
        const system = codeSystemOf(f(3).component(3) || f(2).component(1));
        if (!code || !system || v.seen.has(`px:${system}:${code}`)) break;
        v.seen.add(`px:${system}:${code}`);
        const date = hl7Date(f(5).component(1));
        if (system === 'CPT' || system === 'HCPCS') {
          // A procedure without a charge: billed only once a charge (FT1) says what it cost.
          v.children.push({ role: 'charges', data: { encounterId: v.key, code, codeSystem: system, ...(date ? { serviceDate: date } : {}), $path: where(file, seg, 3) }, file, line: seg.line });
        } else {
          // Inpatient ICD-10-PCS procedures are coded data, not service lines.
          v.children.push({ role: 'diagnoses', data: { encounterId: v.key, code, codeSystem: system, ...(f(3).component(2) ? { description: f(3).component(2) } : {}), $path: where(file, seg, 3) }, file, line: seg.line });
        }
        break;
      }
      case 'IN1': {
        if (v.patient.payerId && f(1).component(1) !== '1') break; // the primary plan
        set(v.patient, 'payerId', f(3).component(1), seg, 3);
        set(v.patient, 'payerName', f(4).component(1), seg, 4);
        set(v.patient, 'memberId', f(36).component(1) || f(49).component(1), seg, 36);
        set(v.patient, 'relationship', RELATIONSHIP[f(17).component(1).toUpperCase()], seg, 17);
        break;
      }
      case 'FT1': {
        const code = f(25).component(1) || f(7).component(1);
        const system = codeSystemOf(f(25).component(3) || f(7).component(3), /^[A-Z]/i.test(code) ? 'HCPCS' : 'CPT');
        const charge = f(11).component(1) || f(12).component(1);
        const key = `ft1:${f(2).component(1) || seg.line}:${file}`;
        if (!code || v.seen.has(key)) break;
        v.seen.add(key);
        const date = hl7Date(f(4).component(1));
        const modifiers = f(26).repetitions().map((r) => r.component(1)).filter(Boolean).join('|');
        v.children.push({ role: 'charges', data: {
          encounterId: v.key, code, ...(system ? { codeSystem: system } : {}), ...(charge ? { charge } : {}),
          ...(f(10).component(1) ? { units: f(10).component(1) } : {}), ...(date ? { serviceDate: date } : {}),
          ...(modifiers ? { modifiers } : {}), $path: where(file, seg, 25),
        }, file, line: seg.line });
        break;
      }
      case 'TXA':
        flushNote();
        noteId = f(12).component(1) || undefined;
        noteType = f(2).component(2) || f(2).component(1) || 'note';
        noteSeg = seg;
        break;
      case 'OBR':
        flushNote();
        noteType = f(4).component(2) || f(4).component(1) || 'result';
        noteSeg = seg;
        break;
      case 'OBX': {
        noteSeg ??= seg;
        const type = f(2).component(1).toUpperCase();
        // Multi-line text: each OBX-5 repetition is a line, \.br\ breaks lines inside one.
        if (TEXT_TYPES.has(type)) noteLines.push(f(5).text());
        else {
          const name = f(3).component(2) || f(3).component(1);
          const units = f(6).component(1);
          if (name) noteLines.push(`${name}: ${f(5).component(1)}${units ? ` ${units}` : ''}`);
          // Coded results keep their code (LOINC …) and value as structured data too.
          const system = codeSystemOf(f(3).component(3));
          if (f(3).component(1) && system) {
            v.children.push({ role: 'observations', data: {
              encounterId: v.key, code: f(3).component(1), codeSystem: system, ...(name ? { description: name } : {}),
              ...(f(5).component(1) ? { value: f(5).component(1) } : {}), ...(units ? { unit: units } : {}), $path: where(file, seg, 3),
            }, file, line: seg.line });
          }
        }
        break;
      }
      case 'GT1':
      default:
        break;
    }
  }
  flushNote();
}

async function readText(path: string, name: string, maxBytes: number): Promise<string | DocumentResult> {
  const size = (await stat(path)).size;
  if (size > maxBytes) return { ok: false, line: 1, code: 'INGEST_DOCUMENT_TOO_LARGE', message: `${name}: ${size} bytes, over the ${maxBytes}-byte document limit` };
  const bytes = await readFile(path);
  // HL7 v2 declares its character set in MSH-18; UTF-8 and ASCII files are the norm here.
  const text = decodeDocumentBytes(bytes);
  if (typeof text !== 'string') return { ok: false, line: 1, code: 'INGEST_DOCUMENT_ENCODING', message: `${name}: ${text.error}` };
  return text;
}

/**
 * Messages wait in a temporary SQLite file by visit until every file is read (a visit's
 * messages may be in any file), then each visit is merged and yielded on its own: memory
 * holds one file's text and one visit, not the export.
 */
export const readHl7Export: SourceReader = async function* readHl7Export(files, options) {
  const dir = mkdtempSync(join(tmpdir(), 'nightcode-hl7-'));
  ownerOnlyFile(join(dir, 'messages.db'));
  const db = new Database(join(dir, 'messages.db'));
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec('CREATE TABLE msg (n INTEGER PRIMARY KEY, visit TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, raw TEXT NOT NULL, lines TEXT NOT NULL); CREATE TABLE visit (key TEXT PRIMARY KEY, n INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL);');
    const addMsg = db.prepare('INSERT INTO msg (visit, file, line, raw, lines) VALUES (?, ?, ?, ?, ?)');
    const addVisit = db.prepare('INSERT OR IGNORE INTO visit (key, n, file, line) VALUES (?, ?, ?, ?)');
    for (const f of files) {
      const text = await readText(f.path, f.name, options.maxBytes);
      if (typeof text !== 'string') {
        yield { ...text, file: f.name };
        continue;
      }
      const rejects: (DocumentResult & { file: string })[] = [];
      let seen = 0;
      let batch: Hl7Message[] = [];
      const store = () => db.transaction(() => {
        for (const m of batch) {
          const key = visitKeyOf(m);
          if (!key) {
            rejects.push({ ok: false, line: m.line, code: 'INGEST_REQUIRED_FIELD_MISSING', message: `${f.name} line ${m.line}: message has no visit number (PV1-19), account (PID-18) or control id (MSH-10)`, file: f.name });
            continue;
          }
          // Each segment's line in its file is kept, to point findings at it after re-reading.
          const n = addMsg.run(key, f.name, m.line, m.raw.join('\r'), JSON.stringify(m.segments.map((s) => s.line))).lastInsertRowid;
          addVisit.run(key, n, f.name, m.line);
        }
        batch = [];
      })();
      for (const item of iterateMessages(text)) {
        seen++;
        if (item instanceof Hl7SyntaxError) {
          rejects.push({ ok: false, line: item.line, code: 'INGEST_DOCUMENT_MALFORMED', message: `${f.name} line ${item.line}: ${item.message}`, file: f.name });
          continue;
        }
        batch.push(item);
        if (batch.length >= 1000) store();
      }
      store();
      if (seen === 0) rejects.push({ ok: false, line: 1, code: 'INGEST_DOCUMENT_NOT_RECOGNIZED', message: `${f.name}: no HL7 message (no MSH segment)`, file: f.name });
      yield* rejects;
    }
    db.exec('CREATE INDEX msg_visit ON msg (visit, n)');
    const messagesOf = db.prepare('SELECT file, line, raw, lines FROM msg WHERE visit = ? ORDER BY n');
    for (const row of db.prepare('SELECT key, file, line FROM visit ORDER BY n').iterate() as IterableIterator<{ key: string; file: string; line: number }>) {
      const v: Visit = { key: row.key, file: row.file, line: row.line, encounter: { $canonical: '1', $path: `${row.file} line ${row.line}: MSH` }, patient: {}, children: [], seen: new Set() };
      for (const m of messagesOf.all(row.key) as { file: string; line: number; raw: string; lines: string }[]) {
        const parsed = splitMessages(m.raw).messages[0];
        if (!parsed) continue;
        // Lines as in the original file.
        const lines = JSON.parse(m.lines) as number[];
        parsed.segments.forEach((seg, i) => (seg.line = lines[i] ?? m.line));
        parsed.line = m.line;
        addMessage(v, parsed, m.file);
      }
      if (!v.patientId) {
        yield { ok: false, line: v.line, code: 'INGEST_REQUIRED_FIELD_MISSING', message: `${v.file} line ${v.line}: visit ${v.key} has no patient identifier (PID-3)`, encounterId: v.key, file: v.file };
        continue;
      }
      yield {
        ok: true, line: v.line, file: v.file,
        rows: { encounter: { encounterId: v.key, patientId: v.patientId, data: { ...v.encounter, encounterId: v.key, patientId: v.patientId } }, patient: { patientId: v.patientId, data: v.patient }, children: v.children },
      };
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
