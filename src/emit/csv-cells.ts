import { stringify } from 'csv-stringify/sync';

/**
 * A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start)
 * is prefixed with an apostrophe (OWASP, "CSV Injection"). Plain numbers stay numbers.
 */
export function neutralizeFormula(value: string): string {
  if (/^[=+\-@\t\r]/.test(value) && !/^[-+]?\d+(\.\d+)?$/.test(value)) return `'${value}`;
  return value;
}

export function csvLine(cells: readonly (string | number | undefined | null)[]): string {
  const row = cells.map((c) => (c === undefined || c === null ? '' : typeof c === 'number' ? String(c) : neutralizeFormula(c)));
  return stringify([row], { record_delimiter: '\r\n' });
}
