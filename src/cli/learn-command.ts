import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { lexiconFromLibrary } from '../abstract/lexicon/library-lexicon.js';
import { ReferenceLibrary } from '../codesets/reference-library.js';
import { readCodedCorpus } from '../learn/coded-corpus.js';
import type { SiteLexiconRow } from '../abstract/lexicon/compile-lexicon.js';
import { isLearnedTerm, learnSiteLexicon, saveSiteLexicon } from '../learn/site-lexicon.js';
import { openDatabase } from '../store/database.js';
import { configFrom, printJson, type CommonFlags } from './common.js';

interface LearnFlags extends CommonFlags {
  corpus: string;
  split: string;
  json?: boolean;
  terms?: string;
}

export function registerLearnCommand(program: Command): void {
  program
    .command('learn')
    .description('learn a site lexicon and code statistics from coded history (documents with the codes coders assigned)')
    .requiredOption('--corpus <dir>', 'corpus folder in the CodiEsp layout: <split>/text_files_en/*.txt, <split>/<split>D.tsv, <split>/<split>P.tsv')
    .requiredOption('--split <name>', 'split to learn from (e.g. train)')
    .option('--db <file>', 'SQLite run repository the site lexicon is stored in (replacing the previous one)')
    .option('--terms <file>', 'also write every learned and re-weighted term with its counts and held-out precision to this TSV file')
    .option('--json', 'print a JSON summary')
    .addHelpText('after', `
The reference lexicon (official code sets imported with "nightcode codesets import", and the
starter lexicon) is matched against every document; each term's codes are re-weighted by how
often the site coded them when the term was written, and word sequences that keep coming with
a code the reference lexicon missed become site terms. Each learned term's precision is
measured on documents it was not learned from (the split in 5 folds: chosen on four, counted on
the fifth); that held-out precision is its score, so a term scored 0.5 is right about half the
time, and terms under 0.1 are left out. Stored in the database, never in the repository; the
next run and "nightcode eval" use it.

Example:
  nightcode learn --corpus ../shared/corpora/codiesp --split train`)
    .action((flags: LearnFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const started = performance.now();
        const corpus = readCodedCorpus(resolve(flags.corpus), flags.split);
        const base = lexiconFromLibrary(db, new ReferenceLibrary(db), { site: false });
        const learned = learnSiteLexicon(corpus.documents, base.lexicon);
        saveSiteLexicon(db, { corpus: resolve(flags.corpus), split: flags.split }, learned);
        const learnedRows = learned.rows.filter(isLearnedTerm);
        const alternatives = learned.rows.filter((r) => r.alternative).length;
        const measured = learnedRows.filter((r) => r.heldOut);
        const heldOut = measured.reduce((a, r) => ({ together: a.together + r.heldOut!.together, documents: a.documents + r.heldOut!.documents }), { together: 0, documents: 0 });
        const byPrecision = (lo: number, hi: number) => measured.filter((r) => r.heldOut!.together / r.heldOut!.documents >= lo && r.heldOut!.together / r.heldOut!.documents < hi).length;
        if (flags.terms) writeFileSync(resolve(flags.terms), termsTsv(learned.rows));
        const summary = {
          corpus: resolve(flags.corpus), split: flags.split, documents: learned.documents,
          rows: learned.rows.length,
          learnedTerms: learnedRows.length,
          // Micro precision of the learned terms on held-out folds, and how many terms fall in each band.
          learnedHeldOutPrecision: heldOut.documents === 0 ? null : Math.round((heldOut.together / heldOut.documents) * 1000) / 1000,
          learnedByHeldOutPrecision: { '0.1-0.3': byPrecision(0, 0.3), '0.3-0.5': byPrecision(0.3, 0.5), '0.5-0.7': byPrecision(0.5, 0.7), '0.7-1': byPrecision(0.7, 1.01) },
          reweightedTerms: learned.rows.filter((r) => r.origin === 'reference').length,
          // Other codes of a term's category the site assigns with it, too rarely to predict: ranked only.
          alternativeReadings: alternatives,
          codes: learned.codeStats.length,
          referenceRecall: learned.goldTotal === 0 ? 0 : learned.goldFound / learned.goldTotal,
          lexicon: base.sources, database: config.database, ms: Math.round(performance.now() - started),
        };
        if (flags.json) printJson(summary);
        else {
          process.stdout.write(`learned from ${summary.documents} documents of ${flags.split}: ${summary.learnedTerms} site terms, ${summary.reweightedTerms} reference terms re-weighted, ${summary.alternativeReadings} alternative readings (ranked only), ${summary.codes} codes\n`);
          if (summary.learnedHeldOutPrecision !== null) {
            const bands = Object.entries(summary.learnedByHeldOutPrecision).map(([band, n]) => `${n} at ${band}`).join(', ');
            process.stdout.write(`site terms are right ${(summary.learnedHeldOutPrecision * 100).toFixed(1)}% of the time on held-out folds (${bands})\n`);
          }
          process.stdout.write(`the reference lexicon (${base.sources.join(', ')}) found ${(summary.referenceRecall * 100).toFixed(1)}% of the coded codes in their documents\n`);
          process.stdout.write(`stored in ${config.database} in ${(summary.ms / 1000).toFixed(1)} s\n`);
        }
      } finally {
        db.close();
      }
    });
}

/** The learned rows as a TSV file: what each term was learned from and how it held up. */
function termsTsv(rows: readonly SiteLexiconRow[]): string {
  const head = ['term', 'code', 'system', 'origin', 'together', 'documents', 'held_out_together', 'held_out_documents', 'held_out_precision', 'alternative'];
  const lines = rows.map((r) => [r.term, r.code, r.system, r.origin, r.together, r.documents, r.heldOut?.together ?? '', r.heldOut?.documents ?? '',
    r.heldOut && r.heldOut.documents > 0 ? (r.heldOut.together / r.heldOut.documents).toFixed(3) : '', r.alternative ? 'yes' : ''].join('\t'));
  return `${head.join('\t')}\n${lines.map((l) => `${l}\n`).join('')}`;
}
