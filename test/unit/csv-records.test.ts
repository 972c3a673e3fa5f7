import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsvLineBatches, RecordSplitter, type CsvLine } from '../../src/ingest/csv/csv-records.js';

/** Lines of a text, as the line reader gives them. */
function linesOf(text: string): CsvLine[] {
  const out: CsvLine[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  let n = 1;
  for (let m = re.exec(text); m && m.index < text.length; m = re.exec(text)) {
    out.push({ text: m[1]!, eol: m[2]!, line: n++, invalid: false });
    if (m[2] === '') break;
  }
  return out;
}

function split(text: string, multiline: (c: number) => boolean = (c) => c === 1, maxFieldLines = 1000) {
  const s = new RecordSplitter({ delimiter: ',', multiline, maxFieldChars: () => 100_000, maxFieldLines });
  return [...linesOf(text).flatMap((l) => s.push(l)), ...s.end()];
}

const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', ' ', '1', 'é') }),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r\n', 'x') }),
);
const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

describe('the staging record splitter', () => {
  test('reads well-formed CSV exactly as csv-parse does (property: any cells, quoted as RFC 4180 asks, line breaks only in the text column)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.string({ unit: fc.constantFrom('E', '1', '2') }), cell, fc.string({ unit: fc.constantFrom('x', 'y', '"') })), { minLength: 1, maxLength: 20 }),
      fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        const text = rows.map(([a, b, c]) => [a, quote(b), quote(c.replace(/[\r\n]/g, ''))].join(',')).join(eol) + eol;
        const expected = parse(text, { relax_quotes: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
        const got = split(text).map((r) => r.fields);
        expect(got.filter((f) => f.join('') !== '' || f.length > 1)).toEqual(expected);
      }), { numRuns: 300, seed: 20261130 });
  });

  test('a stray quote never takes more than its own line (property: every line that was a record stays one)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.stringMatching(/^[A-Z][0-9]{1,4}$/), fc.stringMatching(/^[a-z]{1,6}$/)), { minLength: 2, maxLength: 30 }),
      fc.nat(), fc.nat(), (rows, which, where) => {
        const lines = rows.map(([a, b]) => `${a},${b},2026-01-02`);
        const k = which % lines.length;
        const at = where % (lines[k]!.length + 1);
        lines[k] = `${lines[k]!.slice(0, at)}"${lines[k]!.slice(at)}`;
        const records = split(`${lines.join('\n')}\n`, () => false);
        // Every line is exactly one record (read or set aside), in order.
        expect(records.map((r) => r.line)).toEqual(lines.map((_, i) => i + 1));
        for (const [i, r] of records.entries()) if (i !== k) expect(r.error, `line ${i + 1}`).toBeUndefined();
      }), { numRuns: 500, seed: 7 });
  });

  test('an open quote in the text column runs to its limit, then the lines after its first are records again', () => {
    const recs = split('E1,"a\nE2,b\nE3,c\n', (c) => c === 1, 2);
    expect(recs.map((r) => [r.line, r.error?.code ?? 'ok', r.fields[0]])).toEqual([[1, 'INGEST_UNTERMINATED_QUOTE', 'E1'], [2, 'ok', 'E2'], [3, 'ok', 'E3']]);
    expect(split('E1,"a\r\nb"\r\nE2,c\r\n').map((r) => [r.line, r.lastLine, r.fields[1]])).toEqual([[1, 2, 'a\r\nb'], [3, 3, 'c']]);
    // At the end of the file a record still open is an unterminated quote, and what followed its first line is read.
    expect(split('E1,"a\nE2,b').map((r) => [r.line, r.error?.code ?? 'ok'])).toEqual([[1, 'INGEST_UNTERMINATED_QUOTE'], [2, 'ok']]);
  });

  test('large inputs are read whole (the test timeout guards against quadratic work): a 1 MB quoted field, 20,000 lines behind an unclosed quote', () => {
    expect(split(`E1,"${'x'.repeat(1_000_000)}"\n`)[0]!.fields[1]).toHaveLength(1_000_000);
    const lines = Array.from({ length: 20_000 }, (_, i) => `E${i},note ${i}`).join('\n');
    expect(split(`E0,"unclosed\n${lines}\n`, (c) => c === 1, 50)).toHaveLength(20_001);
  }, 20_000);

  test('the line reader splits at every LF, CRLF and lone CR, also where a chunk of the file ends (property: its lines are the reference split)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightcode-lines-'));
    try {
      await fc.assert(fc.asyncProperty(
        fc.array(fc.tuple(fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', ' ') , maxLength: 300 }), fc.constantFrom('\n', '\r', '\r\n')), { minLength: 1, maxLength: 2000 }),
        fc.nat({ max: 3 }), fc.boolean(),
        async (rows, pad, lastEol) => {
          // A CR or CRLF placed on the 64 KiB boundary of the read stream's chunks, when the text is long enough.
          const body = rows.map(([t, eol]) => t + eol).join('');
          const text = `${'x'.repeat(65_535 - pad)}\r\n${body}${lastEol ? '' : 'tail'}`;
          const file = join(dir, 'lines.csv');
          writeFileSync(file, text, 'utf8');
          const got: CsvLine[] = [];
          for await (const lines of readCsvLineBatches(file, 'utf-8')) got.push(...lines);
          expect(got).toEqual(linesOf(text));
        }), { numRuns: 40, seed: 20261203 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
