/**
 * Ingest throughput per document format, each in its own process (so peak RSS is the
 * format's): MB/s and records/s of the reader (everything up to the canonical rows) against
 * the bare parser on the same input, measured in the same process.
 *
 *   node dist/bench/ingest-bench.js [--ccda-copies 20] [--hl7-visits 20000] [--fhir-mb 100] [--out FILE] [--json]
 *
 * - C-CDA: the Synthea documents in ../shared, copied N times; bare = fast-xml-parser.parse.
 * - HL7 v2: generated ADT^A03 + DFT^P03 + MDM^T02 messages per visit; bare = split into
 *   segments and fields.
 * - FHIR: generated Bulk Data NDJSON (Patient, Encounter, Condition, DocumentReference),
 *   about --fhir-mb MB; bare = JSON.parse of every line.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { readCcdaDocument } from '../src/ingest/ccda/read-ccda.js';
import type { DocumentReaderOptions, SourceReader } from '../src/ingest/documents/document-rows.js';
import { readFhirExport } from '../src/ingest/fhir/read-fhir.js';
import { readHl7Export } from '../src/ingest/hl7v2/read-hl7v2.js';
import { PROJECT_ROOT } from '../src/paths.js';

const SYNTHEA = resolve(PROJECT_ROOT, '..', 'shared', 'samples', 'ccda-synthea');
const OPTIONS: DocumentReaderOptions = { maxBytes: 1_000_000_000, encounterRule: 'encompassing-or-latest', businessDate: '2026-11-27' };

function arg(argv: string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

interface FormatResult {
  format: string;
  inputMb: number;
  records: number;
  readerMs: number;
  bareMs: number;
  readerMbPerSecond: number;
  readerRecordsPerSecond: number;
  bareMbPerSecond: number;
  ratio: number;
  peakRssMb: number;
}

async function countRecords(read: SourceReader, files: { path: string; name: string }[]): Promise<number> {
  let n = 0;
  for await (const r of read(files, OPTIONS)) if (r.ok === true) n++;
  return n;
}

async function measure(format: string, dir: string): Promise<FormatResult> {
  const names = readdirSync(dir).sort();
  const files = names.map((name) => ({ path: join(dir, name), name }));
  const bytes = files.reduce((n, f) => n + statSync(f.path).size, 0);
  let bareMs = 0;
  let readerMs = 0;
  let records = 0;
  if (format === 'ccda') {
    const texts = files.map((f) => readFileSync(f.path, 'utf8'));
    const bare = new XMLParser({ ignoreAttributes: false, parseTagValue: false, parseAttributeValue: false });
    let t = performance.now();
    for (const x of texts) bare.parse(x);
    bareMs = performance.now() - t;
    t = performance.now();
    for (const [i, x] of texts.entries()) if (readCcdaDocument(x, names[i]!, OPTIONS).ok) records++;
    readerMs = performance.now() - t;
  } else if (format === 'hl7v2') {
    let t = performance.now();
    for (const f of files) for (const seg of readFileSync(f.path, 'utf8').split('\r')) seg.split('|');
    bareMs = performance.now() - t;
    t = performance.now();
    records = await countRecords(readHl7Export, files);
    readerMs = performance.now() - t;
  } else {
    // Streamed like the reader, so peak RSS stays the reader's.
    let t = performance.now();
    for (const f of files) {
      for await (const line of createInterface({ input: createReadStream(f.path, { encoding: 'utf8' }), crlfDelay: Infinity })) if (line) JSON.parse(line);
    }
    bareMs = performance.now() - t;
    t = performance.now();
    records = await countRecords(readFhirExport, files);
    readerMs = performance.now() - t;
  }
  const mb = bytes / 1e6;
  return {
    format, inputMb: round(mb), records, readerMs: Math.round(readerMs), bareMs: Math.round(bareMs),
    readerMbPerSecond: round(mb / (readerMs / 1000), 2), readerRecordsPerSecond: Math.round(records / (readerMs / 1000)),
    bareMbPerSecond: round(mb / (bareMs / 1000), 2), ratio: round(readerMs / bareMs), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function generateCcda(dir: string, copies: number): void {
  const sources = readdirSync(SYNTHEA).filter((f) => f.endsWith('.xml'));
  for (let c = 0; c < copies; c++) {
    for (const f of sources) {
      // Each copy a different patient and document id.
      const xml = readFileSync(join(SYNTHEA, f), 'utf8').replace(/extension="([0-9a-f-]{36})"/g, (_m, id: string) => `extension="${id}-${c}"`);
      writeFileSync(join(dir, `${c}-${f}`), xml);
    }
  }
}

function generateHl7(dir: string, visits: number): void {
  const lines: string[] = [];
  for (let v = 0; v < visits; v++) {
    const visit = `V${v}`;
    const pid = `PID|1||MRN${v}^^^HOSP^MR||Lopez^Ana||19600214|F|||1 Main St^^Boston^MA^02110`;
    const pv1 = `PV1|1|I|MED^201^A||||1245319599^Smith^John^^^^^^NPI||||||||||||${visit}|||||||||||||||||||||||||20261120080000|20261126100000`;
    lines.push(
      `MSH|^~\\&|EHR|HOSP|NC|BILL|20261127080000||ADT^A03|A${v}|P|2.5.1`, pid, pv1,
      'DG1|1|I10|J18.9^Pneumonia, unspecified organism^I10', 'DG1|2|I10|E11.9^Type 2 diabetes^I10', 'IN1|1|MCR|MCR01|Medicare||||||||||||||SEL|||||||||||||||||||1EG4TE5MK73',
      `MSH|^~\\&|EHR|HOSP|NC|BILL|20261127081000||DFT^P03|D${v}|P|2.5.1`, pid, pv1,
      'FT1|1|||20261120||CG|99223^Initial hospital care^C4|||1|310.00||||||||||||||99223^Initial hospital care^C4',
      `MSH|^~\\&|EHR|HOSP|NC|BILL|20261127082000||MDM^T02|M${v}|P|2.5.1`, pid, pv1, `TXA|1|DS^Discharge summary|TX|||||||||DOC${v}`,
      'OBX|1|TX|DS||Hospital course: community acquired pneumonia treated with antibiotics.\\.br\\Type 2 diabetes, stable. Denies chest pain.',
    );
  }
  writeFileSync(join(dir, 'export.hl7'), `${lines.join('\r')}\r`);
}

async function generateFhir(dir: string, mb: number): Promise<void> {
  const note = Buffer.from('Assessment: community acquired pneumonia. Type 2 diabetes, stable. Denies chest pain. Plan: antibiotics, follow up in two weeks.').toString('base64');
  const outs = Object.fromEntries(['Patient', 'Encounter', 'Condition', 'DocumentReference'].map((t) => [t, createWriteStream(join(dir, `${t}.ndjson`))]));
  let written = 0;
  for (let i = 0; written < mb * 1e6; i++) {
    const rows: [string, unknown][] = [
      ['Patient', { resourceType: 'Patient', id: `p${i}`, identifier: [{ value: `MRN${i}` }], name: [{ family: 'Lopez', given: ['Ana'] }], gender: 'female', birthDate: '1960-02-14' }],
      ['Encounter', { resourceType: 'Encounter', id: `e${i}`, class: { code: 'AMB' }, subject: { reference: `Patient/p${i}` }, period: { start: '2026-11-27T09:00:00Z' } }],
      ['Condition', { resourceType: 'Condition', id: `c${i}`, encounter: { reference: `Encounter/e${i}` }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'J18.9' }] } }],
      ['DocumentReference', { resourceType: 'DocumentReference', id: `d${i}`, status: 'current', context: { encounter: [{ reference: `Encounter/e${i}` }] }, content: [{ attachment: { contentType: 'text/plain', data: note } }] }],
    ];
    for (const [type, r] of rows) {
      const line = `${JSON.stringify(r)}\n`;
      written += line.length;
      if (!outs[type]!.write(line)) await new Promise<void>((done) => outs[type]!.once('drain', () => done()));
    }
  }
  await Promise.all(Object.values(outs).map((s) => new Promise<void>((done) => s.end(() => done()))));
}

async function child(format: string, dir: string): Promise<void> {
  process.stdout.write(`${JSON.stringify(await measure(format, dir))}\n`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv[1]!, argv[2]!);
  const out = resolve(argv.includes('--out') ? argv[argv.indexOf('--out') + 1]! : join(PROJECT_ROOT, 'bench', 'results', 'ingest.json'));
  const work = mkdtempSync(join(tmpdir(), 'nightcode-ingest-bench-'));
  const here = fileURLToPath(import.meta.url);
  const results: FormatResult[] = [];
  try {
    const dirs = { ccda: join(work, 'ccda'), hl7v2: join(work, 'hl7v2'), fhir: join(work, 'fhir') };
    for (const d of Object.values(dirs)) mkdirSync(d);
    generateCcda(dirs.ccda, arg(argv, '--ccda-copies', 20));
    generateHl7(dirs.hl7v2, arg(argv, '--hl7-visits', 20_000));
    await generateFhir(dirs.fhir, arg(argv, '--fhir-mb', 100));
    for (const [format, d] of Object.entries(dirs)) {
      const r = spawnSync(process.execPath, [here, '--child', format, d], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`${format}: ${r.stderr.slice(0, 2000)}`);
      results.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as FormatResult);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ results })}\n`);
    return;
  }
  for (const r of results) {
    process.stdout.write(`${r.format.padEnd(6)} ${String(r.inputMb).padStart(7)} MB  ${String(r.records).padStart(7)} records  reader ${r.readerMbPerSecond} MB/s (${r.readerRecordsPerSecond} records/s)  bare ${r.bareMbPerSecond} MB/s  ratio ${r.ratio}x  peak RSS ${r.peakRssMb} MB\n`);
  }
  process.stdout.write(`results: ${out} (${basename(out)})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`ingest bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
