import { describe, expect, test } from 'vitest';
import { CANONICAL_MAPPING } from '../../src/config/schema.js';
import type { Lexicon } from '../../src/abstract/lexicon/lexicon.js';
import { loadStarterLexicon } from '../../src/abstract/lexicon/starter-lexicon.js';
import { processRecordSafely } from '../../src/run/process-record.js';
import type { RecordContext } from '../../src/run/record-context.js';
import type { LedgerRow } from '../../src/run/run-repository.js';

const ctx: RecordContext = {
  runId: 3, businessDate: '2026-11-27', sourceSystem: 'EHR', defaultKind: 'professional', mapping: CANONICAL_MAPPING,
  validate: { businessDate: '2026-11-27', payerIds: [], autoReleaseConfidence: 0.8 }, database: ':memory:',
};
const bundle = {
  staged: { seq: 7, encounterId: 'E7', patientId: 'P7', file: 'encounters.csv', line: 8, data: { $canonical: '1', encounterId: 'E7', patientId: 'P7', serviceDate: '2026-11-27' } },
  children: [{ role: 'notes' as const, row: { file: 'notes.csv', line: 3, data: { encounterId: 'E7', text: 'Assessment: hypertension.' } } }],
  rejectedChildren: [],
};

describe('a record whose processing throws', () => {
  test('is held with RUN_RECORD_FAILED and its ledger keeps what was billed; the error, not the data, is named', () => {
    const broken = new Proxy({}, { get: () => { throw new TypeError('lexicon exploded\nwith a second line'); } }) as Lexicon;
    const basis: LedgerRow = { source: 'EHR', encounter_id: 'E7', last_hash: 'h', last_state: 'released', last_run_id: 1, billed_hash: 'h', billed_claim_id: 'NC1-1', billed_run_id: 1, claim_version: 1, prior: null, updated_at: '' };
    const o = processRecordSafely(bundle, basis, ctx, { lexicon: broken });
    expect(o.state).toBe('exception');
    expect(o.exceptions.map((x) => [x.code, x.severity, x.sourceFile, x.sourceLine])).toEqual([['RUN_RECORD_FAILED', 'error', 'encounters.csv', 8]]);
    expect(o.exceptions[0]!.message).toBe('processing failed (TypeError: lexicon exploded); the record is held, the night went on: report it with the encounter id');
    expect(o.exceptions[0]!.message).not.toContain('hypertension');
    expect(o.ledger).toMatchObject({ last_state: 'exception', billed_claim_id: 'NC1-1', claim_version: 1 });
  });
});

describe('a record over its budget', () => {
  const lexicon = loadStarterLexicon();
  const withNote = (text: string) => ({ ...bundle, children: [{ role: 'notes' as const, row: { file: 'notes.csv', line: 3, data: { encounterId: 'E7', text } } }] });

  test('notes larger than run.maxNoteChars are held unread, deterministically', () => {
    const o = processRecordSafely(withNote('x'.repeat(20_001)), undefined, { ...ctx, maxNoteChars: 20_000 }, { lexicon });
    expect(o.state).toBe('exception');
    expect(o.exceptions[0]).toMatchObject({ code: 'RUN_RECORD_BUDGET_EXCEEDED', message: expect.stringMatching(/^notes of 20001 characters, over run\.maxNoteChars \(20000\): the record is held/) });
  });

  test('a record slower than run.recordBudgetMs is held after the stage that ran over', () => {
    const o = processRecordSafely(withNote('Assessment: hypertension. '.repeat(2000)), undefined, { ...ctx, recordBudgetMs: 0 }, { lexicon });
    expect(o.exceptions[0]).toMatchObject({ code: 'RUN_RECORD_BUDGET_EXCEEDED', message: expect.stringMatching(/^abstraction took \d+ ms, over the record budget run\.recordBudgetMs \(0 ms\)/) });
  });
});

describe('text work stays linear in the input (the test timeout is the guard)', () => {
  const lexicon = loadStarterLexicon();
  const run = (text: string) => processRecordSafely({ ...bundle, children: [{ role: 'notes', row: { file: 'notes.csv', line: 3, data: { encounterId: 'E7', text } } }] }, undefined, ctx, { lexicon });
  test.each([
    ['a 1 MB token', 'x'.repeat(1_000_000)],
    ['a 1 MB run of "a.b"', 'a.b'.repeat(333_334)],
    ['a 1 MB run-on sentence of negations, history and family mentions', 'Assessment: hypertension, denies chest pain, no fever, mother had breast cancer, history of asthma, rule out pneumonia, '.repeat(9_000)],
    ['1 MB of data sentences without periods', 'labs reviewed, ct ordered, results of cbc and cmp obtained '.repeat(17_000)],
  ])('%s is processed to an end state', (_name, text) => {
    expect(['released', 'exception']).toContain(run(text).state);
  }, 20_000);
});
