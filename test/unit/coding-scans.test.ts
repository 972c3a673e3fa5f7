import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hasAssessment } from '../../src/code/evaluation-management.js';
import { rulesMatching, STATUS_RULES } from '../../src/code/status-codes.js';

// The record path's one-scan forms against the patterns they stand for.

const drugs = ['insulin', 'Lantus', 'metformin', 'oral antidiabetics', 'warfarin', 'Sintrom', 'oral anticoagulation', 'clopidogrel', 'aspirin',
  'acetylsalicylic acid', 'NSAIDs', 'non-steroidal anti-inflammatory drugs', 'ibuprofen', 'prednisone', 'oral corticosteroids', 'systemic corticosteroid',
  'oral contraceptives', 'birth control pill', 'chronic hemodialysis', 'on peritoneal dialysis', 'peritoneal dialysis', 'dialysis-dependent',
  'dependence on dialysis', 'hemodialysis', 'dialysis', 'pacemaker', 'pacemakers', 'oral', 'hemo'];
const filler = [' ', '  ', ', ', '. ', '\n', 'on ', 'the ', 'x', '-', 'stopped ', 'daily ', 'for 3 days ', 'n'];

describe('status rules found in one scan', () => {
  test('are the rules whose own pattern matches the text', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...drugs, ...filler), { maxLength: 14 }), (parts) => {
      const text = parts.join('');
      const own = STATUS_RULES.map((r) => new RegExp(r.re.source, 'i').test(text));
      expect(rulesMatching(text) ?? STATUS_RULES.map(() => false)).toEqual(own);
    }), { numRuns: 3000 });
  });

  test('a mention inside another rule\'s mention counts for both', () => {
    const hit = rulesMatching('Patient on peritoneal dialysis since 2019.')!;
    const dialysis = STATUS_RULES.flatMap((r, i) => (r.code === 'Z992' ? [i] : []));
    expect(dialysis).toHaveLength(2);
    for (const i of dialysis) expect(hit[i]).toBe(true);
    expect(rulesMatching('no medications')).toBeUndefined();
  });
});

describe('an assessment heading found line by line', () => {
  const old = /(?:^|\n)\s*(?:assessment|impression|plan|a\/p|assessment and plan)\s*:/i;
  const pieces = ['Assessment:', 'ASSESSMENT :', 'Impression', 'plan:', 'A/P:', 'assessment and plan:', 'Plan', ':', ' ', '\t', 'HPI: cough', 'x', 'the plan: rest'];
  const breaks = ['\n', '\r\n', '\r', '\u2028', '\n\n', ''];
  test('is the whole-text match it replaced, whatever ends the lines', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.array(fc.constantFrom(...pieces), { maxLength: 3 }), fc.constantFrom(...breaks)), { maxLength: 8 }), (lines) => {
      const text = lines.map(([l, b]) => l.join('') + b).join('');
      expect(hasAssessment(text)).toBe(old.test(text));
    }), { numRuns: 3000 });
  });

  test('at the start, after a line feed, not after a carriage return alone', () => {
    expect(hasAssessment('Assessment: asthma')).toBe(true);
    expect(hasAssessment('HPI: cough\n\n  Plan: rest')).toBe(true);
    expect(hasAssessment('HPI: cough\rPlan: rest')).toBe(false);
    expect(hasAssessment('we discussed the plan: rest')).toBe(false);
  });
});
