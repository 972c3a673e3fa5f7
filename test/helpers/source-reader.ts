import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentReaderOptions, DocumentResult, SourceReader } from '../../src/ingest/documents/document-rows.js';

/** Writes the files into a fresh folder under `dir` and reads them all with a source reader. */
export async function readSource(read: SourceReader, dir: string, files: Record<string, string>, options: DocumentReaderOptions): Promise<(DocumentResult & { file: string })[]> {
  const folder = join(dir, `read-${Object.keys(files).join('-').replace(/\W/g, '')}`);
  mkdirSync(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  const out: (DocumentResult & { file: string })[] = [];
  for await (const r of read(Object.keys(files).map((name) => ({ path: join(folder, name), name })), options)) out.push(r);
  return out;
}

/** A reader's result that is a record; a rejected or ignored one fails the test, saying why. */
export function recordOf<R extends DocumentResult>(r: R | undefined): Extract<R, { ok: true }> {
  if (!r) throw new Error('no result');
  if (r.ok === false) throw new Error(`${r.code}: ${r.message}`);
  if (r.ok === 'ignored') throw new Error(`ignored: ${r.what}`);
  return r as Extract<R, { ok: true }>;
}
