import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Hostile documents just under their configured size limit (here 2 MB): one huge narrative,
 * a hundred thousand tiny elements, a large base64 attachment, an HL7 note segment of a
 * megabyte. Each is read (or refused) and its record ends in a state; nothing hangs. The
 * test timeout is the guard; npm run fuzz measures time and memory at the default limit.
 */
const dir = tempDir('nightcode-hostile-');
const LIMIT = 2_000_000;
const CCDA = resolve('..', 'shared', 'samples', 'ccda-synthea');
const sample = readFileSync(join(CCDA, readdirSync(CCDA).sort()[0]!), 'utf8');

/** A document padded at its first narrative to 99% of the limit. */
function ccdaWith(filler: (room: number) => string): string {
  const at = sample.indexOf('<text>') + 6;
  return `${sample.slice(0, at)}${filler(Math.floor(LIMIT * 0.99) - sample.length)}${sample.slice(at)}`;
}

function run(pipeline: string, name: string, text: string) {
  const input = join(dir, name);
  mkdirSync(input);
  writeFileSync(join(input, name.replace(/-(\w+)$/, '.$1')), text);
  const config = join(dir, `${name}.json`);
  writeFileSync(config, JSON.stringify({ database: join(dir, `${name}.db`), outDir: join(dir, `${name}-out`), run: { workers: 1 } }));
  const pipelineFile = join(dir, `${name}-pipeline.json`);
  const shipped = JSON.parse(readFileSync(resolve('pipelines', pipeline), 'utf8')) as Record<string, unknown>;
  writeFileSync(pipelineFile, JSON.stringify({ ...shipped, input, documents: { maxBytes: LIMIT } }));
  const r = runCli(['--config', config, 'run', '--pipeline', pipelineFile, '--date', '2026-11-27', '--json']);
  expect(r.code, r.stderr.slice(-2000)).toBe(0);
  return JSON.parse(r.stdout) as { reconciled: boolean; counts: Record<string, number> };
}

describe('documents at 99% of their size limit end in a state, in bounded time', () => {
  test.each([
    ['nightly-ccda.json', 'narrative-xml', () => ccdaWith((room) => `<paragraph>${'Patient denies chest pain. History of hypertension. '.repeat(Math.floor(room / 52) - 1)}</paragraph>`)],
    ['nightly-ccda.json', 'elements-xml', () => ccdaWith((room) => '<content>a</content>'.repeat(Math.floor(room / 20) - 1))],
    ['nightly-fhir.json', 'attachment-json', () => {
      const data = Buffer.from('Assessment: asthma, denies fever. '.repeat(Math.floor((LIMIT * 0.99 * 0.74) / 34))).toString('base64');
      return JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [
        { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1960-01-01' } },
        { fullUrl: 'urn:uuid:e1', resource: { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'urn:uuid:p1' }, period: { start: '2026-11-27T10:00:00Z' } } },
        { fullUrl: 'urn:uuid:d1', resource: { resourceType: 'DocumentReference', id: 'd1', status: 'current', subject: { reference: 'urn:uuid:p1' }, context: { encounter: [{ reference: 'urn:uuid:e1' }] }, content: [{ attachment: { contentType: 'text/plain', data } }] } },
      ] });
    }],
    ['nightly-hl7v2.json', 'note-hl7', () => [
      'MSH|^~\\&|EHR|HOSP|NIGHTCODE|BILLING|20261127082000||MDM^T02|MSG003|P|2.5.1',
      'PID|1||MRN123^^^HOSP^MR||Lopez^Ana||19600214|F',
      'PV1|1|O|||||||||||||||||V1001',
      'TXA|1|PN^Progress note|TX|||||||||DOC-9',
      `OBX|1|TX|PN^Progress note||${'Assessment: asthma, denies fever \\.br\\'.repeat(Math.floor((LIMIT * 0.99 - 300) / 38))}`,
    ].join('\r')],
  ])('%s %s', (pipeline, name, make) => {
    const s = run(pipeline, name, make());
    expect(s.reconciled).toBe(true);
    expect(s.counts.input).toBe(s.counts.released + s.counts.exception + s.counts.quarantined + s.counts.unchanged);
  }, 60_000);
});
