import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { mappingSchema, type Mapping } from '../../src/config/schema.js';
import { NightcodeError } from '../../src/contract/errors.js';
import { stageCsvExport } from '../../src/ingest/csv/stage-csv.js';
import { StagingStore } from '../../src/ingest/staging.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir();
let n = 0;

function exportDir(files: Record<string, string | Buffer>): string {
  const dir = join(root, `export-${++n}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const MAPPING: Mapping = mappingSchema.parse({
  files: {
    encounters: { pattern: 'enc*.csv', columns: { encounterId: 'id', patientId: 'pid', serviceDate: 'dos' } },
    notes: { pattern: 'notes*.csv', columns: { encounterId: 'enc', text: 'text' }, required: false },
  },
});

async function stage(dir: string, mapping = MAPPING) {
  const store = new StagingStore(join(root, `staging-${++n}.sqlite`), { create: true });
  const report = await stageCsvExport({ dir, mapping, store });
  return { store, report };
}

describe('CSV staging', () => {
  test('BOM, CRLF and quoted multi-line notes are read, with the line each record starts on', async () => {
    const dir = exportDir({
      'enc.csv': '\uFEFFid,pid,dos\r\nE1,P1,2026-01-02\r\nE2,P2,2026-01-03\r\n',
      'notes.csv': 'enc,text\r\nE1,"line one\r\nline two, with comma\r\n""quoted"""\r\nE2,short\r\n',
    });
    const { store, report } = await stage(dir);
    expect(report.inputRecords).toBe(2);
    const [e1, e2] = store.readChunk(0, 10);
    expect([e1!.staged.encounterId, e1!.staged.line, e2!.staged.encounterId, e2!.staged.line]).toEqual(['E1', 2, 'E2', 3]);
    expect(e1!.children[0]!.row.data.text).toBe('line one\r\nline two, with comma\r\n"quoted"');
    expect(e1!.children[0]!.row.line).toBe(2);
    expect(e2!.children[0]!.row.line).toBe(5);
    store.close();
  });

  test('windows-1252 (Latin-1) exports are decoded when the mapping says so', async () => {
    const dir = exportDir({ 'enc.csv': iconv.encode('id,pid,dos\nE1,P1,2026-01-02\n', 'windows-1252'), 'notes.csv': iconv.encode('enc,text\nE1,Patient José Müller – café\n', 'windows-1252') });
    const { store } = await stage(dir, { ...MAPPING, encoding: 'windows-1252' });
    expect(store.readChunk(0, 1)[0]!.children[0]!.row.data.text).toBe('Patient José Müller – café');
    store.close();
  });

  test('a bad row is rejected with file, line and a stable code, and the rest goes on', async () => {
    const dir = exportDir({
      'enc.csv': 'id,pid,dos\nE1,P1,2026-01-02\nE2,P2,2026-01-03,extra\n,P3,2026-01-04\nE1,P9,2026-01-05\nE5,P5,2026-01-06\n',
      'notes.csv': 'enc,text\nE1,ok\nE404,orphan\nE5,\n',
    });
    const { store, report } = await stage(dir);
    expect(report.inputRecords).toBe(5);
    const chunk = store.readChunk(0, 10);
    expect(chunk.map((b) => b.staged.encounterId)).toEqual(['E1', 'E5']);
    const rejects = store.rejects().map((r) => [r.file, r.line, r.code, r.encounterId]);
    expect(rejects).toEqual(expect.arrayContaining([
      ['enc.csv', 3, 'INGEST_ROW_UNPARSEABLE', 'E2'],
      ['enc.csv', 4, 'INGEST_REQUIRED_FIELD_MISSING', undefined],
      ['enc.csv', 5, 'INGEST_DUPLICATE_KEY', 'E1'],
      ['notes.csv', 3, 'INGEST_ORPHAN_ROW', 'E404'],
      ['notes.csv', 4, 'INGEST_REQUIRED_FIELD_MISSING', 'E5'],
    ]));
    expect(rejects).toHaveLength(5);
    // Per-file reconciliation: rows read = staged + rejected.
    for (const f of report.files) expect(f.staged + f.rejected).toBe(f.rows);
    expect(chunk[1]!.rejectedChildren.map((r) => r.code)).toEqual(['INGEST_REQUIRED_FIELD_MISSING']);
    expect(chunk[0]!.rejectedChildren).toEqual([]);
    store.close();
  });

  test('child rows staged before and after their encounters\' file reach the same encounters, in order; orphans of both are rejected', async () => {
    // Files are staged in name order: a-notes.csv before enc.csv (its rows meet no encounter
    // yet and learn their position when loading ends), zdx.csv after it (its rows take their
    // encounter's position as they are staged).
    const mapping = mappingSchema.parse({
      files: {
        encounters: { pattern: 'enc*.csv', columns: { encounterId: 'id', patientId: 'pid', serviceDate: 'dos' } },
        notes: { pattern: 'a-notes*.csv', columns: { encounterId: 'enc', text: 'text' }, required: false },
        diagnoses: { pattern: 'zdx*.csv', columns: { encounterId: 'enc', code: 'code' }, required: false },
      },
    });
    const dir = exportDir({
      'a-notes.csv': 'enc,text\nE3,third\nE1,first\nE9,orphan note\nE1,first again\n',
      'enc.csv': 'id,pid,dos\nE1,P1,2026-01-02\nE2,P2,2026-01-03\nE3,P3,2026-01-04\n',
      'zdx.csv': 'enc,code\nE2,I10\nE8,E11.9\nE1,J45.909\nE3,R05\n',
    });
    const { store } = await stage(dir, mapping);
    const view = (b: ReturnType<typeof store.readChunk>[number]) => [b.staged.encounterId, b.children.map((c) => `${c.role}:${c.row.data.text ?? c.row.data.code}`)];
    // Read in two chunks, as the run does: each range brings its own encounters' rows only.
    expect([...store.readChunk(0, 1), ...store.readChunk(1, 2)].map(view)).toEqual([
      ['E1', ['notes:first', 'notes:first again', 'diagnoses:J45.909']],
      ['E2', ['diagnoses:I10']],
      ['E3', ['notes:third', 'diagnoses:R05']],
    ]);
    expect(store.rejects().map((r) => [r.file, r.line, r.code, r.encounterId])).toEqual([
      ['a-notes.csv', 4, 'INGEST_ORPHAN_ROW', 'E9'], ['zdx.csv', 3, 'INGEST_ORPHAN_ROW', 'E8'],
    ]);
    store.close();
  });

  test('missing columns fail before any work, naming every file and column', async () => {
    const dir = exportDir({ 'enc.csv': 'id,patient,dos\nE1,P1,2026-01-02\n', 'notes.csv': 'encounter,text\n' });
    const err = await stage(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NightcodeError);
    expect((err as NightcodeError).code).toBe('INPUT_COLUMNS_MISSING');
    expect((err as NightcodeError).details).toEqual([
      'enc.csv: required column "pid" (encounters.patientId) is missing',
      'notes.csv: required column "enc" (notes.encounterId) is missing',
    ]);
  });

  test('a missing export folder or encounters file is a run error', async () => {
    await expect(stage(join(root, 'nope'))).rejects.toMatchObject({ code: 'INPUT_MISSING' });
    const dir = exportDir({ 'other.csv': 'a\n1\n' });
    await expect(stage(dir)).rejects.toMatchObject({ code: 'INPUT_MISSING', message: expect.stringContaining('enc*.csv') });
  });

  test('an unclosed quote sets aside its own row only: the rows after it are read, nothing is swallowed', async () => {
    const dir = exportDir({ 'enc.csv': 'id,pid,dos\nE1,P1,2026-01-02\nE2,"P2,2026-01-03\nE3,P3,2026-01-04\nE4,P4,2026-01-05\n' });
    const { store, report } = await stage(dir);
    expect(store.readChunk(0, 10).map((b) => b.staged.encounterId)).toEqual(['E1', 'E3', 'E4']);
    const [reject] = store.rejects();
    expect(reject).toMatchObject({ file: 'enc.csv', line: 3, code: 'INGEST_UNTERMINATED_QUOTE', encounterId: 'E2' });
    expect(reject!.message).toMatch(/quote opened in column 2 is not closed on its line/);
    expect(report.files[0]).toMatchObject({ rows: 4, staged: 3, rejected: 1 });
    store.close();
  });

  test('a note may span lines inside its quotes, up to its limits; past them its row is set aside and the next lines read again', async () => {
    const mapping = mappingSchema.parse({ ...MAPPING, limits: { noteLines: 3 } });
    const dir = exportDir({
      'enc.csv': 'id,pid,dos\nE1,P1,2026-01-02\nE2,P2,2026-01-03\nE3,P3,2026-01-03\n',
      'notes.csv': 'enc,text\nE1,"two\nlines"\nE2,"never closed\nE3,third\nE3,fourth\n',
    });
    const { store, report } = await stage(dir, mapping);
    const chunk = store.readChunk(0, 10);
    expect(chunk[0]!.children.map((c) => c.row.data.text)).toEqual(['two\nlines']);
    expect(chunk[2]!.children.map((c) => [c.row.line, c.row.data.text])).toEqual([[5, 'third'], [6, 'fourth']]);
    expect(store.rejects().map((r) => [r.line, r.code])).toEqual([[4, 'INGEST_UNTERMINATED_QUOTE']]);
    expect(report.files[1]).toMatchObject({ rows: 4, staged: 3, rejected: 1 });
    store.close();
  });

  test('an LF alone in a CRLF file ends its line: the next encounter is not joined to it', async () => {
    const dir = exportDir({ 'enc.csv': 'id,pid,dos\r\nE1,P1,2026-01-02\nE2,P2,2026-01-03\r\nE3,P3,2026-01-04\r\n' });
    const { store, report } = await stage(dir);
    expect(store.readChunk(0, 10).map((b) => [b.staged.encounterId, b.staged.line])).toEqual([['E1', 2], ['E2', 3], ['E3', 4]]);
    expect(report.inputRecords).toBe(3);
    store.close();
  });

  test('invalid bytes quarantine their row; control characters are removed from notes and refused in identifiers; limits hold', async () => {
    const bad = Buffer.concat([Buffer.from('id,pid,dos\nE1,P1,2026-01-02\nE2,P'), Buffer.from([0xc3, 0x28]), Buffer.from(',2026-01-03\nE3,P3\u0000,2026-01-04\nE4,'), Buffer.from('P'.repeat(300)), Buffer.from(',2026-01-05\n')]);
    const dir = exportDir({ 'enc.csv': bad, 'notes.csv': 'enc,text\nE1,Patient den\u0000ies chest pain.\n' });
    const { store, report } = await stage(dir);
    const chunk = store.readChunk(0, 10);
    expect(chunk.map((b) => b.staged.encounterId)).toEqual(['E1']);
    expect(chunk[0]!.children[0]!.row.data.text).toBe('Patient denies chest pain.');
    expect(store.rejects().map((r) => [r.line, r.code])).toEqual([[3, 'INGEST_INVALID_ENCODING'], [4, 'INGEST_INVALID_CHARACTERS'], [5, 'INGEST_FIELD_TOO_LONG']]);
    expect(report.files[0]).toMatchObject({ rows: 4, staged: 1, rejected: 3 });
    store.close();
  });

  test('UTF-16 files (by their byte-order mark) are read, with the right line numbers', async () => {
    const text = '\uFEFFid,pid,dos\r\nE1,P1,2026-01-02\r\n\r\nE2,P2,2026-01-03\r\n';
    const dir = exportDir({ 'enc.csv': Buffer.from(text, 'utf16le') });
    const { store } = await stage(dir);
    expect(store.readChunk(0, 10).map((b) => [b.staged.encounterId, b.staged.line])).toEqual([['E1', 2], ['E2', 4]]);
    store.close();
  });
});
