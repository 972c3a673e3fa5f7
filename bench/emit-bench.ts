/**
 * Emit throughput, one thread (= per core): claims per second written as X12 837P and read
 * back through the self-check, against serializing the same claims as JSON lines in the
 * same process (compare the ratio: the machine is noisy).
 *
 *   node dist/bench/emit-bench.js [--claims 50000] [--repeat 3] [--out FILE] [--json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClaimRecord } from '../src/emit/claims/claim-record.js';
import { compareX12Order, DEFAULT_SEPARATORS, write837Ordered, type X12Options } from '../src/emit/x12/x12-837.js';
import { createX12Checker } from '../src/emit/x12/x12-check.js';
import { Prng } from '../src/generate/prng.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { flag, median } from './bench-args.js';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => flag(argv, name, fallback);
const claimsN = Number(arg('--claims', '50000'));
const repeat = Number(arg('--repeat', '3'));
const out = resolve(arg('--out', join(PROJECT_ROOT, 'bench', 'results', 'emit.json')));

const options: X12Options = {
  sender: { id: 'NIGHTCODE', qualifier: 'ZZ', name: 'NIGHTCODE', contactName: 'BILLING OFFICE', contactPhone: '5555550100' },
  receiver: { id: 'BENCH01', qualifier: 'ZZ', name: 'BENCH PAYER' }, usage: 'T', separators: DEFAULT_SEPARATORS,
  control: { isa: 1, gs: 1, st: 1 }, now: new Date('2026-11-28T01:30:00Z'),
  billingProvider: (npi) => ({ npi: npi ?? '1234567893', name: 'BENCH PRACTICE', taxId: '123456789', address: { line1: '1 MAIN ST', city: 'SALEM', state: 'OR', zip: '97301' } }),
  providerName: () => ({ last: 'DOE', first: 'JANE' }), claimFilingIndicator: () => 'CI',
  institutional: { admissionType: '9', admissionSource: '9', patientStatus: '01' },
};

function claims(n: number): ClaimRecord[] {
  const rng = new Prng(11);
  const npis = ['1234567893', '1245319599', '1003000126'];
  return Array.from({ length: n }, (_, i) => {
    const lines = Array.from({ length: rng.int(1, 5) }, (_, k) => ({
      line: k + 1, code: String(rng.int(10000, 99999)), system: 'CPT', modifiers: rng.chance(0.2) ? ['25'] : [], units: rng.int(1, 3),
      charge: rng.int(10, 900) + 0.5, diagnosisPointers: [1, 2].slice(0, rng.int(1, 2)),
    }));
    return {
      claimId: `NC${i}-1`, frequency: '1', claimType: '837P', source: 'bench', encounterId: `E${i}`, contentHash: 'h',
      patient: { id: `P${i}`, firstName: 'ANN', lastName: `SMITH${i % 97}`, birthDate: '1960-05-01', sex: 'F', address: { line1: `${i} ELM ST`, city: 'SALEM', state: 'OR', zip: '97301' } },
      coverage: { payerId: 'BENCH01', payerName: 'BENCH PAYER', memberId: `M${i}`, relationship: '18' },
      providers: { billingNpi: npis[i % 3]!, renderingNpi: npis[(i + 1) % 3]! }, serviceDate: '2026-11-27', placeOfService: '11',
      diagnoses: [{ sequence: 1, code: 'E11.9', confidence: 0.9, rulePath: 'b' }, { sequence: 2, code: 'I10', confidence: 0.9, rulePath: 'b' }],
      lines, totalCharge: lines.reduce((s, l) => s + l.charge, 0), confidence: 0.9, warnings: [],
    };
  });
}

function main(): void {
  const batch = claims(claimsN);
  const time = (fn: () => number) => {
    const started = performance.now();
    const bytes = fn();
    return { ms: performance.now() - started, bytes };
  };
  // As a night writes a file: claims in file order, each segment handed to the file and to the
  // streaming self-check as it is made (the file write itself is left out: this is the CPU).
  const x12 = () => {
    const ordered = [...batch].sort((a, b) => compareX12Order(
      { billingNpi: a.providers.billingNpi, memberId: a.coverage.memberId, claimId: a.claimId },
      { billingNpi: b.providers.billingNpi, memberId: b.coverage.memberId, claimId: b.claimId }));
    const checker = createX12Checker();
    let chars = 0;
    write837Ordered([{ kind: '837P', count: ordered.length, claims: ordered }], options, (segment) => {
      chars += segment.length;
      checker.push(segment);
    });
    const problems = checker.finish();
    if (problems.length > 0) throw new Error(`self-check failed: ${problems[0]!.message}`);
    return chars;
  };
  const jsonl = () => batch.reduce((n, c) => n + JSON.stringify(c).length + 1, 0);
  x12();
  jsonl();
  const x12Ms: number[] = [];
  const jsonMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < repeat; i++) {
    const a = time(x12);
    bytes = a.bytes;
    x12Ms.push(a.ms);
    jsonMs.push(time(jsonl).ms);
  }
  const result = {
    at: new Date().toISOString(), node: process.version, claims: claimsN, repeat, x12Bytes: bytes,
    x12WriteAndCheck: { medianMs: Math.round(median(x12Ms)), claimsPerSecondPerCore: Math.round(claimsN / (median(x12Ms) / 1000)) },
    jsonLines: { medianMs: Math.round(median(jsonMs)), claimsPerSecondPerCore: Math.round(claimsN / (median(jsonMs) / 1000)) },
    ratioX12ToJson: Math.round((median(x12Ms) / median(jsonMs)) * 10) / 10,
  };
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(`emit: ${result.x12WriteAndCheck.claimsPerSecondPerCore} claims/s per core written as 837P and self-checked (${claimsN} claims, ${(bytes / 1e6).toFixed(1)} MB, median of ${repeat}); JSON lines ${result.jsonLines.claimsPerSecondPerCore} claims/s; ratio ${result.ratioX12ToJson}x\n`);
}

main();
