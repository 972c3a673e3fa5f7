import type { Command } from 'commander';
import { inputDirFor } from '../config/load.js';
import { pipelineSources } from '../config/schema.js';
import { NightcodeError } from '../contract/errors.js';
import { checkMapping, type MappingCheck } from '../ingest/csv/mapping-check.js';
import { assertIsoDate, defaultBusinessDate } from '../run/business-date.js';
import { configFrom, pipelineFrom, printJson, type CommonFlags } from './common.js';

interface MappingFlags extends CommonFlags {
  pipeline?: string;
  input?: string;
  date?: string;
  records?: string;
  json?: boolean;
}

function print(c: MappingCheck): void {
  const lines = [`${c.pipeline}: ${c.input}  ${c.ok ? 'OK' : c.problems.length > 0 ? 'CANNOT RUN' : 'values the tables do not know'}`];
  for (const p of c.problems) lines.push(`  PROBLEM ${p}`);
  for (const r of c.roles) {
    lines.push(`\n${r.role} (${r.pattern}): ${r.files.length > 0 ? r.files.join(', ') : 'no file'}`);
    for (const m of r.mapped) lines.push(`  ${m.present ? '  ' : '✗ '}${m.field.padEnd(18)} ← ${m.column}${m.required ? ' (required)' : ''}`);
    for (const g of r.groups) lines.push(`  group → ${g.role}: ${g.columns.join(', ')} ×${g.repetitions}${g.missing.length > 0 ? `, missing ${g.missing.join(', ')}` : ''}`);
    if (r.unused.length > 0) lines.push(`  unused columns: ${r.unused.join(', ')}`);
  }
  if (c.rows.length > 0) lines.push('\nrows read (rows = staged + rejected):', ...c.rows.map((r) => `  ${r.role.padEnd(12)} ${r.file}: ${r.rows} = ${r.staged} + ${r.rejected}`));
  for (const r of c.rejects) lines.push(`  quarantined ${r.code}: ${r.rows} row(s), first ${r.first.file} line ${r.first.line}: ${r.first.message}`);
  if (c.valueMisses.length > 0) lines.push('\nvalues not in the value tables (add them to the mapping\'s values):', ...c.valueMisses.map((v) => `  ${v.field} "${v.value}": ${v.records} record(s)`));
  if (c.recordIssues.length > 0) lines.push('\nother findings while reading records:', ...c.recordIssues.map((i) => `  ${i.code}: ${i.records} record(s), e.g. ${i.first}`));
  if (c.records.length > 0) lines.push(`\nthe first ${c.records.length} encounter(s) as the run reads them:`, ...c.records.map((r) => JSON.stringify(r, null, 2).replace(/^/gm, '  ')));
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerMappingCommand(program: Command): void {
  const mapping = program.command('mapping').description('check how an export reads through a pipeline\'s column mapping');
  mapping
    .command('check')
    .description('per role: files matched, columns mapped / missing / unused, value-table misses, quarantined rows, and the first records as the run would read them')
    .option('-p, --pipeline <file>', 'pipeline definition (default: config defaultPipeline)')
    .option('-i, --input <dir>', 'export folder (default: the pipeline input for --date)')
    .option('-d, --date <YYYY-MM-DD>', 'business date for the pipeline input\'s {date} (default: yesterday)')
    .option('--records <n>', 'encounters to show as read (default 3)')
    .option('--json', 'one JSON object on stdout')
    .addHelpText('after', `
Examples:
  nightcode mapping check --pipeline pipelines/mimic-iv-demo-wide.json
  nightcode mapping check --pipeline pipelines/nightly-csv.json --input /exports/2026-11-27 --json

Exit codes: 0 the export reads cleanly, 1 a run would stop or values are not in the tables, 2 bad usage.`)
    .action(async (flags: MappingFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>() });
      const pipeline = pipelineFrom(config, flags.pipeline);
      if (!pipelineSources(pipeline.def).some((s) => s.format === 'csv')) {
        throw new NightcodeError('USAGE', `${pipeline.def.name} reads documents, not CSV files: it has no column mapping to check`);
      }
      const date = flags.date ? assertIsoDate(flags.date, '--date') : defaultBusinessDate(new Date(), config.timezone);
      const records = flags.records === undefined ? 3 : Number(flags.records);
      if (!Number.isInteger(records) || records < 0) throw new NightcodeError('USAGE', `--records must be a whole number, got "${flags.records}"`);
      const check = await checkMapping(pipeline, inputDirFor(pipeline, date, flags.input), { records });
      if (flags.json) printJson(check);
      else print(check);
      process.exitCode = check.ok ? 0 : 1;
    });
}
