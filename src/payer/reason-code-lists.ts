import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { NightcodeError } from '../contract/errors.js';
import type { Db } from '../store/database.js';

export type ReasonList = 'carc' | 'rarc';

export interface ReasonListImport {
  list: ReasonList;
  file: string;
  codes: number;
  added: number;
  updated: number;
  /** Codes the file says were stopped (deactivated), kept with their stop date. */
  stopped: number;
}

/** CARC: 1–3 digits, or a letter and digits (A1, B7, P14); RARC: one or two letters and digits (M15, MA130, N290). */
const CODE = { carc: /^[A-Z]?\d{1,3}$/, rarc: /^[A-Z]{1,2}\d{1,4}$/ } as const;

/** A date the lists print (MM/DD/YYYY, YYYY-MM-DD), as YYYY-MM-DD; undefined when empty or not a date. */
function isoDate(v: string | undefined): string | undefined {
  const s = (v ?? '').trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) return `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? s : undefined;
}

/**
 * Imports the publisher's list of claim adjustment reason codes or remittance advice remark
 * codes, as a site downloads it (X12 code lists, saved as CSV or tab-separated text): a header
 * naming a code column and a description column, and optionally start, last-modified and
 * stop dates. Descriptions that carry their dates inline ("… Start: 01/01/1995 | Stop:
 * 06/30/2007") have them read off. Every row is checked first: a file with a row that has no
 * code, a code of the wrong shape or no description changes nothing and names the line.
 */
export function importReasonCodeList(db: Db, file: string, list: ReasonList, now: Date): ReasonListImport {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes('\t') ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, relax_quotes: true, trim: true }) as string[][];
  } catch (err) {
    throw new NightcodeError('INPUT_UNREADABLE', `${file}: not a CSV or tab-separated list (${(err as Error).message})`);
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const col = (re: RegExp) => header.findIndex((h) => re.test(h));
  const codeCol = col(/\bcode\b/);
  const descCol = col(/desc/);
  if (codeCol < 0 || descCol < 0) {
    throw new NightcodeError('INPUT_COLUMNS_MISSING', `${file}: the first line must name a code column and a description column (found: ${rows[0]?.join(', ') ?? 'nothing'})`);
  }
  const startCol = col(/start|effective/);
  const stopCol = col(/stop|end|deactivat/);
  const problems: string[] = [];
  const parsed: { code: string; description: string; start?: string; stop?: string }[] = [];
  rows.slice(1).forEach((r, i) => {
    const line = i + 2;
    const code = (r[codeCol] ?? '').trim().toUpperCase();
    let description = (r[descCol] ?? '').replace(/\s+/g, ' ').trim();
    if (!code && !description) return;
    if (!CODE[list].test(code)) {
      problems.push(`line ${line}: "${code}" is not a ${list.toUpperCase()} code`);
      return;
    }
    // Dates written into the description, as the publisher's pages print them.
    const inline = (label: string) => new RegExp(`${label}:\\s*(\\d{1,2}/\\d{1,2}/\\d{4}|\\d{4}-\\d{2}-\\d{2})`, 'i').exec(description)?.[1];
    const start = isoDate(startCol >= 0 ? r[startCol] : undefined) ?? isoDate(inline('start'));
    const stop = isoDate(stopCol >= 0 ? r[stopCol] : undefined) ?? isoDate(inline('stop'));
    description = description.replace(/\s*(Start|Last Modified|Stop|Notes?):.*$/i, '').trim();
    if (!description) {
      problems.push(`line ${line}: code ${code} has no description`);
      return;
    }
    parsed.push({ code, description, ...(start ? { start } : {}), ...(stop ? { stop } : {}) });
  });
  if (problems.length > 0) throw new NightcodeError('INPUT_UNREADABLE', `${file}: ${problems.length} row(s) cannot be read; nothing was imported`, { details: problems.slice(0, 50) });
  if (parsed.length === 0) throw new NightcodeError('INPUT_UNREADABLE', `${file}: no codes in the file`);
  const exists = db.prepare('SELECT 1 FROM payer_reason_codes WHERE list = ? AND code = ?');
  const upsert = db.prepare(`INSERT INTO payer_reason_codes (list, code, description, start_date, stop_date, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                             ON CONFLICT (list, code) DO UPDATE SET description = excluded.description, start_date = excluded.start_date, stop_date = excluded.stop_date,
                               source = excluded.source, imported_at = excluded.imported_at`);
  const out: ReasonListImport = { list, file, codes: parsed.length, added: 0, updated: 0, stopped: 0 };
  db.transaction(() => {
    for (const p of parsed) {
      if (exists.get(list, p.code)) out.updated++;
      else out.added++;
      if (p.stop) out.stopped++;
      upsert.run(list, p.code, p.description, p.start ?? null, p.stop ?? null, basename(file), now.toISOString());
    }
  }).immediate();
  return out;
}

/** The imported lists, for the codes the team's short list has no words for. */
export function reasonCodeLookup(db: Db): (list: ReasonList, code: string) => { description: string; stop?: string } | undefined {
  const q = db.prepare('SELECT description, stop_date FROM payer_reason_codes WHERE list = ? AND code = ?');
  return (list, code) => {
    const r = q.get(list, code) as { description: string; stop_date: string | null } | undefined;
    return r ? { description: r.description, ...(r.stop_date ? { stop: r.stop_date } : {}) } : undefined;
  };
}
