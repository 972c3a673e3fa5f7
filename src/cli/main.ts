#!/usr/bin/env node
// First: the garbage-collector settings must be in place before the heap grows.
import './heap-settings.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { PROJECT_ROOT } from '../paths.js';
import { asRunError, NightcodeError } from '../contract/errors.js';
import { wasReported } from './common.js';
import { registerBackfillCommand } from './backfill-command.js';
import { registerCodesetsCommand } from './codesets-command.js';
import { registerDbCommand } from './db-command.js';
import { registerEditsCommand } from './edits-command.js';
import { registerEvalCommand } from './eval-command.js';
import { registerExceptionsCommand } from './exceptions-command.js';
import { registerGenerateCommand } from './generate-command.js';
import { registerLearnCommand } from './learn-command.js';
import { registerMappingCommand } from './mapping-command.js';
import { registerRemitCommand } from './remit-command.js';
import { registerReportCommand } from './report-command.js';
import { registerResolveCommand } from './resolve-command.js';
import { registerRunCommand } from './run-command.js';
import { registerScheduleCommand } from './schedule-command.js';
import { registerStatusCommand } from './status-command.js';
import { registerWorklistCommand } from './worklist-command.js';
import { registerWorkerCommand } from './worker-command.js';

/** Exit codes: 0 success, 1 the run failed, 2 bad usage or configuration. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function* ancestry(cmd: Command): Iterable<Command> {
  for (let c: Command | null = cmd; c; c = c.parent) yield c;
}

/** The installed version (package.json), for --version. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

function buildProgram(): Command {
  const program = new Command();
  program
    .name('nightcode')
    .description('Nightly medical coding pipeline: ingest exports, abstract, code, validate, emit claims and exceptions')
    .option('-c, --config <file>', 'config file (default: config/nightcode.json when present, else built-in defaults)')
    .option('--log-level <level>', 'trace | debug | info | warn | error (default: info, or warn on a terminal)')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .addHelpText('after', `
Environment:
  NIGHTCODE_CONFIG     config file (like --config)
  NIGHTCODE_DB         SQLite run repository (overrides the config file; --db overrides it)
  NIGHTCODE_OUT        output root
  NIGHTCODE_TZ         IANA time zone of business dates and the schedule
  NIGHTCODE_LOG_LEVEL  log level
Precedence: flag > environment > config file > built-in default.

Examples:
  nightcode generate --encounters 500 --seed 1 --out data/sample-export
  nightcode run --date 2026-11-27
  nightcode status
  nightcode mapping check --pipeline pipelines/mimic-iv-demo-wide.json
  nightcode worklist --team coding
  nightcode exceptions --template > answers.csv
  nightcode resolve answers.csv
  nightcode report accuracy --from 2026-11-01
  nightcode learn --corpus ../shared/corpora/codiesp --split train
  nightcode eval --corpus ../shared/corpora/codiesp --split dev --train train
Exit codes: 0 success, 1 run failed, 2 bad usage or configuration.`);
  registerRunCommand(program);
  registerScheduleCommand(program);
  registerBackfillCommand(program);
  registerStatusCommand(program);
  registerGenerateCommand(program);
  registerCodesetsCommand(program);
  registerMappingCommand(program);
  registerDbCommand(program);
  registerLearnCommand(program);
  registerEvalCommand(program);
  registerEditsCommand(program);
  registerWorklistCommand(program);
  registerWorkerCommand(program);
  registerExceptionsCommand(program);
  registerResolveCommand(program);
  registerReportCommand(program);
  registerRemitCommand(program);
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  // A wrong option or argument: one line saying what is wrong, then the usage line (not the whole help).
  for (const cmd of all(program)) {
    const path = [...ancestry(cmd)].reverse().map((c) => c.name()).join(' ');
    cmd.exitOverride().showHelpAfterError(`usage: ${path} ${cmd.usage()}\n(${path} --help lists the options)`);
  }
  return program;
}

async function main(argv: string[]): Promise<number> {
  // With --json, every outcome is one JSON object on stdout, failures included.
  const json = argv.includes('--json');
  const failed = (code: string, message: string) => {
    if (json) process.stdout.write(`${JSON.stringify({ status: 'failed', error: { code, message } })}\n`);
  };
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (err.exitCode !== 0) failed('USAGE', err.message.replace(/^error: /, ''));
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const error = asRunError(err);
    if (!wasReported(err) && !wasReported(error)) failed(error.code, error.message);
    if (error.code !== 'INTERNAL' || err instanceof NightcodeError) {
      process.stderr.write(`nightcode: ${error.code}: ${error.message}\n${error.details.map((d) => `  ${d}\n`).join('')}`);
      return error.exitCode;
    }
    process.stderr.write(`nightcode: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.failed;
  }
}

// A reader that stops early (`nightcode eval … | head -1`) closes the pipe: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = EXIT.failed;
  },
);
