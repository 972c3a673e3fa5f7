import type { Command } from 'commander';
import { NightcodeError } from '../contract/errors.js';
import { accuracyReport, accuracyText } from '../report/accuracy-report.js';
import { openDatabase } from '../store/database.js';
import { configFrom, printJson, type CommonFlags } from './common.js';

interface ReportFlags extends CommonFlags {
  from?: string;
  to?: string;
  json?: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function registerReportCommand(program: Command): void {
  const report = program.command('report').description('reports for coding managers');
  report
    .command('accuracy')
    .description("coding accuracy against coders' recodes, and how the exceptions were answered (compliance)")
    .option('--from <date>', 'first day answers were applied (YYYY-MM-DD)')
    .option('--to <date>', 'last day answers were applied (YYYY-MM-DD)')
    .option('--db <file>', 'SQLite run repository')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Compares the codes the pipeline put on held claims with the codes people released them
with (a "release" answer keeps the pipeline's codes, "recode" replaces them): precision,
recall and F1 for diagnoses (exact and by category) and procedures, the principal diagnosis,
and the codes coders removed, added and replaced most. Compliance: answers by action and
user, error findings released without a change (overrides) by edit, voids, the median days
to an answer, and the open work with its oldest age.

Examples:
  nightcode report accuracy
  nightcode report accuracy --from 2026-11-01 --to 2026-11-30 --json`)
    .action((flags: ReportFlags, cmd: Command) => {
      for (const d of [flags.from, flags.to]) if (d !== undefined && !ISO_DATE.test(d)) throw new NightcodeError('USAGE', `"${d}" is not a date (YYYY-MM-DD)`);
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const r = accuracyReport(db, { ...(flags.from ? { from: flags.from } : {}), ...(flags.to ? { to: flags.to } : {}) });
        if (flags.json) printJson(r);
        else process.stdout.write(accuracyText(r));
      } finally {
        db.close();
      }
    });
}
