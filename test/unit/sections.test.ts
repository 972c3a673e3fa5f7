import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { detectSections, HEADER_LINE, headerLines } from '../../src/abstract/text/sections.js';

/** Where the header expression matches scanning the whole text: the form matching line by line replaced. */
function scanned(text: string): string[] {
  const re = new RegExp(HEADER_LINE.source, 'gm');
  const out: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(`${m.index}|${m[0]}|${m[1] ?? ''}|${m[2] ?? ''}`);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

const pieces = ['HPI:', 'Assessment:', 'Past medical history: ', 'PLAN', '  2. Plan:', 'A/P:', 'Procedure(s):', 'Social Hx :', 'ALL CAPS LINE', 'x',
  ' cough and fever', ' no chest pain.', '\t', ' 12)', ': ', ' '];
const breaks = ['\n', '\r\n', '\r', '\u2028', '\u2029', '\n\n', ''];

describe('section headers matched line by line', () => {
  test('are the matches of the expression scanning the whole text, whatever ends the lines', () => {
    const line = fc.array(fc.constantFrom(...pieces), { maxLength: 4 }).map((p) => p.join(''));
    fc.assert(fc.property(fc.array(fc.tuple(line, fc.constantFrom(...breaks)), { minLength: 1, maxLength: 12 }), (lines) => {
      const text = lines.map(([l, b]) => l + b).join('');
      expect(headerLines(text).map((m) => `${m.index}|${m[0]}|${m[1] ?? ''}|${m[2] ?? ''}`)).toEqual(scanned(text));
    }), { numRuns: 2000 });
  });

  test('a header after a carriage return, a line separator or at the very start', () => {
    const text = 'HPI: cough\r\nAssessment: pneumonia\u2028Plan: antibiotics\rPAST MEDICAL HISTORY\nasthma';
    expect(detectSections(text).map((s) => [s.name, text.slice(s.start, s.end)])).toEqual([
      ['hpi', 'cough\r\n'], ['assessment', 'pneumonia\u2028'], ['plan', 'antibiotics\r'], ['pmh', '\nasthma'],
    ]);
  });
});
