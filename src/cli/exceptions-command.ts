import type { Command } from 'commander';
import { NightcodeError } from '../contract/errors.js';
import { csvLine } from '../emit/csv-cells.js';
import { RESOLUTIONS_CSV_COLUMNS } from '../resolve/resolutions-file.js';
import { ageInDays } from '../run/run-repository.js';
import { openDatabase } from '../store/database.js';
import { configFrom, printJson, type CommonFlags } from './common.js';

interface ExceptionsFlags extends CommonFlags {
  status: string;
  olderThan?: string;
  severity?: string;
  template?: boolean;
  json?: boolean;
  date?: string;
}

interface QueueRow {
  exception_id: string;
  status: string;
  first_seen: string;
  last_run_id: number;
  source: string;
  encounter_id: string;
  severity: string;
  code: string;
  message: string;
  codes: string | null;
  action: string | null;
}

/** Context columns after the answer columns of a template: resolve reads only the first five. */
const TEMPLATE_CONTEXT = ['status', 'age_days', 'severity', 'finding', 'message', 'finding_codes', 'suggested_action'] as const;

export function registerExceptionsCommand(program: Command): void {
  program
    .command('exceptions')
    .description('the exception work queue: findings of held claims still open or held, with their age')
    .option('--status <list>', 'open, held or both (comma-separated)', 'open,held')
    .option('--older-than <days>', 'only findings at least this many days old')
    .option('--severity <s>', 'error or warning')
    .option('--date <YYYY-MM-DD>', 'age as of this date (default: today)')
    .option('--template', 'print a resolutions CSV to fill in: exception ids with empty answer columns, then context')
    .option('--db <file>', 'SQLite run repository')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Examples:
  nightcode exceptions
  nightcode exceptions --older-than 7 --severity error
  nightcode exceptions --template > answers.csv      # fill action, codes, note, user; then: nightcode resolve answers.csv`)
    .action((flags: ExceptionsFlags, cmd: Command) => {
      const statuses = flags.status.split(',').map((s) => s.trim()).filter(Boolean);
      if (statuses.length === 0 || statuses.some((s) => s !== 'open' && s !== 'held')) throw new NightcodeError('USAGE', `--status takes open, held or both, not "${flags.status}"`);
      if (flags.severity && flags.severity !== 'error' && flags.severity !== 'warning') throw new NightcodeError('USAGE', `--severity takes error or warning, not "${flags.severity}"`);
      const olderThan = flags.olderThan === undefined ? 0 : Number(flags.olderThan);
      if (!Number.isInteger(olderThan) || olderThan < 0) throw new NightcodeError('USAGE', `--older-than takes a whole number of days, not "${flags.olderThan}"`);
      if (flags.date && !/^\d{4}-\d{2}-\d{2}$/.test(flags.date)) throw new NightcodeError('USAGE', `--date takes YYYY-MM-DD, not "${flags.date}"`);
      const today = flags.date ?? new Date().toISOString().slice(0, 10);
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const rows = (db.prepare(`SELECT s.exception_id, s.status, s.first_seen, s.last_run_id, s.source, s.encounter_id, e.severity, e.code, e.message, e.codes, e.action
                                  FROM exception_status s JOIN exceptions e ON e.run_id = s.last_run_id AND e.exception_id = s.exception_id
                                  WHERE s.status IN (SELECT value FROM json_each(?)) ORDER BY s.first_seen, s.source, s.encounter_id, e.seq, s.exception_id`)
          .all(JSON.stringify(statuses)) as QueueRow[])
          .map((r) => ({ ...r, age: ageInDays(r.first_seen, today) }))
          .filter((r) => r.age >= olderThan && (!flags.severity || r.severity === flags.severity));
        if (flags.template) {
          process.stdout.write(`\uFEFF${csvLine([...RESOLUTIONS_CSV_COLUMNS, ...TEMPLATE_CONTEXT])}`);
          for (const r of rows) process.stdout.write(csvLine([r.exception_id, r.source, r.encounter_id, '', '', '', '', '', '', '', '', r.status, r.age, r.severity, r.code, r.message, r.codes, r.action]));
          return;
        }
        if (flags.json) {
          printJson(rows.map((r) => ({
            exceptionId: r.exception_id, status: r.status, firstSeen: r.first_seen, ageDays: r.age, runId: r.last_run_id, source: r.source, encounterId: r.encounter_id,
            severity: r.severity, code: r.code, message: r.message, codes: r.codes, action: r.action,
          })));
          return;
        }
        const claims = new Set(rows.map((r) => `${r.source}\u0000${r.encounter_id}`)).size;
        const out = [`${rows.length} finding(s) on ${claims} held claim(s)${olderThan ? `, at least ${olderThan} days old` : ''}`];
        for (const r of rows) {
          out.push(`${r.exception_id}  ${r.status.padEnd(4)}  ${String(r.age).padStart(3)}d  ${r.severity.padEnd(7)}  ${r.code.padEnd(26)}  ${r.encounter_id}  ${r.message.length > 90 ? `${r.message.slice(0, 89)}…` : r.message}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        db.close();
      }
    });
}
