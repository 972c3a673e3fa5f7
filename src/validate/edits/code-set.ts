import type { CodeSystemName } from '../../codesets/systems.js';
import type { CodeSet } from '../../codesets/reference-library.js';
import { edit } from './edit-issue.js';
import type { CodedEncounter, Issue, SourceLocation } from '../../contract/types.js';

/** What the code-set edits need from the reference library (a date picks the version). */
export interface CodeSetLookup {
  codeSetFor(system: CodeSystemName, date: string): CodeSet | undefined;
  isStarterOnly(system: CodeSystemName): boolean;
}

/**
 * Code validity for the date of service against the version in force then:
 * not in the classification (EDIT_CODE_INVALID), a header where a billable leaf is
 * needed (EDIT_CODE_NOT_BILLABLE, ICD-10-CM Guidelines I.B.2: code to the highest
 * specificity), or a code missing its required 7th character (EDIT_SEVENTH_CHARACTER,
 * Guidelines I.A.5). With only the starter tables loaded, codes outside them cannot be
 * verified and are reported as warnings (EDIT_CODE_UNVERIFIED).
 */
export function codeSetEdits(coded: CodedEncounter, ref: CodeSetLookup): Issue[] {
  const e = coded.encounter;
  const date = e.serviceDate ?? e.dischargeDate ?? e.admissionDate;
  if (!date) return []; // EDIT_SERVICE_DATE_MISSING says so
  const out: Issue[] = [];
  const check = (system: CodeSystemName, code: string, source: SourceLocation | undefined) => {
    const cs = ref.codeSetFor(system, date);
    if (!cs) return;
    const tableVersion = `${cs.version.system} ${cs.version.version}`;
    const where = { codes: [code], tableVersion, ...(source ? { source } : {}) };
    if (ref.isStarterOnly(system)) {
      if (!cs.get(code)) out.push(edit('EDIT_CODE_UNVERIFIED', `${code} is not in the starter ${system} table; it could not be verified`, where));
      return;
    }
    const info = cs.get(code);
    if (!info || (info.kind !== 'category' && info.kind !== 'code')) {
      const seventh = system === 'ICD-10-CM' ? cs.seventhCharacter(code) : undefined;
      if (seventh && cs.normalize(code)!.length < 7 && cs.get(code.slice(0, -1)) === undefined) {
        out.push(edit('EDIT_SEVENTH_CHARACTER', `${code} needs a 7th character (${Object.keys(seventh.values).join(', ')}) from ${seventh.definedAt}`, where));
      } else {
        out.push(edit('EDIT_CODE_INVALID', `${code} is not a code in ${tableVersion} (in force on ${date})`, where));
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
  for (const p of coded.procedures) {
    if (p.code && (p.system === 'CPT' || p.system === 'HCPCS' || p.system === 'ICD-10-PCS')) check(p.system, p.code, p.source);
  }
  return out;
}
