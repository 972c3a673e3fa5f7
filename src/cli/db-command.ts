import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { NightcodeError } from '../contract/errors.js';
import { openDatabase } from '../store/database.js';
import { ownerOnlyFile } from '../store/private-file.js';
import { configFrom, printJson, type CommonFlags } from './common.js';

interface DbFlags extends CommonFlags {
  json?: boolean;
  quick?: boolean;
}

/**
 * Operations on the run repository: an integrity check, and an online backup (SQLite's
 * backup API through better-sqlite3: consistent while a run writes, owner-only).
 */
export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('the run repository: integrity check and online backup');
  db.command('check')
    .description('SQLite integrity check of the run repository (quick_check with --quick)')
    .option('--db <file>', 'SQLite run repository (default: config database)')
    .option('--quick', 'quick_check: skips index cross-checks, much faster on a large file')
    .option('--json', 'one JSON object: {database, ok, problems, schemaVersion, bytes}')
    .addHelpText('after', '\nExit codes: 0 sound, 1 damaged (DB_CORRUPT) or unreadable.')
    .action((flags: DbFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const conn = openDatabase(config.database);
      try {
        const problems = (conn.prepare(`PRAGMA ${flags.quick ? 'quick_check' : 'integrity_check'}`).pluck().all() as string[]).filter((r) => r !== 'ok');
        const schemaVersion = conn.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number;
        const result = { database: config.database, ok: problems.length === 0, problems: problems.slice(0, 100), schemaVersion, bytes: statSync(config.database).size };
        if (flags.json) printJson(result);
        else process.stdout.write(result.ok ? `${config.database}: sound (schema ${schemaVersion}, ${result.bytes} bytes)\n` : `${config.database}: DAMAGED\n${result.problems.map((p) => `  ${p}\n`).join('')}`);
        if (!result.ok) process.exitCode = 1;
      } finally {
        conn.close();
      }
    });
  db.command('backup')
    .description('online backup of the run repository to FILE (owner-only); a run may be writing meanwhile')
    .argument('<file>', 'the backup file to write (must not exist)')
    .option('--db <file>', 'SQLite run repository (default: config database)')
    .option('--json', 'one JSON object: {database, backup, bytes, ok}')
    .action(async (file: string, flags: DbFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      if (statSync(file, { throwIfNoEntry: false })) throw new NightcodeError('USAGE', `${file} exists: a backup is written to a new file`);
      const conn = openDatabase(config.database);
      try {
        ownerOnlyFile(file);
        await conn.backup(file);
        ownerOnlyFile(file);
      } finally {
        conn.close();
      }
      // The copy is checked the way a restore would use it.
      const copy = openDatabase(file);
      let ok: boolean;
      try {
        ok = (copy.prepare('PRAGMA quick_check').pluck().get() as string) === 'ok';
      } finally {
        copy.close();
      }
      const result = { database: config.database, backup: file, bytes: statSync(file).size, ok };
      if (flags.json) printJson(result);
      else process.stdout.write(`${config.database} → ${file} (${result.bytes} bytes)${ok ? '' : ' — the copy fails its check'}\n`);
      if (!ok) process.exitCode = 1;
    });
}
