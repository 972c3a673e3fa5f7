import type { Command } from 'commander';
import { acceptedPayerPolicies } from '../payer/payer-rules.js';
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
    .description('apply staff answers (a filled-in worklist.csv or template): release, hold, void, recode or edit one code, modifier, pointer or field; the next run sends the claims they free')
    .option('--db <file>', 'SQLite run repository')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `
A resolutions file is worklist.csv filled in (one row per claim; add rows for more answers),
"nightcode worklist --csv", or "nightcode exceptions --template" (one row per finding). Columns
read (any other column is context): ${RESOLUTIONS_CSV_COLUMNS.join(', ')}.
  exception_id  answers one finding (EX + 16 hex digits); else encounter_id (and source)
                answers the whole claim
  action        release | hold | void | recode | add-code | remove-code | replace-code |
                add-modifier | remove-modifier | set-pointers | set-field (empty: only owner,
                team, hold_reason or note change); on a claim a payer rejected or denied
                also resubmit | appeal | write-off
  target        the service line (modifiers, pointers), the claim field (set-field:
                place_of_service, billing_npi, member_id, service_date, …) or the position a
                diagnosis is added at
  codes         the codes (ICD-10-CM with its dot, CPT/HCPCS with modifiers after hyphens,
                ICD-10-PCS on 837I claims; replace-code: "OLD NEW"), modifiers, pointers
                ("1 2") or the field's value
  hold_reason, note, owner, team   kept with the claim and shown every morning
  user          who answers (kept in the audit log)
Every code answered must be valid and verifiable in the version in force on the date of
service. An edited claim goes through the edits again: an edit that makes it fail an edit it
did not fail before is refused; findings the edits fixed are answered. A claim is released
once no error finding of it is open; hold keeps findings open (aging); void withdraws the
claim and, if it was billed, the next run sends a void (frequency 8). On a claim a payer
rejected or denied (PAYER_* findings), resubmit (or an edit that corrects it) sends it again
next run: a replacement (frequency 7, REF*F8 the payer's claim number) of a denied claim, a
new claim after a rejection; appeal and write-off close it and record the step. An edit a person
released on that claim stays overridden. The file is applied all or nothing: any bad row
stops it, with every problem listed by line. Applying the same file again changes nothing;
an untouched worklist row changes nothing.

Examples:
  nightcode resolve answers-2026-11-28.csv
  nightcode resolve answers.csv --json`)
    .action((file: string, flags: ResolveFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const result = applyResolutions(db, readResolutionsFile(file), () => new Date(), recodeEditOptions(config, acceptedPayerPolicies(db)), routingFrom(config));
        if (flags.json) {
          printJson(result);
          return;
        }
        const lines = [
          `${file}: ${result.applied} answer(s) applied${result.alreadyApplied ? `, ${result.alreadyApplied} already applied before` : ''}${result.unanswered ? `, ${result.unanswered} row(s) without an action skipped` : ''}`,
          `  claims to release next run: ${result.toRelease}`,
          `  claims voided: ${result.toVoid}`,
          ...(result.appealed + result.writtenOff > 0 ? [`  denied claims appealed: ${result.appealed}, written off: ${result.writtenOff}`] : []),
          `  findings held: ${result.held}`,
          `  claims still waiting on other findings: ${result.stillOpen}`,
          `  claims whose owner, team, hold reason or note changed: ${result.assigned}`,
          ...result.warnings.map((w) => `  warning: ${w}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        db.close();
      }
    });
}
