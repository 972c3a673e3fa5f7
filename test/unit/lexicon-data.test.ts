import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { compileLexicon } from '../../src/abstract/lexicon/compile-lexicon.js';
import type { Lexicon } from '../../src/abstract/lexicon/lexicon.js';
import { readSynonyms } from '../../src/abstract/lexicon/starter-lexicon.js';
import { andParts, termVariants } from '../../src/abstract/lexicon/term-variants.js';
import { normalizeTerm, readAbbreviations } from '../../src/abstract/text/tokens.js';
import { readWordForms } from '../../src/abstract/text/word-forms.js';
import { importCodesetFiles } from '../../src/codesets/import-codesets.js';
import { ReferenceLibrary } from '../../src/codesets/reference-library.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/tmp.js';

/** The team's lexicon data files, checked against the official tabular they alias into. */
let lexicon: Lexicon;

beforeAll(async () => {
  const db = openDatabase(join(tempDir('nightcode-lexicon-data-'), 'l.db'));
  const shared = resolve('..', 'shared', 'codesets', 'icd10cm-2021');
  await importCodesetFiles(db, [join(shared, 'icd10cm_tabular_2021.xml'), join(shared, 'icd10cm-order-Jan-2021.txt')]);
  const cm = new ReferenceLibrary(db).codeSetFor('ICD-10-CM', '2021-03-01')!;
  lexicon = compileLexicon({ cm });
}, 120_000);

describe('team-written lexicon data', () => {
  test('every abbreviation and synonym means a term the lexicon has, and becomes its alias', () => {
    for (const [table, source] of [[readAbbreviations(), 'abbreviation'], [readSynonyms(), 'synonym']] as const) {
      for (const [alias, meaning] of Object.entries(table)) {
        expect(lexicon.lookup(meaning).filter((e) => e.source !== 'abbreviation' && e.source !== 'synonym').length, `${alias} = ${meaning}`).toBeGreaterThan(0);
        expect(lexicon.lookup(alias).some((e) => e.source === source || e.source === 'starter' || e.source.startsWith('tabular')), alias).toBe(true);
      }
    }
    expect(lexicon.lookup('pollakiuria').map((e) => e.code)).toContain('R35.0');
  });

  test('word forms: one canonical form per word, never itself rewritten', () => {
    const forms = readWordForms();
    for (const [word, canonical] of forms) {
      expect(forms.has(canonical) && forms.get(canonical) !== canonical, `${word} → ${canonical} → ${forms.get(canonical)}`).toBe(false);
    }
    // Applied alike to terms and text: "renal lithiasis" reads as "kidney calculus", "adenopathies" as "lymphadenopathy".
    expect(normalizeTerm('renal lithiasis')).toEqual(normalizeTerm('kidney calculus'));
    expect(normalizeTerm('adenopathies')).toEqual(['lymphadenopathy']);
    expect(normalizeTerm('abdominal distention')).toEqual(normalizeTerm('abdominal distension'));
    // "-os" plurals are not folded by rule ("pathos"): the units are listed.
    expect(normalizeTerm('20 kilos')).toEqual(normalizeTerm('20 kg'));
    expect(lexicon.lookup('leucocytosis').map((e) => e.code)).toContain('D72.829');
    expect(lexicon.lookup('lithiasis of kidney').map((e) => e.code)).toContain('N20.0');
  });

  test('titles: the leading "Unspecified" is dropped, and "and" means and/or (I.A.14) as a weaker part', () => {
    expect(termVariants('Unspecified renal colic')).toContain('renal colic');
    // "X of organ" is also written organ first, and organ adjectives fold to the noun.
    expect(termVariants('Tuberculosis of lung')).toContain('lung tuberculosis');
    expect(termVariants('Other disorders of bone')).not.toContain('bone other disorders');
    expect(termVariants('Sprain of unspecified ligament of right ankle')).toHaveLength(2);
    expect(normalizeTerm('pulmonary tuberculosis')).toEqual(normalizeTerm('lung tuberculosis'));
    expect(lexicon.lookup('pulmonary tuberculosis').map((e) => e.code)).toContain('A15.0');
    expect(andParts('Hypo-osmolality and hyponatremia')).toEqual(['hyponatremia']);
    // A one-word part that is not a disorder noun is an adjective sharing the head noun.
    expect(andParts('Renal and perinephric abscess')).toEqual(['renal abscess', 'perinephric abscess']);
    expect(andParts('Acute and subacute iridocyclitis')).toEqual(['acute iridocyclitis', 'subacute iridocyclitis']);
    // Not when a noun, or a word without an adjective, follows "and".
    expect(andParts('Heart and lungs transplant status')).not.toContain('heart transplant');
    expect(andParts('Epilepsy and recurrent seizures')).toEqual(['recurrent seizures']);
    expect(andParts('Atrioventricular and left bundle-branch block')).toEqual(['left bundle-branch block']);
    expect(andParts('Embolism and thrombosis of renal vein')).toEqual(['embolism of renal vein', 'thrombosis of renal vein']);
    expect(andParts('Other disorders of fluid, electrolyte and acid-base balance')).toEqual([]);
    // An and-part alone is weak; where the Index backs it, a team synonym raises it (Hyponatremia E87.1).
    const part = lexicon.lookup('thrombosis of renal vein').find((e) => e.code === 'I82.3')!;
    expect(part.source).toBe('tabular-title');
    expect(part.weight).toBeLessThan(0.5);
    expect(lexicon.lookup('hyponatremia').find((e) => e.code === 'E87.1')!.source).toBe('synonym');
    expect(lexicon.lookup('renal colic').map((e) => e.code)).toContain('N23');
  });

  test('a subcategory\'s inclusion terms also name its default child, as its title does', () => {
    // D18.0 "Hemangioma" includes "Angioma NOS": its unspecified child D18.00 is a code a claim can carry.
    const child = lexicon.lookup('angioma').find((e) => e.code === 'D18.00')!;
    expect(child.source).toBe('tabular-inclusion');
    expect(child.weight).toBeGreaterThan(0.5);
    expect(child.detail).toContain('the default child of D18.0');
  });

  test('a manifestation code\'s inclusion terms are weak; the Index default of the bare word leads', () => {
    // N08 "Glomerular disorders in diseases classified elsewhere" lists "Glomerulonephritis":
    // a manifestation (I.A.13), never coded alone; the Index sends the bare word to N05.9.
    const entries = lexicon.lookup('glomerulonephritis');
    expect(entries.find((e) => e.code === 'N08')!.weight).toBeLessThan(0.5);
    const best = [...entries].sort((x, y) => y.weight - x.weight)[0]!;
    expect(best.code).toBe('N05.9');
  });
});
