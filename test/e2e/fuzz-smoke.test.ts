import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { baseExports, caseArb, documentIds, encounterLines, mutate, runCase } from '../../fuzz/fuzz-case.js';
import type { FuzzSummary } from '../../fuzz/fuzz.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-fuzz-smoke-');

describe('the fuzz oracle reads inputs without the project readers', () => {
  test('every non-empty line after the header of a CSV is a record, whatever quotes it holds', () => {
    const csv = Buffer.from('EncounterID,Name\r\nE1,"Ann\nE2,Bob\r\n\r\n"E3",x\rE4,"\n');
    expect(encounterLines(csv)).toEqual([{ line: 2, id: 'E1' }, { line: 3, id: 'E2' }, { line: 5, id: 'E3' }, { line: 6, id: 'E4' }]);
  });

  test('encounter ids of documents: HL7 PV1-19, FHIR Encounter ids, known C-CDA ids still present', () => {
    expect(documentIds('hl7v2', Buffer.from('MSH|^~\\&|A||||||ADT^A03|1\rPV1|1|O|||||||||||||||||V1~X^Y\nPV1|1\r\nPV1|1|I|||||||||||||||||V2^A\rMSH|^~\\&|A||||||ORM^O01|2\rPV1|1|O|||||||||||||||||V3'), [])).toEqual(['V1', 'V2']);
    expect(documentIds('fhir', Buffer.from('{"resourceType":"Encounter","id":"e1"}\n{"resourceType":"Patient","id":"p1"}\n{"resourceType":"Encounter","id":"e2","x":1}'), [])).toEqual(['e1', 'e2']);
    expect(documentIds('ccda', Buffer.from('<id root="1.2" extension="enc-7"/>'), ['p1/enc-7^1.2', 'p1/enc-8^1.2'])).toEqual(['p1/enc-7^1.2']);
  });

  test('mutations are pure functions of the case', () => {
    const input = Buffer.from('a,b\r\n1,2\r\n3,4\r\n');
    expect(mutate(input, { op: 'drop-line', line: 0 }, 'csv').toString()).toBe('a,b\r\n3,4\r\n');
    expect(mutate(input, { op: 'double-line', line: 1 }, 'csv').toString()).toBe('a,b\r\n1,2\r\n3,4\r\n3,4\r\n');
    expect(mutate(input, { op: 'line-endings', to: '\n', every: 2 }, 'csv').toString()).toBe('a,b\n1,2\r\n3,4\n');
    expect(mutate(input, { op: 'quote', at: 0.5 }, 'csv').toString()).toBe('a,b\r\n1,"2\r\n3,4\r\n');
  });
});

describe('npm run fuzz (a short seeded slice)', () => {
  test('30 mutated exports of every format: no crash, counts reconcile, no record lost', async () => {
    const base = await baseExports(join(dir, 'base'));
    await fc.assert(fc.asyncProperty(caseArb, async (c) => {
      const outcome = await runCase(c, base, mkdtempSync(join(dir, 'case-')));
      expect(outcome.problems, JSON.stringify(c)).toEqual([]);
    }), { numRuns: 30, seed: 20261130, endOnFailure: true });
  });

  test('the runner counts a case past the time limit as a hang, and writes its summary', () => {
    const out = join(dir, 'summary.json');
    const run = (args: string[]) => spawnSync(process.execPath, [resolve('dist/fuzz/fuzz.js'), '--quiet', '--workers', '1', ...args], { encoding: 'utf8' });
    const ok = run(['--runs', '4', '--seed', '3', '--out', out]);
    expect(ok.status, ok.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(out, 'utf8')) as FuzzSummary;
    expect(summary).toMatchObject({ runs: 4, seed: 3, crashes: 0, hangs: 0, losses: 0, failures: [] });
    expect(Object.values(summary.results).reduce((a, b) => a + b, 0)).toBe(4);
    const hung = run(['--runs', '2', '--seed', '3', '--timeout-ms', '1', '--out', out]);
    expect(hung.status).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ runs: 2, hangs: 2, failures: [{ kind: 'hang' }, { kind: 'hang' }] });
  });
});
