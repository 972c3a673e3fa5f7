import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AlphabeticIndex } from '../codesets/alphabetic-index.js';
import { EditTables } from '../codesets/edit-tables.js';
import { importCodesetFiles } from '../codesets/import-codesets.js';
import type { ProviderType } from '../codesets/systems.js';
import { LIST_NAMES, listVersions } from '../codesets/official-lists.js';
import { listSnomedMaps } from '../codesets/snomed-map.js';
import { diffCodeSets, ReferenceLibrary, type VersionInfo } from '../codesets/reference-library.js';
import { NightcodeError } from '../contract/errors.js';
import { assertIsoDate } from '../run/business-date.js';
import { openDatabase } from '../store/database.js';
import { configFrom, printJson, type CommonFlags } from './common.js';


/** "ICD-10-CM@2021" (or "2021" when only one system has that version). */
function resolveVersion(lib: ReferenceLibrary, spec: string): VersionInfo {
  const [sys, ver] = spec.includes('@') ? (spec.split('@') as [string, string]) : [undefined, spec];
  const matches = lib.versions().filter((v) => v.version === ver && (sys === undefined || v.system === sys.toUpperCase()));
  if (matches.length === 1) return matches[0]!;
  const known = lib.versions().map((v) => `${v.system}@${v.version}`).join(', ') || 'none';
  throw new NightcodeError('USAGE', matches.length === 0 ? `no loaded version "${spec}" (loaded: ${known})` : `"${spec}" is ambiguous; write SYSTEM@VERSION (loaded: ${known})`);
}

export function registerCodesetsCommand(program: Command): void {
  const codesets = program.command('codesets').description('official code sets in the reference library: import, list, diff');

  codesets
    .command('import')
    .description('import official release files (detected by content): ICD-10-CM tabular XML, order file and index files (index, external causes, drugs, neoplasms); ICD-10-PCS codes file and addenda')
    .argument('<paths...>', 'release files')
    .option('--effective-from <YYYY-MM-DD>', 'start of the version (an April update); default: October 1 of the fiscal year')
    .option('--label <version>', 'version label (default: the fiscal year, or YYYY-MM with --effective-from; NCCI/MUE: the quarter, e.g. 2026Q4)')
    .option('--provider <type>', 'NCCI/MUE tables: practitioner | hospital | dme (default: from the file name or header)')
    .option('--db <file>', 'SQLite repository')
    .option('--json', 'print the imported versions as JSON')
    .addHelpText('after', `
Example:
  nightcode codesets import icd10cm_tabular_2026.xml icd10cm_order_2026.txt icd10pcs_codes_2026.txt
The import is transactional: a bad or truncated file leaves the library as it was.`)
    .action(async (paths: string[], flags: { effectiveFrom?: string; label?: string; provider?: string; json?: boolean } & CommonFlags, cmd: Command) => {
      if (flags.provider && !['practitioner', 'hospital', 'dme'].includes(flags.provider)) throw new NightcodeError('USAGE', `--provider must be practitioner, hospital or dme, got "${flags.provider}"`);
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const started = performance.now();
        const imported = await importCodesetFiles(db, paths.map((p) => resolve(p)), {
          ...(flags.effectiveFrom ? { effectiveFrom: assertIsoDate(flags.effectiveFrom, '--effective-from') } : {}),
          ...(flags.label ? { version: flags.label } : {}),
          ...(flags.provider ? { provider: flags.provider as ProviderType } : {}),
        });
        const ms = Math.round(performance.now() - started);
        if (flags.json) printJson(imported.map((v) => ({ ...v, importMs: ms })));
        else {
          for (const v of imported) {
            const counts = /Index|Table/.test(v.system) ? `${v.codes} terms` : /^(NCCI|MUE)/.test(v.system) ? `${v.codes} rows` : `${v.codes} codes (${v.billable} billable)`;
            process.stdout.write(`${v.system} ${v.version}: ${counts}, effective ${v.effectiveFrom} – ${v.effectiveTo}, from ${v.sources.map((s) => s.file).join(', ')}\n`);
            for (const w of v.warnings) process.stdout.write(`  warning: ${w}\n`);
          }
          process.stdout.write(`imported in ${(ms / 1000).toFixed(1)} s into ${config.database}\n`);
        }
      } finally {
        db.close();
      }
    });

  codesets
    .command('list')
    .description('versions in the reference library with their effective dates and counts')
    .option('--db <file>', 'SQLite repository')
    .option('--json', 'print [{system, version, effectiveFrom, effectiveTo, codes, billable}]')
    .action((flags: { json?: boolean } & CommonFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        // Index tables are listed too: their "codes" are terms, none of them billable.
        const versions = [
          ...new ReferenceLibrary(db).versions().map((v) => ({ system: v.system as string, version: v.version, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo, codes: v.codes, billable: v.billable, sources: v.sources.map((s) => s.file) })),
          ...AlphabeticIndex.list(db).map((i) => ({ system: i.system, version: i.version, effectiveFrom: i.effectiveFrom, effectiveTo: i.effectiveTo, codes: i.terms, billable: 0, sources: i.sources.map((s) => s.file) })),
          ...new EditTables(db).list().map((t) => ({ system: `${t.kind === 'ptp' ? 'NCCI PTP' : 'MUE'} ${t.provider}`, version: t.version, effectiveFrom: t.effectiveFrom, effectiveTo: '9999-12-31', codes: t.rows, billable: 0, sources: t.sources.map((s) => s.file) })),
          ...listVersions(db).map((l) => ({ system: LIST_NAMES[l.table], version: l.version, effectiveFrom: l.effectiveFrom, effectiveTo: l.effectiveTo, codes: l.rows, billable: 0, sources: l.sources.map((s) => s.file) })),
          ...listSnomedMaps(db).map((m) => ({ system: 'SNOMED CT to ICD-10-CM map', version: m.version, effectiveFrom: m.effectiveFrom, effectiveTo: m.effectiveTo, codes: m.rows, billable: 0, sources: m.sources.map((s) => s.file) })),
        ];
        if (flags.json) {
          printJson(versions);
          return;
        }
        if (versions.length === 0) process.stdout.write(`no code sets imported in ${config.database}; see "nightcode codesets import --help"\n`);
        for (const v of versions) process.stdout.write(`${v.system.padEnd(30)} ${v.version.padEnd(10)} ${v.effectiveFrom} – ${v.effectiveTo}  ${String(v.codes).padStart(6)} codes  ${String(v.billable).padStart(6)} billable  ${v.sources.join(', ')}\n`);
      } finally {
        db.close();
      }
    });

  codesets
    .command('diff')
    .description('codes added, deleted and retitled between two versions')
    .argument('<from>', 'version, e.g. ICD-10-CM@2021')
    .argument('<to>', 'version, e.g. ICD-10-CM@2022')
    .option('--db <file>', 'SQLite repository')
    .option('--json', 'print {from, to, added, deleted, retitled}')
    .action((from: string, to: string, flags: { json?: boolean } & CommonFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const lib = new ReferenceLibrary(db);
        const a = resolveVersion(lib, from);
        const b = resolveVersion(lib, to);
        if (a.system !== b.system) throw new NightcodeError('USAGE', `cannot diff ${a.system} against ${b.system}`);
        const d = diffCodeSets(lib.load(a), lib.load(b));
        if (flags.json) {
          printJson({ from: d.from, to: d.to, added: d.added.map((c) => ({ code: c.code, title: c.title, billable: c.billable })), deleted: d.deleted.map((c) => ({ code: c.code, title: c.title })), retitled: d.retitled });
          return;
        }
        process.stdout.write(`${d.from} → ${d.to}: ${d.added.length} added, ${d.deleted.length} deleted, ${d.retitled.length} retitled\n`);
        for (const c of d.added) process.stdout.write(`+ ${c.code.padEnd(8)} ${c.title}\n`);
        for (const c of d.deleted) process.stdout.write(`- ${c.code.padEnd(8)} ${c.title}\n`);
        for (const r of d.retitled) process.stdout.write(`~ ${r.code.padEnd(8)} ${r.from} → ${r.to}\n`);
      } finally {
        db.close();
      }
    });
}
