import Database from 'better-sqlite3';
import { createReadStream } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { ownerOnlyFile } from '../../store/private-file.js';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DocumentResult, DocumentRows, RowData, SourceReader } from '../documents/document-rows.js';
import { decodeDocumentBytes } from '../documents/decode.js';
import { jsonDepth, jsonErrorPosition, lineAt, MAX_JSON_DEPTH, resourceProblem } from './fhir-json.js';

/**
 * FHIR R4 exports into canonical rows, one record per Encounter: Bundles (JSON) and Bulk
 * Data NDJSON (one resource per line, streamed). Resources are loaded into a temporary
 * SQLite file first, so a 1 GB export joins in bounded memory: Patient and Coverage by the
 * encounter's subject, Practitioner and Organization NPIs by reference, Condition,
 * Procedure, DocumentReference, Composition and Claim by their encounter reference.
 * Element names from FHIR R4 (4.0.1); code system URIs from terminology.hl7.org.
 */
type Json = Record<string, unknown>;

/** Code system URIs → ours. */
const SYSTEMS: Record<string, string> = {
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10-CM',
  'http://www.cms.gov/Medicare/Coding/ICD10': 'ICD-10-PCS',
  'http://snomed.info/sct': 'SNOMED-CT',
  'http://www.ama-assn.org/go/cpt': 'CPT',
  'urn:oid:2.16.840.1.113883.6.285': 'HCPCS',
  'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets': 'HCPCS',
  'http://loinc.org': 'LOINC',
};
const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
/** The elements of a Bundle (FHIR R4 4.0.1, Resource and Bundle). */
const BUNDLE_ELEMENTS = new Set(['resourceType', 'id', 'meta', 'implicitRules', 'language', 'identifier', 'type', 'timestamp', 'total', 'link', 'entry', 'signature']);
/** v3 ActCode encounter classes billed on an institutional claim. */
const INPATIENT = new Set(['IMP', 'ACUTE', 'NONAC', 'SS']);
const GENDER: Record<string, string> = { male: 'M', female: 'F', other: 'U', unknown: 'U' };
/** Coverage.relationship (subscriber-relationship code system) → X12 1069. */
const RELATIONSHIP: Record<string, string> = { self: '18', spouse: '01', child: '19', other: 'G8', common: '01', injured: 'G8', parent: 'G8' };

const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : v && typeof v === 'object' ? [v as Json] : []);
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const date = (v: unknown): string | undefined => str(v)?.match(/^\d{4}-\d{2}-\d{2}/)?.[0];

/** "Patient/123", ".../fhir/Patient/123/_history/2" and "urn:uuid:…" as one key form. */
export function refKey(reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  if (reference.startsWith('urn:')) return reference;
  const m = /([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return m ? `${m[1]}/${m[2]}` : reference;
}

function codings(cc: unknown): { code: string; system: string; display?: string }[] {
  const out: { code: string; system: string; display?: string }[] = [];
  for (const c of arr(obj(cc)?.coding)) {
    const system = SYSTEMS[str(c.system) ?? ''];
    const code = str(c.code);
    if (system && code) out.push({ code, system, ...(str(c.display) ? { display: str(c.display)! } : {}) });
  }
  return out;
}

function npiOf(resource: Json | undefined): string | undefined {
  return str(arr(resource?.identifier).find((i) => str(i.system) === NPI_SYSTEM)?.value);
}

/** Text of an XHTML narrative div: tags dropped, block ends as line breaks, entities decoded. */
export function xhtmlText(div: string): string {
  return div
    .replace(/<(?:br|\/p|\/div|\/li|\/tr|\/h\d)\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&')
    .split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n');
}

class ResourceStore {
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private pending: unknown[][] = [];

  constructor(readonly dir: string) {
    ownerOnlyFile(join(dir, 'resources.db'));
    this.db = new Database(join(dir, 'resources.db'));
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec('CREATE TABLE res (n INTEGER PRIMARY KEY, type TEXT NOT NULL, ref TEXT, full TEXT, enc TEXT, pat TEXT, file TEXT NOT NULL, line INTEGER NOT NULL, path TEXT NOT NULL, json TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT INTO res (type, ref, full, enc, pat, file, line, path, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  }

  add(r: Json, fullUrl: string | undefined, file: string, line: number, path: string): void {
    const type = str(r.resourceType)!;
    const id = str(r.id);
    const encRef = refKey(str(obj(r.encounter)?.reference) ?? str(arr(obj(r.context)?.encounter)[0]?.reference)
      ?? str(arr(arr(r.item)[0]?.encounter)[0]?.reference));
    const patRef = refKey(str(obj(r.subject)?.reference) ?? str(obj(r.beneficiary)?.reference) ?? str(obj(r.patient)?.reference));
    this.pending.push([type, id ? `${type}/${id}` : null, fullUrl ?? null, encRef ?? null, patRef ?? null, file, line, path, JSON.stringify(r)]);
    if (this.pending.length >= 2000) this.flush();
  }

  flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const row of batch) this.insert.run(...row);
    })();
  }

  index(): void {
    this.flush();
    this.db.exec('CREATE INDEX res_ref ON res (ref); CREATE INDEX res_full ON res (full); CREATE INDEX res_enc ON res (enc); CREATE INDEX res_pat ON res (pat, type);');
  }

  byRef(key: string | undefined): { json: Json; path: string; file: string; line: number } | undefined {
    if (!key) return undefined;
    const row = this.db.prepare('SELECT json, path, file, line FROM res WHERE ref = ? OR full = ? LIMIT 1').get(key, key) as { json: string; path: string; file: string; line: number } | undefined;
    return row ? { ...row, json: JSON.parse(row.json) as Json } : undefined;
  }

  /** Resources pointing at an encounter by either of its keys. */
  forEncounter(keys: string[]): { type: string; json: Json; path: string; file: string; line: number }[] {
    const rows = this.db.prepare(`SELECT type, json, path, file, line FROM res WHERE enc IN (${keys.map(() => '?').join(',')}) ORDER BY n`).all(...keys) as { type: string; json: string; path: string; file: string; line: number }[];
    return rows.map((r) => ({ ...r, json: JSON.parse(r.json) as Json }));
  }

  coverageFor(keys: string[]): { json: Json; path: string } | undefined {
    const rows = this.db.prepare(`SELECT json, path FROM res WHERE type = 'Coverage' AND pat IN (${keys.map(() => '?').join(',')}) ORDER BY n`).all(...keys) as { json: string; path: string }[];
    const all = rows.map((r) => ({ json: JSON.parse(r.json) as Json, path: r.path }));
    return all.find((c) => str(c.json.status) === 'active') ?? all[0];
  }

  *encounters(): IterableIterator<{ json: Json; full: string | null; file: string; line: number; path: string }> {
    for (const row of this.db.prepare("SELECT json, full, file, line, path FROM res WHERE type = 'Encounter' ORDER BY n").iterate() as IterableIterator<{ json: string; full: string | null; file: string; line: number; path: string }>) {
      yield { ...row, json: JSON.parse(row.json) as Json };
    }
  }

  close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function* loadFile(store: ResourceStore, path: string, name: string, maxBytes: number): AsyncGenerator<DocumentResult & { file: string }> {
  if (/\.ndjson$/i.test(name)) {
    // Bulk Data: one resource per line, streamed; a bad or truncated line is refused alone.
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let n = 0;
    for await (const raw of lines) {
      n++;
      if (raw.trim() === '') continue;
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
        yield { ok: false, line: n, code: 'INGEST_DOCUMENT_NOT_RECOGNIZED', message: `${name} line ${n}: ${problem}`, file: name };
        continue;
      }
      store.add(r as Json, undefined, name, n, `${name}:${n}`);
    }
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

/** One encounter with everything that references it. */
function encounterRows(store: ResourceStore, e: { json: Json; full: string | null; file: string; line: number; path: string }): DocumentResult {
  const enc = e.json;
  const keys = [`Encounter/${str(enc.id) ?? ''}`, ...(e.full ? [e.full] : [])];
  const encounterId = str(arr(enc.identifier)[0]?.value) ?? str(enc.id) ?? e.path;
  const patient = store.byRef(refKey(str(obj(enc.subject)?.reference)));
  if (!patient) {
    return { ok: false, line: e.line, code: 'INGEST_REQUIRED_FIELD_MISSING', message: `${e.file} ${e.path}: Encounter ${encounterId} has no subject Patient in the export`, encounterId };
  }
  const p = patient.json;
  const patientId = str(arr(p.identifier).find((i) => arr(obj(i.type)?.coding).some((c) => str(c.code) === 'MR'))?.value) ?? str(arr(p.identifier)[0]?.value) ?? str(p.id)!;
  const data: RowData = { $canonical: '1', $path: `${e.file} ${e.path}`, encounterId, patientId };
  const set = (name: string, value: string | undefined, path: string) => {
    if (!value) return;
    data[name] = value;
    data[`$path.${name}`] = path;
  };
  const period = obj(enc.period);
  set('serviceDate', date(period?.start), `${e.path}.period.start`);
  // cancelled and entered-in-error withdraw the encounter (mapping values.encounterStatus).
  set('status', str(enc.status), `${e.path}.status`);
  const cls = str(obj(enc.class)?.code);
  if (cls && INPATIENT.has(cls)) {
    set('kind', 'institutional', `${e.path}.class`);
    set('admissionDate', date(period?.start), `${e.path}.period.start`);
    set('dischargeDate', date(period?.end), `${e.path}.period.end`);
  } else if (cls) {
    set('kind', 'professional', `${e.path}.class`);
  }
  arr(enc.participant).forEach((part, i) => {
    const npi = npiOf(store.byRef(refKey(str(obj(part.individual)?.reference)))?.json);
    const types = arr(part.type).flatMap((t) => arr(t.coding)).map((c) => str(c.code));
    if (types.includes('ATND')) set('attendingNpi', npi, `${e.path}.participant[${i}]`);
    if (!data.renderingNpi || types.includes('PPRF')) set('renderingNpi', npi, `${e.path}.participant[${i}]`);
  });
  set('billingNpi', npiOf(store.byRef(refKey(str(obj(enc.serviceProvider)?.reference)))?.json), `${e.path}.serviceProvider`);

  const name = arr(p.name)[0];
  set('lastName', str(name?.family), `${patient.path}.name`);
  set('firstName', arr(name?.given).map((g) => String(g)).join(' ') || undefined, `${patient.path}.name`);
  set('birthDate', date(p.birthDate), `${patient.path}.birthDate`);
  set('sex', GENDER[str(p.gender) ?? ''], `${patient.path}.gender`);
  const addr = arr(p.address)[0];
  set('addressLine1', str(arr(addr?.line)[0]), `${patient.path}.address`);
  set('city', str(addr?.city), `${patient.path}.address`);
  set('state', str(addr?.state), `${patient.path}.address`);
  set('zip', str(addr?.postalCode), `${patient.path}.address`);
  const patientKeys = [`Patient/${str(p.id) ?? ''}`, ...(refKey(str(obj(enc.subject)?.reference)) ? [refKey(str(obj(enc.subject)?.reference))!] : [])];
  const coverage = store.coverageFor(patientKeys);
  if (coverage) {
    const c = coverage.json;
    const payor = arr(c.payor)[0];
    const org = store.byRef(refKey(str(payor?.reference)))?.json;
    set('payerId', str(obj(payor?.identifier)?.value) ?? str(arr(org?.identifier)[0]?.value), `${coverage.path}.payor`);
    set('payerName', str(payor?.display) ?? str(org?.name), `${coverage.path}.payor`);
    set('memberId', str(c.subscriberId) ?? str(arr(c.identifier)[0]?.value), `${coverage.path}.subscriberId`);
    set('relationship', RELATIONSHIP[str(arr(obj(c.relationship)?.coding)[0]?.code) ?? ''], `${coverage.path}.relationship`);
  }

  const children: DocumentRows['children'] = [];
  const linked = store.forEncounter(keys);
  const claimCodes = new Set<string>();
  for (const r of linked.filter((x) => x.type === 'Claim')) {
    arr(r.json.item).forEach((item, i) => {
      const c = codings(item.productOrService)[0];
      if (!c) return;
      claimCodes.add(c.code);
      const qty = str(obj(item.quantity)?.value) ?? '1';
      const net = str(obj(item.net)?.value) ?? (str(obj(item.unitPrice)?.value) ? String(Number(str(obj(item.unitPrice)?.value)) * Number(qty)) : undefined);
      const modifiers = arr(item.modifier).flatMap((m) => arr(m.coding)).map((m) => str(m.code)).filter(Boolean).join('|');
      children.push({ role: 'charges', file: r.file, line: r.line, data: {
        encounterId, code: c.code, codeSystem: c.system, units: qty, ...(net ? { charge: net } : {}), line: String(item.sequence ?? i + 1),
        ...(date(item.servicedDate) ? { serviceDate: date(item.servicedDate)! } : {}), ...(modifiers ? { modifiers } : {}), $path: `${r.path}.item[${i}]`,
      } });
    });
    arr(r.json.diagnosis).forEach((d, i) => {
      for (const c of codings(d.diagnosisCodeableConcept)) {
        children.push({ role: 'diagnoses', file: r.file, line: r.line, data: { encounterId, code: c.code, codeSystem: c.system, sequence: String(d.sequence ?? i + 1), $path: `${r.path}.diagnosis[${i}]` } });
      }
    });
  }
  for (const r of linked) {
    const j = r.json;
    if (r.type === 'Condition') {
      const verification = arr(obj(j.verificationStatus)?.coding).map((c) => str(c.code))[0];
      const clinical = arr(obj(j.clinicalStatus)?.coding).map((c) => str(c.code))[0];
      let status = 'active';
      if (clinical === 'resolved' || clinical === 'inactive' || clinical === 'remission') status = 'resolved';
      if (verification === 'unconfirmed' || verification === 'provisional' || verification === 'differential') status = 'uncertain';
      if (verification === 'refuted' || verification === 'entered-in-error') status = verification;
      for (const c of codings(j.code)) {
        children.push({ role: 'diagnoses', file: r.file, line: r.line, data: { encounterId, code: c.code, codeSystem: c.system, status, ...(c.display ? { description: c.display } : {}), $path: `${r.path}.code` } });
      }
    } else if (r.type === 'Procedure') {
      if (str(j.status) === 'not-done' || str(j.status) === 'entered-in-error') continue;
      for (const c of codings(j.code)) {
        const when = date(j.performedDateTime) ?? date(obj(j.performedPeriod)?.start);
        if (c.system === 'CPT' || c.system === 'HCPCS') {
          if (claimCodes.has(c.code)) continue; // billed by the Claim with its charge
          children.push({ role: 'charges', file: r.file, line: r.line, data: { encounterId, code: c.code, codeSystem: c.system, ...(when ? { serviceDate: when } : {}), $path: `${r.path}.code` } });
        } else if (c.system === 'ICD-10-PCS') {
          children.push({ role: 'diagnoses', file: r.file, line: r.line, data: { encounterId, code: c.code, codeSystem: c.system, $path: `${r.path}.code` } });
        }
      }
    } else if (r.type === 'DocumentReference') {
      if (str(j.status) === 'entered-in-error') continue;
      arr(j.content).forEach((content, i) => {
        const att = obj(content.attachment);
        const raw = str(att?.data);
        if (!raw) return;
        const decoded = Buffer.from(raw, 'base64').toString('utf8');
        const text = /html|xml/i.test(str(att?.contentType) ?? '') ? xhtmlText(decoded) : decoded;
        if (!text.trim()) return;
        children.push({ role: 'notes', file: r.file, line: r.line, data: {
          encounterId, noteId: `${str(j.id) ?? r.path}-${i}`, noteType: str(obj(j.type)?.text) ?? str(arr(obj(j.type)?.coding)[0]?.display) ?? 'note', text, $path: `${r.path}.content[${i}].attachment.data`,
        } });
      });
    } else if (r.type === 'Composition') {
      const parts = arr(j.section).map((s) => {
        const div = str(obj(s.text)?.div);
        return div ? `${str(s.title) ?? 'Section'}:\n${xhtmlText(div)}` : '';
      }).filter(Boolean);
      if (parts.length > 0) {
        children.push({ role: 'notes', file: r.file, line: r.line, data: { encounterId, noteId: str(j.id) ?? r.path, noteType: str(j.title) ?? 'composition', text: parts.join('\n'), $path: `${r.path}.section` } });
      }
    }
  }
  return { ok: true, line: e.line, rows: { encounter: { encounterId, patientId, data }, children } };
}

export const readFhirExport: SourceReader = async function* readFhirExport(files, options) {
  const store = new ResourceStore(mkdtempSync(join(tmpdir(), 'nightcode-fhir-')));
  try {
    for (const f of files) yield* loadFile(store, f.path, f.name, options.maxBytes);
    store.index();
    for (const e of store.encounters()) yield { ...encounterRows(store, e), file: e.file };
  } finally {
    store.close();
  }
};
