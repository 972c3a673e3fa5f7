import type { TelehealthConfig } from '../../code/telehealth.js';
import type { MueValue, PtpEdit } from '../../codesets/edit-tables.js';
import type { ProviderType } from '../../codesets/systems.js';
import { icd10cmKey, inRange, parseNoteRanges } from '../../codesets/icd10cm-code.js';
import { edit } from './edit-issue.js';
import type { CodedEncounter, CodedProcedure, Issue } from '../../contract/types.js';
import { ADD_ON_CODES, MODIFIERS } from '../tables/procedure-tables.js';

/** What the procedure edits read from the reference library (NCCI tables in the database). */
export interface EditTableLookup {
  /** Every PTP edit among the codes billed on one date. */
  ptpPairsAmong(provider: ProviderType, codes: readonly string[], date: string): PtpEdit[];
  mue(provider: ProviderType, code: string, date: string): MueValue | undefined;
}

/**
 * A coverage policy (LCD/NCD style): a procedure is covered only for the listed diagnoses.
 * Sites write them in config (`coverage`); `payers` limits a policy to some payers.
 */
export interface CoveragePolicy {
  id: string;
  version: string;
  procedures: string[];
  /** Diagnosis codes or ranges in tabular-note form: "E11", "D51.0", "E53.8", "(D50-D53)". */
  diagnoses: string[];
  payers?: string[];
}

export interface ProcedureEditContext {
  edits?: EditTableLookup;
  coverage: readonly CoveragePolicy[];
  /** How payers want telehealth billed (config telehealth); the defaults when absent. */
  telehealth?: TelehealthConfig;
  /** Add-on code → its primary codes (team table by default, extended by config). */
  addOns?: Readonly<Record<string, readonly string[]>>;
  /** Modifiers the site bills beyond the team table. */
  extraModifiers?: readonly string[];
}

/**
 * Modifiers that let a PTP pair with modifier indicator 1 through when on either line: the
 * NCCI-associated modifiers (NCCI Policy Manual, Chapter I, E.1–E.2: anatomic, global
 * surgery, 25, 27, 59, XE/XS/XP/XU, 91).
 */
export const PTP_BYPASS_MODIFIERS: ReadonlySet<string> = new Set([
  'E1', 'E2', 'E3', 'E4', 'FA', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'LC', 'LD', 'LM', 'LT', 'RC', 'RI', 'RT',
  'TA', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', '24', '25', '27', '57', '58', '78', '79', '59', '91', 'XE', 'XP', 'XS', 'XU',
]);

const dateOf = (p: CodedProcedure, claimDate: string | undefined) => p.serviceDate ?? claimDate ?? '';
const isLab = (code: string) => /^8\d{4}$/.test(code);

/**
 * The team's add-on table with the configured add-ons over it, merged once per configuration
 * object: the merge copied the whole table for every claim (a tenth of validation's time).
 */
const MERGED_ADD_ONS = new WeakMap<object, Readonly<Record<string, readonly string[]>>>();
function withConfiguredAddOns(configured: Readonly<Record<string, readonly string[]>>): Readonly<Record<string, readonly string[]>> {
  let merged = MERGED_ADD_ONS.get(configured);
  if (!merged) {
    merged = { ...ADD_ON_CODES, ...configured };
    MERGED_ADD_ONS.set(configured, merged);
  }
  return merged;
}

/**
 * Procedure edits, each with its stable id:
 * - EDIT_NCCI_PTP: two lines of one date of service that an NCCI procedure-to-procedure
 *   pair active on that date bundles: modifier indicator 0 never together, 1 unless an
 *   NCCI-associated modifier is on either line, 9 no edit (CMS NCCI PTP tables);
 * - EDIT_MUE: units of a code on a line (adjudication indicator 1) or on a date of service
 *   (2 and 3) above the Medically Unlikely Edit;
 * - EDIT_ADDON_WITHOUT_PRIMARY: an add-on code with none of its primary codes on the claim
 *   that date (CMS add-on code edits);
 * - EDIT_MODIFIER_INVALID: a modifier not in the CPT/HCPCS modifier list, or used against
 *   its definition (LT with RT, 50 with a side, 91 on a non-lab code, 26 with TC);
 * - EDIT_MEDICAL_NECESSITY: a line under a coverage policy whose pointed diagnoses are
 *   none of the covered ones.
 * The PTP/MUE table is the practitioner table for 837P claims, the hospital outpatient one
 * for 837I.
 */
export function procedureEdits(coded: CodedEncounter, ctx: ProcedureEditContext): Issue[] {
  const out: Issue[] = [];
  const e = coded.encounter;
  const provider: ProviderType = e.kind === 'professional' ? 'practitioner' : 'hospital';
  const claimDate = e.serviceDate ?? e.dischargeDate ?? e.admissionDate;
  const lines = coded.procedures.filter((p) => p.code && (p.system === 'CPT' || p.system === 'HCPCS'));

  if (ctx.edits) {
    const byDate = new Map<string, CodedProcedure[]>();
    for (const l of lines) {
      const date = dateOf(l, claimDate);
      if (!date) continue;
      const list = byDate.get(date);
      if (list) list.push(l);
      else byDate.set(date, [l]);
    }
    for (const [date, sameDay] of byDate) {
      for (const pair of ctx.edits.ptpPairsAmong(provider, sameDay.map((l) => l.code!), date)) {
        if (pair.modifierIndicator === '9') continue;
        // Indicator 0: never together. Indicator 1: a column 2 line and a column 1 line with no
        // NCCI-associated modifier on either (a code may be billed on more than one line).
        const bypassed = (l: CodedProcedure) => l.modifiers.some((m) => PTP_BYPASS_MODIFIERS.has(m));
        const column1 = sameDay.filter((l) => l.code === pair.column1);
        const column2 = pair.modifierIndicator === '0'
          ? sameDay.find((l) => l.code === pair.column2)
          : sameDay.find((l) => l.code === pair.column2 && !bypassed(l) && column1.some((o) => !bypassed(o)));
        if (!column2 || column1.length === 0) continue;
        out.push({
          ...edit('EDIT_NCCI_PTP', `${pair.column2} (line ${column2.line}) is a component of ${pair.column1} on ${date} (NCCI pair since ${pair.effectiveFrom}${pair.deletedOn ? `, until ${pair.deletedOn}` : ''}; modifier indicator ${pair.modifierIndicator}: ${pair.modifierIndicator === '0' ? 'never billed together' : 'allowed only with an NCCI-associated modifier when the services are distinct'})${pair.rationale ? `; ${pair.rationale}` : ''}`, {
            codes: [pair.column1, pair.column2], tableVersion: pair.tableVersion, source: column2.source,
          }),
          action: pair.modifierIndicator === '1' ? 'add-modifier' : 'review',
        });
      }
    }
    const perDay = new Map<string, { units: number; lines: CodedProcedure[] }>();
    for (const l of lines) {
      const key = `${l.code}|${dateOf(l, claimDate)}`;
      const day = perDay.get(key) ?? { units: 0, lines: [] };
      day.units += l.units;
      day.lines.push(l);
      perDay.set(key, day);
    }
    for (const [key, day] of perDay) {
      const [code, date] = key.split('|') as [string, string];
      if (!date) continue;
      const mue = ctx.edits.mue(provider, code, date);
      if (!mue) continue;
      const over = mue.mai === '1' ? day.lines.filter((l) => l.units > mue.maxUnits) : day.units > mue.maxUnits ? [day.lines[0]!] : [];
      for (const l of over) {
        out.push(edit('EDIT_MUE', mue.mai === '1'
          ? `line ${l.line}: ${l.units} units of ${code}; the MUE is ${mue.maxUnits} per line (adjudication indicator 1)`
          : `${day.units} units of ${code} on ${date}; the MUE is ${mue.maxUnits} per day (adjudication indicator ${mue.mai}: ${mue.mai === '2' ? 'policy, absolute' : 'clinical'})`, {
          codes: [code], tableVersion: mue.tableVersion, source: l.source,
        }));
      }
    }
  }

  const addOns = ctx.addOns ? withConfiguredAddOns(ctx.addOns) : ADD_ON_CODES;
  for (const l of lines) {
    const primaries = addOns[l.code!];
    if (!primaries) continue;
    const date = dateOf(l, claimDate);
    if (!lines.some((o) => o !== l && primaries.includes(o.code!) && dateOf(o, claimDate) === date)) {
      out.push(edit('EDIT_ADDON_WITHOUT_PRIMARY', `line ${l.line}: add-on code ${l.code} is billed without a primary procedure (${primaries.join(', ')}) on ${date}`, {
        codes: [l.code!], source: l.source, tableVersion: 'add-on code table (team, from CMS add-on code edits)',
      }));
    }
  }

  for (const l of coded.procedures) {
    const mods = l.modifiers;
    const bad = (why: string) => out.push(edit('EDIT_MODIFIER_INVALID', `line ${l.line}: ${why}`, { codes: [l.code ?? l.revenueCode ?? '', ...mods], source: l.source, tableVersion: 'modifier table (team)' }));
    for (const m of mods) if (!MODIFIERS.has(m) && !ctx.extraModifiers?.includes(m)) bad(`modifier ${m} is not a CPT or HCPCS Level II modifier`);
    if (mods.includes('LT') && mods.includes('RT')) bad('LT and RT on one line (bill two lines, or 50 for a bilateral procedure)');
    if (mods.includes('50') && (mods.includes('LT') || mods.includes('RT'))) bad('50 (bilateral) with a side modifier');
    if (mods.includes('91') && l.code && !isLab(l.code)) bad(`91 (repeat clinical laboratory test) on ${l.code}, not a laboratory code`);
    if (mods.includes('26') && mods.includes('TC')) bad('26 (professional component) and TC (technical component) on one line');
    if (new Set(mods).size !== mods.length) bad('the same modifier twice');
  }

  const payer = e.coverage.payerId;
  for (const policy of ctx.coverage) {
    if (policy.payers && (!payer || !policy.payers.includes(payer))) continue;
    const ranges = policy.diagnoses.flatMap((d) => (d.startsWith('(') ? parseNoteRanges(d) : parseNoteRanges(`(${d})`)));
    for (const l of lines) {
      if (!policy.procedures.includes(l.code!)) continue;
      const pointed = l.diagnosisPointers.map((p) => coded.diagnoses[p - 1]?.code).filter((c): c is string => c !== undefined);
      if (pointed.some((c) => ranges.some((r) => inRange(icd10cmKey(c) ?? '', r)))) continue;
      out.push(edit('EDIT_MEDICAL_NECESSITY', `line ${l.line}: ${l.code} is covered under ${policy.id} only for ${policy.diagnoses.join(', ')}; the line points to ${pointed.join(', ') || 'no diagnosis'}`, {
        codes: [l.code!, ...pointed], source: l.source, tableVersion: `${policy.id} ${policy.version}`,
      }));
    }
  }
  return out;
}
