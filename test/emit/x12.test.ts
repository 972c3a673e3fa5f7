import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ClaimRecord } from '../../src/emit/claims/claim-record.js';
import { allocateControlNumbers } from '../../src/emit/x12/control-numbers.js';
import { DEFAULT_SEPARATORS, MAX_CLAIMS_PER_TRANSACTION, write837, write837Interchange, type X12Options } from '../../src/emit/x12/x12-837.js';
import { checkInterchange, parseInterchange } from '../../src/emit/x12/x12-check.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';
import { assertValidX12, assertValidX12Text } from '../helpers/x12-validate.js';

const SAMPLES = resolve('..', 'shared', 'samples', 'x12-837');
const GOLDEN = resolve('test', 'golden', 'x12');
const dir = tempDir('nightcode-x12-writer-');

const options: X12Options = {
  sender: { id: 'NIGHTCODE', qualifier: 'ZZ', name: 'NIGHTCODE CLINIC', contactName: 'BILLING OFFICE', contactPhone: '5555550100' },
  receiver: { id: 'ACME01', qualifier: 'ZZ', name: 'ACME HEALTH' },
  usage: 'T', separators: DEFAULT_SEPARATORS, control: { isa: 42, gs: 7, st: 3 }, now: new Date('2026-11-28T01:30:00Z'),
  billingProvider: (npi) => ({ npi: npi ?? '1234567893', name: 'Riverside Family Practice', taxId: '123456789', address: { line1: '100 Main St', city: 'Salem', state: 'OR', zip: '973011234' } }),
  providerName: () => ({ last: 'Kildare', first: 'Ben' }),
  claimFilingIndicator: () => 'CI',
  institutional: { admissionType: '9', admissionSource: '9', patientStatus: '01' },
};

const professional: ClaimRecord[] = [
  {
    claimId: 'NCAAA-1', frequency: '1', claimType: '837P', source: 's', encounterId: 'E1', contentHash: 'h',
    patient: { id: 'P1', firstName: 'Renée', lastName: 'Müller', birthDate: '1960-05-01', sex: 'F', address: { line1: '12 Elm St', city: 'Salem', state: 'OR', zip: '97301' } },
    coverage: { payerId: 'ACME01', payerName: 'Acme Health', memberId: 'M100', relationship: '18' },
    providers: { billingNpi: '1234567893', renderingNpi: '1245319599' }, serviceDate: '2026-11-27', placeOfService: '11',
    diagnoses: [{ sequence: 1, code: 'M17.11', confidence: 0.9, rulePath: 'r' }, { sequence: 2, code: 'I10', confidence: 0.9, rulePath: 'r' }],
    lines: [
      { line: 1, code: '99213', system: 'CPT', modifiers: ['25'], units: 1, charge: 115, diagnosisPointers: [1, 2] },
      { line: 2, code: '20610', system: 'CPT', modifiers: ['RT'], units: 1, charge: 180.5, diagnosisPointers: [1] },
    ],
    totalCharge: 295.5, confidence: 0.9, warnings: [],
  },
  {
    claimId: 'NCBBB-2', frequency: '7', originalClaimId: 'NCBBB-1', claimType: '837P', source: 's', encounterId: 'E2', contentHash: 'h',
    patient: { id: 'P2', firstName: 'Tom', lastName: 'Smith', birthDate: '2015-02-03', sex: 'M', address: { line1: '12 Elm St', city: 'Salem', state: 'OR', zip: '97301' } },
    coverage: { payerId: 'ACME01', payerName: 'Acme Health', memberId: 'M200', relationship: '19', subscriber: { firstName: 'Ann', lastName: 'Smith', birthDate: '1985-07-04', sex: 'F' } },
    providers: { billingNpi: '1234567893', renderingNpi: '1234567893' }, serviceDate: '2026-11-26', placeOfService: '11',
    diagnoses: [{ sequence: 1, code: 'J02.9', confidence: 0.9, rulePath: 'r' }],
    lines: [{ line: 1, code: '87880', system: 'CPT', modifiers: [], units: 1, charge: 28, diagnosisPointers: [1] }],
    totalCharge: 28, confidence: 0.9, warnings: [],
  },
];

const institutional: ClaimRecord[] = [{
  claimId: 'NCCCC-1', frequency: '1', claimType: '837I', source: 's', encounterId: 'E3', contentHash: 'h',
  patient: { id: 'P3', firstName: 'Ravi', lastName: 'Silva', birthDate: '1950-01-01', sex: 'M', address: { line1: '9 Oak Ave', city: 'Salem', state: 'OR', zip: '97301' } },
  coverage: { payerId: 'ACME01', payerName: 'Acme Health', memberId: 'M300', relationship: '18' },
  providers: { billingNpi: '1234567893', attendingNpi: '1245319599' },
  serviceDate: '2026-11-27', admissionDate: '2026-11-24', dischargeDate: '2026-11-27', facilityType: '111',
  institutional: { admissionType: '1', admissionSource: '2', dischargeStatus: '20' },
  // A principal, 13 others (two HI of other diagnoses), an external cause (its own HI, ABN); Z85.3 is POA exempt (1: blank).
  diagnoses: Array.from({ length: 15 }, (_, i) => ({ sequence: i + 1, code: ['J18.9', 'E11.22', 'N18.4', 'I10', 'Z79.4', 'E78.5', 'K21.9', 'F41.9', 'M17.11', 'G47.33', 'E66.9', 'J45.909', 'I48.91', 'Z85.3', 'W19.XXXA'][i]!, poa: i >= 13 ? '1' : i === 12 ? 'N' : 'Y', confidence: 0.9, rulePath: 'r' })),
  admittingDiagnosis: 'R06.02',
  icd10pcs: [{ sequence: 1, code: '0BH17EZ', date: '2026-11-24', confidence: 0.95, rulePath: 'r' }, { sequence: 2, code: '5A1955Z', date: '2026-11-25', confidence: 0.95, rulePath: 'r' }],
  lines: [
    { line: 1, system: 'OTHER', modifiers: [], units: 3, charge: 4500, revenueCode: '0120', diagnosisPointers: [1] },
    { line: 2, code: '71046', system: 'CPT', modifiers: [], units: 1, charge: 210, revenueCode: '0320', diagnosisPointers: [1] },
  ],
  totalCharge: 4710, confidence: 0.9, warnings: [],
}];

/** Golden files are written deliberately (UPDATE_GOLDEN=1), never in CI. */
function golden(name: string, text: string): string {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1' && !process.env.CI) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, text);
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing; write it with UPDATE_GOLDEN=1`);
  return readFileSync(file, 'utf8');
}

const ids = (text: string) => parseInterchange(text).segments.map((s) => s[0]!);
const segs = (text: string) => parseInterchange(text).segments.map((s) => s.join('*'));

describe('837 writers', () => {
  test('837P matches its golden file and passes the self-check', () => {
    const text = write837('837P', professional, options);
    expect(text).toBe(golden('professional.837', text));
    expect(checkInterchange(text)).toEqual([]);
    assertValidX12Text(text, dir, 'professional.837');
    const s = segs(text);
    expect(s[0]).toBe('ISA*00*          *00*          *ZZ*NIGHTCODE      *ZZ*ACME01         *261128*0130*^*00501*000000042*0*T*:');
    expect(s).toContain('GS*HC*NIGHTCODE*ACME01*20261128*0130*7*X*005010X222A1');
    expect(s).toContain('NM1*IL*1*MULLER*RENEE****MI*M100');
    expect(s).toContain('CLM*NCAAA-1*295.50***11:B:1*Y*A*Y*Y');
    expect(s).toContain('HI*ABK:M1711*ABF:I10');
    expect(s).toContain('SV1*HC:99213:25*115.00*UN*1***1:2');
    expect(s).toContain('NM1*82*1*KILDARE*BEN****XX*1245319599');
    // A dependent: subscriber loop with child code 1, then the patient loop (2000C); a replacement with REF*F8.
    expect(s).toContain('HL*3*1*22*1');
    expect(s).toContain('HL*4*3*23*0');
    expect(s).toContain('PAT*19');
    expect(s).toContain('CLM*NCBBB-2*28.00***11:B:7*Y*A*Y*Y');
    expect(s).toContain('REF*F8*NCBBB-1');
  });

  test('837I matches its golden file: statement and admission dates, CL1, POA, HI split at 12, PCS principal and others', () => {
    const text = write837('837I', institutional, { ...options, control: { isa: 43, gs: 8, st: 4 } });
    expect(text).toBe(golden('institutional.837', text));
    expect(checkInterchange(text)).toEqual([]);
    const s = segs(text);
    expect(s).toContain('CLM*NCCCC-1*4710.00***11:A:1**A*Y*Y');
    expect(s).toContain('DTP*434*RD8*20261124-20261127');
    expect(s).toContain('DTP*435*D8*20261124');
    // CL1 from the claim (the export), not the configured defaults: a patient who died goes out as 20.
    expect(s).toContain('CL1*1*2*20');
    // TR3 5010 837I 2300: the principal diagnosis alone (ABK), the admitting one (ABJ), external
    // causes in their own HI (ABN), other diagnoses 12 per HI; POA blank for exempt codes.
    expect(s.filter((x) => x.startsWith('HI*'))).toEqual([
      'HI*ABK:J189:::::::Y', 'HI*ABJ:R0602', 'HI*ABN:W19XXXA',
      'HI*ABF:E1122:::::::Y*ABF:N184:::::::Y*ABF:I10:::::::Y*ABF:Z794:::::::Y*ABF:E785:::::::Y*ABF:K219:::::::Y*ABF:F419:::::::Y*ABF:M1711:::::::Y*ABF:G4733:::::::Y*ABF:E669:::::::Y*ABF:J45909:::::::Y*ABF:I4891:::::::N',
      'HI*ABF:Z853',
      // The principal procedure alone (BBR), the others (BBQ), each on the date it was done.
      'HI*BBR:0BH17EZ:D8:20261124', 'HI*BBQ:5A1955Z:D8:20261125',
    ]);
    assertValidX12Text(text, dir, 'institutional.837');
    expect(s).toContain('NM1*71*1*KILDARE*BEN****XX*1245319599');
    expect(s).toContain('SV2*0320*HC:71046*210.00*UN*1');
  });

  test('an outpatient 837I (13x): reasons for visit (APR), CL1 defaults, no POA or admission date, valid', () => {
    const visit: ClaimRecord = {
      ...institutional[0]!, claimId: 'NCOUT-1', facilityType: '131', admissionDate: undefined, dischargeDate: undefined, serviceDate: '2026-11-27',
      institutional: undefined, admittingDiagnosis: undefined, visitReasons: ['R07.9'], icd10pcs: undefined,
      diagnoses: [{ sequence: 1, code: 'R07.89', confidence: 0.9, rulePath: 'r' }, { sequence: 2, code: 'I10', confidence: 0.9, rulePath: 'r' }],
      lines: [{ line: 1, code: '93005', system: 'CPT', modifiers: [], units: 1, charge: 120, revenueCode: '0730', diagnosisPointers: [1] }], totalCharge: 120,
    };
    const text = write837('837I', [visit], options);
    const s = segs(text);
    expect(s).toContain('CLM*NCOUT-1*120.00***13:A:1**A*Y*Y');
    expect(s).toContain('DTP*434*RD8*20261127-20261127');
    expect(s.some((x) => x.startsWith('DTP*435'))).toBe(false);
    expect(s).toContain('CL1*9*9*01');
    expect(s.filter((x) => x.startsWith('HI*'))).toEqual(['HI*ABK:R0789', 'HI*APR:R079', 'HI*ABF:I10']);
    assertValidX12Text(text, dir, 'outpatient.837');
  });

  test('the golden files pass the independent validator (pyx12)', () => {
    assertValidX12(readdirSync(GOLDEN).filter((f) => f.endsWith('.837')).map((f) => join(GOLDEN, f)));
  });

  test('placeholders are reported, and a file that validates is still not ready with them', () => {
    const seen: string[] = [];
    const text = write837('837I', institutional, {
      ...options, billingProvider: (npi) => ({ npi: npi ?? '', name: 'BILLING PROVIDER', taxId: '000000000', address: { line1: 'ADDRESS NOT CONFIGURED', city: 'NOT CONFIGURED', state: 'XX', zip: '000000000' }, placeholder: true }),
      providerName: (npi) => ({ last: `PROVIDER ${npi}`, placeholder: true }), onPlaceholder: (what) => seen.push(what),
    });
    expect([...new Set(seen)]).toEqual(['billing provider 1234567893 (x12.billingProviders)', 'provider name of 1245319599 (x12.providerNames)']);
    assertValidX12Text(text, dir, 'placeholders.837');
  });

  test('values are cut to their element lengths and kept in the basic character set', () => {
    const long = { ...professional[0]!, patient: { ...professional[0]!.patient, lastName: `Ñ${'x'.repeat(5000)}`, firstName: 'Zoë*~:^' } };
    const text = write837('837P', [long], options);
    const nm1 = segs(text).find((x) => x.startsWith('NM1*IL'))!.split('*');
    expect(nm1[3]).toHaveLength(60);
    expect(nm1[3]!.startsWith('NX')).toBe(true);
    expect(nm1[4]).toBe('ZOE');
    assertValidX12Text(text, dir, 'long-name.837');
  });

  test('our segments are ones the independently validated samples use, in the same envelope order', () => {
    for (const [kind, text] of [['837P', write837('837P', professional, options)], ['837I', write837('837I', institutional, options)]] as const) {
      const sampleIds = new Set(readdirSync(join(SAMPLES, kind)).flatMap((f) => ids(readFileSync(join(SAMPLES, kind, f), 'utf8'))));
      expect(ids(text).filter((id) => !sampleIds.has(id))).toEqual([]);
      expect(ids(text).slice(0, 8)).toEqual(['ISA', 'GS', 'ST', 'BHT', 'NM1', 'PER', 'NM1', 'HL']);
      expect(ids(text).slice(-3)).toEqual(['SE', 'GE', 'IEA']);
    }
  });

  test('more claims than a transaction set takes split into several with consecutive ST control numbers', () => {
    expect(MAX_CLAIMS_PER_TRANSACTION).toBe(5000);
    const many = Array.from({ length: 5 }, (_, i) => ({ ...professional[0]!, claimId: `NC${i}`, coverage: { ...professional[0]!.coverage, memberId: `M${i}` } }));
    const text = write837('837P', many, { ...options, claimsPerTransaction: 4 });
    expect(checkInterchange(text)).toEqual([]);
    assertValidX12Text(text, dir, 'many.837');
    expect(segs(text).filter((s) => s.startsWith('ST*'))).toEqual(['ST*837*0003*005010X222A1', 'ST*837*0004*005010X222A1']);
    expect(segs(text)).toContain('GE*2*7');
  });
});

describe('self-check', () => {
  test.each(readdirSync(join(SAMPLES, '837P')).map((f) => ['837P', f]).concat(readdirSync(join(SAMPLES, '837I')).map((f) => ['837I', f])))('accepts the validated sample %s %s', (kind, file) => {
    expect(checkInterchange(readFileSync(join(SAMPLES, kind, file), 'utf8'))).toEqual([]);
  });

  const base = write837('837P', professional, options);
  test.each([
    ['SE segment count', (t: string) => t.replace(/SE\*(\d+)\*/, (_m, n: string) => `SE*${Number(n) + 1}*`), /SE01 says/],
    ['claim total not the sum of its lines', (t: string) => t.replace('CLM*NCAAA-1*295.50', 'CLM*NCAAA-1*300.00'), /CLM02 300 is not the sum of its line charges 295.5/],
    ['GE count', (t: string) => t.replace('GE*1*7', 'GE*2*7'), /GE01 says 2/],
    ['IEA control number', (t: string) => t.replace('IEA*1*000000042', 'IEA*1*000000041'), /IEA02 000000041 does not match ISA13/],
    ['HL parent missing', (t: string) => t.replace('HL*2*1*22*0', 'HL*2*9*22*0'), /names parent 9/],
    ['billing NPI not 10 digits', (t: string) => t.replace('XX*1234567893~N3', 'XX*123456789~N3'), /NM1\*85 without an XX NPI/],
    ['diagnosis with a decimal point', (t: string) => t.replace('ABK:M1711', 'ABK:M17.11'), /has a decimal point/],
    ['claim without HI', (t: string) => t.replace('HI*ABK:M1711*ABF:I10~', ''), /no HI diagnosis segment/],
    ['truncated interchange', (t: string) => t.slice(0, t.indexOf('GE*')), /does not end with IEA/],
    ['a name longer than its element', (t: string) => t.replace('NM1*IL*1*MULLER', `NM1*IL*1*${'M'.repeat(61)}`), /NM103 is 61 characters long, at most 60/],
    ['a character outside the X12 sets', (t: string) => t.replace('NM1*IL*1*MULLER', 'NM1*IL*1*MÜLLER'), /NM103 holds a character outside the X12 character sets/],
    ['a charge wider than the amount element', (t: string) => t.replace('SV1*HC:20610:RT*180.50', `SV1*HC:20610:RT*${'9'.repeat(20)}.50`), /SV102 is 23 characters long, at most 18/],
    ['a segment id that is not one', (t: string) => t.replace('NM1*IL*1*MULLER', 'Nm1*IL*1*MULLER'), /"Nm1" is not a segment id/],
    ['a one-letter segment id', (t: string) => t.replace('NM1*IL*1*MULLER', 'N*IL*1*MULLER'), /"N" is not a segment id/],
    ['a diagnosis code longer than its element', (t: string) => t.replace('ABK:M1711', `ABK:${'M'.repeat(31)}`), /HI code ABK:M{31} is longer than 30 characters/],
    ['not an interchange', () => 'GS*HC~', /not an X12 interchange/],
  ] as const)('catches %s', (_name, mutate, message) => {
    const problems = checkInterchange(mutate(base));
    expect(problems.map((p) => p.message).join('\n')).toMatch(message);
  });
});

describe('one interchange per receiver', () => {
  test('837P and 837I as two functional groups: GS06 and ST02 run on, IEA01 counts the groups, the self-check passes', () => {
    const text = write837Interchange([{ kind: '837P', claims: professional }, { kind: '837I', claims: institutional }], { ...options, control: { isa: 50, gs: 20, st: 30 } });
    expect(checkInterchange(text)).toEqual([]);
    assertValidX12Text(text, dir, 'two-groups.837');
    const s = segs(text);
    expect(s.filter((x) => /^(GS|GE|ST|SE|IEA)\*/.test(x)).map((x) => x.split('*').slice(0, 2).join('*') + (x.startsWith('GS') ? `*${x.split('*')[8]}` : ''))).toEqual([
      'GS*HC*005010X222A1', 'ST*837', expect.stringMatching(/^SE\*\d+$/), 'GE*1', 'GS*HC*005010X223A2', 'ST*837', expect.stringMatching(/^SE\*\d+$/), 'GE*1', 'IEA*2',
    ]);
    expect(s.filter((x) => x.startsWith('GS*')).map((x) => x.split('*')[6])).toEqual(['20', '21']);
    expect(s.filter((x) => x.startsWith('ST*')).map((x) => x.split('*')[2])).toEqual(['0030', '0031']);
    expect(s.filter((x) => x.startsWith('GE*'))).toEqual(['GE*1*20', 'GE*1*21']);
    // The checker counts groups: drop one GS/GE pair's trailer and it objects.
    expect(checkInterchange(text.replace(/IEA\*2\*/, 'IEA*1*')).map((p) => p.message)).toEqual(['IEA01 says 1 groups, the interchange has 2']);
  });
});

describe('control numbers', () => {
  test('unique per sender across runs, the same for a run emitted again, and never past nine digits', () => {
    const db = openDatabase(join(tempDir('nightcode-x12-'), 'x.db'));
    const at = () => new Date('2026-11-28T01:30:00Z');
    const a = allocateControlNumbers(db, { runId: 1, sender: 'S', receiver: 'R1', claimType: '837P', sets: 1 }, at);
    const b = allocateControlNumbers(db, { runId: 1, sender: 'S', receiver: 'R2', claimType: '837P', sets: 2 }, at);
    expect([a.isa, a.gs, a.st, b.isa, b.gs, b.st]).toEqual([1, 1, 1, 2, 2, 2]);
    // The emit redone after a crash: the same numbers and the same interchange date.
    expect(allocateControlNumbers(db, { runId: 1, sender: 'S', receiver: 'R2', claimType: '837P', sets: 2 }, () => new Date())).toEqual(b);
    // A new run (a forced re-run of the night too) gets new ones; ST continues after b's two sets.
    const c = allocateControlNumbers(db, { runId: 2, sender: 'S', receiver: 'R1', claimType: '837P', sets: 1 }, at);
    expect([c.isa, c.gs, c.st]).toEqual([3, 3, 4]);
    // A receiver's file with two functional groups (837P and 837I) takes two GS numbers.
    const d = allocateControlNumbers(db, { runId: 2, sender: 'S', receiver: 'R2', claimType: '837', sets: 2, groups: 2 }, at);
    const e = allocateControlNumbers(db, { runId: 2, sender: 'S', receiver: 'R3', claimType: '837', sets: 1 }, at);
    expect([d.isa, d.gs, d.st, d.groups, e.isa, e.gs, e.st]).toEqual([4, 4, 5, 2, 5, 6, 7]);
    expect(allocateControlNumbers(db, { runId: 2, sender: 'OTHER', receiver: 'R1', claimType: '837P', sets: 1 }, at).isa).toBe(1);
    db.prepare("UPDATE x12_control SET isa = 999999999 WHERE sender = 'S'").run();
    expect(() => allocateControlNumbers(db, { runId: 3, sender: 'S', receiver: 'R1', claimType: '837P', sets: 1 }, at)).toThrow(/control numbers of sender S are exhausted/);
    db.close();
  });
});
