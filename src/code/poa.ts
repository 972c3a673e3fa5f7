import { icd10cmDisplay } from '../codesets/icd10cm-code.js';
import type { Issue } from '../contract/types.js';
import { codingIssue, type PoaExemptLookup } from './coding-context.js';
import type { DxItem } from './diagnoses.js';
import { matchesAny } from './tables/code-ranges.js';
import { CHRONIC_CONDITIONS } from './tables/history-codes.js';
import { PRESENT_BEFORE_ADMISSION } from './tables/limit-priority.js';
import { POA_EXEMPT } from './tables/poa-exempt.js';

/** Which codes are exempt from POA reporting when no CMS list is imported: the team table of Appendix I categories. */
export const TEAM_POA_EXEMPT: PoaExemptLookup = {
  label: 'team table of the Appendix I exempt categories',
  has: (key) => matchesAny(key, POA_EXEMPT),
};

/** POA indicators (Appendix I; X12 837I HI-09 takes Y, N, U, W and a blank for exempt codes, which claims carry as 1). */
export const POA_VALUES = new Set(['Y', 'N', 'U', 'W', '1']);

const isChronic = (key: string) => matchesAny(key, CHRONIC_CONDITIONS) || matchesAny(key, PRESENT_BEFORE_ADMISSION);

/** Sections written about the patient's state on arrival. */
const ADMISSION_SECTIONS = new Set(['chief_complaint', 'hpi', 'pmh', 'psh', 'family_history', 'social_history', 'medications', 'allergies', 'ros', 'exam']);
const NOT_PRESENT = /\b(?:hospital[- ]acquired|nosocomial|developed (?:during|on|after)|postoperative(?:ly)?|post-operative(?:ly)?|on hospital day|during (?:the|this) (?:admission|hospitali[sz]ation|stay)|iatrogenic|after admission)\b/i;
const UNDETERMINED = /\b(?:clinically undetermined|cannot be (?:clinically )?determined whether|unable to (?:clinically )?determine (?:whether|if))\b/i;
const UNKNOWN = /\b(?:unclear|unknown|not documented) (?:whether|if) (?:it was |this was )?present on admission\b/i;

/**
 * Present-on-admission indicators for an inpatient claim (ICD-10-CM Official Guidelines,
 * Appendix I): Y present at the time of the order for admission (conditions documented on
 * arrival, chronic conditions even if diagnosed later, the principal diagnosis unless the
 * record says otherwise), N not present (developed during the stay), U documentation
 * insufficient (a query), W clinically undetermined; exempt codes get 1 (blank in the
 * 837I). An exported indicator wins (EDIT_POA_INVALID checks it).
 */
export function assignPoa(sequenced: readonly DxItem[], exempt: PoaExemptLookup = TEAM_POA_EXEMPT): { poa: Map<DxItem, string>; issues: Issue[] } {
  const poa = new Map<DxItem, string>();
  const issues: Issue[] = [];
  const undocumented: DxItem[] = [];
  sequenced.forEach((item, i) => {
    const exported = item.structured?.poa;
    if (exported) return void poa.set(item, exported);
    if (exempt.has(item.key)) {
      poa.set(item, '1');
      item.steps.push(`POA exempt (${exempt.label})`);
      return;
    }
    const texts = item.evidence.map((e) => e.text).join(' ');
    if (UNDETERMINED.test(texts)) {
      poa.set(item, 'W');
      item.steps.push('POA W: the provider cannot clinically determine whether it was present on admission');
    } else if (UNKNOWN.test(texts)) {
      poa.set(item, 'U');
      item.steps.push('POA U: documentation insufficient');
      issues.push(codingIssue('CODE_QUERY_POA', `POA of ${icd10cmDisplay(item.key)}: documentation does not say whether it was present on admission`, { codes: [icd10cmDisplay(item.key)], evidence: texts.slice(0, 200), ...(item.evidence[0] ? { source: item.evidence[0].source } : {}) }));
    } else if (NOT_PRESENT.test(texts)) {
      poa.set(item, 'N');
      item.steps.push('POA N: developed after admission');
    } else if (i === 0 || isChronic(item.key) || (item.finding && ADMISSION_SECTIONS.has(item.finding.section))) {
      poa.set(item, 'Y');
      item.steps.push(i === 0 ? 'POA Y: principal diagnosis, the reason for admission' : isChronic(item.key) ? 'POA Y: chronic condition, present before admission (Appendix I)' : `POA Y: documented on arrival (section ${item.finding!.section})`);
    } else {
      poa.set(item, 'U');
      item.steps.push('POA U: not documented on arrival');
      undocumented.push(item);
    }
  });
  // One query for the stay, naming every code whose POA the record does not document.
  if (undocumented.length > 0) {
    const codes = undocumented.map((i) => icd10cmDisplay(i.key));
    const first = undocumented[0]!.evidence[0];
    issues.push(codingIssue('CODE_QUERY_POA', `query the provider: the record does not say whether ${codes.join(', ')} ${codes.length === 1 ? 'was' : 'were'} present on admission (neither documented on arrival nor as hospital-acquired); POA U reported`, {
      codes, ...(first ? { evidence: first.text, source: first.source } : {}),
    }));
  }
  return { poa, issues };
}
