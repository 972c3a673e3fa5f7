import { STARTER_VERSION, type CodeSystemName } from '../../codesets/systems.js';
import type { CodeSet } from '../../codesets/reference-library.js';
import { edit } from './edit-issue.js';
import type { CodedEncounter, Issue, SourceLocation } from '../../contract/types.js';

/** What the code-set edits need from the reference library (a date picks the version). */
export interface CodeSetLookup {
  codeSetFor(system: CodeSystemName, date: string): CodeSet | undefined;
  isStarterOnly(system: CodeSystemName): boolean;
  versions(system: CodeSystemName): readonly { version: string }[];
  /** HCPCS and CPT: the latest version that took effect by the date, when none covers it. */
  latestOnOrBefore?(system: CodeSystemName, date: string): CodeSet | undefined;
}

/**
 * Code validity for the date of service against the version in force then:
 * not in the classification (EDIT_CODE_INVALID), a header where a billable leaf is
 * needed (EDIT_CODE_NOT_BILLABLE, ICD-10-CM Guidelines I.B.2: code to the highest
 * specificity), or a code missing its required 7th character (EDIT_SEVENTH_CHARACTER,
 * Guidelines I.A.5). Diagnoses and lines are checked on their dates of service, ICD-10-PCS
 * procedures on the dates they were done. With only the starter tables loaded, codes outside
 * them cannot be verified (EDIT_CODE_UNVERIFIED). A system with no version for a date says so
 * (EDIT_CODE_SET_UNAVAILABLE); HCPCS and CPT, which change by addition, are checked against
 * the latest earlier year then, a code missing from it reported as unverified, not invalid.
 */
export function codeSetEdits(coded: CodedEncounter, ref: CodeSetLookup): Issue[] {
  const e = coded.encounter;
  const date = e.serviceDate ?? e.dischargeDate ?? e.admissionDate;
  if (!date) return []; // EDIT_SERVICE_DATE_MISSING says so
  const out: Issue[] = [];
  const unavailable = new Map<string, { codes: string[]; dates: Set<string>; source?: SourceLocation }>();
  const check = (system: CodeSystemName, code: string, source: SourceLocation | undefined, on: string = date) => {
    let cs = ref.codeSetFor(system, on);
    let older = false;
    if (!cs && (system === 'HCPCS' || system === 'CPT')) {
      cs = ref.latestOnOrBefore?.(system, on);
      older = cs !== undefined;
    }
    // A system never imported is a setup matter the run reports once, not every claim's finding.
    if (!cs && !ref.versions(system).some((v) => v.version !== STARTER_VERSION)) return;
    if (!cs || older) {
      const u = unavailable.get(system) ?? { codes: [], dates: new Set<string>(), ...(source ? { source } : {}) };
      u.codes.push(code);
      u.dates.add(on);
      unavailable.set(system, u);
      if (!cs) return;
    }
    const tableVersion = `${cs.version.system} ${cs.version.version}`;
    const where = { codes: [code], tableVersion, ...(source ? { source } : {}) };
    if (ref.isStarterOnly(system)) {
      if (!cs.get(code)) out.push(edit('EDIT_CODE_UNVERIFIED', `${code} is not in the starter ${system} table; it could not be verified`, where));
      return;
    }
    const info = cs.get(code);
    if (older && !info) {
      out.push(edit('EDIT_CODE_UNVERIFIED', `${code} is not in ${tableVersion}, the latest ${system} year loaded, older than ${on}: it may be new since; import the ${on.slice(0, 4)} release to verify it`, where));
      return;
    }
    if (!info || (info.kind !== 'category' && info.kind !== 'code')) {
      const seventh = system === 'ICD-10-CM' ? cs.seventhCharacter(code) : undefined;
      if (seventh && cs.normalize(code)!.length < 7 && cs.get(code.slice(0, -1)) === undefined) {
        out.push(edit('EDIT_SEVENTH_CHARACTER', `${code} needs a 7th character (${Object.keys(seventh.values).join(', ')}) from ${seventh.definedAt}`, where));
      } else {
        out.push(edit('EDIT_CODE_INVALID', `${code} is not a code in ${tableVersion} (in force on ${on})`, where));
      }
      return;
    }
    if (info.billable) return;
    const seventh = system === 'ICD-10-CM' ? cs.seventhCharacter(code) : undefined;
    // A tabular leaf under a sevenChrDef: its only children are its 7-character forms.
    const children = cs.childrenOf(info.key);
    if (seventh && info.key.length <= 6 && children.every((c) => c.key.length === 7)) {
      out.push(edit('EDIT_SEVENTH_CHARACTER', `${info.code} needs a 7th character (${Object.keys(seventh.values).join(', ')}, placeholder X to six characters) from ${seventh.definedAt}`, where));
    } else {
      const more = children.map((c) => c.code);
      out.push(edit('EDIT_CODE_NOT_BILLABLE', `${info.code} is a header in ${tableVersion}; code to the highest specificity (${more.slice(0, 6).join(', ')}${more.length > 6 ? ', …' : ''})`, where));
    }
  };
  for (const d of coded.diagnoses) check('ICD-10-CM', d.code, d.evidence[0]?.source);
  for (const p of coded.pcsProcedures) check('ICD-10-PCS', p.code, p.evidence[0]?.source, p.date ?? date);
  for (const p of coded.procedures) {
    if (p.code && (p.system === 'CPT' || p.system === 'HCPCS' || p.system === 'ICD-10-PCS')) check(p.system, p.code, p.source, p.serviceDate ?? date);
  }
  // ICD-10-CM without a version is the record's own finding (CODE_CODESET_MISSING).
  for (const [system, u] of unavailable) {
    if (system === 'ICD-10-CM') continue;
    const dates = [...u.dates].sort().join(', ');
    const older = (system === 'HCPCS' || system === 'CPT') && ref.latestOnOrBefore?.(system, [...u.dates][0]!);
    out.push(edit('EDIT_CODE_SET_UNAVAILABLE', older
      ? `no ${system} version covers ${dates}: ${u.codes.join(', ')} checked against ${older.version.system} ${older.version.version}, an older year; import the ${system} release of ${dates.slice(0, 4)}`
      : `no ${system} version is loaded for ${dates}: ${u.codes.join(', ')} not verified; import the ${system} release for that date`, {
      codes: u.codes, ...(u.source ? { source: u.source } : {}),
    }));
  }
  return out;
}
