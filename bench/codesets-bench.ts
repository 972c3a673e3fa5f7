/**
 * `npm run bench:codesets`: the reference library's figures — import time of the full
 * ICD-10-CM year (tabular + order file from ../shared, or paths given), load time at run
 * start, lookups per second, and PTP pair lookups per second on a synthetic table of
 * `--ptp-pairs` pairs (CMS practitioner tables hold well over a million).
 *
 *   node dist/bench/codesets-bench.js [--repeat 3] [--ptp-pairs 1500000] [--tabular F --order F]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EditTables } from '../src/codesets/edit-tables.js';
import { importCodesetFiles } from '../src/codesets/import-codesets.js';
import { ReferenceLibrary } from '../src/codesets/reference-library.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { openDatabase } from '../src/store/database.js';
import { flag, median } from './bench-args.js';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => flag(argv, name, fallback);
const shared = resolve(PROJECT_ROOT, '..', 'shared', 'codesets', 'icd10cm-2021');
const tabular = arg('--tabular', join(shared, 'icd10cm_tabular_2021.xml'));
const order = arg('--order', join(shared, 'icd10cm-order-Jan-2021.txt'));
const repeat = Number(arg('--repeat', '3'));
const ptpPairs = Number(arg('--ptp-pairs', '1500000'));
const out = resolve(arg('--out', join(PROJECT_ROOT, 'bench', 'results', 'codesets.json')));
const time = async (fn: () => unknown | Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'nightcode-codesets-bench-'));
  try {
    const importMs: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const db = openDatabase(join(work, `import-${i}.db`));
      importMs.push(await time(() => importCodesetFiles(db, [tabular, order])));
      db.close();
    }
    const db = openDatabase(join(work, 'import-0.db'));
    const loadMs: number[] = [];
    for (let i = 0; i < repeat; i++) loadMs.push(await time(() => new ReferenceLibrary(db).codeSetFor('ICD-10-CM', '2021-06-01')));
    const cm = new ReferenceLibrary(db).codeSetFor('ICD-10-CM', '2021-06-01')!;
    const sample = ['E11.9', 'I10', 'S72.001A', 'J18.9', 'Z79.4', 'E119', 'e11.65', 'T36.0X1A', 'X99.9', 'M17.11'];
    const n = 500_000;
    let hits = 0;
    const lookupMs = await time(() => {
      for (let i = 0; i < n; i++) if (cm.isBillable(sample[i % sample.length]!)) hits++;
    });
    const pairs = 50_000;
    const excl1Ms = await time(() => {
      for (let i = 0; i < pairs; i++) cm.excludes1Between(sample[i % sample.length]!, sample[(i * 7 + 3) % sample.length]!);
    });

    // A synthetic PTP table of the size CMS publishes.
    const id = Number(db.prepare("INSERT INTO edit_tables (kind, provider, version, effective_from, effective_to, sources, rows, imported_at) VALUES ('ptp', 'practitioner', 'bench', '2026-01-01', '9999-12-31', '[]', ?, '')").run(ptpPairs).lastInsertRowid);
    const ins = db.prepare("INSERT INTO ptp_pairs (table_id, column1, column2, effective_from, deleted_on, modifier_indicator, rationale) VALUES (?, ?, ?, '2020-01-01', NULL, ?, NULL)");
    // Pair k: column 1 from k mod 50,000, column 2 from (k div 50,000, k mod 997): all pairs distinct.
    const col1 = (k: number) => String(10000 + (k % 50000));
    const col2 = (k: number) => String(60000 + Math.floor(k / 50000) * 1000 + ((k % 50000) % 997));
    const fillMs = await time(() => db.transaction(() => {
      for (let k = 0; k < ptpPairs; k++) ins.run(id, col1(k), col2(k), String(k % 2));
    })());
    const tables = new EditTables(db);
    const m = 200_000;
    let found = 0;
    const ptpMs = await time(() => {
      // Half the lookups hit a pair, half miss (both orders are tried on a miss).
      for (let k = 0; k < m; k++) {
        const j = (k * 7919) % ptpPairs;
        if (tables.ptpPair('practitioner', col1(j), k % 2 === 0 ? col2(j) : '99999', '2026-11-27')) found++;
      }
    });
    db.close();

    const result = {
      at: new Date().toISOString(), node: process.version, repeat,
      icd10cmImportMs: { median: Math.round(median(importMs)), runs: importMs.map(Math.round) },
      referenceLoadMs: { median: Math.round(median(loadMs)), runs: loadMs.map(Math.round), codes: cm.size },
      billableLookupsPerSecond: Math.round(n / (lookupMs / 1000)),
      excludes1PairChecksPerSecond: Math.round(pairs / (excl1Ms / 1000)),
      ptp: { pairs: ptpPairs, fillMs: Math.round(fillMs), lookupsPerSecond: Math.round(m / (ptpMs / 1000)), found },
    };
    mkdirSync(resolve(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `nightcode codesets bench (medians of ${repeat}, ${process.version})\n` +
      `  ICD-10-CM tabular + order import   ${result.icd10cmImportMs.median} ms\n` +
      `  reference load at run start        ${result.referenceLoadMs.median} ms (${cm.size} codes)\n` +
      `  billable lookups                   ${result.billableLookupsPerSecond}/s\n` +
      `  Excludes1 pair checks              ${result.excludes1PairChecksPerSecond}/s\n` +
      `  PTP pair lookups (${ptpPairs} pairs)   ${result.ptp.lookupsPerSecond}/s\n` +
      `results: ${out}\n`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`codesets bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
