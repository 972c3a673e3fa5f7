import { resolve } from 'node:path';
import type { Command } from 'commander';
import { NightcodeError } from '../contract/errors.js';
import { generateSampleExport, type SampleKind } from '../generate/sample-export.js';
import { assertIsoDate, defaultBusinessDate } from '../run/business-date.js';
import { printJson } from './common.js';

interface GenerateFlags {
  encounters: string;
  seed: string;
  out: string;
  kind: string;
  date?: string;
  brokenRate: string;
  idPrefix?: string;
  json?: boolean;
}

function positiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new NightcodeError('USAGE', `${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('write a realistic, deterministic (seeded) nightly CSV export for demos, tests and benchmarks')
    .requiredOption('-n, --encounters <n>', 'number of encounters')
    .option('-s, --seed <n>', 'random seed; the same seed writes the same files', '1')
    .requiredOption('-o, --out <dir>', 'folder to write encounters/patients/notes/diagnoses/charges CSV files into')
    .option('-k, --kind <kind>', 'professional | institutional | mixed', 'mixed')
    .option('-d, --date <YYYY-MM-DD>', 'business date of the export (default: yesterday, UTC)')
    .option('--broken-rate <r>', 'share of deliberately broken records (0 for none)', '0.01')
    .option('--id-prefix <p>', 'prefix of encounter ids', 'E')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExample:\n  nightcode generate --encounters 1000 --seed 7 --out /tmp/export --kind mixed')
    .action(async (flags: GenerateFlags) => {
      const kind = flags.kind as SampleKind;
      if (!['professional', 'institutional', 'mixed'].includes(kind)) throw new NightcodeError('USAGE', `--kind must be professional, institutional or mixed, got "${flags.kind}"`);
      const brokenRate = Number(flags.brokenRate);
      if (!(brokenRate >= 0 && brokenRate <= 1)) throw new NightcodeError('USAGE', `--broken-rate must be between 0 and 1, got "${flags.brokenRate}"`);
      const report = await generateSampleExport({
        outDir: resolve(flags.out),
        encounters: positiveInt(flags.encounters, '--encounters'),
        seed: positiveInt(flags.seed, '--seed'),
        kind,
        businessDate: flags.date ? assertIsoDate(flags.date, '--date') : defaultBusinessDate(new Date(), 'UTC'),
        brokenRate,
        ...(flags.idPrefix ? { idPrefix: flags.idPrefix } : {}),
      });
      if (flags.json) printJson(report);
      else process.stdout.write(`wrote ${report.encounters} encounters (${(report.bytes / 1e6).toFixed(1)} MB) to ${report.dir}; deliberate defects: ${JSON.stringify(report.defects)}\n`);
    });
}
