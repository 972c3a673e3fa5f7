import type { Command } from 'commander';
import { NightcodeError } from '../contract/errors.js';
import { worklistCsv } from '../emit/worklist/worklist-csv.js';
import { routingFrom } from '../run/morning.js';
import { providerNamesFrom, worklistRows, type WorklistRow } from '../resolve/worklist-rows.js';
import { worklistOf } from '../resolve/worklist-summary.js';
import { dateInZone } from '../run/business-date.js';
import { openDatabase, type Db } from '../store/database.js';
import { configFrom, printJson, type CommonFlags } from './common.js';

interface WorklistFlags extends CommonFlags {
  status?: string;
  team?: string;
  payer?: string;
  owner?: string;
  code?: string;
  olderThan?: string;
  pipeline?: string;
  date?: string;
  csv?: boolean;
  json?: boolean;
}

export const WORKLIST_STATUSES = ['new', 'open', 'held'] as const;

/** A comma-separated list option, each value checked against the allowed ones (when given). */
export function listOption(name: string, value: string | undefined, allowed?: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const values = value.split(',').map((v) => v.trim()).filter(Boolean);
  const bad = allowed ? values.filter((v) => !allowed.includes(v)) : [];
  if (values.length === 0 || bad.length > 0) throw new NightcodeError('USAGE', `${name} takes ${allowed ? allowed.join(', ') : 'values'} (comma-separated), not "${value}"`);
  return values;
}

/** `--older-than N`: a whole number of days, 0 when not given. */
export function olderThanOption(value: string | undefined): number {
  const days = value === undefined ? 0 : Number(value);
  if (!Number.isInteger(days) || days < 0) throw new NightcodeError('USAGE', `--older-than takes a whole number of days, not "${value}"`);
  return days;
}

/**
 * The business date the queue's ages are counted to: the latest completed night (as the
 * night's worklist.csv and report count them), else today in the configured zone.
 */
export function queueDate(db: Db, date: string | undefined, timeZone: string): string {
  if (date) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new NightcodeError('USAGE', `--date takes YYYY-MM-DD, not "${date}"`);
    return date;
  }
  const last = (db.prepare("SELECT max(business_date) AS d FROM runs WHERE status = 'completed'").get() as { d: string | null }).d;
  return last ?? dateInZone(new Date(), timeZone);
}

export function registerWorklistCommand(program: Command): void {
  program
    .command('worklist')
    .description('the claims that need a person (held tonight or carried over), one line each, with their open findings, team and owner')
    .option('--status <list>', `${WORKLIST_STATUSES.join(', ')} (comma-separated)`)
    .option('--team <list>', 'teams (comma-separated), e.g. coding,registration')
    .option('--payer <list>', 'payer ids (comma-separated)')
    .option('--owner <name>', "one person's claims")
    .option('--code <list>', 'claims with one of these findings (comma-separated), e.g. EDIT_NPI_INVALID')
    .option('--older-than <days>', 'only claims waiting at least this many days')
    .option('--pipeline <name>', 'only claims held by runs of this pipeline')
    .option('--date <YYYY-MM-DD>', 'count ages to this date (default: the latest completed night, as its worklist.csv does)')
    .option('--csv', 'print worklist.csv (fill in the answer columns, then: nightcode resolve FILE)')
    .option('--db <file>', 'SQLite run repository')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Examples:
  nightcode worklist
  nightcode worklist --team coding --status new,open
  nightcode worklist --csv --team registration > registration.csv     # answer, then: nightcode resolve registration.csv`)
    .action((flags: WorklistFlags, cmd: Command) => {
      const statuses = listOption('--status', flags.status, WORKLIST_STATUSES);
      const teams = listOption('--team', flags.team);
      const payers = listOption('--payer', flags.payer);
      const codes = listOption('--code', flags.code);
      const olderThan = olderThanOption(flags.olderThan);
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const reportDate = queueDate(db, flags.date, config.timezone);
        const rows = worklistRows(db, { reportDate, ...(flags.pipeline ? { pipeline: flags.pipeline } : {}), routing: routingFrom(config), providerNames: providerNamesFrom(config.x12) })
          .filter((w: WorklistRow) => (!statuses || statuses.includes(w.status)) && (!teams || teams.includes(w.team)) && (!payers || payers.includes(w.payerId ?? ''))
            && (!flags.owner || w.owner === flags.owner) && (!codes || w.findings.some((f) => codes.includes(f.code))) && w.ageDays >= olderThan);
        if (flags.csv) {
          for (const line of worklistCsv(rows)) process.stdout.write(line);
          return;
        }
        // Summed in cents, as the night and status sum them.
        const held = worklistOf(rows).summary.heldCents / 100;
        if (flags.json) {
          printJson({ date: reportDate, claims: rows.length, dollars: held, rows });
          return;
        }
        const out = [`${rows.length} claim(s) need a person, $${held.toFixed(2)} held (ages to ${reportDate})`];
        for (const w of rows) {
          const lead = w.findings.find((f) => f.severity === 'error') ?? w.findings[0]!;
          const text = lead.message.length > 80 ? `${lead.message.slice(0, 79)}…` : lead.message;
          out.push(`${w.encounterId.padEnd(14)} ${w.status.padEnd(4)} ${String(w.ageDays).padStart(3)}d  ${w.amount.toFixed(2).padStart(10)}  ${(w.payerId ?? '').padEnd(8)} ${w.team.padEnd(19)} ${(w.owner ?? '-').padEnd(10)} ${w.findings.length} finding(s): ${lead.code}: ${text}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        db.close();
      }
    });
}
