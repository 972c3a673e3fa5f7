/**
 * Hostile documents just under a size limit, and a measurement of each through a whole
 * night: wall time and peak RSS of the run process, at 99% of the `documents.maxBytes` each
 * shipped pipeline configures (`--limit` overrides it) and at 99% of the default note limit
 * (`documents.limits.noteChars`, 1,000,000), where the note is coded in full. The issue's
 * bar is 60 s and 1 GB per document.
 *
 *   npm run bench:hostile [-- --limit 10000000] [--json]
 *
 * The documents: a C-CDA whose first narrative is one huge paragraph, one with a hundred
 * thousand tiny elements, a FHIR bundle with a large base64 attachment, an HL7 note of one
 * OBX segment. test/e2e/hostile-documents.test.ts codes the same documents in full at 2 MB.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { limitsSchema } from '../src/config/mapping-schema.js';
import { pipelineSchema } from '../src/config/schema.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { flag } from './bench-args.js';

export interface HostileDocument { pipeline: string; name: string; file: string; text: string }

/** The hostile documents at 99% of `limit` bytes (of one pipeline when named: the others are not built). */
export function hostileDocuments(limit: number, pipeline?: string): HostileDocument[] {
  const ccdaDir = resolve(PROJECT_ROOT, '..', 'shared', 'samples', 'ccda-synthea');
  const sample = readFileSync(join(ccdaDir, readdirSync(ccdaDir).sort()[0]!), 'utf8');
  const room = Math.floor(limit * 0.99) - Buffer.byteLength(sample);
  const ccdaWith = (filler: string) => {
    const at = sample.indexOf('<text>') + 6;
    return `${sample.slice(0, at)}${filler}${sample.slice(at)}`;
  };
  const sentence = 'Patient denies chest pain. History of hypertension. ';
  const data = () => Buffer.from('Assessment: asthma, denies fever. '.repeat(Math.floor((limit * 0.99 * 0.745) / 34))).toString('base64');
  const obx = 'Assessment: asthma, denies fever \\.br\\';
  const builders: Record<string, (() => HostileDocument)[]> = { 'nightly-ccda.json': [
    () => ({ pipeline: 'nightly-ccda.json', name: 'narrative', file: 'narrative.xml', text: ccdaWith(`<paragraph>${sentence.repeat(Math.floor(room / sentence.length) - 1)}</paragraph>`) }),
    () => ({ pipeline: 'nightly-ccda.json', name: 'elements', file: 'elements.xml', text: ccdaWith('<content>a</content>'.repeat(Math.floor(room / 20) - 1)) }),
  ], 'nightly-fhir.json': [
    () => ({
      pipeline: 'nightly-fhir.json', name: 'attachment', file: 'attachment.json', text: JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [
        { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1960-01-01' } },
        { fullUrl: 'urn:uuid:e1', resource: { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'urn:uuid:p1' }, period: { start: '2026-11-27T10:00:00Z' } } },
        { fullUrl: 'urn:uuid:d1', resource: { resourceType: 'DocumentReference', id: 'd1', status: 'current', subject: { reference: 'urn:uuid:p1' }, context: { encounter: [{ reference: 'urn:uuid:e1' }] }, content: [{ attachment: { contentType: 'text/plain', data: data() } }] } },
      ] }),
    }),
  ], 'nightly-hl7v2.json': [
    () => ({
      // The visit's discharge, then its note (a note alone bills nothing).
      pipeline: 'nightly-hl7v2.json', name: 'note', file: 'note.hl7', text: [
        'MSH|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|20261127081000||ADT^A03|MSG002|P|2.5.1',
        'PID|1||MRN123^^^HOSP^MR||Lopez^Ana||19600214|F',
        'PV1|1|O|||||||||||||||||V1001',
        'MSH|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|20261127082000||MDM^T02|MSG003|P|2.5.1',
        'PID|1||MRN123^^^HOSP^MR||Lopez^Ana||19600214|F',
        'PV1|1|O|||||||||||||||||V1001',
        'TXA|1|PN^Progress note|TX|||||||||DOC-9',
        `OBX|1|TX|PN^Progress note||${obx.repeat(Math.floor((limit * 0.99 - 450) / obx.length))}`,
      ].join('\r'),
    }),
  ] };
  return Object.entries(builders).filter(([p]) => !pipeline || p === pipeline).flatMap(([, build]) => build.map((b) => b()));
}

export interface HostileResult { name: string; format: string; bytes: number; seconds: number; peakRssMb: number; counts: Record<string, number>; reconciled: boolean }

/**
 * Runs one document through a whole night in its own process (so peak RSS is its own), with
 * the shipped defaults except that a one-record night may set its record aside. `fullText`
 * raises the note limits (documents.limits.noteChars, run.maxNoteChars) to the document's
 * size so a note up to it is read and coded in full rather than refused.
 */
export function runHostile(doc: HostileDocument, limit: number, dir: string, options: { fullText?: boolean; cli?: string } = {}): HostileResult {
  const cli = options.cli ?? join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
  const input = join(dir, doc.name);
  mkdirSync(input, { recursive: true });
  writeFileSync(join(input, doc.file), doc.text);
  const config = join(dir, `${doc.name}-config.json`);
  const run = { workers: 1, maxQuarantinedRatio: 1, ...(options.fullText ? { maxNoteChars: Math.max(limit, 10_000) } : {}) };
  writeFileSync(config, JSON.stringify({ database: join(dir, `${doc.name}.db`), outDir: join(dir, `${doc.name}-out`), run }));
  const pipeline = join(dir, `${doc.name}-pipeline.json`);
  const shipped = JSON.parse(readFileSync(join(PROJECT_ROOT, 'pipelines', doc.pipeline), 'utf8')) as Record<string, unknown>;
  const documents = { maxBytes: Math.max(limit, 1024), ...(options.fullText ? { limits: { noteChars: Math.max(limit, 1000) } } : {}) };
  writeFileSync(pipeline, JSON.stringify({ ...shipped, input, documents }));
  const started = performance.now();
  const r = spawnSync(process.execPath, [cli, '--config', config, 'run', '--pipeline', pipeline, '--date', '2026-11-27', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${doc.name}: exit ${r.status}: ${r.stderr.slice(-1000)}`);
  const s = JSON.parse(r.stdout) as { peakRssMb: number; counts: Record<string, number>; reconciled: boolean };
  rmSync(input, { recursive: true, force: true });
  return { name: doc.name, format: doc.pipeline.replace(/^nightly-|\.json$/g, ''), bytes: Buffer.byteLength(doc.text), seconds: Math.round(seconds * 10) / 10, peakRssMb: s.peakRssMb, counts: s.counts, reconciled: s.reconciled };
}

/** The size limit a shipped pipeline configures (else the schema default). */
function shippedLimit(pipeline: string): number {
  const def = JSON.parse(readFileSync(join(PROJECT_ROOT, 'pipelines', pipeline), 'utf8')) as Record<string, unknown>;
  return pipelineSchema.parse({ ...def, input: '.' }).documents.maxBytes;
}

function main(argv: string[]): number {
  const override = flag(argv, '--limit', '');
  const noteChars = limitsSchema.parse({}).noteChars;
  const dir = mkdtempSync(join(tmpdir(), 'nightcode-hostile-bench-'));
  try {
    // Each configured limit at 99%: the document size of each shipped pipeline (with the
    // default field limits, a note longer than documents.limits.noteChars is read, then
    // quarantined), and the note size (read and coded in full).
    const bySize = ['nightly-ccda.json', 'nightly-fhir.json', 'nightly-hl7v2.json'].flatMap((pipeline) => {
      const limit = override ? Number(override) : shippedLimit(pipeline);
      return hostileDocuments(limit, pipeline).map((d) => ({ limit: `documents.maxBytes ${limit}`, ...runHostile(d, limit, mkdtempSync(join(dir, 'bytes-'))) }));
    });
    const byNote = hostileDocuments(noteChars).filter((d) => d.name !== 'elements')
      .map((d) => ({ limit: `documents.limits.noteChars ${noteChars}`, ...runHostile(d, noteChars, mkdtempSync(join(dir, 'note-')), { fullText: true }) }));
    const results = [...bySize, ...byNote];
    if (argv.includes('--json')) process.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
    else for (const r of results) process.stdout.write(`hostile ${r.format} ${r.name} at 99% of ${r.limit}: ${(r.bytes / 1e6).toFixed(2)} MB, ${r.seconds} s, peak RSS ${r.peakRssMb} MB, counts ${JSON.stringify(r.counts)}\n`);
    return results.every((r) => r.reconciled && r.seconds <= 60 && r.peakRssMb <= 1024) ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
