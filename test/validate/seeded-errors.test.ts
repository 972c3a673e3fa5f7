import { beforeAll, describe, expect, test } from 'vitest';
import type { CodedEncounter } from '../../src/contract/types.js';
import { Prng } from '../../src/generate/prng.js';
import { EDIT_CATALOG, type EditId } from '../../src/validate/catalog.js';
import { claimFingerprint } from '../../src/validate/edits/claim-data.js';
import { validateClaim } from '../../src/validate/validate-claim.js';
import { tempDir } from '../helpers/tmp.js';
import { cleanClaim, editFixture, type EditFixture } from './helpers.js';

/**
 * Seeded errors: clean claims, varied by a seeded generator, each pass every edit; then one
 * known error is injected at a time and exactly the intended edit must catch it.
 */
let fx: EditFixture;
beforeAll(async () => {
  fx = await editFixture(tempDir('nightcode-seeded-'));
}, 120_000);

const DX_POOL = ['I10', 'E11.9', 'J45.909', 'K21.9', 'M54.5', 'E78.5', 'F41.9', 'J20.9', 'N39.0', 'E66.9'];
const LINE_POOL = ['36415', '80053', '85025', '93000', '71046', '81001'];
const NPIS = ['1234567893', '1245319599', '1003000126'];

function cleanClaims(n: number): CodedEncounter[] {
  const rng = new Prng(20210301);
  const out: CodedEncounter[] = [];
  for (let i = 0; i < n; i++) {
    const sex = rng.int(0, 1) === 0 ? 'F' as const : 'M' as const;
    const dx = [...new Set(Array.from({ length: rng.int(1, 4) }, () => DX_POOL[rng.int(0, DX_POOL.length - 1)]!))];
    const extra = [...new Set(Array.from({ length: rng.int(0, 2) }, () => LINE_POOL[rng.int(0, LINE_POOL.length - 1)]!))];
    out.push(cleanClaim({
      diagnoses: dx,
      lines: [{ code: rng.int(0, 1) ? '99213' : '99214', diagnosisPointers: dx.map((_, k) => k + 1).slice(0, 4) }, ...extra.map((code) => ({ code, diagnosisPointers: [1] }))],
      encounter: {
        key: { source: 'seed', encounterId: `E${i}` },
        patient: { id: `P${i}`, birthDate: `${rng.int(1941, 1996)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`, sex, address: { line1: '1 Main St', city: 'Salem', state: 'OR', zip: '97301' } },
        coverage: { payerId: rng.int(0, 1) ? 'ACME' : 'MCARE', memberId: `M${i}` },
        providers: { billingNpi: NPIS[rng.int(0, 2)]!, renderingNpi: NPIS[rng.int(0, 2)]! },
        serviceDate: `2021-03-${String(rng.int(1, 31)).padStart(2, '0')}`,
      },
    }));
  }
  return out;
}

const clone = (c: CodedEncounter): CodedEncounter => structuredClone(c);
const inpatient = (c: CodedEncounter) => {
  Object.assign(c.encounter, {
    kind: 'institutional', facilityType: '111', admissionDate: c.encounter.serviceDate, dischargeDate: c.encounter.serviceDate,
    providers: { billingNpi: c.encounter.providers.billingNpi, attendingNpi: c.encounter.providers.renderingNpi }, institutional: { dischargeStatus: '01' },
  });
  for (const d of c.diagnoses) d.poa = 'Y';
  delete c.encounter.placeOfService;
  for (const l of c.procedures) l.revenueCode = '0450';
};
const setDx = (c: CodedEncounter, codes: string[], evidence?: string) => {
  c.diagnoses = codes.map((code, i) => ({ code, system: 'ICD-10-CM', sequence: i + 1, confidence: 0.95, rulePath: 'seed', evidence: [{ text: evidence ?? `note about ${code}`, source: { file: 'notes.csv', line: 2 } }] }));
  for (const l of c.procedures) l.diagnosisPointers = [1];
};
const addLine = (c: CodedEncounter, code: string, extra: Partial<CodedEncounter['procedures'][number]> = {}) => {
  c.procedures.push({ line: c.procedures.length + 1, code, system: /^[A-V]/.test(code) ? 'HCPCS' : 'CPT', modifiers: [], units: 1, charge: 50, diagnosisPointers: [1], confidence: 0.99, rulePath: 'seed', source: { file: 'charges.csv', line: 9 }, ...extra });
};

/** One injector per edit: what breaks the clean claim in exactly that way. */
const INJECT: Partial<Record<EditId, (c: CodedEncounter) => void>> = {
  EDIT_MEMBER_ID_MISSING: (c) => { delete c.encounter.coverage.memberId; },
  EDIT_PAYER_MISSING: (c) => { c.encounter.coverage.payerId = 'NOT-A-PAYER'; },
  EDIT_BIRTH_DATE_MISSING: (c) => { delete c.encounter.patient.birthDate; },
  EDIT_SEX_MISSING: (c) => { c.encounter.patient.sex = 'U'; },
  EDIT_PATIENT_ADDRESS_MISSING: (c) => { delete c.encounter.patient.address; },
  EDIT_NPI_MISSING: (c) => { delete c.encounter.providers.renderingNpi; },
  EDIT_NPI_INVALID: (c) => { c.encounter.providers.billingNpi = '1234567890'; },
  EDIT_PLACE_OF_SERVICE_MISSING: (c) => { delete c.encounter.placeOfService; },
  EDIT_TELEHEALTH_CONFLICT: (c) => { c.encounter.placeOfService = '10'; },
  EDIT_SERVICE_DATE_MISSING: (c) => { delete c.encounter.serviceDate; },
  EDIT_SERVICE_DATE_FUTURE: (c) => { c.encounter.serviceDate = '2021-04-15'; },
  EDIT_SERVICE_BEFORE_BIRTH: (c) => { c.encounter.patient.birthDate = '2021-04-01'; c.encounter.serviceDate = '2021-03-31'; },
  EDIT_ADMISSION_DATE_MISSING: (c) => { inpatient(c); delete c.encounter.admissionDate; },
  EDIT_ADMISSION_AFTER_DISCHARGE: (c) => { inpatient(c); c.encounter.admissionDate = '2021-03-30'; c.encounter.dischargeDate = '2021-03-29'; c.encounter.serviceDate = '2021-03-29'; },
  EDIT_CHARGE_INVALID: (c) => { c.procedures[0]!.charge = 0; },
  EDIT_CHARGE_OUT_OF_RANGE: (c) => { c.procedures[0]!.charge = 1_500_000; },
  EDIT_UNITS_INVALID: (c) => { c.procedures[0]!.units = 0; },
  EDIT_CODE_FORMAT: (c) => { c.procedures[0]!.code = '9921'; },
  EDIT_DX_POINTER_RANGE: (c) => { c.procedures[0]!.diagnosisPointers = [c.diagnoses.length + 1]; },
  EDIT_DUPLICATE_DIAGNOSIS: (c) => { setDx(c, ['I10', 'I10']); },
  EDIT_CODE_INVALID: (c) => { setDx(c, ['E11.99']); },
  EDIT_CODE_NOT_BILLABLE: (c) => { setDx(c, ['K21']); },
  EDIT_SEVENTH_CHARACTER: (c) => { setDx(c, ['S72.001']); },
  EDIT_EXCLUDES1: (c) => { setDx(c, ['E10.9', 'E11.9']); },
  EDIT_MANIFESTATION_FIRST: (c) => { setDx(c, ['F02.80', 'G30.9']); },
  EDIT_EXTERNAL_CAUSE_FIRST: (c) => { setDx(c, ['W19.XXXA', 'S72.001A']); },
  EDIT_UNACCEPTABLE_PRINCIPAL: (c) => { inpatient(c); setDx(c, ['Z00.00']); },
  EDIT_AGE_CONFLICT: (c) => { setDx(c, ['P07.30']); },
  EDIT_SEX_CONFLICT: (c) => { setDx(c, [c.encounter.patient.sex === 'F' ? 'N40.0' : 'N95.1']); if (c.encounter.patient.sex === 'M') c.encounter.patient.birthDate = '1960-01-01'; },
  EDIT_USE_ADDITIONAL_CODE: (c) => { setDx(c, ['E11.22']); },
  EDIT_UNSPECIFIED_LATERALITY: (c) => { setDx(c, ['M17.10'], 'Right knee osteoarthritis.'); },
  EDIT_NCCI_PTP: (c) => { addLine(c, '20610'); addLine(c, '20604'); },
  EDIT_MUE: (c) => { addLine(c, 'J1885', { units: 9 }); },
  EDIT_ADDON_WITHOUT_PRIMARY: (c) => { addLine(c, '99292'); },
  EDIT_MODIFIER_INVALID: (c) => { c.procedures[0]!.modifiers = ['ZZ']; },
  EDIT_MEDICAL_NECESSITY: (c) => { setDx(c, ['I10']); addLine(c, '82607'); },
  EDIT_CLAIM_TOTAL: (c) => { c.encounter.declaredTotal = c.procedures.reduce((s, p) => s + p.charge, 0) + 1; },
  EDIT_POA_INVALID: (c) => { inpatient(c); c.diagnoses[0]!.poa = 'E'; },
  EDIT_PATIENT_STATUS_MISSING: (c) => { inpatient(c); delete c.encounter.institutional; },
};
/** Edits a seeded error cannot reach here, and where they are tested instead. */
const ELSEWHERE: Partial<Record<EditId, string>> = {
  EDIT_CODE_UNVERIFIED: 'starter-only library: test/unit/claim-edits.test.ts, test/codesets',
  EDIT_DUPLICATE_CLAIM: 'needs the ledger: injected below through billedClaim, and end to end in test/validate/duplicate-claim.test.ts',
  EDIT_CODE_SET_UNAVAILABLE: 'needs a code set with a gap at the date: test/validate/official-lists.test.ts',
  EDIT_TELEHEALTH_NOT_ELIGIBLE: 'needs a telehealth visit with a service off the list: test/unit/telehealth.test.ts',
};

const billing = { frequency: '1' as const, claimId: 'C' };
const editCodes = (c: CodedEncounter, billed?: Map<string, { claimId: string; encounterId: string }>) =>
  validateClaim(c, billing, { ...fx.options, ...(billed ? { billedClaim: (fp: string) => billed.get(fp) } : {}) }).issues.filter((i) => i.code.startsWith('EDIT_')).map((i) => i.code);

describe('seeded-error suite', () => {
  test('every edit of the catalog is seeded here or tested where it can be reached', () => {
    const covered = new Set([...Object.keys(INJECT), ...Object.keys(ELSEWHERE)]);
    expect(Object.keys(EDIT_CATALOG).filter((id) => !covered.has(id))).toEqual([]);
  });

  test('60 clean claims pass every edit', () => {
    for (const c of cleanClaims(60)) expect(editCodes(c), c.encounter.key.encounterId).toEqual([]);
  });

  test.each(Object.keys(INJECT) as EditId[])('%s catches its seeded error, and nothing else fires', (id) => {
    for (const clean of cleanClaims(20)) {
      const c = clone(clean);
      INJECT[id]!(c);
      expect(editCodes(c), `${clean.encounter.key.encounterId}: ${JSON.stringify(c.diagnoses.map((d) => d.code))}`).toEqual([id]);
    }
  });

  test('EDIT_DUPLICATE_CLAIM: a clean claim re-billed under another encounter id', () => {
    const claims = cleanClaims(20);
    const billed = new Map(claims.map((c) => [claimFingerprint(c), { claimId: `NC-${c.encounter.key.encounterId}`, encounterId: c.encounter.key.encounterId }]));
    for (const c of claims) {
      const copy = clone(c);
      copy.encounter.key = { source: 'seed', encounterId: `${c.encounter.key.encounterId}-again` };
      expect(editCodes(copy, billed)).toEqual(['EDIT_DUPLICATE_CLAIM']);
    }
  });
});
