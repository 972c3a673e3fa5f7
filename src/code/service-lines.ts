import { icd10cmKey } from '../codesets/icd10cm-code.js';
import type { ChargeLine, CodedDiagnosis, CodedProcedure, Encounter, Finding, Issue, SourceLocation } from '../contract/types.js';
import { codingIssue, ownCopy } from './coding-context.js';
import { isOfficeEm } from './evaluation-management.js';

/** SV107: up to four diagnosis pointers per service line. */
export const MAX_POINTERS = 4;

/** Sections whose procedures were not done at this encounter: past surgery, plans, drug lists. */
const NOT_PERFORMED_SECTIONS = new Set(['psh', 'plan', 'medications', 'allergies', 'family_history', 'social_history', 'pmh']);

const isEm = (code: string | undefined) => code !== undefined && /^99(2[0-9]{2}|4[0-9]{2})$/.test(code);
/**
 * CPT Surgery section codes (10004–69990), taken as procedures with a global period, minus
 * venous and capillary blood collection (36400–36416, 36591–36592), which have none. A
 * global-days table (the physician fee schedule's indicator) would replace this range.
 */
const isSurgery = (code: string | undefined) => {
  if (code === undefined || !/^\d{5}$/.test(code)) return false;
  const n = Number(code);
  return n >= 10004 && n <= 69990 && !(n >= 36400 && n <= 36416) && !(n >= 36591 && n <= 36592);
};
const isLab = (code: string | undefined) => code !== undefined && /^8\d{4}$/.test(code);
const isDrug = (code: string | undefined) => code !== undefined && /^J\d{4}$/.test(code);
const SIDE_MODIFIERS = new Set(['LT', 'RT', '50']);
const PERFORMED = /\b(?:performed|done|administered|given|placed|obtained in (?:the )?(?:clinic|office)|completed|injected)\b/i;

export interface ServiceLineResult {
  lines: CodedProcedure[];
  issues: Issue[];
}

/**
 * The service lines a professional or outpatient claim bills, from the export's charge
 * lines and the procedures the documentation says were performed, with the modifiers a
 * coder adds (CPT Appendix A; NCCI Policy Manual, Chapter I):
 * - LT/RT, or 50 for a bilateral procedure, when the note documents the side;
 * - 25 on an office E/M billed the same day as a procedure with a global period, when the
 *   claim also carries a problem the procedure does not address;
 * - 91 on a repeated clinical lab test, 76 on a repeated procedure, XS on a second
 *   procedure on a separate structure; drug units (J codes) on one line add up;
 * and up to four diagnosis pointers per line: the diagnoses documented with the
 * procedure first, then in claim order.
 */
export function codeServiceLines(
  e: Encounter, findings: readonly Finding[], diagnoses: readonly CodedDiagnosis[], prices: ReadonlyMap<string, number> | undefined,
  revenueCodes?: ReadonlyMap<string, string>,
): ServiceLineResult {
  const issues: Issue[] = [];
  const lines: CodedProcedure[] = [];
  const sameService = (a: { code?: string; serviceDate?: string }, b: { code?: string; serviceDate?: string }) =>
    a.code === b.code && (a.serviceDate ?? e.serviceDate) === (b.serviceDate ?? e.serviceDate);
  for (const c of e.charges) {
    const exported = `exported charge line ${c.line} (${c.source.file}${c.source.line !== undefined ? ` line ${c.source.line}` : ''})`;
    // A priced line has no `unpriced` key (it is true or absent), so it is copied whole, then
    // the coder's additions.
    if (!c.unpriced) {
      const l = ownCopy(c) as ChargeLine & Partial<CodedProcedure>;
      l.modifiers = [...c.modifiers];
      l.diagnosisPointers = [];
      l.confidence = 0.99;
      l.rulePath = `structured: ${exported}`;
      lines.push(l as CodedProcedure);
      continue;
    }
    const { unpriced: _unpriced, ...charge } = c;
    // A document's procedure without an amount: the charge line of the same service bills it;
    // else it is priced from the chargemaster, or held for a price.
    if (e.charges.some((x) => !x.unpriced && sameService(x, c))) continue;
    const price = c.code ? prices?.get(c.code) : undefined;
    lines.push({
      ...charge, charge: price === undefined ? 0 : Math.round(price * c.units * 100) / 100, modifiers: [...c.modifiers], diagnosisPointers: [], confidence: 0.99,
      rulePath: `structured: ${exported}, ${price === undefined ? 'no amount and no chargemaster price' : `priced from the chargemaster (${price.toFixed(2)} each)`}`,
    });
    if (price === undefined) {
      issues.push(codingIssue('CODE_PROCEDURE_UNPRICED', `line ${c.line} ${c.code ?? ''}: the export gives no amount and the chargemaster has no price for it`, { codes: c.code ? [c.code] : [], source: c.source }));
    }
  }
  // An institutional line needs a revenue code (837I SV201): one the export left out is the
  // one the hospital's chargemaster bills the code under.
  if (e.kind === 'institutional' && revenueCodes) {
    for (const l of lines) {
      const revenueCode = !l.revenueCode && l.code ? revenueCodes.get(l.code) : undefined;
      if (!revenueCode) continue;
      l.revenueCode = revenueCode;
      l.rulePath += `; revenue code ${revenueCode} from the chargemaster`;
    }
  }
  const performed = findings.filter((f) => f.kind === 'procedure' && f.assertion === 'present' && !NOT_PERFORMED_SECTIONS.has(f.section));
  // A line is added only for a procedure the note says was done here: in the procedures
  // section, or in a sentence that says it was performed. "A1c 8.1" in the assessment is a
  // result, possibly from elsewhere, not a billable service of this visit.
  const done = (f: Finding) => f.section === 'procedures' || PERFORMED.test(f.sentence);
  const findingOf = new Map<CodedProcedure, Finding>();

  // Procedures documented and not billed: a line is added (CPT/HCPCS from the lexicon, priced from the chargemaster).
  let next = lines.reduce((m, l) => Math.max(m, l.line), 0) + 1;
  for (const f of performed) {
    const best = f.candidates[0];
    if (!best || (best.system !== 'CPT' && best.system !== 'HCPCS') || best.score < 0.5) continue;
    const billed = lines.find((l) => l.code === best.code);
    if (billed) {
      findingOf.set(billed, f);
      continue;
    }
    // Institutional lines need a revenue code from the chargemaster: reported, not added.
    if (e.kind === 'institutional' || !done(f)) continue;
    const noteSource = e.notes.find((n) => n.id === f.noteId)?.source ?? e.source;
    const price = prices?.get(best.code);
    const line: CodedProcedure = {
      line: next++, code: best.code, system: best.system, modifiers: [], units: 1, charge: price ?? 0,
      ...(e.serviceDate ? { serviceDate: e.serviceDate } : {}),
      source: { ...noteSource, path: `note ${f.noteId} [${f.start},${f.end})` },
      diagnosisPointers: [], confidence: best.score,
      rulePath: `documentation: ${best.lexiconEntry}; performed at this encounter (section ${f.section})`,
    };
    if (price === undefined) {
      issues.push(codingIssue('CODE_PROCEDURE_UNPRICED', `${best.code} is documented as performed but not billed, and the chargemaster has no price for it; line ${line.line} added without a charge`, {
        codes: [best.code], evidence: f.sentence, source: line.source,
      }));
    }
    lines.push(line);
    findingOf.set(line, f);
  }

  // Side modifiers from the documentation of the procedure.
  for (const l of lines) {
    const f = findingOf.get(l);
    const side = f?.modifiers.laterality;
    if (!side || l.modifiers.some((m) => SIDE_MODIFIERS.has(m))) continue;
    const mod = side === 'bilateral' ? '50' : side === 'right' ? 'RT' : 'LT';
    l.modifiers.push(mod);
    l.rulePath += `; modifier ${mod}: ${side} documented`;
  }

  // Repeats of the same code on the same day.
  const seen = new Map<string, CodedProcedure>();
  for (const l of [...lines]) {
    if (!l.code) continue;
    const key = `${l.code}|${l.serviceDate ?? e.serviceDate ?? ''}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, l);
      continue;
    }
    if (isDrug(l.code) && l.modifiers.join() === first.modifiers.join()) {
      first.units += l.units;
      first.charge = Math.round((first.charge + l.charge) * 100) / 100;
      first.rulePath += `; units of line ${l.line} added (same drug, same day)`;
      lines.splice(lines.indexOf(l), 1);
      continue;
    }
    const sides = (x: CodedProcedure) => x.modifiers.filter((m) => SIDE_MODIFIERS.has(m)).join();
    if (sides(l) && sides(l) !== sides(first)) continue; // different sides already tell them apart
    if (l.modifiers.some((m) => ['76', '77', '91', '59', 'XS', 'XE', 'XP', 'XU'].includes(m))) continue;
    const mod = isLab(l.code) ? '91' : '76';
    l.modifiers.push(mod);
    l.rulePath += `; modifier ${mod}: repeat of line ${first.line} the same day`;
  }

  // Modifier 25: a significant, separately identifiable E/M on the day of a procedure.
  const em = lines.find((l) => isEm(l.code));
  const surgery = lines.find((l) => isSurgery(l.code));
  if (em && surgery && !em.modifiers.includes('25')) {
    const procedureDx = findingOf.get(surgery) ? diagnoses.filter((d) => d.evidence.some((ev) => ev.text === findingOf.get(surgery)!.sentence)) : [];
    const other = diagnoses.filter((d) => !procedureDx.includes(d));
    if (diagnoses.length >= 2 || other.length > 0 && procedureDx.length > 0) {
      em.modifiers.push('25');
      em.rulePath += `; modifier 25: separately identifiable E/M on the day of procedure ${surgery.code} (NCCI Policy Manual ch. I.D)`;
    } else if (isOfficeEm(em.code)) {
      issues.push(codingIssue('CODE_MODIFIER_REVIEW', `E/M ${em.code} is billed the same day as procedure ${surgery.code} with no separately documented problem; modifier 25 is not supported, the E/M is usually included in the procedure`, {
        codes: [em.code!, surgery.code!], source: em.source,
      }));
    }
  }

  // Diagnosis pointers: those the export gives for the line, else the diagnoses documented with the procedure, then claim order.
  for (const l of lines) {
    if (l.diagnosisRefs?.length) {
      const resolved = exportedPointers(e, l, diagnoses, issues);
      if (resolved.length > 0) {
        l.diagnosisPointers = resolved.slice(0, MAX_POINTERS);
        l.rulePath += `; pointers as exported (${l.diagnosisRefs.join(', ')})`;
        continue;
      }
    }
    const f = findingOf.get(l);
    const own = f ? diagnoses.filter((d) => d.evidence.some((ev) => ev.source.path?.startsWith(`note ${f.noteId} `) && ev.text === f.sentence)).map((d) => d.sequence) : [];
    const pointers = [...new Set([...own, ...diagnoses.map((d) => d.sequence)])].slice(0, MAX_POINTERS);
    l.diagnosisPointers = pointers;
  }
  // CPT/HCPCS procedures the export lists apart from its charges: a line needs a charge.
  for (const p of e.procedures ?? []) {
    if ((p.system === 'CPT' || p.system === 'HCPCS') && !lines.some((l) => l.code === p.code)) {
      issues.push(codingIssue('CODE_PROCEDURE_NOT_CHARGED', `${p.system} ${p.code} is exported as a procedure but has no charge line; not billed`, { codes: [p.code], source: p.source }));
    }
  }
  return { lines, issues };
}

/**
 * The export's pointers of a line, on the coded diagnosis list: a position in the exported
 * diagnosis order (1 = the first exported diagnosis) or a code. A diagnosis that coding
 * replaced (a combination code) points to what replaced it: the coded diagnosis whose
 * evidence is that exported row. A pointer to nothing is an error on the line.
 */
function exportedPointers(e: Encounter, line: CodedProcedure, diagnoses: readonly CodedDiagnosis[], issues: Issue[]): number[] {
  const listed = e.diagnoses.filter((d) => d.system === 'ICD-10-CM' && d.type !== 'admitting' && d.type !== 'reason-for-visit');
  const sameSource = (a: SourceLocation, b: SourceLocation) => a.file === b.file && a.line === b.line && a.path === b.path;
  const out: number[] = [];
  for (const ref of line.diagnosisRefs ?? []) {
    const row = /^\d+$/.test(ref) ? listed.find((d) => d.sequence === Number(ref)) ?? (listed.every((d) => d.sequence === undefined) ? listed[Number(ref) - 1] : undefined) : undefined;
    const key = icd10cmKey(row?.code ?? ref);
    const coded = diagnoses.find((d) => (row && d.evidence.some((ev) => sameSource(ev.source, row.source))) || icd10cmKey(d.code) === key);
    if (coded) {
      if (!out.includes(coded.sequence)) out.push(coded.sequence);
    } else {
      issues.push(codingIssue('EDIT_DX_POINTER_RANGE', `line ${line.line}: exported pointer "${ref}" names no diagnosis of the claim`, { codes: line.code ? [line.code] : [], source: line.source }));
    }
  }
  return out;
}
