import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { validateX12 } from '../helpers/x12-validate.js';

/**
 * The suite's gate to the independent validator (pyx12) shares files among parallel
 * validators and remembers passing contents: a failing file must still fail, with its own
 * errors, among passing ones, and a copy of a file must get the file's verdict. (A folder of
 * its own, not tempDir's: tempDir would fail the file for the invalid interchange it holds.)
 */
const dir = mkdtempSync(join(tmpdir(), 'nightcode-validator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SAMPLE = resolve('..', 'shared', 'samples', 'x12-837', '837I', 'ppo-repriced-claim.edi');

test('a file that fails is reported with its errors among files that pass; copies share a verdict', () => {
  const good = join(dir, 'good.837');
  const copy = join(dir, 'copy.837');
  const other = join(dir, 'other.837');
  const bad = join(dir, 'bad.837');
  copyFileSync(SAMPLE, good);
  copyFileSync(SAMPLE, copy);
  const text = readFileSync(SAMPLE, 'utf8');
  // Another valid interchange (a new claim id), and one whose transaction set counts one segment too many.
  writeFileSync(other, text.replace('CLM*456DFH43*', 'CLM*456DFH44*'));
  expect(text).toContain('SE*48*1002~');
  // A content never validated before (cached verdicts are only for files that passed).
  writeFileSync(bad, text.replace('SE*48*1002~', 'SE*49*1002~').replace('REF*9A*09459034092', `REF*9A*${Date.now()}`));
  const verdicts = validateX12([good, bad, copy, other]);
  expect(verdicts.map((v) => [v.file, v.ok])).toEqual([[good, true], [bad, false], [copy, true], [other, true]]);
  expect(verdicts[1]!.errors.join('\n')).toMatch(/SE count of 49 .* is wrong/);
});
