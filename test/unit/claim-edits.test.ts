import { describe, expect, test } from 'vitest';
import type { CodedEncounter, Encounter } from '../../src/contract/types.js';
import { claimDataEdits } from '../../src/validate/edits/claim-data.js';
import { validateClaim } from '../../src/validate/validate-claim.js';

const CLEAN: Encounter = {
  key: { source: 's', encounterId: 'E1' }, contentHash: 'h', source: { file: 'enc.csv', line: 2 }, kind: 'professional',
  patient: { id: 'P1', birthDate: '1970-01-01', sex: 'F', address: { line1: '1 Main St', city: 'Salem', state: 'OR', zip: '97301' } }, coverage: { payerId: 'PAY', memberId: 'M1' },
  providers: { billingNpi: '1234567893', renderingNpi: '1245319599' }, serviceDate: '2026-11-27', placeOfService: '11',
  notes: [], diagnoses: [], charges: [], issues: [],
};

function coded(e: Partial<Encounter> = {}, over: Partial<CodedEncounter> = {}): CodedEncounter {
  return {
    encounter: { ...CLEAN, ...e }, findings: [],
    diagnoses: [{ code: 'I10', system: 'ICD-10-CM', sequence: 1, confidence: 0.95, rulePath: 'test', evidence: [] }],
    procedures: [{
      line: 1, code: '99213', system: 'CPT', modifiers: [], units: 1, charge: 100, diagnosisPointers: [1], confidence: 0.99, rulePath: 't', source: { file: 'c.csv', line: 2 },
      ...(e.kind === 'institutional' ? { revenueCode: '0450' } : {}),
    }],
    pcsProcedures: [], notCoded: [], confidence: 0.95, issues: [], ...over,
  };
}

const ctx = { businessDate: '2026-11-27', payerIds: new Set(['PAY']) };
const inst: Partial<Encounter> = {
  kind: 'institutional', facilityType: '111', admissionDate: '2026-11-25', dischargeDate: '2026-11-27', placeOfService: undefined,
  providers: { billingNpi: '1234567893', attendingNpi: '1245319599' }, institutional: { dischargeStatus: '20' },
};

describe('claim-level edits', () => {
  test('a clean claim passes', () => {
    expect(claimDataEdits(coded(), ctx)).toEqual([]);
  });

  test.each([
    ['member id missing', { coverage: { payerId: 'PAY' } }, 'EDIT_MEMBER_ID_MISSING'],
    ['payer missing', { coverage: { memberId: 'M' } }, 'EDIT_PAYER_MISSING'],
    ['payer not configured', { coverage: { payerId: 'OTHER', memberId: 'M' } }, 'EDIT_PAYER_MISSING'],
    ['birth date missing', { patient: { id: 'P', sex: 'M' as const, address: { line1: '1 Main St', city: 'Salem', state: 'OR', zip: '97301' } } }, 'EDIT_BIRTH_DATE_MISSING'],
    ['sex unknown', { patient: { id: 'P', birthDate: '1970-01-01', sex: 'U' as const, address: { line1: '1 Main St', city: 'Salem', state: 'OR', zip: '97301' } } }, 'EDIT_SEX_MISSING'],
    ['address without a ZIP code', { patient: { id: 'P', birthDate: '1970-01-01', sex: 'F' as const, address: { line1: '1 Main St', city: 'Salem', state: 'OR' } } }, 'EDIT_PATIENT_ADDRESS_MISSING'],
    ['billing NPI missing', { providers: { renderingNpi: '1234567893' } }, 'EDIT_NPI_MISSING'],
    ['NPI check digit wrong', { providers: { billingNpi: '1234567893', renderingNpi: '1234567890' } }, 'EDIT_NPI_INVALID'],
    ['place of service missing', { placeOfService: undefined }, 'EDIT_PLACE_OF_SERVICE_MISSING'],
    ['service date in the future', { serviceDate: '2026-11-28' }, 'EDIT_SERVICE_DATE_FUTURE'],
    ['service before birth', { serviceDate: '1969-12-31' }, 'EDIT_SERVICE_BEFORE_BIRTH'],
    ['admission after discharge', { ...inst, admissionDate: '2026-11-27', dischargeDate: '2026-11-26' }, 'EDIT_ADMISSION_AFTER_DISCHARGE'],
    ['institutional without dates', { ...inst, admissionDate: undefined }, 'EDIT_ADMISSION_DATE_MISSING'],
    ['inpatient stay without a discharge status', { ...inst, institutional: { admissionType: '1' } }, 'EDIT_PATIENT_STATUS_MISSING'],
    ['institutional claim without its attending NPI', { ...inst, providers: { billingNpi: '1234567893', renderingNpi: '1245319599' } }, 'EDIT_NPI_MISSING'],
    ['NPI starting with 0', { providers: { billingNpi: '1234567893', renderingNpi: '0123456789' } }, 'EDIT_NPI_INVALID'],
  ])('%s → %s', (_n, e, code) => {
    expect(claimDataEdits(coded(e as Partial<Encounter>), ctx).map((i) => i.code)).toEqual([code]);
  });

  test('NPI findings name the role that fails and the rule it breaks', () => {
    const messages = (providers: Encounter['providers'], e: Partial<Encounter> = {}) => claimDataEdits(coded({ ...e, providers }), ctx).map((i) => `${i.code} ${i.path}: ${i.message}`);
    expect(messages({ billingNpi: '1234567893', renderingNpi: '0123456789' })).toEqual(['EDIT_NPI_INVALID providers.renderingNpi: rendering NPI 0123456789 starts with 0: an NPI starts with 1 (individual) or 2 (organization)']);
    expect(messages({ billingNpi: '1234567893', attendingNpi: '1234567890' }, inst)).toEqual(['EDIT_NPI_INVALID providers.attendingNpi: attending NPI 1234567890 fails the check digit (Luhn with prefix 80840)']);
    expect(messages({ billingNpi: '123456789', attendingNpi: '1245319599' }, inst)).toEqual(['EDIT_NPI_INVALID providers.billingNpi: billing NPI 123456789 is not 10 digits']);
    // An outpatient institutional claim goes out as discharged home (01) when the export gives no status.
    expect(claimDataEdits(coded({ ...inst, facilityType: '131', institutional: {} }), ctx)).toEqual([]);
    // A site that sets x12.institutional.patientStatus accepts that default for inpatient stays too.
    expect(claimDataEdits(coded({ ...inst, institutional: {} }), { ...ctx, patientStatusDefault: '01' })).toEqual([]);
  });

  test('charges and units within the ceilings, with or without an MUE table', () => {
    const line = (charge: number, units: number) => claimDataEdits(coded({}, {
      procedures: [{ line: 1, code: '99213', system: 'CPT', modifiers: [], units, charge, diagnosisPointers: [1], confidence: 0.99, rulePath: 't', source: { file: 'c.csv', line: 2 } }],
    }), ctx).map((i) => [i.code, i.message]);
    expect(line(999_999.99, 999)).toEqual([]);
    expect(line(1_000_000, 1)).toEqual([['EDIT_CHARGE_OUT_OF_RANGE', 'line 1 (99213): charge 1000000.00 is above the 999999.99 a line may carry (edits.maxLineCharge); check the export']]);
    expect(line(100, 1_000_000)).toEqual([['EDIT_UNITS_INVALID', 'line 1 (99213): 1000000 units is above the ceiling of 999 (edits.maxUnits); check the export']]);
    expect(line(99999999999999999999, 1).map((x) => x[0])).toEqual(['EDIT_CHARGE_OUT_OF_RANGE', 'EDIT_CHARGE_OUT_OF_RANGE']);
  });

  test('boundary: service on the business date and on the birth date pass', () => {
    expect(claimDataEdits(coded({ serviceDate: '2026-11-27', patient: { id: 'P', birthDate: '2026-11-27', sex: 'F', address: { line1: '1 Main St', city: 'Salem', state: 'OR', zip: '97301' } } }), ctx)).toEqual([]);
  });

  test('line edits: code shape, modifier, charge, units, pointer', () => {
    const bad = coded({}, {
      procedures: [{ line: 1, code: '9921', system: 'CPT', modifiers: ['5'], units: 0, charge: 0, diagnosisPointers: [2], confidence: 1, rulePath: 't', source: { file: 'c.csv', line: 3 } }],
    });
    expect(claimDataEdits(bad, ctx).map((i) => i.code).sort()).toEqual(['EDIT_CHARGE_INVALID', 'EDIT_CODE_FORMAT', 'EDIT_CODE_FORMAT', 'EDIT_DX_POINTER_RANGE', 'EDIT_UNITS_INVALID']);
  });

  test('routing: errors hold the claim, warnings travel with it, low confidence holds it', () => {
    const billing = { claimId: 'C-1', frequency: '1' as const };
    const opts = { ...ctx, autoReleaseConfidence: 0.8 };
    expect(validateClaim(coded(), billing, opts).route).toBe('release');
    const warned = coded({}, { issues: [{ code: 'CODE_UNCERTAIN_NOT_CODED', severity: 'warning', stage: 'code', message: 'm' }] });
    expect(validateClaim(warned, billing, opts).route).toBe('release');
    expect(validateClaim(coded({ coverage: { payerId: 'PAY' } }), billing, opts).route).toBe('exception');
    const weak = validateClaim(coded({}, { confidence: 0.6 }), billing, opts);
    expect([weak.route, weak.issues.map((i) => i.code)]).toEqual(['exception', ['CODE_LOW_CONFIDENCE']]);
    expect(validateClaim(coded(), billing, opts).totalCharge).toBe(100);
  });
});
