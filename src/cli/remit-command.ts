import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { NightcodeError } from '../contract/errors.js';
import { importPayerFiles, payerInboxFiles, type ImportSummary } from '../payer/import-responses.js';
import { payerAnalytics } from '../payer/payer-analytics.js';
import { decideProposal } from '../payer/payer-rules.js';
import { importReasonCodeList } from '../payer/reason-code-lists.js';
import { simulatePayer } from '../payer/simulate-payer.js';
import { dateInZone } from '../run/business-date.js';
import { openDatabase } from '../store/database.js';
import { configFrom, printJson, type CommonFlags } from './common.js';

interface ImportFlags extends CommonFlags {
  json?: boolean;
}

interface RulesFlags extends CommonFlags {
  accept?: string;
  dismiss?: string;
  user?: string;
  json?: boolean;
}

interface CodesFlags extends CommonFlags {
  list: string;
  json?: boolean;
}

interface DenialsFlags extends CommonFlags {
  pipeline?: string;
  json?: boolean;
}

interface SimulateFlags {
  claims: string;
  out: string;
  seed: string;
  rejectRate: string;
  denyRate: string;
  setRejectRate: string;
  policyRate: string;
  date?: string;
  json?: boolean;
}

function rate(value: string, flag: string): number {
  const r = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || r < 0 || r > 1) throw new NightcodeError('USAGE', `${flag} takes a share between 0 and 1, not "${value}"`);
  return r;
}

/** Files named on the command line; a folder stands for the response files in it. */
function expandFiles(args: readonly string[]): string[] {
  return args.flatMap((a) => {
    if (!existsSync(a)) throw new NightcodeError('INPUT_MISSING', `${a}: no such file or folder`);
    return statSync(a).isDirectory() ? payerInboxFiles(resolve(a)) : [resolve(a)];
  });
}

function summaryLines(s: ImportSummary): string[] {
  const by = Object.entries(s.byStatus).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `${s.files} file(s): ${s.responses} response(s), ${s.matched} matched to our claims, ${s.unmatched} unmatched, ${s.duplicates} read before (not applied again)` +
      `${s.alreadyRead ? `, ${s.alreadyRead} file(s) already read` : ''}, ${s.quarantined} file(s) quarantined`,
    ...(by ? [`  claims now: ${by}`] : []),
    ...s.results.filter((r) => r.status === 'quarantined').map((r) => `  quarantined ${r.file}: ${r.code} at segment ${r.segment}: ${r.message}`),
    ...s.unmatchedResponses.slice(0, 20).map((u) => `  unmatched ${u.kind} ${u.status} in ${u.file} segment ${u.segment}: ${u.reference} is no claim we sent`),
    ...(s.unmatchedResponses.length > 20 ? [`  … and ${s.unmatchedResponses.length - 20} more unmatched (--json lists them all)`] : []),
  ];
}

export function registerRemitCommand(program: Command): void {
  const remit = program.command('remit').description("payers' answers to our claims: X12 999, 277CA and 835 files");
  remit
    .command('import')
    .argument('<files...>', '999, 277CA or 835 files, or folders of them')
    .description('read payer responses into the ledger: claim statuses, amounts, and rejections and denials onto the worklist')
    .option('--db <file>', 'SQLite run repository')
    .option('--json', 'print {files, responses, matched, unmatched, quarantined, byStatus, …} as JSON')
    .addHelpText('after', `
Each file is read once (by content) and each response once (by its identity, across files):
999 acknowledgments first, then 277CA claim acknowledgments, then 835 remittances. Responses
are matched to the claims we sent by patient control number (CLM01) and, for a 999, by the
group and transaction set control numbers of our 837. A response that matches no claim is
kept and reported; a file that cannot be read is quarantined with a stable code
(REMIT_NOT_X12, REMIT_ENVELOPE, REMIT_TRANSACTION_UNKNOWN, REMIT_SEGMENT_INVALID,
REMIT_UNBALANCED) and its segment, and the other files are read. Rejections, denials and
partial payments become worklist items (PAYER_* findings) answered with resubmit, appeal or
write-off (nightcode resolve). Nightly runs read config remit.inbox the same way.

Examples:
  nightcode remit import responses/BLUE01.999 responses/BLUE01.277ca responses/BLUE01-1.835
  nightcode remit import responses/ --json`)
    .action((files: string[], flags: ImportFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const paths = expandFiles(files);
      const db = openDatabase(config.database);
      try {
        const s = importPayerFiles(db, paths, { businessDate: dateInZone(new Date(), config.timezone), now: () => new Date(), actor: 'remit-import' });
        if (flags.json) printJson(s);
        else process.stdout.write(`${summaryLines(s).join('\n')}\n`);
      } finally {
        db.close();
      }
    });

  remit
    .command('codes')
    .description("import the publisher's full list of claim adjustment reason codes (CARC) or remittance advice remark codes (RARC)")
    .argument('<file>', 'the list as CSV or tab-separated text: a code column and a description column (start and stop dates optional)')
    .requiredOption('--list <carc|rarc>', 'which list the file is')
    .option('--db <file>', 'SQLite run repository')
    .option('--json', 'print {list, file, codes, added, updated, stopped} as JSON')
    .addHelpText('after', `
The worklist describes a rejection or denial in the team's short words for common codes
(data/payer/reason-codes.json); for any other code it uses the imported list's description,
and says when the list marks the code stopped. The file is checked whole first: a row
without a code, with a code of the wrong shape or without a description changes nothing
and is named by line. Importing a newer list replaces the descriptions and dates.

Example:
  nightcode remit codes carc-2026-11.csv --list carc`)
    .action((file: string, flags: CodesFlags, cmd: Command) => {
      if (flags.list !== 'carc' && flags.list !== 'rarc') throw new NightcodeError('USAGE', `--list takes carc or rarc, not "${flags.list}"`);
      if (!existsSync(file)) throw new NightcodeError('INPUT_MISSING', `${file}: no such file`);
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const r = importReasonCodeList(db, resolve(file), flags.list, new Date());
        if (flags.json) printJson(r);
        else process.stdout.write(`${file}: ${r.codes} ${r.list.toUpperCase()} code(s), ${r.added} new, ${r.updated} updated, ${r.stopped} marked stopped\n`);
      } finally {
        db.close();
      }
    });

  remit
    .command('denials')
    .description('denial analytics: where claims stand, denial rate by payer and over time, reasons, codes and the edits that saw it coming')
    .option('--db <file>', 'SQLite run repository')
    .option('--pipeline <name>', "only the claims of this pipeline's runs")
    .option('--json', 'print JSON')
    .action((flags: DenialsFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      const db = openDatabase(config.database);
      try {
        const a = payerAnalytics(db, flags.pipeline ? { pipeline: flags.pipeline } : {});
        if (flags.json) {
          printJson(a);
          return;
        }
        const lines = [
          `claims by status: ${Object.entries(a.lifecycle).map(([k, v]) => `${k} ${v}`).join(', ') || 'none sent yet'}`,
          ...a.byPayer.map((p) => `  ${p.payer}: ${p.adjudicated} adjudicated, ${p.denied} denied (${(p.denialRate * 100).toFixed(1)}%), ${p.rejected} rejected, $${p.deniedDollars.toFixed(2)} denied, $${p.paidDollars.toFixed(2)} paid`),
          ...(a.reasons.length ? ['top reasons:', ...a.reasons.slice(0, 10).map((r) => `  ${r.reason} ${r.text}: ${r.claims} claim(s), $${r.dollars.toFixed(2)}`)] : []),
          ...(a.proposals.length ? ['coverage policies proposed (nightcode remit rules):', ...a.proposals.map((p) => `  ${p.id} ${p.payer} ${p.procedure}: denied with ${p.deniedDiagnosis} on ${p.claims} claim(s); ${p.status}`)] : []),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        db.close();
      }
    });

  remit
    .command('rules')
    .description('coverage policies proposed from repeated medical-necessity denials: list them, or accept or dismiss one')
    .option('--db <file>', 'SQLite run repository')
    .option('--accept <id>', 'accept a proposal: later runs apply it as a coverage policy for its payer')
    .option('--dismiss <id>', 'dismiss a proposal: it is not proposed again')
    .option('--user <name>', 'who decides (kept in the audit log)')
    .option('--json', 'print JSON')
    .addHelpText('after', `
A proposal says: this payer denied this procedure for medical necessity (CARC 50, 11 or 167)
with this diagnosis on at least three claims and never paid it with that diagnosis, and it
paid the procedure with these diagnoses. Accepted, it is a coverage policy (as in config
"coverage", limited to the payer): later claims of the procedure for that payer that point
to none of the diagnoses it paid are held (EDIT_MEDICAL_NECESSITY) before they are sent.

Examples:
  nightcode remit rules
  nightcode remit rules --accept PR3F2A9C01B7 --user ana`)
    .action((flags: RulesFlags, cmd: Command) => {
      const config = configFrom({ ...cmd.optsWithGlobals<CommonFlags>(), ...flags });
      if (flags.accept && flags.dismiss) throw new NightcodeError('USAGE', 'give --accept or --dismiss, not both');
      const db = openDatabase(config.database);
      try {
        const id = flags.accept ?? flags.dismiss;
        if (id) {
          const p = decideProposal(db, { id, accept: Boolean(flags.accept), user: flags.user ?? '', now: new Date() });
          if (flags.json) printJson(p);
          else process.stdout.write(`${p.id} ${p.status} by ${p.decidedBy}: ${p.payer} ${p.procedure} ${p.status === 'accepted' ? `covered only for ${p.diagnoses.join(', ')} from the next run on` : 'not proposed again'}\n`);
          return;
        }
        const proposals = payerAnalytics(db).proposals;
        if (flags.json) printJson(proposals);
        else process.stdout.write(`${proposals.length === 0 ? 'no proposals' : proposals.map((p) => `${p.id} ${p.status}: ${p.payer} denied ${p.procedure} with ${p.deniedDiagnosis} on ${p.claims} claim(s) (${p.reasons.join(', ')}); paid with ${p.diagnoses.join(', ')}`).join('\n')}\n`);
      } finally {
        db.close();
      }
    });

  program
    .command('simulate-payer')
    .description('answer our 837 files as a payer would (999, 277CA and 835 files, valid X12 5010), for tests and demos')
    .requiredOption('--claims <dir>', 'a folder of 837 files (a night\'s output folder)')
    .requiredOption('--out <dir>', 'where to write the responses')
    .option('--seed <n>', 'random seed: the same claims and seed give the same answers', '1')
    .option('--reject-rate <r>', 'share of claims the 277CA rejects', '0.05')
    .option('--deny-rate <r>', 'share of accepted claims the 835 denies (half as many more are paid in part)', '0.1')
    .option('--set-reject-rate <r>', 'share of transaction sets the 999 rejects whole', '0')
    .option('--policy-rate <r>', "share of (procedure, diagnosis) pairs the payer's own policy never covers: denied for medical necessity every time", '0.05')
    .option('--date <YYYY-MM-DD>', "the payer's processing date (default: the day after the 837's)")
    .option('--json', 'print what was written as JSON')
    .addHelpText('after', '\nExample:\n  nightcode simulate-payer --claims out/nightly-csv/2026-11-27 --out inbox/payers --seed 7 --deny-rate 0.2')
    .action((flags: SimulateFlags) => {
      if (!/^\d+$/.test(flags.seed)) throw new NightcodeError('USAGE', `--seed must be a whole number, not "${flags.seed}"`);
      if (flags.date && !/^\d{4}-\d{2}-\d{2}$/.test(flags.date)) throw new NightcodeError('USAGE', `--date takes YYYY-MM-DD, not "${flags.date}"`);
      if (!existsSync(flags.claims)) throw new NightcodeError('INPUT_MISSING', `${flags.claims}: no such folder`);
      const files = readdirSync(flags.claims).filter((f) => f.endsWith('.837')).sort().map((name) => ({ name, text: readFileSync(join(flags.claims, name), 'latin1') }));
      if (files.length === 0) throw new NightcodeError('INPUT_MISSING', `${flags.claims} holds no .837 file`);
      const r = simulatePayer(files, {
        seed: Number(flags.seed), rejectRate: rate(flags.rejectRate, '--reject-rate'), denyRate: rate(flags.denyRate, '--deny-rate'),
        setRejectRate: rate(flags.setRejectRate, '--set-reject-rate'), policyRate: rate(flags.policyRate, '--policy-rate'), ...(flags.date ? { date: flags.date } : {}),
      });
      mkdirSync(flags.out, { recursive: true });
      for (const f of r.files) writeFileSync(join(flags.out, f.name), f.text);
      const outcomes: Record<string, number> = {};
      for (const o of r.outcomes) outcomes[o.outcome] = (outcomes[o.outcome] ?? 0) + 1;
      if (flags.json) printJson({ files: r.files.map((f) => ({ name: f.name, kind: f.kind })), claims: r.outcomes.length, outcomes });
      else process.stdout.write(`${r.files.length} response file(s) in ${flags.out} for ${r.outcomes.length} claim(s): ${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
    });
}
