import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { abstractNotes } from '../../src/abstract/abstract-encounter.js';
import { compileLexicon } from '../../src/abstract/lexicon/compile-lexicon.js';
import { loadStarterLexicon } from '../../src/abstract/lexicon/starter-lexicon.js';
import { evaluateCoding } from '../../src/evaluate/coding-eval.js';
import { readCodedCorpus, type CodedDocument } from '../../src/learn/coded-corpus.js';
import { learnSiteLexicon, loadSiteLexicon, saveSiteLexicon } from '../../src/learn/site-lexicon.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('nightcode-learn-');

/** A corpus in the CodiEsp layout: <split>/text_files_en/*.txt, <split>/<split>D.tsv, <split>/<split>P.tsv. */
function writeCorpus(root: string, split: string, docs: { id: string; text: string; d: string[]; p?: string[] }[]): void {
  mkdirSync(join(root, split, 'text_files_en'), { recursive: true });
  for (const doc of docs) writeFileSync(join(root, split, 'text_files_en', `${doc.id}.txt`), doc.text);
  writeFileSync(join(root, split, `${split}D.tsv`), docs.flatMap((doc) => doc.d.map((c) => `${doc.id}\t${c.toLowerCase()}`)).join('\n'));
  writeFileSync(join(root, split, `${split}P.tsv`), docs.flatMap((doc) => (doc.p ?? []).map((c) => `${doc.id}\t${c.toLowerCase()}`)).join('\n'));
}

const corpus = join(dir, 'corpus');
writeCorpus(corpus, 'train', [
  { id: 't1', text: 'A man with sugar diabetes of two years.\nChest x-ray was normal.', d: ['E11.22'], p: ['BW03ZZZ'] },
  { id: 't2', text: 'She has sugar diabetes and asthma.\nA chest x-ray showed no infiltrate.', d: ['E11.22', 'J45.909'], p: ['BW03ZZZ'] },
  { id: 't3', text: 'Sugar diabetes with hypertension.', d: ['E11.22', 'I10'] },
  { id: 't4', text: 'Hypertension, well controlled; chest x-ray unremarkable.', d: ['I10'], p: ['BW03ZZZ'] },
  // Visits that say neither: a term is learned for coming with its code more often than the
  // code's own rate explains, which a corpus of only the term's documents cannot show.
  ...Array.from({ length: 30 }, (_, i) => ({ id: `v${String(i + 1).padStart(2, '0')}`, text: `Follow-up visit ${i + 1}: asthma, stable on inhaler.`, d: ['J45.909'] })),
]);
writeCorpus(corpus, 'dev', [
  { id: 'd1', text: 'Febrile syndrome and hypertension.', d: ['R50.9', 'I10'] },
  { id: 'd2', text: 'Asthma. Sugar diabetes for years; a chest x-ray was obtained.', d: ['J45.909', 'E11.22', 'R05'], p: ['BW03ZZZ'] },
]);

describe('coded corpus reader', () => {
  test('reads texts and gold codes, upper-cased', () => {
    const c = readCodedCorpus(corpus, 'train');
    expect(c.documents.filter((d) => d.id.startsWith('t')).map((d) => [d.id, d.diagnoses, d.procedures])).toEqual([
      ['t1', ['E11.22'], ['BW03ZZZ']], ['t2', ['E11.22', 'J45.909'], ['BW03ZZZ']], ['t3', ['E11.22', 'I10'], []], ['t4', ['I10'], ['BW03ZZZ']],
    ]);
    expect(c.documents).toHaveLength(34);
  });

  test('a missing split and a bad code line are named', () => {
    expect(() => readCodedCorpus(corpus, 'test')).toThrow(/corpus split not found: .*test/);
    const bad = join(dir, 'bad');
    writeCorpus(bad, 'train', [{ id: 'x', text: 'x', d: [] }]);
    writeFileSync(join(bad, 'train', 'trainD.tsv'), 'x\tr50.9\nx r52\n');
    expect(() => readCodedCorpus(bad, 'train')).toThrow(/trainD\.tsv line 2: expected "docid<TAB>code"/);
  });
});

describe('learning a site lexicon from coded history', () => {
  const train = readCodedCorpus(corpus, 'train').documents;
  const base = loadStarterLexicon();

  test('reference terms are re-weighted and co-occurring sequences become site terms', () => {
    // In-sample counts (no folds): what selection keeps; held-out folds are the next tests' subject.
    const learned = learnSiteLexicon(train, base, { folds: 0 });
    const row = (term: string, code: string) => learned.rows.find((r) => r.term === term && r.code === code);
    // "hypertension" is in the starter lexicon: seen in 2 documents, coded I10 in both.
    expect(row('hypertension', 'I10')).toMatchObject({ together: 2, documents: 2, origin: 'reference' });
    // "sugar diabetes" came with E11.22 in all three documents that say it, and shares a word
    // with what the lexicon says of E11.22; "sugar" alone shares none and is seen only 3 times.
    expect(row('sugar diabetes', 'E11.22')).toMatchObject({ together: 3, documents: 3, origin: 'learned' });
    expect(row('sugar', 'E11.22')).toBeUndefined();
    // "diabetes" alone reads as E11.9 in the reference, which these documents never carry: weighted down.
    expect(row('diabetes', 'E11.9')).toMatchObject({ together: 0, documents: 3, origin: 'reference' });
    // "chest x ray" shares no word with what the lexicon says of BW03ZZZ (nothing): seen 3 times,
    // enough for a procedure term (3), not when 5 are asked for (the diagnosis default).
    expect(learned.rows.some((r) => r.term === 'chest x ray' && r.code === 'BW03ZZZ')).toBe(true);
    expect(learnSiteLexicon(train, base, { folds: 0, minTogetherUnrelatedProcedure: 5 }).rows.some((r) => r.code === 'BW03ZZZ')).toBe(false);
    expect(learned.codeStats).toContainEqual({ code: 'E11.22', system: 'ICD-10-CM', documents: 3 });
  });

  test('a reference term is measured where it stands alone, not inside a longer term', () => {
    // "anemia" inside "iron deficiency anemia" is coded as the whole (D50.9): those documents
    // say nothing of how often "anemia" alone means D64.9.
    const docs: CodedDocument[] = [
      ...Array.from({ length: 3 }, (_, i) => ({ id: `i${i}`, text: `Case ${i}: iron deficiency anemia.`, diagnoses: ['D50.9'], procedures: [] })),
      ...Array.from({ length: 2 }, (_, i) => ({ id: `a${i}`, text: `Case ${i}: anemia.`, diagnoses: ['D64.9'], procedures: [] })),
    ];
    const learned = learnSiteLexicon(docs, base, { folds: 0 });
    expect(learned.rows.find((r) => r.term === 'anemia' && r.code === 'D64.9')).toMatchObject({ together: 2, documents: 2, origin: 'reference' });
    expect(learned.rows.find((r) => r.term === 'iron deficiency anemia' && r.code === 'D50.9')).toMatchObject({ together: 3, documents: 3 });
  });

  test('a reference term of another code system is not learned as a co-occurring term', () => {
    // Ten syncope work-ups, each with an ECG: "syncope" names R55 in the reference, so it is not
    // learned as a name for the ECG; "tracing" names nothing and is.
    const docs: CodedDocument[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, text: `Case ${i}: syncope at home. The tracing was normal.`, diagnoses: ['R55'], procedures: ['4A02X4Z'] })),
      ...Array.from({ length: 20 }, (_, i) => ({ id: `h${i}`, text: `Case ${i}: headache at work.`, diagnoses: ['R51'], procedures: [] })),
    ];
    const learned = learnSiteLexicon(docs, base);
    const ecg = learned.rows.filter((r) => r.code === '4A02X4Z').map((r) => r.term);
    expect(ecg).toContain('tracing');
    expect(ecg).not.toContain('syncope');
    expect(learned.rows.find((r) => r.term === 'syncope' && r.code === 'R55')).toMatchObject({ origin: 'reference', together: 10 });
  });

  test('a code in most documents is not learned from words that merely come with it', () => {
    // R69 is coded in 24 of 30 documents. "worsening" comes with it in 8 of its 10: its own
    // rate, no more. "sugar diabetes" comes with E11.22 in all 5 of its documents, a code of 5 in 30.
    const docs: CodedDocument[] = Array.from({ length: 30 }, (_, i) => ({
      id: `w${i}`,
      text: `Case ${i}: ${i % 3 === 0 ? 'worsening' : 'stable'} over the week.${i >= 25 ? ' Sugar diabetes for years.' : ''}`,
      diagnoses: [...(i % 5 === 0 && i % 3 === 0 ? [] : i < 24 || i % 3 === 0 ? ['R69'] : []), ...(i >= 25 ? ['E11.22'] : [])],
      procedures: [],
    }));
    const rate = (word: string) => {
      const withWord = docs.filter((d) => d.text.includes(word));
      return `${withWord.filter((d) => d.diagnoses.includes('R69')).length}/${withWord.length}`;
    };
    expect([rate('worsening'), `${docs.filter((d) => d.diagnoses.includes('R69')).length}/30`]).toEqual(['8/10', '24/30']);
    const learned = (o: { maxChance?: number }) => learnSiteLexicon(docs, base, { folds: 0, vocabularySystems: [], ...o }).rows.filter((r) => r.origin === 'learned').map((r) => `${r.term} ${r.code}`);
    expect(learned({})).toContain('sugar diabetes E11.22');
    expect(learned({})).not.toContain('worsening R69');
    // Without the test (any chance allowed) the word is learned: 8 of 10 is a high precision.
    expect(learned({ maxChance: 1 })).toContain('worsening R69');
  });

  test('a learned diagnosis term holds a word the reference uses for diagnoses; a procedure term need not', () => {
    // "Adjuvant" comes with R69 in 9 of 10 documents and "scheduled" with the procedure; no
    // term of the reference says either word. "Sugar diabetes" has "diabetes".
    const docs: CodedDocument[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, text: `Case ${i}: adjuvant course; sugar diabetes. Scheduled today.`, diagnoses: [...(i < 9 ? ['R69'] : []), 'E11.22'], procedures: ['BW03ZZZ'] })),
      ...Array.from({ length: 30 }, (_, i) => ({ id: `h${i}`, text: `Case ${i}: headache at work.`, diagnoses: ['R51'], procedures: [] })),
    ];
    const learned = (vocabularySystems?: ('ICD-10-CM' | 'ICD-10-PCS')[]) => learnSiteLexicon(docs, base, { folds: 0, ...(vocabularySystems ? { vocabularySystems } : {}) })
      .rows.filter((r) => r.origin === 'learned').map((r) => `${r.term} ${r.code}`);
    expect(learned()).toContain('sugar diabetes E11.22');
    expect(learned()).not.toContain('adjuvant R69');
    expect(learned()).toContain('scheduled BW03ZZZ');
    expect(learned([])).toContain('adjuvant R69');
  });

  test('a learned term carries its precision on the folds it was not learned from, and is weighted by it', () => {
    // Ten documents say "sugar diabetes"; eight were coded E11.22. In five folds, the term is
    // chosen on the other folds each time and counted on the held-out one: 8 of 10.
    const docs: CodedDocument[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, text: `Case ${i}: sugar diabetes for years.`, diagnoses: i < 8 ? ['E11.22'] : [], procedures: [] })),
      ...Array.from({ length: 20 }, (_, i) => ({ id: `h${i}`, text: `Case ${i}: headache at work.`, diagnoses: ['R51'], procedures: [] })),
    ];
    const learned = learnSiteLexicon(docs, base);
    const row = learned.rows.find((r) => r.term === 'sugar diabetes' && r.code === 'E11.22');
    expect(row).toMatchObject({ together: 8, documents: 10, origin: 'learned', heldOut: { together: 8, documents: 10 } });
    // The lexicon scores the term by its held-out precision, smoothed toward what the site's
    // learned terms achieve together on held-out folds (empirical Bayes).
    const pooled = learned.rows.filter((r) => r.heldOut).reduce((a, r) => [a[0]! + r.heldOut!.together, a[1]! + r.heldOut!.documents], [0, 0]);
    expect(pooled[1]).toBeGreaterThanOrEqual(20);
    const entry = compileLexicon({ site: learned.rows, starter: false }).lookup('sugar diabetes').find((e) => e.code === 'E11.22')!;
    expect(entry.weight).toBeCloseTo((8 + 2 * (pooled[0]! / pooled[1]!)) / (10 + 2));
    expect(entry.detail).toMatch(/8 of 10 held out/);
    // The held-out counts are stored with the term: the nightly run weights it the same way.
    const db = openDatabase(':memory:');
    saveSiteLexicon(db, { corpus: 'c', split: 'train' }, learned);
    expect(loadSiteLexicon(db).find((r) => r.term === 'sugar diabetes' && r.code === 'E11.22')).toEqual(row);
    db.close();
    // A term that does not hold up on held-out documents is left out.
    expect(learnSiteLexicon(docs, base, { minHeldOutPrecision: 0.9 }).rows.some((r) => r.term === 'sugar diabetes')).toBe(false);
    // Without folds (or too few documents for them), in-sample counts as before.
    expect(learnSiteLexicon(docs, base, { folds: 0 }).rows.find((r) => r.term === 'sugar diabetes')?.heldOut).toBeUndefined();
  });

  test('another code of a term\'s category that the site assigns too rarely for a term is an alternative reading: ranked, never predicted', () => {
    // Twenty documents say "fever", read as R50.9; four were coded R50.81 instead (20%, under
    // the 30% a learned term needs). Twenty others keep the code's base rate low.
    const docs: CodedDocument[] = [
      ...Array.from({ length: 20 }, (_, i) => ({ id: `f${i}`, text: `Case ${i}: fever for three days.`, diagnoses: [[0, 6, 12, 18].includes(i) ? 'R50.81' : 'R50.9'], procedures: [] })),
      ...Array.from({ length: 20 }, (_, i) => ({ id: `h${i}`, text: `Case ${i}: headache at work.`, diagnoses: ['R51'], procedures: [] })),
    ];
    const learned = learnSiteLexicon(docs, base);
    const row = learned.rows.find((r) => r.term === 'fever' && r.code === 'R50.81');
    expect(row).toMatchObject({ together: 4, documents: 20, origin: 'learned', alternative: true, heldOut: { together: 4, documents: 20 } });
    // Not a code of another category, and not one the reference already reads the term as.
    expect(learned.rows.some((r) => r.term === 'fever' && r.alternative && r.code !== 'R50.81')).toBe(false);
    const lex = compileLexicon({ site: learned.rows, starter: true });
    const [finding] = abstractNotes([{ id: 'n', text: 'Fever since Monday.' }], lex);
    const alt = finding!.candidates.find((c) => c.code === 'R50.81')!;
    expect(alt.score).toBeLessThanOrEqual(0.34);
    expect(alt.lexiconEntry).toContain('an alternative reading, ranked only');
    expect(finding!.candidates[0]!.code).toBe('R50.9');
    // Stored and read back as such: the nightly run ranks it the same way.
    const db = openDatabase(':memory:');
    saveSiteLexicon(db, { corpus: 'c', split: 'train' }, learned);
    expect(loadSiteLexicon(db).find((r) => r.term === 'fever' && r.code === 'R50.81')).toEqual(row);
    db.close();
    // Seen in one document (f1 also coded R50.82): it cannot come back on the folds it was not
    // seen on, 0 of the 16 documents with "fever" there, and weighs next to nothing, yet ranks.
    const once = docs.map((d) => (d.id === 'f1' ? { ...d, diagnoses: [...d.diagnoses, 'R50.82'] } : d));
    const single = learnSiteLexicon(once, base).rows.find((r) => r.term === 'fever' && r.code === 'R50.82');
    expect(single).toMatchObject({ together: 1, documents: 20, alternative: true, heldOut: { together: 0, documents: 16 } });
    const onceLex = compileLexicon({ site: learnSiteLexicon(once, base).rows, starter: true });
    const weight = (code: string) => onceLex.lookup('fever').find((e) => e.code === code)!.weight;
    expect(weight('R50.82')).toBeGreaterThan(0);
    expect(weight('R50.82')).toBeLessThan(weight('R50.81') / 2);
    // Without folds, only pairs seen in two documents or more, by their in-sample counts.
    const inSample = learnSiteLexicon(once, base, { folds: 0 }).rows.filter((r) => r.alternative);
    expect(inSample.map((r) => [r.code, r.together, r.heldOut])).toEqual([['R50.81', 4, undefined]]);
  });

  test('the site lexicon is stored in the database, replacing the previous one', () => {
    const db = openDatabase(':memory:');
    const learned = learnSiteLexicon(train, base);
    saveSiteLexicon(db, { corpus: 'c', split: 'train' }, learned);
    saveSiteLexicon(db, { corpus: 'c', split: 'train' }, learned);
    expect(loadSiteLexicon(db)).toHaveLength(learned.rows.length);
    db.close();
  });

  test('evaluation scores documents as sets (P/R/F1) and ranked lists (MAP)', () => {
    const dev: CodedDocument[] = readCodedCorpus(corpus, 'dev').documents;
    const before = evaluateCoding('dev', dev, base, { mode: 'mentions', threshold: 0.5 });
    // Starter lexicon: R50.9 ("febrile" reads as fever), I10, J45.909 found; "diabetes" read as
    // E11.9 (a false positive here); E11.22 and R05 missed.
    expect(before.diagnosis.exact).toMatchObject({ tp: 3, fp: 1, fn: 2, precision: 0.75, recall: 0.6 });
    const lexicon = compileLexicon({ site: learnSiteLexicon(train, base).rows });
    const after = evaluateCoding('dev', dev, lexicon, { mode: 'mentions', threshold: 0.5 });
    expect(after.diagnosis.exact).toMatchObject({ tp: 4, fp: 0, fn: 1 });
    // d1: both gold codes ranked first (AP 1); d2: J45.909 and E11.9 at ranks 1–2 of 3 gold (AP 2/3).
    expect(after.diagnosis.exact.map).toBeCloseTo((1 + 2 / 3) / 2);
    expect(after.diagnosis.category.recall).toBeCloseTo(0.8);
  });

  test('a code is scored at the detail the gold gives: a child of a gold code that a claim must refine counts as it', () => {
    const docs: CodedDocument[] = [
      // Gold written at less detail than a claim carries (an older release, or the annotator stopped early).
      { id: 'g1', text: 'Asthma. Diabetes.', diagnoses: ['J45', 'E11'], procedures: [] },
      // The gold has the full code and its category: the prediction is the full code, and the category is missed.
      { id: 'g2', text: 'Asthma.', diagnoses: ['J45.909', 'J45'], procedures: [] },
      // The gold stopped at the subcategory.
      { id: 'g3', text: 'Asthma.', diagnoses: ['J45.90'], procedures: [] },
      // A code of another category is not credited.
      { id: 'g4', text: 'Asthma.', diagnoses: ['E11'], procedures: [] },
    ];
    const r = evaluateCoding('gold', docs, base, { mode: 'mentions', threshold: 0.5 });
    // g1: J45.909 → j45, E11.9 → e11 (2 tp); g2: j45.909 tp, j45 fn; g3: J45.909 → j45.90 (1 tp); g4: fp and fn.
    expect(r.diagnosis.exact).toMatchObject({ tp: 4, fp: 1, fn: 2 });
    const errors = evaluateCoding('gold', docs, base, { mode: 'mentions', threshold: 0.5, errors: true }).errors!;
    expect(errors.map((e) => `${e.document} ${e.error} ${e.code}`).sort()).toEqual(['g2 false-negative j45', 'g4 false-negative e11', 'g4 false-positive j45.909']);
  });
});

describe('nightcode learn and eval', () => {
  test('learn stores the site lexicon; eval prints one JSON object per mode', () => {
    const db = join(dir, 'cli.db');
    const learn = runCli(['learn', '--corpus', corpus, '--split', 'train', '--db', db, '--json']);
    expect(learn.stderr).toBe('');
    expect(JSON.parse(learn.stdout)).toMatchObject({ split: 'train', documents: 34, learnedTerms: expect.any(Number) });
    const ev = runCli(['eval', '--corpus', corpus, '--split', 'dev', '--db', db, '--json']);
    expect(ev.code).toBe(0);
    const lines = ev.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.mode)).toEqual(['mentions', 'guideline']);
    expect(lines[0]).toMatchObject({
      split: 'dev', documents: 2, mode: 'mentions',
      diagnosis: { exact: { precision: 1, recall: 0.8, f1: expect.any(Number), map: expect.any(Number) }, category: expect.any(Object) },
      procedure: { exact: expect.any(Object) },
    });
    // The next nightly run abstracts with it and records which one it used.
    const exportDir = join(dir, 'export');
    expect(runCli(['generate', '--encounters', '12', '--seed', '3', '--date', '2026-11-27', '--broken-rate', '0', '--out', exportDir]).code).toBe(0);
    const run = runCli(['run', '--date', '2026-11-27', '--input', exportDir, '--db', db, '--out', join(dir, 'out'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { codeSets: { system: string; version: string }[] }).codeSets).toContainEqual({ system: 'site lexicon', version: expect.stringMatching(/^train of corpus, \d+ rows, learned /) });
    const bad = runCli(['eval', '--corpus', corpus, '--split', 'dev', '--db', db, '--mode', 'all']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--mode must be mentions, guideline or both/);
    // The coding stage scored on the same documents: the claim's codes, by stage and mode.
    const both = runCli(['eval', '--corpus', corpus, '--split', 'dev', '--db', db, '--json', '--stage', 'both', '--mode', 'guideline', '--setting', 'outpatient']);
    expect(both.code, both.stderr).toBe(0);
    const byStage = both.stdout.trim().split('\n').map((l) => JSON.parse(l) as { stage: string; mode: string; diagnosis: { exact: { recall: number } } });
    expect(byStage.map((l) => [l.stage, l.mode])).toEqual([['abstraction', 'guideline'], ['coding', 'guideline']]);
    expect(byStage[1]!.diagnosis.exact.recall).toBeGreaterThan(0);
    expect(runCli(['eval', '--corpus', corpus, '--split', 'dev', '--db', db, '--stage', 'claims']).stderr).toMatch(/--stage must be abstraction, coding or both/);
  });

  test('eval --errors writes every miss and wrong code with its category; --explain shows one document', () => {
    const db = join(dir, 'errors.db');
    const errorsFile = join(dir, 'errors.tsv');
    const ev = runCli(['eval', '--corpus', corpus, '--split', 'dev', '--train', 'train', '--db', db, '--stage', 'both', '--mode', 'mentions', '--errors', errorsFile, '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    const lines = ev.stdout.trim().split('\n').map((l) => JSON.parse(l) as { stage: string; errors: Record<string, number> });
    expect(lines.map((l) => l.stage)).toEqual(['abstraction', 'coding']);
    // R05 (cough) is in d2's gold and nothing in its text proposes it.
    expect(lines[0]!.errors['ICD-10-CM false-negative no-candidate']).toBeGreaterThanOrEqual(1);
    const rows = readFileSync(errorsFile, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    expect(rows[0]).toEqual(['stage', 'mode', 'document', 'system', 'error', 'code', 'category', 'detail']);
    expect(rows).toContainEqual(['abstraction', 'mentions', 'd2', 'ICD-10-CM', 'false-negative', 'r05', 'no-candidate', 'no candidate in its category']);
    const explain = runCli(['eval', '--corpus', corpus, '--split', 'dev', '--train', 'train', '--db', db, '--mode', 'mentions', '--explain', 'd1']);
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toMatch(/^d1: abstraction, mode mentions/m);
    expect(explain.stdout).toMatch(/"hypertension" → I10/);
    expect(explain.stdout).toMatch(/gold diagnoses: r50\.9 i10/);
    expect(explain.stdout).toMatch(/dev: 1 documents/);
    const unknown = runCli(['eval', '--corpus', corpus, '--split', 'dev', '--db', db, '--explain', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--explain: no document "nope" in dev/);
  });

  test('eval --rule-costs measures what each coding convention costs on the corpus', () => {
    const rc = join(dir, 'rule-costs');
    // Annotated mention by mention: the fever is coded beside the pneumonia it is part of (I.B.5 leaves it off).
    writeCorpus(rc, 'dev', [
      { id: 'r1', text: 'Assessment: fever and pneumonia.', d: ['R50.9', 'J18.9'] },
      { id: 'r2', text: 'Assessment: hypertension.', d: ['I10'] },
    ]);
    const ev = runCli(['eval', '--corpus', rc, '--split', 'dev', '--db', join(dir, 'rc.db'), '--rule-costs', '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    const report = JSON.parse(ev.stdout) as { baseline: { diagnosis: { recall: number } }; rules: { rule: string; guideline: string; delta: { recall: number; f1: number } }[] };
    expect(report.baseline.diagnosis.recall).toBeCloseTo(2 / 3);
    const integral = report.rules.find((r) => r.rule === 'integral-symptoms')!;
    expect(integral.delta.recall).toBeCloseTo(1 / 3);
    expect(integral.guideline).toMatch(/I\.B\.5/);
    expect(report.rules.map((r) => r.rule)).toContain('excludes1');
    for (const r of report.rules.filter((x) => x.rule !== 'integral-symptoms')) expect(r.delta.recall).toBeLessThanOrEqual(0);
    const text = runCli(['eval', '--corpus', rc, '--split', 'dev', '--db', join(dir, 'rc.db'), '--rule-costs']);
    expect(text.stdout).toMatch(/^ {2}integral-symptoms +[ +-]\d\.\d{3} +\+0\.333/m);
  });

  test('eval --negex prints the NegEx figures', () => {
    const r = runCli(['eval', '--negex', resolve('..', 'shared', 'corpora', 'negex', 'negex-dev.tsv'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { rows: number; negation: { f1: number }; temporality: { accuracy: number }; experiencer: { accuracy: number } };
    expect(out.rows).toBe(1188);
    expect(out.negation.f1).toBeGreaterThan(0.97);
  });
});
