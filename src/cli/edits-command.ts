import type { Command } from 'commander';
import { editsMarkdown, listEdits } from '../validate/catalog.js';
import { configFrom, printJson, type CommonFlags } from './common.js';

interface EditsFlags extends CommonFlags {
  json?: boolean;
  markdown?: boolean;
  payer?: string;
}

export function registerEditsCommand(program: Command): void {
  const edits = program.command('edits').description('the claim edits: ids, what each checks, its source and severity');
  edits
    .command('list')
    .description('every edit with its id, family, what it checks, source, default severity, suggested action and rule version')
    .option('--payer <id>', 'show the severity in force for this payer (config payers[].editSeverity over editSeverity)')
    .option('--json', 'one JSON array')
    .option('--markdown', 'the docs/EDITS.md table (the file is generated from this)')
    .addHelpText('after', `
Examples:
  nightcode edits list
  nightcode edits list --payer MEDICARE --json
  nightcode edits list --markdown > docs/EDITS.md`)
    .action((flags: EditsFlags, cmd: Command) => {
      if (flags.markdown) {
        process.stdout.write(editsMarkdown());
        return;
      }
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>() });
      const payer = flags.payer ? config.payers.find((p) => p.id === flags.payer) : undefined;
      const rows = listEdits().map((e) => {
        const override = (payer?.editSeverity as Record<string, string> | undefined)?.[e.id] ?? (config.editSeverity as Record<string, string>)[e.id];
        return { id: e.id, family: e.family, checks: e.checks, source: e.source, defaultSeverity: e.severity, severity: override ?? e.severity, action: e.action, version: e.version };
      });
      if (flags.json) {
        printJson(rows);
        return;
      }
      for (const r of rows) {
        const sev = r.severity === r.defaultSeverity ? r.severity : `${r.severity} (default ${r.defaultSeverity})`;
        process.stdout.write(`${r.id.padEnd(30)} ${r.family.padEnd(10)} ${sev.padEnd(9)} ${r.action.padEnd(20)} v${r.version}  ${r.checks}\n${' '.repeat(31)}source: ${r.source}\n`);
      }
    });
}
