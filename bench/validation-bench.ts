/**
 * Validation throughput, one thread (= per core): claims per second through every edit
 * (claim data, code sets, diagnosis edits on the FY2021 tabular and MCE, NCCI PTP and MUE
 * on a synthetic practitioner table of `--ptp-pairs` pairs, the size CMS publishes, add-ons,
 * modifiers, medical necessity), against the claim-data and code-set edits alone measured
 * in the same process (compare the ratio: the machine is noisy).
 *
 *   node dist/bench/validation-bench.js [--claims 20000] [--ptp-pairs 1500000] [--repeat 3] [--out FILE] [--json]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EditTables } from '../src/codesets/edit-tables.js';
import { importCodesetFiles } from '../src/codesets/import-codesets.js';
import { MedicareCodeEditor } from '../src/codesets/medicare-code-editor.js';
import { ReferenceLibrary } from '../src/codesets/reference-library.js';
import type { CodedEncounter } from '../src/contract/types.js';
import { Prng } from '../src/generate/prng.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { openDatabase } from '../src/store/database.js';
import { validateClaim, type ValidateOptions } from '../src/validate/validate-claim.js';
import { flag, median } from './bench-args.js';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => flag(argv, name, fallback);
const claimsN = Number(arg('--claims', '20000'));
const ptpPairs = Number(arg('--ptp-pairs', '1500000'));
const repeat = Number(arg('--repeat', '3'));
const out = resolve(arg('--out', join(PROJECT_ROOT, 'bench', 'results', 'validation.json')));
const SHARED = resolve(PROJECT_ROOT, '..', 'shared', 'codesets', 'icd10cm-2021');

/** Procedure codes of the synthetic table: 20,000 five-digit codes. */
const procedureCode = (k: number) => String(10000 + (k % 20000));
const DX = ['I10', 'E11.9', 'J45.909', 'K21.9', 'M54.5', 'E78.5', 'F41.9', 'J20.9', 'N39.0', 'E66.9', 'E11.22', 'N18.4', 'I50.32', 'M17.11', 'S72.001A'];
const NPIS = ['1234567893', '1245319599', '1003000126'];

function claims(n: number): CodedEncounter[] {
  const rng = new Prng(7);
  return Array.from({ length: n }, (_, i) => {
    const dx = [...new Set(Array.from({ length: rng.int(1, 5) }, () => rng.pick(DX)))];
    const lines = Array.from({ length: rng.int(1, 6) }, (_, k) => ({
      line: k + 1, code: procedureCode(rng.int(0, 19999)), system: 'CPT' as const, modifiers: rng.chance(0.2) ? ['59'] : [], units: rng.int(1, 3), charge: 50,
      diagnosisPointers: [1], confidence: 0.99, rulePath: 'bench', source: { file: 'charges.csv', line: k + 2 },
    }));
    return {
      encounter: {
        key: { source: 'bench', encounterId: `E${i}` }, contentHash: `h${i}`, source: { file: 'encounters.csv', line: i + 2 }, kind: 'professional',
        patient: { id: `P${i}`, birthDate: `19${rng.int(40, 99)}-05-0${rng.int(1, 9)}`, sex: rng.chance(0.5) ? 'F' : 'M' },
        coverage: { payerId: 'ACME', memberId: `M${i}` }, providers: { billingNpi: rng.pick(NPIS), renderingNpi: rng.pick(NPIS) },
        serviceDate: `2021-03-${String(rng.int(1, 28)).padStart(2, '0')}`, placeOfService: '11', notes: [], diagnoses: [], charges: [], issues: [],
      },
      findings: [],
      diagnoses: dx.map((code, k) => ({ code, system: 'ICD-10-CM' as const, sequence: k + 1, confidence: 0.95, rulePath: 'bench', evidence: [{ text: code, source: { file: 'notes.csv', line: 2 } }] })),
      procedures: lines, pcsProcedures: [], notCoded: [], confidence: 0.95, issues: [],
    };
  });
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'nightcode-validation-bench-'));
  try {
    const db = openDatabase(join(work, 'bench.db'));
    await importCodesetFiles(db, [join(SHARED, 'icd10cm_tabular_2021.xml'), join(SHARED, 'icd10cm-order-Jan-2021.txt')]);
    const fillStarted = performance.now();
    const table = Number(db.prepare("INSERT INTO edit_tables (kind, provider, version, effective_from, effective_to, sources, rows, imported_at) VALUES ('ptp', 'practitioner', 'bench', '2021-01-01', '9999-12-31', '[]', ?, '')").run(ptpPairs).lastInsertRowid);
    const ins = db.prepare("INSERT OR IGNORE INTO ptp_pairs (table_id, column1, column2, effective_from, deleted_on, modifier_indicator, rationale) VALUES (?, ?, ?, '2020-01-01', NULL, ?, NULL)");
    const mueTable = Number(db.prepare("INSERT INTO edit_tables (kind, provider, version, effective_from, effective_to, sources, rows, imported_at) VALUES ('mue', 'practitioner', 'bench', '2021-01-01', '9999-12-31', '[]', 20000, '')").run().lastInsertRowid);
    const insMue = db.prepare("INSERT INTO mue_values (table_id, code, max_units, mai, rationale) VALUES (?, ?, ?, ?, NULL)");
    db.transaction(() => {
      // Each of the 20,000 codes bundles 75 others (1.5 million pairs), indicator 0, 1 or 9.
      for (let k = 0; k < ptpPairs; k++) ins.run(table, procedureCode(Math.floor(k / 75)), procedureCode((Math.floor(k / 75) * 7919 + (k % 75) * 104729 + 1) % 20000), String([0, 1, 9][k % 3]));
      for (let k = 0; k < 20000; k++) insMue.run(mueTable, procedureCode(k), 1 + (k % 4), String(1 + (k % 3)));
    })();
    const fillMs = performance.now() - fillStarted;
    const library = new ReferenceLibrary(db);
    const icd10cm = library.codeSetFor('ICD-10-CM', '2021-03-01')!;
    const all: ValidateOptions = {
      businessDate: '2021-03-31', payerIds: new Set(['ACME']), autoReleaseConfidence: 0.8, codeSets: library,
      diagnosis: { icd10cm, mce: new MedicareCodeEditor(icd10cm, db, '2021-03-01') },
      procedure: { edits: new EditTables(db), coverage: [{ id: 'LCD-BENCH', version: '1', procedures: ['10001', '10002', '10003'], diagnoses: ['D51', 'E53.8'] }] },
    };
    const baseline: ValidateOptions = { businessDate: '2021-03-31', payerIds: new Set(['ACME']), autoReleaseConfidence: 0.8, codeSets: library };
    const batch = claims(claimsN);
    const billing = { frequency: '1' as const, claimId: 'C' };
    let findings = 0;
    const pass = (options: ValidateOptions) => {
      const started = performance.now();
      let n = 0;
      for (const c of batch) n += validateClaim(c, billing, options).issues.length;
      findings = n;
      return performance.now() - started;
    };
    pass(all);
    pass(baseline);
    const allMs: number[] = [];
    const baseMs: number[] = [];
    let baselineFindings = 0;
    for (let i = 0; i < repeat; i++) {
      baseMs.push(pass(baseline));
      baselineFindings = findings;
      allMs.push(pass(all));
    }
    const result = {
      at: new Date().toISOString(), node: process.version, claims: claimsN, repeat,
      ptp: { pairs: ptpPairs, fillMs: Math.round(fillMs) },
      allEdits: { medianMs: Math.round(median(allMs)), claimsPerSecondPerCore: Math.round(claimsN / (median(allMs) / 1000)), findings },
      claimDataAndCodeSetOnly: { medianMs: Math.round(median(baseMs)), claimsPerSecondPerCore: Math.round(claimsN / (median(baseMs) / 1000)), findings: baselineFindings },
      ratioAllToBaseline: Math.round((median(allMs) / median(baseMs)) * 10) / 10,
    };
    db.close();
    mkdirSync(resolve(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    if (argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    process.stdout.write(`validation: ${result.allEdits.claimsPerSecondPerCore} claims/s per core with every edit (${claimsN} claims, ${ptpPairs} PTP pairs, median of ${repeat}); `
      + `claim-data and code-set edits alone ${result.claimDataAndCodeSetOnly.claimsPerSecondPerCore} claims/s; ratio ${result.ratioAllToBaseline}x; ${result.allEdits.findings} findings\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`validation bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
