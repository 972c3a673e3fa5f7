import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readWordForms } from '../../src/abstract/text/word-forms.js';
import { readJsonData } from '../../src/paths.js';
import { tempDir } from '../helpers/tmp.js';

test('a malformed team data file names the file, the line and column, and the problem', () => {
  const dir = tempDir('nightcode-json-data-');
  const file = join(dir, 'word-forms.json');
  writeFileSync(file, '{\n  "groups": {\n    "spelling": { "oedema": "edema" "anaemia": "anemia" }\n  }\n}\n');
  expect(() => readJsonData(file)).toThrow(`${file}:3:37: not valid JSON: Expected ',' or '}' after property value`);
  // The loaders read through it: the error is the file's, not a bare JSON.parse message.
  expect(() => readWordForms(file)).toThrow(`${file}:3:37: not valid JSON`);
  expect(() => readJsonData(join(dir, 'missing.json'))).toThrow(join(dir, 'missing.json'));
  writeFileSync(file, '{ "groups": { "spelling": { "oedema": "edema" } } }');
  expect(readWordForms(file).get('oedema')).toBe('edema');
});
