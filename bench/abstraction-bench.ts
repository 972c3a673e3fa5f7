/**
 * Abstraction throughput, one thread (= per core): MB of note text per second through
 * sections, sentences, tokens, lexicon matching, assertions and modifiers, with the lexicon a
 * run compiles from the official ICD-10-CM (and -PCS) files in ../shared, against bare
 * tokenization of the same text measured in the same process (compare the ratio: the
 * machine is noisy).
 *
 *   node dist/bench/abstraction-bench.js [--repeat 5] [--docs N] [--out FILE] [--json]
 *
 * Text: the CodiEsp train and dev case reports (English), ~1.6 MB.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { abstractNotes } from '../src/abstract/abstract-encounter.js';
import { codeEncounter, type CodingContext } from '../src/code/code-encounter.js';
import { starterPrices } from '../src/codesets/starter-library.js';
import type { Encounter } from '../src/contract/types.js';
import { lexiconFromLibrary } from '../src/abstract/lexicon/library-lexicon.js';
import { tokenize } from '../src/abstract/text/tokens.js';
import { importCodesetFiles } from '../src/codesets/import-codesets.js';
import { ReferenceLibrary } from '../src/codesets/reference-library.js';
import { readCodedCorpus } from '../src/learn/coded-corpus.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { openDatabase } from '../src/store/database.js';
import { median } from './bench-args.js';

const SHARED = resolve(PROJECT_ROOT, '..', 'shared');

function arg(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

function benchEncounter(id: string, text: string, setting: 'inpatient' | 'outpatient'): Encounter {
  const inpatient = setting === 'inpatient';
  return {
    key: { source: 'bench', encounterId: id }, contentHash: id, source: { file: id }, kind: inpatient ? 'institutional' : 'professional',
    ...(inpatient ? { facilityType: '111', admissionDate: '2021-03-01' } : { placeOfService: '11' }),
    patient: { id }, coverage: {}, providers: {}, serviceDate: '2021-03-02',
    notes: [{ id, type: 'note', text, source: { file: id } }], diagnoses: [],
    charges: inpatient ? [] : [{ line: 1, code: '99214', system: 'CPT', modifiers: [], units: 1, charge: 170, source: { file: id } }], issues: [],
  };
}


async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const repeat = Number(arg(argv, '--repeat') ?? 5);
  const maxDocs = Number(arg(argv, '--docs') ?? Number.POSITIVE_INFINITY);
  const out = resolve(arg(argv, '--out') ?? join(PROJECT_ROOT, 'bench', 'results', 'abstraction.json'));
  const work = mkdtempSync(join(tmpdir(), 'nightcode-abstraction-bench-'));
  try {
    const db = openDatabase(join(work, 'bench.db'));
    await importCodesetFiles(db, [
      join(SHARED, 'codesets', 'icd10cm-2021', 'icd10cm_tabular_2021.xml'),
      join(SHARED, 'codesets', 'icd10cm-2021', 'icd10cm-order-Jan-2021.txt'),
      join(SHARED, 'codesets', 'icd10pcs-2025', 'icd10pcs_codes_2025.txt'),
    ]);
    const compileStarted = performance.now();
    const library = new ReferenceLibrary(db);
    const { lexicon, sources } = lexiconFromLibrary(db, library);
    const compileMs = performance.now() - compileStarted;
    const coding: CodingContext = {
      icd10cm: library.codeSetFor('ICD-10-CM', '2021-03-01')!, pcs: library.codeSetFor('ICD-10-PCS', '2025-03-01')!, prices: starterPrices(),
    };
    db.close();
    const corpus = join(SHARED, 'corpora', 'codiesp');
    const texts = ['train', 'dev'].flatMap((split) => readCodedCorpus(corpus, split).documents.map((d) => d.text)).slice(0, maxDocs);
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    let findings = 0;
    const pass = (fn: (text: string) => number) => {
      const started = performance.now();
      let n = 0;
      for (const t of texts) n += fn(t);
      findings = n;
      return performance.now() - started;
    };
    const abstract = (t: string) => abstractNotes([{ id: 'n', text: t }], lexicon).length;
    const tokens = (t: string) => tokenize(t).length;
    // Warm-up: the first pass compiles the hot functions.
    pass(tokens);
    pass(abstract);
    const tokenMs: number[] = [];
    const abstractMs: number[] = [];
    for (let i = 0; i < repeat; i++) {
      tokenMs.push(pass(tokens));
      abstractMs.push(pass(abstract));
    }
    // Coding stage alone: each document as an inpatient encounter (the rules with the most
    // work: PCS, POA) and as an office visit, from findings abstracted once beforehand.
    const encounters = texts.flatMap((text, i) => (['inpatient', 'outpatient'] as const).map((setting) => {
      const e = benchEncounter(`D${i}`, text, setting);
      return { e, findings: abstractNotes(e.notes, lexicon) };
    }));
    const codePass = () => {
      const started = performance.now();
      let codes = 0;
      for (const { e, findings: f } of encounters) codes += codeEncounter(e, f, coding).diagnoses.length;
      return { ms: performance.now() - started, codes };
    };
    codePass();
    const codingMs: number[] = [];
    let codedDiagnoses = 0;
    for (let i = 0; i < repeat; i++) {
      const r = codePass();
      codingMs.push(r.ms);
      codedDiagnoses = r.codes;
    }
    const mbps = (ms: number) => Math.round((bytes / 1e6 / (ms / 1000)) * 100) / 100;
    const result = {
      at: new Date().toISOString(), node: process.version, documents: texts.length, textMb: Math.round((bytes / 1e6) * 100) / 100, repeat,
      lexicon: { sources, terms: lexicon.size, entries: lexicon.entryCount, compileMs: Math.round(compileMs) },
      tokenizeOnly: { medianMs: Math.round(median(tokenMs)), mbPerSecond: mbps(median(tokenMs)) },
      abstraction: { medianMs: Math.round(median(abstractMs)), mbPerSecondPerCore: mbps(median(abstractMs)), findings },
      ratioAbstractionToTokenize: Math.round((median(abstractMs) / median(tokenMs)) * 10) / 10,
      coding: {
        encounters: encounters.length, medianMs: Math.round(median(codingMs)), diagnoses: codedDiagnoses,
        encountersPerSecondPerCore: Math.round(encounters.length / (median(codingMs) / 1000)),
        /** Coding time as a share of abstracting the same documents. */
        shareOfAbstraction: Math.round((median(codingMs) / 2 / median(abstractMs)) * 1000) / 1000,
      },
    };
    mkdirSync(resolve(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    if (argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    process.stdout.write(`abstraction: ${result.abstraction.mbPerSecondPerCore} MB/s per core (${result.documents} documents, ${result.textMb} MB, median of ${repeat}); `
      + `tokenize only ${result.tokenizeOnly.mbPerSecond} MB/s; ratio ${result.ratioAbstractionToTokenize}x; lexicon ${result.lexicon.terms} terms compiled in ${result.lexicon.compileMs} ms\n`
      + `coding: ${result.coding.encountersPerSecondPerCore} encounters/s per core (${result.coding.encounters} encounters, inpatient and office, median of ${repeat}); ${Math.round(result.coding.shareOfAbstraction * 100)}% of the time abstraction takes\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`abstraction bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
