import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { abstractNotes } from '../../src/abstract/abstract-encounter.js';
import { compileLexicon } from '../../src/abstract/lexicon/compile-lexicon.js';
import type { Lexicon } from '../../src/abstract/lexicon/lexicon.js';
import { loadPcsWords, pcsAxisEntries, pcsPrefixes } from '../../src/abstract/lexicon/pcs-terms.js';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { ReferenceLibrary, type CodeSet } from '../../src/codesets/reference-library.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

let pcs: CodeSet;
let lexicon: Lexicon;

beforeAll(async () => {
  const db = openDatabase(join(tempDir('nightcode-pcs-terms-'), 'p.db'));
  await importCodesetFiles(db, [resolve('..', 'shared', 'codesets', 'icd10pcs-2025', 'icd10pcs_codes_2025.txt')]);
  const library = new ReferenceLibrary(db);
  pcs = library.codeSetFor('ICD-10-PCS', '2025-03-01')!;
  lexicon = compileLexicon({ pcsAxes: pcs, starter: false });
}, 120_000);

const codes = (text: string) => abstractNotes([{ id: 'n', text }], lexicon).filter((f) => f.kind === 'procedure').map((f) => f.candidates[0]!.code);

describe('ICD-10-PCS procedures from the axes of the code set', () => {
  test('each 4-character prefix has the head its titles share, and names its only code when it has one', () => {
    const byPrefix = new Map(pcsPrefixes(pcs).map((p) => [p.prefix, p]));
    expect(byPrefix.get('BW20')).toEqual({ prefix: 'BW20', code: 'BW20', head: 'Computerized Tomography (CT Scan) of Abdomen' });
    expect(byPrefix.get('BW03')).toEqual({ prefix: 'BW03', code: 'BW03ZZZ', head: 'Plain Radiography of Chest' });
    expect(byPrefix.get('0TTB')?.head).toBe('Resection of Bladder');
  });

  test('notes name imaging by modality and body part, in either order', () => {
    expect(codes('An abdominal CT scan was performed.')).toContain('BW20');
    expect(codes('CT of the abdomen and pelvis showed no masses.')).toContain('BW21');
    expect(codes('Chest x-ray was normal.')).toContain('BW03ZZZ');
    expect(codes('Abdominal ultrasound showed gallstones.')).toContain('BW40ZZZ');
  });

  test('imaging words apart within one statement still name the study, with the side the sentence gives', () => {
    const found = abstractNotes([{ id: 'n', text: 'The ultrasound showed a lithiasis in the right kidney.' }], lexicon).filter((f) => f.kind === 'procedure');
    expect(found.map((f) => f.candidates[0]!.code)).toContain('BT41ZZZ');
    expect(found.find((f) => f.candidates[0]!.code === 'BT41ZZZ')!.candidates[0]!.lexiconEntry).toContain('words found out of order');
    // Root operations are matched as written only: "removal ... of the bladder" is not a resection of the bladder.
    expect(codes('The catheter removal was uneventful and the bladder emptied.')).not.toContain('0TTB');
    // The variants of one term found out of order ("x ray cervical", "cervical x ray", "x ray of
    // cervical") are one candidate, not one per variant.
    const xray = abstractNotes([{ id: 'n', text: 'The x-ray showed a narrowing in the cervical spine.' }], lexicon).find((f) => f.kind === 'procedure')!;
    const listed = xray.candidates.map((c) => c.code);
    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed).size).toBe(listed.length);
    // A statement break (negation) keeps the words apart.
    expect(codes('Ultrasound showed no dilatation; the kidney was normal.')).toEqual([]);
  });

  test('root operation and body part, and the organ words of our table; the side picks the code', () => {
    expect(codes('Transurethral resection of the bladder tumor was done.')).toContain('0TTB');
    expect(codes('A cystoscopy was performed.')).toContain('0TJB');
    expect(codes('Right nephrectomy was performed.')).toContain('0TT0');
    expect(codes('Left nephrectomy was performed.')).toContain('0TT1');
    // No side documented: a side is only a guess, kept below the threshold.
    const noSide = abstractNotes([{ id: 'n', text: 'Nephrectomy was performed.' }], lexicon).find((f) => f.kind === 'procedure')!;
    expect(noSide.candidates[0]!.score).toBeLessThan(0.5);
  });

  test('every word table entry names a root operation, imaging type and body part the code set has', () => {
    const words = loadPcsWords();
    const entries = pcsAxisEntries(pcs, words);
    for (const o of words.organProcedures) expect(entries.some((e) => e.term === o.word), o.word).toBe(true);
    const heads = pcsPrefixes(pcs).map((p) => p.head);
    for (const name of [...Object.keys(words.modalities), ...Object.keys(words.operations)]) expect(heads.some((h) => h.startsWith(`${name} `)), name).toBe(true);
  });
});
