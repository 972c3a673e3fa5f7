import { ISSUE_CODES, type IssueCode } from '../../contract/issue-codes.js';
import type { Issue } from '../../contract/types.js';

/** A validation finding with the edit's default severity and suggested action (routing may override the severity). */
export function edit(code: IssueCode, message: string, extra: Partial<Issue> = {}): Issue {
  const def = ISSUE_CODES[code];
  return { code, severity: def.severity, stage: 'validate', message, action: def.action, ...extra };
}
