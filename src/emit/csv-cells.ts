/**
 * A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start)
 * is prefixed with an apostrophe (OWASP, "CSV Injection"). Plain numbers stay numbers.
 */
export function neutralizeFormula(value: string): string {
  if (/^[=+\-@\t\r]/.test(value) && !/^[-+]?\d+(\.\d+)?$/.test(value)) return `'${value}`;
  return value;
}

/** UTF-8 byte-order mark: spreadsheet programs then read accented names as UTF-8, not the system code page. */
export const CSV_BOM = '\uFEFF';

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One RFC 4180 record ending in CRLF: fields with a comma, quote or line break are
 * quoted, quotes doubled. (Written here rather than with csv-stringify: its sync API
 * builds a stringifier per call, which dominated writing large claim files.)
 */
export function csvLine(cells: readonly (string | number | undefined | null)[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    let v = c === undefined || c === null ? '' : typeof c === 'number' ? String(c) : neutralizeFormula(c);
    if (NEEDS_QUOTES.test(v)) v = `"${v.replaceAll('"', '""')}"`;
    line += i === 0 ? v : `,${v}`;
  }
  return `${line}\r\n`;
}
