import { describe, expect, test } from 'vitest';
import { codeServiceLines } from '../../src/code/service-lines.js';
import { claimDefaultsOf } from '../../src/config/load.js';
import { configSchema, pipelineSchema } from '../../src/config/schema.js';
import type { ChargeLine, Encounter } from '../../src/contract/types.js';
import { fhirInstitutionalCode, hl7AdmissionType, nubcAdmissionSource, nubcDischargeStatus } from '../../src/ingest/documents/institutional-codes.js';

/** What documents leave unsaid or say in their own vocabularies: CL1 codes, claim defaults, lines without amounts. */
describe('837I CL1 codes from documents', () => {
  test('NUBC codes pass; a one-digit discharge status is padded; other words are not guessed', () => {
    expect(nubcDischargeStatus('01')).toBe('01');
    expect(nubcDischargeStatus('1')).toBe('01');
    expect(nubcDischargeStatus('HOME')).toBeUndefined();
    expect(nubcDischargeStatus('08')).toBeUndefined(); // not a NUBC status
    expect(nubcAdmissionSource('d')).toBe('D');
    expect(nubcAdmissionSource('7')).toBeUndefined(); // discontinued
  });

  test('HL7 table 0007 letters where they mean the NUBC type', () => {
    expect(['E', 'U', 'C', 'R', 'N', '3', 'A', 'L'].map(hl7AdmissionType)).toEqual(['1', '2', '3', '3', '4', '3', undefined, undefined]);
  });

  test('FHIR: a NUBC coding first, else the FHIR code that means the same', () => {
    expect(fhirInstitutionalCode('dischargeStatus', [{ code: 'home' }, { system: 'https://www.nubc.org/CodeSystem/PatDischargeStatus', code: '06' }])).toBe('06');
    expect(fhirInstitutionalCode('dischargeStatus', [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'snf' }])).toBe('03');
    expect(fhirInstitutionalCode('dischargeStatus', [{ code: 'hosp' }])).toBeUndefined(); // hospice: home or facility is not said
    expect(fhirInstitutionalCode('admissionSource', [{ code: 'hosp-trans' }])).toBe('4');
    expect(fhirInstitutionalCode('admissionType', [{ code: 'EM' }])).toBe('1');
  });
});

describe('pipeline claimDefaults', () => {
  const pipeline = (claimDefaults?: Record<string, string>) => pipelineSchema.parse({ name: 'p', sourceSystem: 'hl7', format: 'hl7v2', input: 'x', ...(claimDefaults ? { claimDefaults } : {}) });
  const provider = { name: 'CLINIC', taxId: '123456789', address: { line1: '1 MAIN ST', city: 'SALEM', state: 'OR', zip: '97301-1234' } };
  const config = (npis: string[]) => configSchema.parse({ x12: { billingProviders: Object.fromEntries(npis.map((n) => [n, provider])) } });

  test("the pipeline's billing NPI wins; else the one configured billing provider; two are never chosen between", () => {
    expect(claimDefaultsOf(pipeline({ billingNpi: '1245319599', placeOfService: '22' }), config(['1234567893']))).toEqual({ billingNpi: '1245319599', placeOfService: '22' });
    expect(claimDefaultsOf(pipeline(), config(['1234567893']))).toEqual({ billingNpi: '1234567893' });
    expect(claimDefaultsOf(pipeline(), config(['1234567893', '1245319599']))).toEqual({});
  });

  test('values are checked', () => {
    expect(() => pipeline({ placeOfService: 'office' })).toThrow(/place of service/);
    expect(() => pipeline({ billingNpi: '12345' })).toThrow(/10-digit NPI/);
  });
});

describe("a document's procedure without an amount", () => {
  const line = (n: number, code: string, charge: number, unpriced?: true): ChargeLine => ({ line: n, code, system: 'CPT', modifiers: [], units: 1, charge, ...(unpriced ? { unpriced } : {}), serviceDate: '2026-11-26', source: { file: 'a.hl7', line: n } });
  const encounter = (charges: ChargeLine[]): Encounter => ({
    key: { source: 'hl7', encounterId: 'E1' }, contentHash: 'h', source: { file: 'a.hl7', line: 1 }, kind: 'professional',
    patient: { id: 'P1' }, coverage: {}, providers: {}, serviceDate: '2026-11-26', notes: [], diagnoses: [], charges, issues: [],
  });
  const prices = new Map([['71046', 95]]);

  test('is billed by the charge line of the same service, not twice (HL7 PR1 beside FT1)', () => {
    const r = codeServiceLines(encounter([line(1, '71046', 120), line(2, '71046', 0, true)]), [], [], prices);
    expect(r.lines.map((l) => [l.code, l.charge])).toEqual([['71046', 120]]);
    expect(r.issues).toEqual([]);
  });

  test('on an institutional claim it takes the revenue code the chargemaster bills it under, as does an exported line without one', () => {
    const stay = { ...encounter([line(1, '71046', 0, true)]), kind: 'institutional' as const };
    const r = codeServiceLines(stay, [], [], prices, new Map([['71046', '0324']]));
    expect(r.lines.map((l) => [l.code, l.revenueCode, l.charge])).toEqual([['71046', '0324', 95]]);
    expect(r.lines[0]!.rulePath).toMatch(/revenue code 0324 from the chargemaster/);
    // An exported line without one takes it too, keeping its amount.
    const exported = codeServiceLines({ ...encounter([line(1, '71046', 120)]), kind: 'institutional' }, [], [], prices, new Map([['71046', '0324']]));
    expect(exported.lines.map((l) => [l.revenueCode, l.charge])).toEqual([['0324', 120]]);
    // A professional line has no revenue code.
    expect(codeServiceLines(encounter([line(1, '71046', 0, true)]), [], [], prices, new Map([['71046', '0324']])).lines[0]!.revenueCode).toBeUndefined();
    expect(() => configSchema.parse({ chargemaster: { 71046: { price: 95, revenueCode: '324' } } })).toThrow(/4-digit UB-04 revenue code/);
  });

  test('is priced from the chargemaster, saying so; without a price it is held', () => {
    const r = codeServiceLines(encounter([line(1, '71046', 0, true), line(2, '87880', 0, true)]), [], [], prices);
    expect(r.lines.map((l) => [l.code, l.charge])).toEqual([['71046', 95], ['87880', 0]]);
    expect(r.lines[0]!.rulePath).toMatch(/priced from the chargemaster \(95\.00 each\)/);
    expect(r.lines[0]).not.toHaveProperty('unpriced');
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([['CODE_PROCEDURE_UNPRICED', 'error']]);
  });
});
