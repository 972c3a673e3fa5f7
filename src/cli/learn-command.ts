import { resolve } from 'node:path';
import type { Command } from 'commander';
import { lexiconFromLibrary } from '../abstract/lexicon/library-lexicon.js';
import { ReferenceLibrary } from '../codesets/reference-library.js';
import { readCodedCorpus } from '../learn/coded-corpus.js';
import { learnSiteLexicon, saveSiteLexicon } from '../learn/site-lexicon.js';
import { openDatabase } from '../store/database.js';
import { configFrom, printJson, type CommonFlags } from './common.js';

interface LearnFlags extends CommonFlags {
  corpus: string;
  split: string;
  json?: boolean;
}

export function registerLearnCommand(program: Command): void {
  program
    .command('learn')
    .description('learn a site lexicon and code statistics from coded history (documents with the codes coders assigned)')
    .requiredOption('--corpus <dir>', 'corpus folder in the CodiEsp layout: <split>/text_files_en/*.txt, <split>/<split>D.tsv, <split>/<split>P.tsv')
    .requiredOption('--split <name>', 'split to learn from (e.g. train)')
    .option('--db <file>', 'SQLite run repository the site lexicon is stored in (replacing the previous one)')
    .option('--json', 'print a JSON summary')
    .addHelpText('after', `
The reference lexicon (official code sets imported with "nightcode codesets import", and the
starter lexicon) is matched against every document; each term's codes are re-weighted by how
often the site coded them when the term was written, and word sequences that keep coming with
a code the reference lexicon missed become site terms. Stored in the database, never in the
repository; the next run and "nightcode eval" use it.

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
        const summary = {
          corpus: resolve(flags.corpus), split: flags.split, documents: learned.documents,
          rows: learned.rows.length,
          learnedTerms: learned.rows.filter((r) => r.origin === 'learned').length,
          reweightedTerms: learned.rows.filter((r) => r.origin === 'reference').length,
          codes: learned.codeStats.length,
          referenceRecall: learned.goldTotal === 0 ? 0 : learned.goldFound / learned.goldTotal,
          lexicon: base.sources, database: config.database, ms: Math.round(performance.now() - started),
        };
        if (flags.json) printJson(summary);
        else {
          process.stdout.write(`learned from ${summary.documents} documents of ${flags.split}: ${summary.learnedTerms} site terms, ${summary.reweightedTerms} reference terms re-weighted, ${summary.codes} codes\n`);
          process.stdout.write(`the reference lexicon (${base.sources.join(', ')}) found ${(summary.referenceRecall * 100).toFixed(1)}% of the coded codes in their documents\n`);
          process.stdout.write(`stored in ${config.database} in ${(summary.ms / 1000).toFixed(1)} s\n`);
        }
      } finally {
        db.close();
      }
    });
}
