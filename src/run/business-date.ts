import { NightcodeError } from '../contract/errors.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function assertIsoDate(value: string, what: string): string {
  if (!isIsoDate(value)) throw new NightcodeError('USAGE', `${what} must be a date written YYYY-MM-DD, got "${value}"`);
  return value;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of `instant` in `timeZone`, as YYYY-MM-DD (one formatter per zone: document readers call this per date). */
export function dateInZone(instant: Date, timeZone: string): string {
  let f = zoneFormats.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    zoneFormats.set(timeZone, f);
  }
  return f.format(instant);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The nightly job codes yesterday's records: the business date is the day before today, in the site's zone. */
export function defaultBusinessDate(now: Date, timeZone: string): string {
  return addDays(dateInZone(now, timeZone), -1);
}

/** Inclusive list of dates from `from` to `to`. */
export function dateRange(from: string, to: string, limit = 3660): string[] {
  if (from > to) throw new NightcodeError('USAGE', `--from ${from} is after --to ${to}`);
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    out.push(d);
    if (out.length > limit) throw new NightcodeError('USAGE', `date range ${from}..${to} is longer than ${limit} days`);
  }
  return out;
}
