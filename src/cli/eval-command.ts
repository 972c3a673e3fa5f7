import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { lexiconFromLibrary } from '../abstract/lexicon/library-lexicon.js';
import { importCodesetFiles } from '../codesets/import-codesets.js';
import { ReferenceLibrary } from '../codesets/reference-library.js';
import { STARTER_VERSION } from '../codesets/systems.js';
import type { CodingContext } from '../code/code-encounter.js';
import { NightcodeError } from '../contract/errors.js';
import { DEFAULT_THRESHOLD, evaluateCoding, type CodingEvalReport, type DocumentResult, type EvalMode, type ScoreSet } from '../evaluate/coding-eval.js';
import { errorsTsv, summarizeErrors, type EvalError } from '../evaluate/eval-errors.js';
import { evaluateNegex, readNegexFile } from '../evaluate/negex-eval.js';
import { measureRuleCosts, ruleCostsText } from '../evaluate/rule-costs.js';
import { readCodedCorpus } from '../learn/coded-corpus.js';
import { lastSiteLearning, learnSiteLexicon } from '../learn/site-lexicon.js';
import { openDatabase } from '../store/database.js';
import { configFrom, printJson, type CommonFlags } from './common.js';

interface EvalFlags extends CommonFlags {
  negex?: string;
  corpus?: string;
  split?: string;
  train?: string;
  mode?: string;
  threshold?: string;
  codesets?: string[];
  json?: boolean;
  errors?: string;
  explain?: string;
  stage?: string;
  setting?: string;
  ruleCosts?: boolean;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const scores = (s: ScoreSet) => ({ precision: round(s.precision), recall: round(s.recall), f1: round(s.f1), map: round(s.map) });

/** The report's public shape (documented in the issue and README). */
function view(r: CodingEvalReport) {
  return {
    split: r.split, documents: r.documents, stage: r.stage, mode: r.mode, threshold: r.threshold,
    diagnosis: { exact: scores(r.diagnosis.exact), category: scores(r.diagnosis.category) },
    procedure: { exact: scores(r.procedure.exact) },
    throughput: { mbPerSecond: round(r.textBytes / 1e6 / (r.elapsedMs / 1000)), documentsPerSecond: Math.round(r.documents / (r.elapsedMs / 1000)) },
  };
}

function line(name: string, s: ScoreSet): string {
  return `  ${name.padEnd(22)} P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}  MAP ${s.map.toFixed(3)}`;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('accuracy: coding against a coded corpus (CodiEsp layout), or assertion detection on the NegEx test set')
    .option('--negex <file>', 'NegEx test-set file (id, condition, sentence, negation, temporality, experiencer)')
    .option('--corpus <dir>', 'coded corpus folder (CodiEsp layout)')
    .option('--split <name>', 'split to code and score (e.g. dev)')
    .option('--train <name>', 'learn a site lexicon from this split first (kept in memory: the stored site lexicon is not changed); without it the stored one is used')
    .option('--mode <mode>', 'mentions (every mention, as CodiEsp was annotated) | guideline (negated and uncertain mentions dropped) | both', 'both')
    .option('--threshold <x>', `score from which a code is predicted (0–1); lower-scored codes only extend the ranking for MAP`, String(DEFAULT_THRESHOLD))
    .option('--codesets <files...>', 'official code-set files to import into the database first (ICD-10-CM tabular and order file, ICD-10-PCS codes file …)')
    .option('--stage <stage>', 'abstraction (the candidates) | coding (the codes the coding stage puts on the claim) | both', 'abstraction')
    .option('--setting <setting>', 'coding stage: inpatient (uncertain at discharge coded, PCS built) | outpatient', 'inpatient')
    .option('--errors <file|n>', 'corpus: write every false negative and false positive with its category to this TSV file; NegEx: print the first n disagreements')
    .option('--explain <doc>', 'corpus: code only this document and print its findings, codes and errors')
    .option('--rule-costs', 'corpus: code the split with every coding convention on, then with each switched off in turn, and print what each costs or gains (guideline mode)')
    .option('--db <file>', 'SQLite repository holding the reference library and site lexicon')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Examples:
  nightcode eval --corpus ../shared/corpora/codiesp --split dev --train train
  nightcode eval --corpus ../shared/corpora/codiesp --split dev --train train --errors dev-errors.tsv
  nightcode eval --corpus ../shared/corpora/codiesp --split dev --train train --explain S0211-69952013000500019-1
  nightcode eval --corpus ../shared/corpora/codiesp --split dev --train train --rule-costs
  nightcode eval --negex ../shared/corpora/negex/negex-dev.tsv --json
  npm run eval        (imports ../shared code sets into .eval/eval.db, then both evaluations)

Coding scores are micro precision / recall / F1 over each document's set of codes, at the
exact code and at the 3-character category, and MAP over each document's ranked codes (the
CodiEsp metric). --stage coding scores the claim the coding stage builds from the same findings
(document coded as one encounter of --setting). JSON: {"split", "documents", "stage", "mode", "diagnosis": {"exact": {...}, "category":
{...}}, "procedure": {"exact": {...}}}, one line per mode (with --errors, "errors": counts by
system, error and category). --rule-costs prints, for each convention of the coding stage
(Guidelines named), the change in diagnosis P / R / F1 and procedure F1 when it is switched
off; JSON: {"split", "documents", "setting", "baseline", "rules": [{"rule", "guideline",
"diagnosis", "procedure", "delta"}]}.

--errors FILE classifies each miss and each wrong code: no-candidate (nothing proposed the code
or its category), wrong-subcode (its category was found with another code), below-threshold,
assertion (a negated / uncertain / hypothetical / family mention the mode drops),
dropped-by-coding (abstraction had it, the coding stage left it off: the detail names the
rule), not-in-gold. Columns: stage, mode, document, system, error, code, category, detail.`)
    .action(async (flags: EvalFlags, cmd: Command) => {
      if (flags.negex) {
        const report = evaluateNegex(readNegexFile(resolve(flags.negex)));
        const out = {
          rows: report.rows, unmatched: report.unmatched,
          negation: { precision: round(report.negation.precision), recall: round(report.negation.recall), f1: round(report.negation.f1) },
          temporality: { accuracy: round(report.temporality.accuracy) },
          experiencer: { accuracy: round(report.experiencer.accuracy) },
        };
        if (flags.json) printJson(out);
        else {
          process.stdout.write(`NegEx ${flags.negex}: ${report.rows} rows (${report.unmatched} conditions not found in their sentence)\n`);
          process.stdout.write(`  negation     P ${out.negation.precision.toFixed(3)}  R ${out.negation.recall.toFixed(3)}  F1 ${out.negation.f1.toFixed(3)}\n`);
          process.stdout.write(`  temporality  accuracy ${out.temporality.accuracy.toFixed(3)}\n  experiencer  accuracy ${out.experiencer.accuracy.toFixed(3)}\n`);
          for (const e of report.errors.slice(0, Number(flags.errors ?? 0))) {
            process.stdout.write(`  row ${e.id} ${e.property}: gold ${e.gold}, predicted ${e.predicted}${e.trigger ? ` (${e.trigger})` : ''}\n`);
          }
        }
        return;
      }
      if (!flags.corpus || !flags.split) throw new NightcodeError('USAGE', 'eval needs --negex FILE, or --corpus DIR with --split S');
      const modes: EvalMode[] = flags.mode === 'both' ? ['mentions', 'guideline'] : flags.mode === 'mentions' || flags.mode === 'guideline' ? [flags.mode] : [];
      if (modes.length === 0) throw new NightcodeError('USAGE', `--mode must be mentions, guideline or both, got "${flags.mode}"`);
      if (!['abstraction', 'coding', 'both'].includes(flags.stage ?? 'abstraction')) throw new NightcodeError('USAGE', `--stage must be abstraction, coding or both, got "${flags.stage}"`);
      if (!['inpatient', 'outpatient'].includes(flags.setting ?? 'inpatient')) throw new NightcodeError('USAGE', `--setting must be inpatient or outpatient, got "${flags.setting}"`);
      const threshold = Number(flags.threshold);
      if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw new NightcodeError('USAGE', `--threshold must be a number from 0 to 1, got "${flags.threshold}"`);
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        if (flags.codesets?.length) await importCodesetFiles(db, flags.codesets.map((f) => resolve(f)));
        const library = new ReferenceLibrary(db);
        const corpusDir = resolve(flags.corpus);
        const test = readCodedCorpus(corpusDir, flags.split);
        if (flags.explain && !test.documents.some((d) => d.id === flags.explain)) {
          throw new NightcodeError('USAGE', `--explain: no document "${flags.explain}" in ${flags.split}`);
        }
        const documents = flags.explain ? test.documents.filter((d) => d.id === flags.explain) : test.documents;
        let site;
        const stored = lastSiteLearning(db);
        let learnedFrom = stored ? `the stored site lexicon (${stored.split}, learned ${stored.learnedAt})` : 'no site lexicon';
        if (flags.train) {
          const base = lexiconFromLibrary(db, library, { site: false });
          site = learnSiteLexicon(readCodedCorpus(corpusDir, flags.train).documents, base.lexicon).rows;
          learnedFrom = `a site lexicon learned from ${flags.train}`;
        }
        const { lexicon, sources } = lexiconFromLibrary(db, library, site ? { site } : {});
        const stages = flags.stage === 'both' ? ['abstraction', 'coding'] as const : flags.stage === 'coding' ? ['coding'] as const : ['abstraction'] as const;
        const date = (system: 'ICD-10-CM' | 'ICD-10-PCS') => library.versions(system).filter((v) => v.version !== STARTER_VERSION).at(-1)?.effectiveFrom;
        const cmDate = date('ICD-10-CM');
        const pcsDate = date('ICD-10-PCS');
        const coding: CodingContext = {
          ...(cmDate ? { icd10cm: library.codeSetFor('ICD-10-CM', cmDate)! } : {}),
          ...(pcsDate ? { pcs: library.codeSetFor('ICD-10-PCS', pcsDate)! } : {}),
        };
        const setting = flags.setting === 'outpatient' ? 'outpatient' as const : 'inpatient' as const;
        if (flags.ruleCosts) {
          const costs = measureRuleCosts(flags.split, documents, lexicon, coding, { setting, threshold });
          if (flags.json) printJson(costs);
          else process.stdout.write(ruleCostsText(costs));
          return;
        }
        const errorRuns: { stage: string; mode: string; errors: EvalError[] }[] = [];
        const collect = Boolean(flags.errors) || Boolean(flags.explain);
        for (const stage of stages) for (const mode of modes) {
          const explain = flags.explain && !flags.json ? (d: DocumentResult) => process.stdout.write(explainDocument(d, stage, mode, threshold)) : undefined;
          const report = evaluateCoding(flags.split, documents, lexicon, {
            mode, threshold, errors: collect,
            ...(stage === 'coding' ? { coding: { ctx: coding, setting } } : {}),
            ...(explain ? { onDocument: explain } : {}),
          });
          if (report.errors) errorRuns.push({ stage, mode, errors: report.errors });
          if (flags.json) {
            printJson({ ...view(report), ...(report.errors ? { errors: summarizeErrors(report.errors) } : {}) });
            continue;
          }
          if (flags.explain && report.errors) {
            for (const e of report.errors) process.stdout.write(`  ${e.error === 'false-negative' ? 'missed' : 'wrong '} ${e.code.padEnd(8)} ${e.category.padEnd(18)} ${e.detail}\n`);
          }
          process.stdout.write(`${flags.split}: ${report.documents} documents, ${stage === 'coding' ? `coding stage (${flags.setting ?? 'inpatient'} rules)` : 'abstraction candidates'}, mode ${mode}, threshold ${threshold}, ${learnedFrom}\n`);
          process.stdout.write(`${line('diagnosis exact', report.diagnosis.exact)}\n${line('diagnosis category', report.diagnosis.category)}\n${line('procedure exact', report.procedure.exact)}\n`);
          process.stdout.write(`  ${(report.textBytes / 1e6 / (report.elapsedMs / 1000)).toFixed(2)} MB/s of text, lexicon: ${sources.join(', ')}\n`);
          if (report.errors && !flags.explain) {
            for (const [key, n] of Object.entries(summarizeErrors(report.errors))) process.stdout.write(`  ${key.padEnd(48)} ${n}\n`);
          }
        }
        if (flags.errors) {
          writeFileSync(resolve(flags.errors), errorsTsv(errorRuns));
          if (!flags.json) process.stdout.write(`errors written to ${flags.errors}\n`);
        }
      } finally {
        db.close();
      }
    });
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** One document as `eval --explain` prints it: each finding with its assertion and candidates, then the codes scored. */
function explainDocument(d: DocumentResult, stage: string, mode: string, threshold: number): string {
  const lines = [`${d.doc.id}: ${stage}, mode ${mode}, threshold ${threshold}`];
  lines.push(`  gold diagnoses: ${d.doc.diagnoses.join(' ').toLowerCase() || '-'}`, `  gold procedures: ${d.doc.procedures.join(' ').toLowerCase() || '-'}`);
  for (const f of d.findings) {
    const cands = f.candidates.map((c) => `${c.code} ${c.score}`).join(', ');
    lines.push(`  [${f.start},${f.end}) ${pad(f.kind, 9)} ${pad(f.assertion, 12)} ${pad(f.section, 14)} "${f.text}" → ${cands}`);
  }
  const show = (list: readonly { code: string; score: number }[]) => list.map((r) => `${r.code.toLowerCase()} ${r.score.toFixed(2)}${r.score >= threshold ? '' : '-'}`).join(', ') || '-';
  lines.push(`  diagnoses ranked: ${show(d.dx)}`, `  procedures ranked: ${show(d.px)}`);
  if (d.coded) {
    for (const c of d.coded.diagnoses) lines.push(`  coded ${c.code}: ${c.rulePath}`);
    for (const c of d.coded.pcsProcedures) lines.push(`  coded ${c.code}: ${c.rulePath}`);
    for (const n of d.coded.notCoded) lines.push(`  not coded ${n.code} (${n.rule}): ${n.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
