import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ClaimRecord } from '../../src/emit/claims/claim-record.js';
import { applyEdit, claimCodesCell, parseEdit, type ClaimEdit } from '../../src/resolve/claim-edits.js';
import { changedWork, routeTeam } from '../../src/resolve/claim-work.js';
import { readResolutionsFile } from '../../src/resolve/resolutions-file.js';
import { actionFirst } from '../../src/resolve/worklist-rows.js';
import { inZone } from '../../src/cli/common.js';
import { tempDir } from '../helpers/tmp.js';

const CLAIM: ClaimRecord = {
  claimId: 'C1-1', frequency: '1', claimType: '837P', source: 'EHR', encounterId: 'E1', contentHash: 'h',
  patient: { id: 'P1', birthDate: '1950-01-01', sex: 'F' }, coverage: { payerId: 'MCR', payerName: 'Medicare', memberId: 'M1' }, providers: { billingNpi: '1234567893' },
  serviceDate: '2026-11-27', placeOfService: '11',
  diagnoses: [{ sequence: 1, code: 'E11.9', confidence: 0.9, rulePath: 'r' }, { sequence: 2, code: 'I10', confidence: 0.9, rulePath: 'r' }, { sequence: 3, code: 'E78.5', confidence: 0.9, rulePath: 'r' }],
  lines: [
    { line: 1, code: '99213', system: 'CPT', modifiers: [], units: 1, charge: 100, diagnosisPointers: [1, 2, 3] },
    { line: 2, code: '82947', system: 'CPT', modifiers: [], units: 1, charge: 20, diagnosisPointers: [3] },
  ],
  totalCharge: 120, confidence: 0.9, warnings: [],
};

const edit = (action: Parameters<typeof parseEdit>[0], target: string, codes: string) => {
  const e = parseEdit(action, target, codes);
  if (typeof e === 'string') throw new Error(e);
  return e;
};
const apply = (e: ClaimEdit, c = CLAIM) => {
  const out = applyEdit(c, e, 'test');
  if (typeof out === 'string') throw new Error(out);
  return out;
};

describe('answers that edit one thing on a claim', () => {
  test('add, remove and replace a diagnosis: pointers follow the codes they point to', () => {
    const added = apply(edit('add-code', '1', 'N18.30'));
    expect(added.diagnoses.map((d) => d.code)).toEqual(['N18.30', 'E11.9', 'I10', 'E78.5']);
    expect(added.lines.map((l) => l.diagnosisPointers)).toEqual([[2, 3, 4], [4]]);
    expect(apply(edit('add-code', '', 'Z79.4')).diagnoses.at(-1)!.code).toBe('Z79.4');
    const removed = apply(edit('remove-code', '', 'I10'));
    expect(removed.diagnoses.map((d) => `${d.sequence} ${d.code}`)).toEqual(['1 E11.9', '2 E78.5']);
    expect(removed.lines.map((l) => l.diagnosisPointers)).toEqual([[1, 2], [2]]);
    const replaced = apply(edit('replace-code', '', 'E11.9 E11.65'));
    expect(replaced.diagnoses[0]).toMatchObject({ sequence: 1, code: 'E11.65', confidence: 1 });
    expect(replaced.lines).toEqual(CLAIM.lines);
    // A removed code that pointed alone leaves its line pointing to the first diagnosis.
    expect(apply(edit('remove-code', '', 'E78.5')).lines[1]!.diagnosisPointers).toEqual([1]);
  });

  test('service lines: replace a code keeps modifiers, charge and units; remove a line retotals; modifiers and pointers by line', () => {
    const withMod = apply(edit('add-modifier', 'line 1', '25'));
    expect(withMod.lines[0]!.modifiers).toEqual(['25']);
    expect(apply(edit('replace-code', '', '99213 99214'), withMod).lines[0]).toMatchObject({ code: '99214', modifiers: ['25'], charge: 100, units: 1 });
    expect(apply(edit('remove-modifier', '1', '25'), withMod).lines[0]!.modifiers).toEqual([]);
    const oneLine = apply(edit('remove-code', '', '82947'));
    expect(oneLine.lines).toHaveLength(1);
    expect(oneLine.totalCharge).toBe(100);
    expect(apply(edit('set-pointers', '2', '1 2')).lines[1]!.diagnosisPointers).toEqual([1, 2]);
    expect(claimCodesCell(withMod)).toBe('dx: 1 E11.9 2 I10 3 E78.5 | lines: 1 99213-25 (1,2,3); 2 82947 (3)');
  });

  test('claim fields: checked on the way in, set where the claim keeps them', () => {
    expect(apply(edit('set-field', 'member_id', 'w123')).coverage.memberId).toBe('W123');
    expect(apply(edit('set-field', 'billing npi', '1245319599')).providers.billingNpi).toBe('1245319599');
    expect(apply(edit('set-field', 'place_of_service', '02')).placeOfService).toBe('02');
    const payer = apply(edit('set-field', 'payer_id', 'BLUE01')).coverage;
    expect(payer).toEqual({ payerId: 'BLUE01', memberId: 'M1' });
    expect(parseEdit('set-field', 'billing_npi', '1234567890')).toMatch(/billing_npi "1234567890": /);
    expect(parseEdit('set-field', 'service_date', '2026-02-30')).toMatch(/is a date YYYY-MM-DD, not "2026-02-30"/);
    expect(parseEdit('set-field', 'color', 'red')).toMatch(/^set-field target must name a claim field: place_of_service, /);
    expect(applyEdit(CLAIM, edit('set-field', 'facility_type', '131'), 't')).toMatch(/institutional \(837I\) claims/);
  });

  test('what does not fit the claim is refused with the reason', () => {
    expect(applyEdit(CLAIM, edit('remove-code', '', 'J45.909'), 't')).toBe('J45.909 is not on the claim (its diagnoses: E11.9 I10 E78.5)');
    expect(applyEdit(CLAIM, edit('add-code', '', 'I10'), 't')).toBe('I10 is already on the claim');
    expect(applyEdit(CLAIM, edit('add-modifier', '3', '59'), 't')).toBe('the claim has no service line 3 (it has 2)');
    expect(applyEdit(CLAIM, edit('set-pointers', '1', '4'), 't')).toBe("pointer 4 is past the claim's 3 diagnoses");
    expect(applyEdit(CLAIM, edit('add-code', '', '0DTJ4ZZ'), 't')).toMatch(/ICD-10-PCS codes belong on institutional/);
    expect(parseEdit('add-code', '', '99213')).toMatch(/cannot add a CPT\/HCPCS service line/);
    expect(parseEdit('replace-code', '', 'E11.9')).toMatch(/needs two codes/);
    expect(parseEdit('replace-code', '', 'E11.9 99213')).toMatch(/replaces a code with one of its kind/);
    expect(parseEdit('add-modifier', 'first', '25')).toMatch(/needs the service line in target/);
    expect(parseEdit('set-pointers', '1', '1 2 3 4 5')).toMatch(/one to four diagnosis positions/);
  });
});

describe('the resolutions file as the worklist writes it', () => {
  test('rows answer a finding or a claim; owner, team, hold reason or note alone is an assignment; problems name their line', () => {
    const file = join(tempDir('nightcode-answers-'), 'w.csv');
    writeFileSync(file, [
      'source,encounter_id,patient_id,action,target,codes,hold_reason,note,user,owner,team',
      'EHR,E1,P1,set-field,member_id,W1,,,ana,,',
      'EHR,E2,P2,,,,,,,,',
      'EHR,E3,P3,,,,,,,bo,billing',
      'EHR,E4,P4,hold,,,waiting on Dr. Lee,,ana,,',
      ',,P5,release,,,,,ana,,',
      'EHR,E6,P6,approve,,,,,ana,,',
      'EHR,E7,P7,,,E11.9,,,ana,,',
      'EHR,E8,P8,add-code,,E11.999 ZZ,,,ana,,',
      "EHR,E9,P9,,,,,'+1 called back,,,",
    ].join('\n'));
    const read = readResolutionsFile(file);
    expect(read.unanswered).toBe(1);
    expect(read.rows.map((r) => [r.line, r.encounterId, r.action])).toEqual([[2, 'E1', 'set-field'], [4, 'E3', 'assign'], [5, 'E4', 'hold'], [10, 'E9', 'assign']]);
    // The formula guard nightcode writes before a note starting with + reads back as the note.
    expect(read.rows[3]!.note).toBe('+1 called back');
    expect(read.rows[0]!.edit).toEqual({ kind: 'set-field', field: 'member_id', value: 'W1' });
    expect(read.rows[1]).toMatchObject({ owner: 'bo', team: 'billing', user: '' });
    expect(read.rows[2]).toMatchObject({ holdReason: 'waiting on Dr. Lee' });
    expect(read.problems).toEqual([
      'line 6: the row names neither a finding (exception_id) nor a claim (encounter_id)',
      expect.stringMatching(/^line 7: action "approve" must be one of release, recode, hold, void, add-code, /),
      expect.stringMatching(/^line 8: codes or target are given without an action/),
      expect.stringMatching(/^line 9: "ZZ" is not a code nightcode can read/),
    ]);
  });

  test('an untouched worklist row changes nothing: owner, team and note compare with what is stored', () => {
    expect(changedWork({ owner: 'ana', team: 'coding', updatedBy: 'x', updatedAt: 't' }, { owner: 'ana', team: 'coding' })).toEqual({});
    expect(changedWork({ owner: 'ana', updatedBy: 'x', updatedAt: 't' }, { owner: 'bo', note: 'n' })).toEqual({ owner: 'bo', note: 'n' });
    expect(changedWork(undefined, { holdReason: '' })).toEqual({});
  });
});

describe('teams and words', () => {
  test('findings route to teams by code, then suggested action; config overrides both', () => {
    expect(routeTeam('EDIT_MEMBER_ID_MISSING', 'correct-coverage')).toBe('registration');
    expect(routeTeam('EDIT_NPI_INVALID', 'correct-provider')).toBe('provider-enrollment');
    expect(routeTeam('CODE_LOW_CONFIDENCE', 'review')).toBe('coding');
    expect(routeTeam('CODE_PROCEDURE_UNPRICED', 'review')).toBe('billing');
    expect(routeTeam('EDIT_NPI_INVALID', 'correct-provider', { teams: { 'correct-provider': 'credentialing' }, teamsByCode: {} })).toBe('credentialing');
    expect(routeTeam('EDIT_NPI_INVALID', 'correct-provider', { teams: {}, teamsByCode: { EDIT_NPI_INVALID: 'billing' } })).toBe('billing');
  });

  test('worklist messages lead with the action; times show in the configured zone', () => {
    expect(actionFirst('CODE_LOW_CONFIDENCE', 'review', 'claim confidence 0.77 is below 0.8: N18.30')).toBe('Review the codes below the confidence threshold: claim confidence 0.77 is below 0.8: N18.30');
    expect(actionFirst('EDIT_MEMBER_ID_MISSING', 'correct-coverage', 'no member id')).toBe('Correct the coverage: no member id');
    expect(actionFirst('CODE_QUERY_POA', 'query-physician', 'query the provider: POA?')).toBe('Query the provider: POA?');
    expect(inZone(new Date('2026-12-02T06:30:00Z'), 'America/New_York')).toBe('2026-12-02 01:30 EST (America/New_York)');
    expect(inZone(new Date('2026-07-02T06:30:00Z'), 'UTC')).toBe('2026-07-02 06:30 UTC (UTC)');
  });
});
