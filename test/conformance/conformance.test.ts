import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The conformance corpus (README.md beside this file): HL7 v2.3–2.8, FHIR R4 and C-CDA R2.1
 * documents the team wrote in the variety other vendors send, run end to end through the
 * shipped pipelines to claims. Every 837 written here passes the independent validator
 * (pyx12, through tempDir), and the files are ready: sender, receivers and the billing
 * provider are configured as a site would.
 */
const dir = tempDir('nightcode-conformance-');
const CORPUS = resolve('test', 'conformance');
const DATE = '2026-11-27';

function siteConfig(root: string): string {
  const file = join(root, 'config.json');
  const config = {
    database: join(root, 'nightcode.db'), outDir: join(root, 'out'), timezone: 'America/Los_Angeles',
    run: { workers: 1, chunkSize: 50 },
    payers: [{ id: 'MCR01', name: 'Medicare' }, { id: 'BLUE01', name: 'Blue Plan' }],
    // A hospital's chargemaster: a price per code, and the revenue code institutional lines bill it under.
    chargemaster: { 99212: 75, 99213: 115, 99214: 150, 99283: 240, 87880: 28, 81001: 15, 83036: 40, 80053: 45, 71046: { price: 95, revenueCode: '0324' } },
    x12: {
      sender: { id: 'NIGHTCODE01', qualifier: 'ZZ', name: 'RIVERSIDE BILLING', contactName: 'BILLING OFFICE', contactPhone: '5035550100' },
      receivers: { MCR01: { id: 'MCR01', name: 'MEDICARE', claimFilingIndicator: 'MB' }, BLUE01: { id: 'BLUE01', name: 'BLUE PLAN', claimFilingIndicator: 'BL' } },
      // The one billing provider: documents that name none (HL7 v2 carries none) bill under it.
      billingProviders: { 1234567893: { name: 'RIVERSIDE CLINIC', taxId: '123456789', address: { line1: '100 MAIN ST', city: 'SALEM', state: 'OR', zip: '97301-1234' } } },
      providerNames: { 1245319599: { last: 'SMITH', first: 'JOHN' } },
    },
  };
  mkdirSync(root, { recursive: true });
  writeFileSync(file, JSON.stringify(config));
  return file;
}

interface Summary {
  counts: Record<string, number>;
  reconciled: boolean;
  notReady: unknown[];
  rows: { file: string; rows: number; ignored?: Record<string, number> }[];
}
interface Claim {
  encounterId: string;
  placeOfService?: string;
  diagnoses: { code: string; poa?: string }[];
  lines: { code?: string; revenueCode?: string; charge: number; diagnosisPointers: number[] }[];
}

function night(format: 'hl7v2' | 'fhir' | 'ccda') {
  const root = join(dir, format);
  const r = runCli(['run', '--config', siteConfig(root), '--pipeline', `pipelines/nightly-${format}.json`, '--input', join(CORPUS, format), '--date', DATE, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const out = join(root, 'out', `nightly-${format}`, DATE);
  const claims = readFileSync(join(out, 'claims.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Claim);
  const byId = new Map(claims.map((c) => [c.encounterId, c]));
  const files837 = readdirSync(out).filter((f) => f.endsWith('.837'));
  const exceptions = readFileSync(join(out, 'exceptions.csv'), 'utf8') + readFileSync(join(out, 'released-warnings.csv'), 'utf8');
  const stored = (encounterId: string) => {
    const db = new Database(join(root, 'nightcode.db'), { readonly: true });
    try {
      const row = db.prepare('SELECT state, payload FROM run_records WHERE encounter_id = ?').get(encounterId) as { state: string; payload: string | null } | undefined;
      return row ? { state: row.state, claim: row.payload ? (JSON.parse(row.payload) as Record<string, unknown>) : undefined } : undefined;
    } finally {
      db.close();
    }
  };
  return { summary: JSON.parse(r.stdout) as Summary, claims, byId, files837, exceptions, stored, out };
}

type Night = ReturnType<typeof night>;

const view = (c: Claim | undefined) => c && {
  dx: c.diagnoses.map((d) => d.code),
  lines: c.lines.map((l) => [l.code ?? `rev ${l.revenueCode}`, l.charge]),
  pos: c.placeOfService,
};

describe('HL7 v2.3–2.8: LF, CRLF, MLLP and batch files; escapes, repetitions, the v2.7 truncation character', () => {
  let n: Night;
  beforeAll(() => {
    n = night('hl7v2');
  });

  test('every visit is accounted for; four released, one cancelled, one inpatient stay held for its charges', () => {
    expect(n.summary.reconciled).toBe(true);
    expect(n.summary.counts).toMatchObject({ input: 6, released: 4, exception: 1, quarantined: 0, unchanged: 1 });
    expect(n.summary.rows.find((f) => f.file === 'v27-v28-events.hl7')?.ignored).toEqual({ 'ORM^O01': 1 });
    expect(n.summary.notReady).toEqual([]);
    expect(n.files837.sort()).toEqual(['BLUE01.837', 'MCR01.837']);
  });

  test('v2.3 with LF ends: the trigger from EVN-1, the MRN among PID-3 repetitions, FT1-19 pointers', () => {
    expect(view(n.byId.get('100231/V23-001'))).toEqual({ dx: ['I10', 'E11.9'], lines: [['99214', 150], ['83036', 40]], pos: '11' });
    expect(n.byId.get('100231/V23-001')!.lines[1]!.diagnosisPointers).toEqual([2]);
  });

  test('a batch file: two patients sharing visit number 1001 are two claims, each with its own diagnosis', () => {
    expect(view(n.byId.get('300/1001'))).toEqual({ dx: ['J02.0'], lines: [['99213', 100], ['87880', 25]], pos: '11' });
    expect(view(n.byId.get('301/1001'))).toEqual({ dx: ['N39.0'], lines: [['99213', 100], ['81001', 15]], pos: '11' });
  });

  test('MLLP: discharge, result note (escapes decoded) and charges of one visit merge; the CP amount 100&USD is 100', () => {
    expect(view(n.byId.get('200417/5001^EPIC'))).toEqual({ dx: ['J20.9'], lines: [['99213', 100]], pos: '11' });
  });

  test('a discharge cancelled by A13 bills nothing; an inpatient A03 keeps its CL1 codes and is held with the reason', () => {
    expect(n.stored('400/V400')?.state).toBe('unchanged');
    const stay = n.stored('500/V500')!;
    expect(stay.state).toBe('exception');
    expect(stay.claim).toMatchObject({ claimType: '837I', facilityType: '111', admissionDate: '2026-11-22', dischargeDate: '2026-11-26',
      institutional: { admissionType: '1', admissionSource: '1', dischargeStatus: '01' } });
    expect(n.exceptions).toMatch(/500\/V500,exception.*CODE_NO_PROCEDURE/);
  });
});

describe('FHIR R4: a transaction Bundle, a Bulk Data export and an inpatient stay', () => {
  let n: Night;
  beforeAll(() => {
    n = night('fhir');
  });

  test('three encounters, three claims; the bulk export log is ignored, not quarantined', () => {
    expect(n.summary.reconciled).toBe(true);
    expect(n.summary.counts).toMatchObject({ input: 3, released: 3, exception: 0, quarantined: 0 });
    expect(n.summary.rows.find((f) => f.file === 'log.ndjson')?.ignored).toBeDefined();
    expect(n.summary.notReady).toEqual([]);
  });

  test('urn:uuid references; a SNOMED CT-only condition is coded from its name, never billed as SNOMED', () => {
    expect(view(n.byId.get('F-1001/FV-2001^2.16.840.1.113883.19.6'))).toEqual({ dx: ['I10'], lines: [['99213', 110]], pos: '11' });
    expect(n.exceptions).toMatch(/FV-2001.*INGEST_CODE_SYSTEM_NOT_BILLABLE.*SNOMED-CT 59621000/);
  });

  test('conditional references by identifier and contained resources; a condition resolved before the visit is not coded', () => {
    expect(view(n.byId.get('F-1077/FV-2077^2.16.840.1.113883.19.6'))).toEqual({ dx: ['E78.5'], lines: [['99213', 110], ['80053', 45]], pos: '11' });
  });

  test('an inpatient stay: an 837I with revenue-coded lines, CL1 from priority and hospitalization, POA from onAdmission', () => {
    expect(view(n.byId.get('F-1500/FV-2500^2.16.840.1.113883.19.6'))).toEqual({ dx: ['J18.9', 'E11.9'], lines: [['rev 0120', 6000], ['71046', 180]], pos: undefined });
    expect(n.byId.get('F-1500/FV-2500^2.16.840.1.113883.19.6')!.diagnoses.map((d) => d.poa)).toEqual(['Y', 'Y']);
    const x12 = readFileSync(join(n.out, 'MCR01.837'), 'utf8').split('~');
    expect(x12).toContain('CL1*1*2*01');
  });
});

describe('C-CDA R2.1: ambulatory and emergency notes, and one stay written as three documents', () => {
  let n: Night;
  beforeAll(() => {
    n = night('ccda');
  });

  test('the three documents of the stay are one encounter; nothing is quarantined as a duplicate', () => {
    expect(n.summary.reconciled).toBe(true);
    expect(n.summary.counts).toMatchObject({ input: 3, released: 3, exception: 0, quarantined: 0 });
    expect(n.summary.notReady).toEqual([]);
  });

  test('CPT procedures are priced from the chargemaster; the exported J02.0 says more than the documented sore throat', () => {
    expect(view(n.byId.get('C-3001/OV-3001^2.16.840.1.113883.19.6'))).toEqual({ dx: ['J02.0'], lines: [['99213', 115], ['87880', 28]], pos: '11' });
  });

  test('an emergency encounter is place of service 23; a local-system problem is coded from its name', () => {
    expect(view(n.byId.get('C-3002/ED-3002^2.16.840.1.113883.19.6'))).toEqual({ dx: ['R11.2', 'R42'], lines: [['99283', 240]], pos: '23' });
    expect(n.exceptions).toMatch(/ED-3002.*INGEST_CODE_SYSTEM_NOT_BILLABLE.*OTHER LOC-118/);
  });

  test('the stay: an 837I from the discharge summary, discharge status 01, history kept as history; the in-stay x-ray under its chargemaster revenue code', () => {
    const stay = n.stored('C-3003/IP-3003^2.16.840.1.113883.19.6')!;
    expect(stay.state).toBe('released');
    expect(stay.claim).toMatchObject({ claimType: '837I', admissionDate: '2026-11-22', dischargeDate: '2026-11-26', institutional: { dischargeStatus: '01' } });
    expect((stay.claim!.diagnoses as { code: string }[]).map((d) => d.code)).toEqual(['J18.9', 'E11.9']);
    expect(view(n.byId.get('C-3003/IP-3003^2.16.840.1.113883.19.6'))!.lines).toEqual([['71046', 95]]);
    expect(n.byId.get('C-3003/IP-3003^2.16.840.1.113883.19.6')!.lines[0]!.revenueCode).toBe('0324');
    // The past medical history's "Pneumonia in 2019, resolved" does not resolve the diabetes listed above it.
    expect(n.exceptions).not.toMatch(/AUDIT_CODE_CONTRADICTED/);
    expect(readFileSync(join(n.out, 'MCR01.837'), 'utf8').split('~')).toContain('SV2*0324*HC:71046*95.00*UN*1');
  });
});

test('the corpus is where the README says', () => {
  for (const f of ['README.md', 'hl7v2/v23-lf-dft.hl7', 'fhir/transaction-bundle.json', 'ccda/stay-3-discharge-summary.xml']) expect(existsSync(join(CORPUS, f))).toBe(true);
});
