import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { loadPipeline } from '../src/config/load.js';
import { configSchema } from '../src/config/schema.js';
import { asRunError } from '../src/contract/errors.js';
import { generateSampleExport } from '../src/generate/sample-export.js';
import { silentLogger } from '../src/log/logger.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { runPipeline } from '../src/run/runner.js';

/**
 * One fuzz case: a small export in one format, mutated the way careless export jobs and
 * attackers do (byte flips, stray quotes, truncation, line-ending mixes, huge fields,
 * foreign encodings, control characters, deep nesting, dropped or doubled lines), run
 * through a night. The oracle is independent of the readers: the night ends completed or
 * with a named run error (never INTERNAL), the counts reconcile, and for CSV every line of
 * the encounters file (counted naively) is one input record that ends in one place: a
 * quarantine row naming its line, or its encounter id among the released or held claims.
 */
export const FORMATS = ['csv', 'ccda', 'hl7v2', 'fhir'] as const;
export type FuzzFormat = (typeof FORMATS)[number];

export type Mutation =
  | { op: 'flip'; at: number; byte: number }
  | { op: 'quote'; at: number }
  | { op: 'truncate'; at: number }
  | { op: 'line-endings'; to: '\n' | '\r' | '\r\n'; every: number }
  | { op: 'huge'; at: number; size: number; char: string }
  | { op: 'bytes'; at: number; bytes: number[] }
  | { op: 'drop-line'; line: number }
  | { op: 'double-line'; line: number }
  | { op: 'nest'; depth: number };

export interface FuzzCase {
  format: FuzzFormat;
  /** Which file of the export the mutations hit (index into its sorted files). */
  file: number;
  mutations: Mutation[];
}

// Where in the file a mutation lands, as a fraction: mostly uniform (fast-check's own bias would
// put nearly every mutation in the header), sometimes at the very start or end.
const position = fc.oneof(
  { weight: 9, arbitrary: fc.noBias(fc.integer({ min: 0, max: 1_000_000 })).map((n) => n / 1_000_000) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1) },
);
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('quote' as const), at: position }),
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({ op: fc.constant('line-endings' as const), to: fc.constantFrom('\n' as const, '\r' as const, '\r\n' as const), every: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('huge' as const), at: position, size: fc.integer({ min: 1000, max: 400_000 }), char: fc.constantFrom('x', 'a.', '"', ',', 'é', '\u0000', ' ', '<a>', '{"a":') }),
  fc.record({ op: fc.constant('bytes' as const), at: position, bytes: fc.array(fc.constantFrom(0x00, 0x0b, 0x1c, 0x80, 0xc3, 0xff, 0xfe, 0xe9, 0x28, 0x22, 0x0d, 0x0a), { minLength: 1, maxLength: 6 }) }),
  fc.record({ op: fc.constant('drop-line' as const), line: position }),
  fc.record({ op: fc.constant('double-line' as const), line: position }),
  fc.record({ op: fc.constant('nest' as const), depth: fc.integer({ min: 10, max: 20_000 }) }),
);
export const caseArb: fc.Arbitrary<FuzzCase> = fc.record({
  format: fc.constantFrom(...FORMATS),
  file: fc.nat({ max: 9 }),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
});

const at = (buf: Buffer, p: number) => Math.min(buf.length, Math.floor(p * buf.length));

function lines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let s = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) { out.push(buf.subarray(s, i + 1)); s = i + 1; }
  if (s < buf.length) out.push(buf.subarray(s));
  return out;
}

export function mutate(input: Buffer, m: Mutation, format: FuzzFormat): Buffer {
  switch (m.op) {
    case 'flip': {
      const b = Buffer.from(input);
      if (b.length > 0) b[Math.min(b.length - 1, at(b, m.at))] = m.byte;
      return b;
    }
    case 'quote': return Buffer.concat([input.subarray(0, at(input, m.at)), Buffer.from('"'), input.subarray(at(input, m.at))]);
    case 'truncate': return input.subarray(0, at(input, m.at));
    case 'line-endings': {
      let n = 0;
      return Buffer.from(input.toString('latin1').replace(/\r\n|\n|\r/g, (eol) => (n++ % m.every === 0 ? m.to : eol)), 'latin1');
    }
    case 'huge': return Buffer.concat([input.subarray(0, at(input, m.at)), Buffer.from(m.char.repeat(Math.ceil(m.size / m.char.length))), input.subarray(at(input, m.at))]);
    case 'bytes': return Buffer.concat([input.subarray(0, at(input, m.at)), Buffer.from(m.bytes), input.subarray(at(input, m.at))]);
    case 'drop-line':
    case 'double-line': {
      const ls = lines(input);
      if (ls.length < 2) return input;
      const i = 1 + Math.min(ls.length - 2, Math.floor(m.line * (ls.length - 1)));
      return Buffer.concat(m.op === 'drop-line' ? [...ls.slice(0, i), ...ls.slice(i + 1)] : [...ls.slice(0, i + 1), ls[i]!, ...ls.slice(i + 1)]);
    }
    case 'nest': {
      // Deep nesting where the format has it: XML elements, JSON arrays; HL7 and CSV get repetition separators.
      const open = format === 'ccda' ? '<x>' : format === 'fhir' ? '[' : '~';
      const close = format === 'ccda' ? '</x>' : format === 'fhir' ? ']' : '';
      const p = at(input, 0.5);
      return Buffer.concat([input.subarray(0, p), Buffer.from(open.repeat(m.depth) + close.repeat(m.depth)), input.subarray(p)]);
    }
  }
}

/** The pristine exports every case starts from, written once per folder. */
export type FormatExports = Record<FuzzFormat, string>;

export async function baseExports(dir: string): Promise<FormatExports> {
  const out = { csv: join(dir, 'base-csv'), ccda: join(dir, 'base-ccda'), hl7v2: join(dir, 'base-hl7v2'), fhir: join(dir, 'base-fhir') };
  if (!existsSync(out.csv)) await generateSampleExport({ outDir: out.csv, encounters: 24, seed: 11, kind: 'mixed', businessDate: '2026-11-27', brokenRate: 0 });
  if (!existsSync(out.ccda)) {
    mkdirSync(out.ccda, { recursive: true });
    const ccda = resolve(PROJECT_ROOT, '..', 'shared', 'samples', 'ccda-synthea');
    for (const f of readdirSync(ccda).sort().slice(0, 3)) cpSync(join(ccda, f), join(out.ccda, f));
  }
  if (!existsSync(out.hl7v2)) {
    mkdirSync(out.hl7v2, { recursive: true });
    for (let v = 1; v <= 3; v++) {
      writeFileSync(join(out.hl7v2, `visit-${v}.hl7`), [
        `MSH|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|2026112708000${v}||ADT^A03^ADT_A03|MSG${v}|P|2.5.1`,
        'EVN|A03|20261127080000',
        `PID|1||MRN${v}^^^HOSP^MR||Lopez^Ana^Maria||19600214|F|||1 Main St^^Boston^MA^02110`,
        `PV1|1|O|CLINIC||||1245319599^Smith^John^^^^^^NPI||||||||||||V${v}|||||||||||||||||||||||||20261127080000|20261127100000`,
        'DG1|1|I10|J18.9^Pneumonia, unspecified organism^I10|Pneumonia||F',
        'IN1|1|MCR|MCR01|Medicare|||||||||||||SEL|||||||||||||||||||1EG4TE5MK73',
        `MSH|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|2026112709000${v}||MDM^T02|MSGN${v}|P|2.5.1`,
        `PID|1||MRN${v}^^^HOSP^MR||Lopez^Ana`,
        `PV1|1|O|||||||||||||||||V${v}`,
        'TXA|1|PN^Progress note|TX|||||||||DOC-9',
        'OBX|1|TX|PN^Progress note||Assessment: pneumonia. Denies chest pain.\\.br\\Plan: antibiotics.',
      ].join('\r') + '\r');
    }
  }
  if (!existsSync(out.fhir)) {
    mkdirSync(out.fhir, { recursive: true });
    const entries = [1, 2, 3].flatMap((i) => [
      { fullUrl: `urn:uuid:p${i}`, resource: { resourceType: 'Patient', id: `p${i}`, name: [{ family: 'Doe', given: ['Jo'] }], gender: 'female', birthDate: '1960-01-01', address: [{ line: ['1 Main St'], city: 'Salem', state: 'OR', postalCode: '97301' }] } },
      { fullUrl: `urn:uuid:e${i}`, resource: { resourceType: 'Encounter', id: `e${i}`, status: 'finished', class: { code: 'AMB' }, subject: { reference: `urn:uuid:p${i}` }, period: { start: '2026-11-27T10:00:00Z' } } },
      { fullUrl: `urn:uuid:c${i}`, resource: { resourceType: 'Condition', id: `c${i}`, subject: { reference: `urn:uuid:p${i}` }, encounter: { reference: `urn:uuid:e${i}` }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10' }] } } },
    ]);
    writeFileSync(join(out.fhir, 'bundle.json'), JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: entries }));
    writeFileSync(join(out.fhir, 'Encounter.ndjson'), [4, 5].map((i) => JSON.stringify({ resourceType: 'Encounter', id: `e${i}`, status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p1' }, period: { start: '2026-11-27T10:00:00Z' } })).join('\n') + '\n');
  }
  return out;
}

export interface FuzzOutcome {
  ok: boolean;
  /** completed, or the run error's code. */
  result: string;
  problems: string[];
  ms: number;
}

const PIPELINES: Record<FuzzFormat, string> = { csv: 'nightly-csv.json', ccda: 'nightly-ccda.json', hl7v2: 'nightly-hl7v2.json', fhir: 'nightly-fhir.json' };

/** The encounter lines of a CSV file as bytes, counted without any CSV reader: every non-empty line after the first. */
export function encounterLines(buf: Buffer): { line: number; id: string }[] {
  const text = buf.toString('latin1');
  const out: { line: number; id: string }[] = [];
  const parts = text.split(/\r\n|\n|\r/);
  if (parts.at(-1) === '') parts.pop();
  let header = true;
  parts.forEach((l, i) => {
    if (l === '') return;
    if (header) { header = false; return; }
    out.push({ line: i + 1, id: l.split(',')[0]!.trim().replace(/^"|"$/g, '') });
  });
  return out;
}

/** Encounter ids read from a document without the project's readers: HL7 PV1-19, FHIR Encounter ids as written, C-CDA ids of the pristine night still present. */
export function documentIds(format: FuzzFormat, buf: Buffer, known: readonly string[]): string[] {
  const text = buf.toString('latin1');
  if (format === 'hl7v2') {
    // Visits of billing messages (ADT^A03, DFT^P03): the PV1-19 after such an MSH. Other
    // messages are notes and updates, which never make a record alone.
    const ids: string[] = [];
    let billing = false;
    for (const seg of text.split(/\r\n|\n|\r/)) {
      if (seg.startsWith('MSH|')) billing = /^(ADT\^A03|DFT\^P0?3|DFT\^P11)(\^|$)/.test(seg.split('|')[8] ?? '');
      else if (billing && seg.startsWith('PV1|')) ids.push((seg.split('|')[19] ?? '').split('~')[0]!.split('^')[0]!.trim());
    }
    return ids.filter(Boolean);
  }
  if (format === 'fhir') return [...text.matchAll(/"resourceType":"Encounter","id":"([^"\\]+)"/g)].map((m) => m[1]!.trim()).filter(Boolean);
  // C-CDA encounter ids are patient/extension^root: the extension is what the file holds.
  return known.filter((id) => text.includes(id.slice(id.indexOf('/') + 1).split('^')[0]!));
}

const pristine = new Map<string, Promise<string[]>>();
/** The encounter ids the unmutated export yields (one night per worker, remembered). */
function pristineIds(dir: string, format: FuzzFormat): Promise<string[]> {
  let ids = pristine.get(dir);
  if (!ids) {
    ids = (async () => {
      const work = mkdtempSync(join(tmpdir(), 'nightcode-fuzz-pristine-'));
      try {
        const config = configSchema.parse({ database: join(work, 'n.db'), outDir: join(work, 'out'), run: { workers: 0 } });
        const s = await runPipeline({ config, pipeline: loadPipeline(join(PROJECT_ROOT, 'pipelines', PIPELINES[format])), businessDate: '2026-11-27', inputDir: dir, log: silentLogger() });
        const out = parse(readFileSync(join(s.outDir, 'exceptions.csv')), { columns: true, bom: true }) as Record<string, string>[];
        const claims = readFileSync(join(s.outDir, 'claims.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { encounterId: string }).encounterId);
        return [...new Set([...claims, ...out.map((r) => r.encounter_id!)])].filter(Boolean);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    })();
    pristine.set(dir, ids);
  }
  return ids;
}

export async function runCase(c: FuzzCase, base: FormatExports, dir: string): Promise<FuzzOutcome> {
  const started = performance.now();
  const input = join(dir, 'export');
  cpSync(base[c.format], input, { recursive: true });
  const files = readdirSync(input).sort();
  const target = join(input, files[c.file % files.length]!);
  let bytes: Buffer = readFileSync(target);
  for (const m of c.mutations) bytes = mutate(bytes, m, c.format);
  writeFileSync(target, bytes);
  const config = configSchema.parse({
    database: join(dir, 'n.db'), outDir: join(dir, 'out'),
    run: { workers: 0, chunkSize: 10, maxQuarantinedRatio: 1, maxQuarantined: 100_000, recordBudgetMs: 20_000 },
  });
  const problems: string[] = [];
  let result = 'completed';
  try {
    const s = await runPipeline({ config, pipeline: loadPipeline(join(PROJECT_ROOT, 'pipelines', PIPELINES[c.format])), businessDate: '2026-11-27', inputDir: input, log: silentLogger() });
    const n = s.counts;
    if (!s.reconciled || n.input !== n.released + n.exception + n.quarantined + n.unchanged) problems.push(`counts do not reconcile: ${JSON.stringify(n)}`);
    // The outputs are ours and well formed: read them with a CSV reader (ids may carry a formula guard).
    const rows = (name: string) => parse(readFileSync(join(s.outDir, name)), { columns: true, bom: true }) as Record<string, string>[];
    const unguard = (v: string | undefined) => (v ?? '').replace(/^'(?=[=+\-@\t\r])/, '');
    const quarantine = rows('quarantine.csv');
    const released = new Set<string>();
    for (const l of readFileSync(join(s.outDir, 'claims.jsonl'), 'utf8').split('\n').filter(Boolean)) released.add((JSON.parse(l) as { encounterId: string }).encounterId);
    const held = new Set(rows('exceptions.csv').filter((r) => r.record_state === 'exception').map((r) => unguard(r.encounter_id)));
    const twice = [...released].filter((id) => held.has(id));
    if (twice.length > 0) problems.push(`released and held at once: ${twice.slice(0, 3).join(', ')}`);
    const placed = (id: string) => released.has(id) || held.has(id);
    if (c.format === 'csv') {
      const raw = encounterLines(readFileSync(join(input, 'encounters.csv')));
      if (raw.length !== n.input) problems.push(`the encounters file holds ${raw.length} lines of records; the run read ${n.input} input records`);
      const quarantined = new Set(quarantine.filter((r) => r.role === 'encounters' && r.file === 'encounters.csv').map((r) => Number(r.line)));
      const lost = raw.filter((r) => !quarantined.has(r.line) && !placed(r.id));
      if (lost.length > 0) problems.push(`${lost.length} encounter line(s) in no output: ${lost.slice(0, 3).map((r) => `line ${r.line} (${r.id.slice(0, 20)})`).join(', ')}`);
    } else {
      // Documents: an encounter id still readable in a file, by the naive reading below, is in an
      // output, or a quarantine row names it or its file.
      const qIds = new Set(quarantine.map((r) => unguard(r.encounter_id)).filter(Boolean));
      const qFiles = new Set(quarantine.map((r) => r.file));
      const known = c.format === 'ccda' ? await pristineIds(base.ccda, 'ccda') : [];
      const lost: string[] = [];
      // HL7 and FHIR encounter ids are patient/visit[^authority] (the fuzz's FHIR Encounters
      // carry no identifier: patient/id): a visit number or resource id is found inside one.
      const all = [...released, ...held, ...qIds];
      const found = c.format === 'hl7v2' || c.format === 'fhir' ? (id: string) => all.some((x) => x === id || x.endsWith(`/${id}`) || x.includes(`/${id}^`)) : (id: string) => placed(id) || qIds.has(id);
      for (const f of readdirSync(input).sort()) {
        if (qFiles.has(f)) continue;
        for (const id of documentIds(c.format, readFileSync(join(input, f)), known)) if (!found(id)) lost.push(`${f}: ${id.slice(0, 40)}`);
      }
      if (lost.length > 0) problems.push(`${lost.length} encounter(s) in no output: ${lost.slice(0, 3).join(', ')}`);
    }
  } catch (err) {
    const e = asRunError(err);
    result = e.code;
    if (e.code === 'INTERNAL') problems.push(`crash: ${(err as Error).stack?.split('\n').slice(0, 4).join(' | ')}`);
  }
  return { ok: problems.length === 0, result, problems, ms: Math.round(performance.now() - started) };
}
