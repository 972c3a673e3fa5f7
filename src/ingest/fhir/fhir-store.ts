import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ownerOnlyFile } from '../../store/private-file.js';

/**
 * The resources of a FHIR export, loaded into a temporary SQLite file so a 1 GB export
 * joins in bounded memory: by id and fullUrl, by the encounter and patient they reference.
 */
export type Json = Record<string, unknown>;

export const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : v && typeof v === 'object' ? [v as Json] : []);
export const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/**
 * "Patient/123", ".../fhir/Patient/123/_history/2", "urn:uuid:…" and conditional references
 * (`Patient?identifier=system|value`, FHIR R4 3.1.0.1.3 / 3.2.1.5.13) as one key form each.
 */
export function refKey(reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  if (reference.startsWith('urn:')) return reference;
  const conditional = /^(?:.*\/)?([A-Z][A-Za-z]+)\?(.*)$/.exec(reference);
  if (conditional) {
    const id = identifierParam(conditional[2]!);
    return id ? identifierKey(conditional[1]!, id.system, id.value) : reference;
  }
  const m = /([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return m ? `${m[1]}/${m[2]}` : reference;
}

/** The `identifier=[system|]value` search parameter of a conditional reference. */
export function identifierParam(query: string): { system?: string; value: string } | undefined {
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq) !== 'identifier') continue;
    let raw: string;
    try {
      raw = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
    const bar = raw.indexOf('|');
    if (bar < 0) return raw ? { value: raw } : undefined;
    const value = raw.slice(bar + 1);
    return value ? { system: raw.slice(0, bar) || undefined, value } : undefined;
  }
  return undefined;
}

/** The key a resource's identifier answers to: `Patient?identifier=system|value` (or without a system). */
export function identifierKey(type: string, system: string | undefined, value: string): string {
  return `${type}?identifier=${system ? `${system}|` : ''}${value}`;
}

/** Every key a resource answers to: its id, its fullUrl, each identifier with and without its system. */
export function keysOf(r: Json, fullUrl?: string | null): string[] {
  const type = str(r.resourceType) ?? '';
  const keys = [...(str(r.id) ? [`${type}/${str(r.id)}`] : []), ...(fullUrl ? [fullUrl] : [])];
  for (const i of arr(r.identifier)) {
    const value = str(i.value);
    if (!value) continue;
    const system = str(i.system);
    if (system) keys.push(identifierKey(type, system, value));
    keys.push(identifierKey(type, undefined, value));
  }
  return keys;
}

/**
 * A reference inside a resource: a contained resource (`#id`, FHIR R4 2.26.0.8) is looked up
 * in its container; any other through the store.
 */
export function resolveRef(store: ResourceStore, container: Json | undefined, reference: string | undefined, containerPath = ''): { json: Json; path: string; contained?: true } | undefined {
  if (!reference) return undefined;
  if (reference.startsWith('#')) {
    const i = arr(container?.contained).findIndex((c) => str(c.id) === reference.slice(1));
    return i >= 0 ? { json: arr(container!.contained)[i]!, path: `${containerPath}.contained[${i}]`, contained: true } : undefined;
  }
  return store.byRef(refKey(reference));
}

export class ResourceStore {
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertIdent: Database.Statement;
  private pending: [unknown[], string[]][] = [];

  constructor(readonly dir: string) {
    ownerOnlyFile(join(dir, 'resources.db'));
    this.db = new Database(join(dir, 'resources.db'));
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(`CREATE TABLE res (n INTEGER PRIMARY KEY, type TEXT NOT NULL, ref TEXT, full TEXT, enc TEXT, pat TEXT, file TEXT NOT NULL, line INTEGER NOT NULL, path TEXT NOT NULL, json TEXT NOT NULL);
      CREATE TABLE ident (key TEXT NOT NULL, n INTEGER NOT NULL);`);
    this.insert = this.db.prepare('INSERT INTO res (type, ref, full, enc, pat, file, line, path, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertIdent = this.db.prepare('INSERT INTO ident (key, n) VALUES (?, ?)');
  }

  add(r: Json, fullUrl: string | undefined, file: string, line: number, path: string): void {
    const type = str(r.resourceType)!;
    const id = str(r.id);
    const encRef = refKey(str(obj(r.encounter)?.reference) ?? str(arr(obj(r.context)?.encounter)[0]?.reference)
      ?? str(arr(arr(r.item)[0]?.encounter)[0]?.reference));
    const patRef = refKey(str(obj(r.subject)?.reference) ?? str(obj(r.beneficiary)?.reference) ?? str(obj(r.patient)?.reference));
    // Identifiers answer conditional references (`Practitioner?identifier=…`).
    const idents = keysOf(r).filter((k) => k.includes('?identifier='));
    this.pending.push([[type, id ? `${type}/${id}` : null, fullUrl ?? null, encRef ?? null, patRef ?? null, file, line, path, JSON.stringify(r)], idents]);
    if (this.pending.length >= 2000) this.flush();
  }

  flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const [row, idents] of batch) {
        const n = this.insert.run(...row).lastInsertRowid;
        for (const key of idents) this.insertIdent.run(key, n);
      }
    })();
  }

  index(): void {
    this.flush();
    this.db.exec('CREATE INDEX res_ref ON res (ref); CREATE INDEX res_full ON res (full); CREATE INDEX res_enc ON res (enc); CREATE INDEX res_pat ON res (pat, type); CREATE INDEX ident_key ON ident (key);');
  }

  byRef(key: string | undefined): { json: Json; path: string; file: string; line: number } | undefined {
    if (!key) return undefined;
    const row = (key.includes('?identifier=')
      ? this.db.prepare('SELECT json, path, file, line FROM res WHERE n = (SELECT min(n) FROM ident WHERE key = ?)').get(key)
      : this.db.prepare('SELECT json, path, file, line FROM res WHERE ref = ? OR full = ? LIMIT 1').get(key, key)) as { json: string; path: string; file: string; line: number } | undefined;
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
