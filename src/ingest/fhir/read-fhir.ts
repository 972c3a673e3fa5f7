import { createReadStream, mkdtempSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DocumentResult, SourceReader } from '../documents/document-rows.js';
import { decodeDocumentBytes } from '../documents/decode.js';
import { encounterRows } from './fhir-encounter.js';
import { jsonDepth, jsonErrorPosition, lineAt, MAX_JSON_DEPTH, resourceProblem } from './fhir-json.js';
import { arr, obj, ResourceStore, str, type Json } from './fhir-store.js';

export { refKey } from './fhir-store.js';
export { xhtmlText } from './fhir-encounter.js';

/**
 * FHIR R4 exports into canonical rows, one record per Encounter: Bundles (JSON) and Bulk
 * Data NDJSON (one resource per line, streamed). Resources are loaded into a temporary
 * SQLite file first, so a 1 GB export joins in bounded memory: Patient and Coverage by the
 * encounter's subject, Practitioner and Organization NPIs by reference, Condition,
 * Procedure, DocumentReference, Composition and Claim by their encounter reference.
 * Element names from FHIR R4 (4.0.1); code system URIs from terminology.hl7.org.
 */

/** The elements of a Bundle (FHIR R4 4.0.1, Resource and Bundle). */
const BUNDLE_ELEMENTS = new Set(['resourceType', 'id', 'meta', 'implicitRules', 'language', 'identifier', 'type', 'timestamp', 'total', 'link', 'entry', 'signature']);

async function* loadFile(store: ResourceStore, path: string, name: string, maxBytes: number): AsyncGenerator<DocumentResult & { file: string }> {
  if (/\.ndjson$/i.test(name)) {
    // Bulk Data: one resource per line, streamed; a bad or truncated line is refused alone.
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let n = 0;
    // Objects without a resourceType wait: a file of nothing else is not a FHIR export (a bulk
    // export's log.ndjson) and is counted as ignored, not quarantined line by line.
    let resources = 0;
    let refused = 0;
    let untyped: number[] = [];
    const release = function* (): Generator<DocumentResult & { file: string }> {
      for (const line of untyped) yield { ok: false, line, code: 'INGEST_DOCUMENT_NOT_RECOGNIZED', message: `${name} line ${line}: JSON without resourceType`, file: name };
      untyped = [];
    };
    for await (const raw of lines) {
      n++;
      if (raw.trim() === '') continue;
      // The stream decodes invalid UTF-8 as U+FFFD: such a line is refused, never read with
      // replacement characters in its ids or names.
      if (raw.includes('\uFFFD')) {
        yield { ok: false, line: n, code: 'INGEST_DOCUMENT_ENCODING', message: `${name} line ${n}: bytes that are not valid UTF-8 (or a U+FFFD replacement character)`, file: name };
        continue;
      }
      if (raw.length > maxBytes) {
        yield { ok: false, line: n, code: 'INGEST_DOCUMENT_TOO_LARGE', message: `${name} line ${n}: ${raw.length} characters, over the ${maxBytes}-byte resource limit`, file: name };
        continue;
      }
      if (jsonDepth(raw) > MAX_JSON_DEPTH) {
        yield { ok: false, line: n, code: 'INGEST_DOCUMENT_MALFORMED', message: `${name} line ${n}: JSON nested deeper than ${MAX_JSON_DEPTH} levels`, file: name };
        continue;
      }
      let r: unknown;
      try {
        r = JSON.parse(raw) as unknown;
      } catch (err) {
        yield { ok: false, line: n, code: 'INGEST_DOCUMENT_MALFORMED', message: `${name} line ${n}: not a JSON resource (truncated line?): ${(err as Error).message}`, file: name };
        continue;
      }
      const problem = resourceProblem(r);
      if (problem) {
        if (obj(r) && obj(r)!.resourceType === undefined && resources === 0 && refused === 0) untyped.push(n);
        else {
          yield* release();
          refused++;
          yield { ok: false, line: n, code: 'INGEST_DOCUMENT_NOT_RECOGNIZED', message: `${name} line ${n}: ${problem}`, file: name };
        }
        continue;
      }
      yield* release();
      resources++;
      store.add(r as Json, undefined, name, n, `${name}:${n}`);
    }
    if (untyped.length > 0 && resources === 0 && refused === 0) yield { ok: 'ignored', line: 1, what: 'NDJSON file of objects that are not FHIR resources (a bulk export log?)', file: name };
    else yield* release();
    return;
  }
  const size = (await stat(path)).size;
  if (size > maxBytes) {
    yield { ok: false, line: 1, code: 'INGEST_DOCUMENT_TOO_LARGE', message: `${name}: ${size} bytes, over the ${maxBytes}-byte document limit`, file: name };
    return;
  }
  const text = decodeDocumentBytes(await readFile(path));
  if (typeof text !== 'string') {
    yield { ok: false, line: 1, code: 'INGEST_DOCUMENT_ENCODING', message: `${name}: ${text.error}`, file: name };
    return;
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    yield { ok: false, line: 1, code: 'INGEST_DOCUMENT_MALFORMED', message: `${name}: JSON nested deeper than ${MAX_JSON_DEPTH} levels`, file: name };
    return;
  }
  let doc: Json;
  try {
    doc = obj(JSON.parse(text)) ?? {};
  } catch (err) {
    const line = lineAt(text, jsonErrorPosition(text, (err as Error).message));
    yield { ok: false, line, code: 'INGEST_DOCUMENT_MALFORMED', message: `${name} line ${line}: not valid JSON: ${(err as Error).message}`, file: name };
    return;
  }
  if (str(doc.resourceType) === 'Bundle') {
    // A Bundle element FHIR R4 does not define is a damaged one (a misspelt "entry" would
    // otherwise read as an empty bundle): the file is refused, naming it.
    const unknown = Object.keys(doc).find((k) => !BUNDLE_ELEMENTS.has(k) && !k.startsWith('_'));
    if (unknown !== undefined) {
      yield { ok: false, line: 1, code: 'INGEST_DOCUMENT_MALFORMED', message: `${name}: Bundle has an element FHIR R4 does not define: ${JSON.stringify(unknown).slice(0, 70)}`, file: name };
      return;
    }
    const entries = arr(doc.entry);
    for (let i = 0; i < entries.length; i++) {
      const e = obj(entries[i]) ?? {};
      const r = obj(e.resource);
      // An entry may lack a resource only as a request or response (a deletion in a history
      // bundle); otherwise it is a damaged entry, and what it held must not vanish unseen.
      const problem = r ? resourceProblem(r) : e.request || e.response ? undefined : 'no resource';
      if (problem) {
        const line = str(e.fullUrl) ? lineAt(text, text.indexOf(JSON.stringify(e.fullUrl))) : 1;
        yield { ok: false, line, code: 'INGEST_DOCUMENT_NOT_RECOGNIZED', message: `${name} Bundle.entry[${i}]: ${problem}`, file: name };
      } else if (r) {
        store.add(r, str(e.fullUrl), name, 1, `Bundle.entry[${i}].resource`);
      }
    }
  } else if (doc.resourceType === undefined) {
    yield { ok: false, line: 1, code: 'INGEST_DOCUMENT_NOT_RECOGNIZED', message: `${name}: JSON without resourceType (not a FHIR resource or Bundle)`, file: name };
  } else {
    // A damaged "Bundle" would otherwise pass as one resource of an unknown type, its entries unread.
    const problem = resourceProblem(doc) ?? (Array.isArray(doc.entry) ? `resourceType ${JSON.stringify(doc.resourceType).slice(0, 70)} with Bundle entries` : undefined);
    if (problem) yield { ok: false, line: 1, code: 'INGEST_DOCUMENT_NOT_RECOGNIZED', message: `${name}: ${problem}`, file: name };
    else store.add(doc, undefined, name, 1, doc.resourceType as string);
  }
}

export const readFhirExport: SourceReader = async function* readFhirExport(files, options) {
  const store = new ResourceStore(mkdtempSync(join(tmpdir(), 'nightcode-fhir-')));
  try {
    for (const f of files) yield* loadFile(store, f.path, f.name, options.maxBytes);
    store.index();
    for (const e of store.encounters()) yield { ...encounterRows(store, e, options.timeZone), file: e.file };
  } finally {
    store.close();
  }
};
