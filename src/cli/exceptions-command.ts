import type { Command } from 'commander';
import { NightcodeError } from '../contract/errors.js';
import { CSV_BOM, csvLine } from '../emit/csv-cells.js';
import { RESOLUTIONS_CSV_COLUMNS } from '../resolve/resolutions-file.js';
import { routeTeam } from '../resolve/claim-work.js';
import { routingFrom } from '../run/morning.js';
import { ageInDays, latestCompletedRuns } from '../run/exception-rows.js';
import { openDatabase } from '../store/database.js';
import { configFrom, printJson, type CommonFlags } from './common.js';
import { listOption, olderThanOption, queueDate } from './worklist-command.js';

interface ExceptionsFlags extends CommonFlags {
  status: string;
  team?: string;
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
  first_run_id: number;
  last_run_id: number;
  pipeline: string;
  source: string;
  encounter_id: string;
  severity: string;
  code: string;
  message: string;
  codes: string | null;
  action: string | null;
}

/** Context columns after the answer columns of a template: resolve reads only the first five. */
const TEMPLATE_CONTEXT = ['status', 'age_days', 'severity', 'finding', 'message', 'finding_codes', 'suggested_action', 'routed_team'] as const;

export function registerExceptionsCommand(program: Command): void {
  program
    .command('exceptions')
    .description('the exception work queue: findings of held claims still open or held, with their age')
    .option('--status <list>', 'new, open, held (comma-separated; open includes new)', 'open,held')
    .option('--team <list>', 'findings routed to these teams (comma-separated), e.g. coding')
    .option('--older-than <days>', 'only findings at least this many days old')
    .option('--severity <s>', 'error or warning')
    .option('--date <YYYY-MM-DD>', 'age as of this date (default: the latest completed night, as its files count it)')
    .option('--template', 'print a resolutions CSV to fill in: exception ids with empty answer columns, then context')
    .option('--db <file>', 'SQLite run repository')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Examples:
  nightcode exceptions
  nightcode exceptions --older-than 7 --severity error
  nightcode exceptions --template > answers.csv      # fill action, codes, note, user; then: nightcode resolve answers.csv`)
    .action((flags: ExceptionsFlags, cmd: Command) => {
      // The statuses the files print: new (raised first by the latest night), open, held; info rows are released claims' warnings.
      if (flags.status.split(',').some((s) => s.trim() === 'info')) throw new NightcodeError('USAGE', '--status info: warnings on released claims are not a queue; they are in released-warnings.csv and the report');
      const statuses = listOption('--status', flags.status, ['new', 'open', 'held'])!;
      const teams = listOption('--team', flags.team);
      if (flags.severity && flags.severity !== 'error' && flags.severity !== 'warning') throw new NightcodeError('USAGE', `--severity takes error or warning, not "${flags.severity}"`);
      const olderThan = olderThanOption(flags.olderThan);
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const today = queueDate(db, flags.date, config.timezone);
        const routing = routingFrom(config);
        const latest = latestCompletedRuns(db);
        const rows = (db.prepare(`SELECT s.exception_id, s.status, s.first_seen, s.first_run_id, s.last_run_id, s.source, s.encounter_id, e.severity, e.code, e.message, e.codes, e.action, r.pipeline
                                  FROM exception_status s JOIN exceptions e ON e.run_id = s.last_run_id AND e.exception_id = s.exception_id
                                  JOIN runs r ON r.id = s.last_run_id
                                  WHERE s.status IN ('open', 'held') ORDER BY s.first_seen, s.source, s.encounter_id, e.seq, s.exception_id`)
          .all() as QueueRow[])
          .map((r) => ({ ...r, status: r.status === 'open' && r.first_run_id === latest.get(r.pipeline) ? 'new' : r.status, age: ageInDays(r.first_seen, today), team: routeTeam(r.code, r.action ?? undefined, routing) }))
          .filter((r) => (statuses.includes(r.status) || (r.status === 'new' && statuses.includes('open')))
            && r.age >= olderThan && (!flags.severity || r.severity === flags.severity) && (!teams || teams.includes(r.team)));
        if (flags.template) {
          process.stdout.write(`${CSV_BOM}${csvLine([...RESOLUTIONS_CSV_COLUMNS, ...TEMPLATE_CONTEXT])}`);
          for (const r of rows) process.stdout.write(csvLine([r.exception_id, r.source, r.encounter_id, '', '', '', '', '', '', '', '', r.status, r.age, r.severity, r.code, r.message, r.codes, r.action, r.team]));
          return;
        }
        if (flags.json) {
          printJson(rows.map((r) => ({
            exceptionId: r.exception_id, status: r.status, firstSeen: r.first_seen, ageDays: r.age, runId: r.last_run_id, source: r.source, encounterId: r.encounter_id,
            severity: r.severity, code: r.code, message: r.message, codes: r.codes, action: r.action, team: r.team,
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
