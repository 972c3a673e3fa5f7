import { inRange } from '../../codesets/icd10cm-code.js';
import type { MedicareCodeEditor } from '../../codesets/medicare-code-editor.js';
import type { PoaExemptLookup } from '../../codesets/official-lists.js';
import type { CodeSet } from '../../codesets/reference-library.js';
import { ageInYears } from '../../contract/setting.js';
import { edit } from './edit-issue.js';
import type { CodedEncounter, Issue } from '../../contract/types.js';

export interface DiagnosisEditContext {
  /** The official ICD-10-CM version in force on the date of service (none: these edits do not run). */
  icd10cm?: CodeSet;
  /** Medicare Code Editor lists for that version (age, sex, principal). */
  mce?: MedicareCodeEditor;
  /** Inpatient claim: the first diagnosis is the principal diagnosis. */
  inpatient: boolean;
  /** The POA exempt list in force (inpatient claims: only its codes may go without Y, N, U or W). */
  poaExempt?: PoaExemptLookup;
}

const POA_INDICATORS = new Set(['Y', 'N', 'U', 'W']);

const EXTERNAL_CAUSE = /^[V-Y]/;
/** Notes that ask for a code only when the condition exists ("if applicable", "such as …"). */
const CONDITIONAL_NOTE = /\bif (?:applicable|known|present)\b|\bsuch as\b|\bany (?:associated|causal)\b|\bto identify (?:any|the) (?:associated|underlying)|\bwhen applicable\b/i;
const REQUIRED_NOTE = /^code (?:also )?to identify (?:the )?(?:stage|type|site)\b/i;
const SIDE_WORDS = /\b(?:right|left|bilateral|both)\b/i;

/**
 * Diagnosis edits, each with its own stable id (docs/EDITS.md):
 * - EDIT_EXCLUDES1: two codes an Excludes1 note keeps apart, the note inherited from the
 *   category, section or chapter (ICD-10-CM Guidelines I.A.12.a);
 * - EDIT_MANIFESTATION_FIRST: a manifestation code first-listed or principal (I.A.13);
 * - EDIT_EXTERNAL_CAUSE_FIRST: an external-cause code (V00–Y99) first-listed (I.C.20);
 * - EDIT_UNACCEPTABLE_PRINCIPAL: on inpatient claims, a principal diagnosis the MCE lists
 *   as unacceptable;
 * - EDIT_AGE_CONFLICT / EDIT_SEX_CONFLICT: a code of an MCE age group or sex list the
 *   patient is not in (newborn 0, pediatric 0–17, maternity 9–64, adult 15–124);
 * - EDIT_USE_ADDITIONAL_CODE: a "use additional code" note asking for the stage, type or
 *   site of the condition itself (E11.22 → N18.-, I11.0 → I50.-, E11.621 → L97.-) with no
 *   code of its range on the claim;
 * - EDIT_UNSPECIFIED_LATERALITY: an unspecified-side code while its evidence names a side.
 * Pure: the reference data comes in `ctx`.
 */
export function diagnosisEdits(coded: CodedEncounter, ctx: DiagnosisEditContext): Issue[] {
  const cs = ctx.icd10cm;
  if (!cs) return [];
  const out: Issue[] = [];
  const e = coded.encounter;
  const dx = coded.diagnoses;
  const version = `${cs.version.system} ${cs.version.version}`;
  const at = (i: number) => (dx[i]?.evidence[0] ? { source: dx[i]!.evidence[0]!.source, evidence: dx[i]!.evidence[0]!.text } : { source: e.source });

  for (let i = 0; i < dx.length; i++) {
    for (let j = i + 1; j < dx.length; j++) {
      const note = cs.excludes1Between(dx[i]!.code, dx[j]!.code);
      if (note) {
        out.push(edit('EDIT_EXCLUDES1', `${dx[i]!.code} and ${dx[j]!.code} are never coded together: Excludes1 at ${note.at} ("${note.text}")`, {
          codes: [dx[i]!.code, dx[j]!.code], tableVersion: version, ...at(j),
        }));
      }
    }
  }

  const first = dx[0];
  if (first) {
    const manifestation = cs.isManifestation(first.code) || ctx.mce?.listsOf(first.code).some((l) => l.list === 'manifestation');
    if (manifestation) {
      out.push(edit('EDIT_MANIFESTATION_FIRST', `${first.code} is a manifestation code and cannot be ${ctx.inpatient ? 'the principal' : 'first-listed'} diagnosis; the underlying condition comes first`, { codes: [first.code], tableVersion: version, ...at(0) }));
    }
    if (EXTERNAL_CAUSE.test(first.code)) {
      out.push(edit('EDIT_EXTERNAL_CAUSE_FIRST', `${first.code} is an external-cause code and cannot be ${ctx.inpatient ? 'the principal' : 'first-listed'} diagnosis`, { codes: [first.code], tableVersion: version, ...at(0) }));
    }
    const unacceptable = ctx.inpatient ? ctx.mce?.listsOf(first.code).find((l) => l.list === 'unacceptable-principal') : undefined;
    if (unacceptable) {
      out.push(edit('EDIT_UNACCEPTABLE_PRINCIPAL', `${first.code} is unacceptable as principal diagnosis (${unacceptable.source})`, { codes: [first.code], tableVersion: unacceptable.source, ...at(0) }));
    }
  }

  const date = e.serviceDate ?? e.dischargeDate ?? e.admissionDate;
  const age = e.patient.birthDate && date ? ageInYears(e.patient.birthDate, date) : undefined;
  const sex = e.patient.sex === 'M' || e.patient.sex === 'F' ? e.patient.sex : undefined;
  dx.forEach((d, i) => {
    if (ctx.mce && age !== undefined && age >= 0) {
      const conflict = ctx.mce.ageConflict(d.code, age);
      if (conflict) out.push(edit('EDIT_AGE_CONFLICT', `${d.code} is a ${conflict.list} diagnosis; the patient is ${age} on ${date}`, { codes: [d.code], tableVersion: conflict.source, path: 'patient.birthDate', ...at(i) }));
    }
    if (ctx.mce && sex) {
      const conflict = ctx.mce.sexConflict(d.code, sex);
      if (conflict) out.push(edit('EDIT_SEX_CONFLICT', `${d.code} is on the ${conflict.list} list; the patient's sex is ${sex}`, { codes: [d.code], tableVersion: conflict.source, path: 'patient.sex', ...at(i) }));
    }
    for (const note of cs.notes(d.code, 'useAdditionalCode')) {
      // A note of its own ("code to identify stage of chronic kidney disease (N18.1-N18.6)"), not an
      // item of a list under "use additional code to identify:" (those name what to add if present).
      // Only notes that ask for an attribute of the condition itself (its stage, type or site)
      // are checked: "to identify infectious agent" and the like apply only when one is documented.
      if (note.ranges.length === 0 || !REQUIRED_NOTE.test(note.text) || CONDITIONAL_NOTE.test(note.text)) continue;
      if (dx.some((o) => o !== d && note.ranges.some((r) => inRange(cs.normalize(o.code) ?? '', r)))) continue;
      out.push(edit('EDIT_USE_ADDITIONAL_CODE', `${d.code}: "${note.text}" (note at ${note.at}) and no such code is on the claim`, { codes: [d.code], tableVersion: version, ...at(i) }));
    }
    if (ctx.inpatient) {
      // Appendix I: every inpatient diagnosis reports Y, N, U or W, but for the exempt list (blank; 1 on our claims).
      const poa = (d.poa ?? '').toUpperCase();
      const key = cs.normalize(d.code) ?? d.code;
      if (!POA_INDICATORS.has(poa) && !((poa === '' || poa === '1') && (!ctx.poaExempt || ctx.poaExempt.has(key)))) {
        const what = poa === '' || poa === '1' ? `has no POA indicator and is not on the ${ctx.poaExempt!.label}` : `has POA "${d.poa}", which is not Y, N, U, W or blank`;
        out.push(edit('EDIT_POA_INVALID', `${d.code} ${what}: report Y, N, U or W (Guidelines Appendix I)`, { codes: [d.code], tableVersion: ctx.poaExempt?.label ?? version, ...at(i) }));
      }
    }
    const info = cs.get(d.code);
    if (info?.billable && /\bunspecified\b/i.test(info.title) && info.parent && d.evidence.some((ev) => SIDE_WORDS.test(ev.text))) {
      const siblings = cs.childrenOf(info.parent);
      const lateral = siblings.some((s) => /\bright\b/i.test(s.title) && s.title.replace(/\bright\b/i, 'unspecified').toLowerCase() === info.title.toLowerCase());
      if (lateral) out.push(edit('EDIT_UNSPECIFIED_LATERALITY', `${d.code} is an unspecified-side code while the documentation names a side`, { codes: [d.code], tableVersion: version, ...at(i) }));
    }
  });
  // ICD-10-PCS procedures on the other sex's MCE list (section 5, procedures).
  if (ctx.mce && sex) {
    for (const p of coded.pcsProcedures) {
      const conflict = ctx.mce.procedureSexConflict(p.code, sex);
      if (conflict) out.push(edit('EDIT_SEX_CONFLICT', `procedure ${p.code} is on the MCE ${conflict.list} list; the patient's sex is ${sex}`, { codes: [p.code], tableVersion: conflict.source, path: 'patient.sex', source: p.evidence[0]?.source ?? e.source }));
    }
  }
  return out;
}
