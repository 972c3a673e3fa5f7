import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig, loadPipeline } from '../../src/config/load.js';
import { NightcodeError } from '../../src/contract/errors.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

describe('config loading', () => {
  test('embedded defaults need no file', () => {
    const { config } = loadConfig({ file: write('empty.json', {}), env: {} });
    expect(config.database).toBe('nightcode.db');
    expect(config.run.chunkSize).toBe(500);
    expect(config.schedule.catchUp).toEqual({ enabled: true, maxDays: 7 });
  });

  test('every error is reported with its dotted path, before any work', () => {
    const file = write('bad.json', { run: { chunkSize: 0, workers: -1 }, thresholds: { autoReleaseConfidence: 2 }, surprise: true });
    const err = (() => {
      try {
        loadConfig({ file, env: {} });
      } catch (e) {
        return e as NightcodeError;
      }
      throw new Error('no error');
    })();
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.exitCode).toBe(2);
    const paths = err.details.map((d) => d.split(': ')[1]);
    expect(paths).toEqual(expect.arrayContaining(['run.chunkSize', 'run.workers', 'thresholds.autoReleaseConfidence', '(root)']));
  });

  test('run.workers takes a number of threads or "auto"; worklist teams route by action and code', () => {
    expect(loadConfig({ file: write('auto.json', { run: { workers: 'auto' } }), env: {} }).config.run.workers).toBe('auto');
    expect(() => loadConfig({ file: write('many.json', { run: { workers: 'many' } }), env: {} })).toThrow(/run\.workers/);
    const teams = loadConfig({ file: write('teams.json', { worklist: { teams: { 'correct-provider': 'credentialing' }, teamsByCode: { EDIT_MUE: 'billing' } } }), env: {} }).config.worklist;
    expect(teams).toEqual({ teams: { 'correct-provider': 'credentialing' }, teamsByCode: { EDIT_MUE: 'billing' } });
    expect(() => loadConfig({ file: write('badteam.json', { worklist: { teams: { 'correct-provider': 'Provider Enrollment' } } }), env: {} })).toThrow(/worklist\.teams/);
  });

  test('time zone and cron expression are checked', () => {
    const file = write('tz.json', { timezone: 'Mars/Olympus', schedule: { cron: 'every night' } });
    expect(() => loadConfig({ file, env: {} })).toThrow(/timezone: unknown IANA time zone[\s\S]*schedule\.cron/);
  });

  test('precedence: flag > environment > file > default', () => {
    const file = write('p.json', { database: 'from-file.db', outDir: 'file-out' });
    expect(loadConfig({ file, env: {} }).config.database).toBe('from-file.db');
    expect(loadConfig({ file, env: { NIGHTCODE_DB: 'from-env.db' } }).config.database).toBe('from-env.db');
    expect(loadConfig({ file, env: { NIGHTCODE_DB: 'from-env.db' }, overrides: { database: 'flag.db' } }).config.database).toBe('flag.db');
    expect(loadConfig({ file, env: {} }).config.outDir).toBe('file-out');
  });

  test('invalid JSON names the file', () => {
    const file = write('broken.json', '{ "run": ');
    expect(() => loadConfig({ file, env: {} })).toThrow(/broken\.json is not valid JSON/);
  });

  test('the shipped config, pipeline and mappings are valid', () => {
    expect(() => loadConfig({ file: 'config/nightcode.json', env: {} })).not.toThrow();
    const p = loadPipeline('pipelines/nightly-csv.json');
    expect(p.def.sourceSystem).toBe('sample-ehr');
    expect(p.mapping.files.notes?.columns.text).toBe('NoteText');
  });

  test('a pipeline with a bad mapping reports the mapping file and path', () => {
    const mapping = write('m.json', { files: { encounters: { pattern: '*.csv', columns: { encounterId: 'id', bogus: 'x' } } } });
    const pipeline = write('p1.json', { name: 'p1', sourceSystem: 's', format: 'csv', input: '.', mapping });
    expect(() => loadPipeline(pipeline)).toThrow(/m\.json: files\.encounters\.columns: Unrecognized key/);
  });
});
