import type { Command } from 'commander';
import { applyResolutions } from '../resolve/apply-resolutions.js';
import { recodeEditOptions } from '../resolve/recode-edits.js';
import { readResolutionsFile, RESOLUTIONS_CSV_COLUMNS } from '../resolve/resolutions-file.js';
import { routingFrom } from '../run/morning.js';
import { openDatabase } from '../store/database.js';
import { configFrom, printJson, type CommonFlags } from './common.js';

interface ResolveFlags extends CommonFlags {
  json?: boolean;
}

export function registerResolveCommand(program: Command): void {
  program
    .command('resolve')
    .argument('<file>', 'resolutions CSV')
    .description('apply staff answers to exceptions: release, recode, hold or void; the next run sends the claims they free')
    .option('--db <file>', 'SQLite run repository')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `
The file has a header row with the columns ${RESOLUTIONS_CSV_COLUMNS.join(', ')}:
  exception_id  the id from exceptions.csv or the HTML report (EX + 16 hex digits)
  action        release | recode | hold | void
  codes         recode only: the claim's codes, e.g. "E11.22 N18.3 99214-25" (ICD-10-CM with
                its dot, CPT/HCPCS with modifiers after hyphens, one per service line in line
                order; ICD-10-PCS on 837I claims). Diagnoses given replace the claim's list.
  note          free text kept with the answer
  user          who answers (kept in the audit log)
A claim is released once each of its error findings is answered release or recode; hold
keeps a finding open (re-reported, aging); void withdraws the claim and, if it was billed,
the next run sends a void (frequency 8). A recoded claim goes through the coding edits
(code validity, diagnosis and procedure edits, with this config's coverage, tables and
severities); an edit a person released on that claim stays overridden. The file is applied
all or nothing: any bad row
stops it, with every problem listed by line. Applying the same file again changes nothing.
Rows with neither action nor codes are skipped (not answered yet); columns after the five
are ignored, so the output of "nightcode exceptions --template" can be filled in and applied.

Examples:
  nightcode resolve answers-2026-11-28.csv
  nightcode resolve answers.csv --json`)
    .action((file: string, flags: ResolveFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const result = applyResolutions(db, readResolutionsFile(file), () => new Date(), recodeEditOptions(config), routingFrom(config));
        if (flags.json) {
          printJson(result);
          return;
        }
        const lines = [
          `${file}: ${result.applied} answer(s) applied${result.alreadyApplied ? `, ${result.alreadyApplied} already applied before` : ''}${result.unanswered ? `, ${result.unanswered} row(s) without an action skipped` : ''}`,
          `  claims to release next run: ${result.toRelease}`,
          `  claims voided: ${result.toVoid}`,
          `  findings held: ${result.held}`,
          `  claims still waiting on other findings: ${result.stillOpen}`,
          ...result.warnings.map((w) => `  warning: ${w}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        db.close();
      }
    });
}
