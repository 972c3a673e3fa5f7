import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { abstractNotes } from '../../src/abstract/abstract-encounter.js';
import { compileLexicon } from '../../src/abstract/lexicon/compile-lexicon.js';
import { loadProcedureTerms, procedureTermEntries } from '../../src/abstract/lexicon/procedure-terms.js';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { ReferenceLibrary, type CodeSet } from '../../src/codesets/reference-library.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

let pcs: CodeSet;

beforeAll(async () => {
  const db = openDatabase(join(tempDir('nightcode-procedure-terms-'), 'p.db'));
  await importCodesetFiles(db, [resolve('..', 'shared', 'codesets', 'icd10pcs-2025', 'icd10pcs_codes_2025.txt')]);
  pcs = new ReferenceLibrary(db).codeSetFor('ICD-10-PCS', '2025-03-01')!;
}, 120_000);

describe('team-written procedure terms (data/lexicon/procedure-terms.json)', () => {
  test('every code is ICD-10-PCS FY2025 with the title the file gives, or a prefix of such codes', () => {
    const { procedures } = loadProcedureTerms();
    expect(procedures.length).toBeGreaterThan(10);
    for (const p of procedures) {
      if (p.code.length === 7) {
        expect(pcs.isBillable(p.code), p.code).toBe(true);
        expect(pcs.title(p.code), p.code).toBe(p.title);
      } else {
        expect(p.code).toHaveLength(4);
        expect([...pcs.all()].some((c) => c.billable && c.code.startsWith(p.code) && c.title.startsWith(p.title)), p.code).toBe(true);
      }
    }
  });

  test('each term is lower case and names one procedure', () => {
    const seen = new Map<string, string>();
    for (const p of loadProcedureTerms().procedures) {
      for (const t of p.terms) {
        expect(t).toBe(t.toLowerCase());
        expect(seen.get(t), t).toBeUndefined();
        seen.set(t, p.code);
      }
    }
  });

  test('a code the PCS version in force lacks is left out; a prefix is weighted as evidence', () => {
    const entries = procedureTermEntries(pcs, { procedures: [
      { code: '4A00X4Z', title: 'Measurement of Central Nervous Electrical Activity, External Approach', terms: ['eeg'] },
      { code: '3E0T3CZ', title: 'Introduction of Regional Anesthetic into Peripheral Nerves and Plexi, Percutaneous Approach', terms: ['nerve block'] },
      { code: '5A19', title: 'Respiratory Ventilation', terms: ['mechanical ventilation'] },
    ] });
    expect(entries.map((e) => [e.code, e.term, e.system])).toEqual([['4A00X4Z', 'eeg', 'ICD-10-PCS'], ['5A19', 'mechanical ventilation', 'ICD-10-PCS']]);
    expect(entries[0]!.weight).toBeGreaterThan(entries[1]!.weight);
    expect(entries[1]!.weight).toBeLessThanOrEqual(0.5);
  });

  test('notes name the procedures, abbreviations included; without a PCS code set there are none', () => {
    const lexicon = compileLexicon({ pcsAxes: pcs });
    const procedures = (text: string) => abstractNotes([{ id: 'n', text }], lexicon).filter((f) => f.kind === 'procedure').map((f) => f.candidates[0]!.code);
    expect(procedures('An EEG showed diffuse slowing.')).toContain('4A00X4Z');
    expect(procedures('Total parenteral nutrition was started.')).toContain('3E0436Z');
    expect(procedures('A transthoracic echocardiogram was normal.')).toContain('B246ZZZ');
    expect(procedures('Transesophageal echocardiography ruled out endocarditis.')).toContain('B246ZZ4');
    expect(procedures('He required invasive mechanical ventilation.')).toContain('5A19');
    expect(procedures('She was on hemodialysis three times a week.')).toContain('5A1D');
    const withoutPcs = compileLexicon({});
    expect(abstractNotes([{ id: 'n', text: 'An EEG showed diffuse slowing.' }], withoutPcs).filter((f) => f.kind === 'procedure')).toEqual([]);
  });
});
