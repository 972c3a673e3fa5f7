import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { NightcodeError } from '../contract/errors.js';
import { detectFormat } from './detect-format.js';

/** A release file to import, and the name to report it by ("codes.zip!icd10cm_order_2026.txt"). */
export interface ReleaseFile {
  path: string;
  name: string;
}

function isZip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    return readSync(fd, buf, 0, 4, 0) === 4 && buf.readUInt32LE(0) === 0x04034b50; // "PK\x03\x04"
  } finally {
    closeSync(fd);
  }
}

/**
 * Official releases are downloaded as zip archives (codes, order file, PDFs and XSDs
 * together). Archives are read in-process (fflate) into a private temporary folder;
 * the release files inside are imported and everything else is skipped. A named file
 * that is not an archive is passed through as it is.
 */
export function expandArchives(paths: string[]): { files: ReleaseFile[]; skipped: string[]; cleanup: () => void } {
  const temp: string[] = [];
  const files: ReleaseFile[] = [];
  const skipped: string[] = [];
  const visit = (path: string, name: string, depth: number) => {
    let zip = false;
    try {
      zip = isZip(path);
    } catch {
      files.push({ path, name }); // unreadable: the importer reports it
      return;
    }
    if (!zip) {
      files.push({ path, name });
      return;
    }
    // Spreadsheets and documents are zip files too (the xlsx copies of release files): not releases.
    if (depth > 0 && /\.(?:xlsx|xlsm|docx|pptx|odt|ods)$/i.test(name)) {
      skipped.push(name);
      return;
    }
    if (depth > 2) throw new NightcodeError('INPUT_UNREADABLE', `${name}: archives nested more than two deep`);
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(readFileSync(path));
    } catch (err) {
      throw new NightcodeError('INPUT_UNREADABLE', `${name}: not a readable zip archive (${(err as Error).message}); truncated download?`, { cause: err });
    }
    const dir = mkdtempSync(join(tmpdir(), 'nightcode-release-'));
    temp.push(dir);
    let found = 0;
    for (const [entry, data] of Object.entries(entries)) {
      if (entry.endsWith('/') || data.length === 0) continue;
      const out = join(dir, String(found++).padStart(4, '0'));
      mkdirSync(out);
      const file = join(out, basename(entry));
      writeFileSync(file, data, { mode: 0o600 });
      const inner = `${name}!${entry}`;
      if (isZip(file)) visit(file, inner, depth + 1);
      else if (detectFormat(file)) files.push({ path: file, name: inner });
      else skipped.push(inner);
    }
    if (depth === 0 && !files.some((f) => f.name.startsWith(`${name}!`))) {
      throw new NightcodeError('INPUT_UNREADABLE', `${name}: the archive holds no recognized release file (${skipped.filter((s) => s.startsWith(name)).slice(0, 5).join(', ') || 'empty'})`);
    }
  };
  for (const p of paths) visit(p, basename(p), 0);
  return { files, skipped, cleanup: () => temp.forEach((d) => rmSync(d, { recursive: true, force: true })) };
}
