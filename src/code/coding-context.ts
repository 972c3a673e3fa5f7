import type { TelehealthConfig } from './telehealth-config.js';
import type { CodingRule } from './coding-rules.js';
import type { PoaExemptLookup } from '../codesets/official-lists.js';
import type { CodeSet } from '../codesets/reference-library.js';
import type { Encounter, Finding, Issue, SourceLocation } from '../contract/types.js';
import { ISSUE_CODES, type IssueCode } from '../contract/issue-codes.js';

/**
 * The reference data coding reads, for the encounter's date of service: the ICD-10-CM
 * and ICD-10-PCS versions in force then (absent: coding falls back to the candidates as
 * abstracted, and validation reports what it cannot verify), and the price of CPT/HCPCS
 * codes for service lines added from the documentation (the chargemaster).
 */
export interface CodingContext {
  icd10cm?: CodeSet;
  pcs?: CodeSet;
  prices?: ReadonlyMap<string, number>;
  /** The revenue code the chargemaster bills a CPT/HCPCS code under (institutional lines). */
  revenueCodes?: ReadonlyMap<string, string>;
  /** The POA exempt list in force (imported CMS list), else the team table. */
  poaExempt?: PoaExemptLookup;
  /** How payers want telehealth billed (config telehealth); the defaults when absent. */
  telehealth?: TelehealthConfig;
  /** Conventions switched off to measure what each costs (`eval --rule-costs`); never set by a run. */
  rulesOff?: ReadonlySet<CodingRule>;
}

export type { PoaExemptLookup } from '../codesets/official-lists.js';

export { isInpatient } from '../contract/setting.js';

export interface Evidence {
  text: string;
  source: SourceLocation;
}

/** Where a finding was read: its sentence, and the note's source with the finding's offsets. */
export function evidenceOf(e: Encounter, f: Finding): Evidence {
  const noteSource = e.notes.find((n) => n.id === f.noteId)?.source ?? e.source;
  // The note's location with the finding's path: copied in its order, as a spread would, without
  // the spread's generic path (it showed in the record path's profile).
  const source = {} as SourceLocation;
  for (const k in noteSource) (source as unknown as Record<string, unknown>)[k] = noteSource[k as keyof SourceLocation];
  source.path = `note ${f.noteId} [${f.start},${f.end})`;
  return { text: f.sentence, source };
}

export function codingIssue(code: IssueCode, message: string, extra: Partial<Issue> = {}): Issue {
  const def = ISSUE_CODES[code];
  return { code, severity: def.severity, stage: 'code', message, action: def.action, ...extra };
}
