import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedPipeline } from '../../config/load.js';
import { FILE_ROLES, REQUIRED_FIELDS, type FileRole } from '../../config/schema.js';
import { NightcodeError } from '../../contract/errors.js';
import type { Encounter } from '../../contract/types.js';
import { assembleEncounter } from '../assemble-encounter.js';
import { StagingStore } from '../staging.js';
import { groupColumns, groupRepetitions } from './csv-file-rows.js';
import { findExportFiles, readHeader, stageCsvExport } from './stage-csv.js';

/**
 * How an export reads through its mapping, for the person writing the mapping: per role,
 * the files matched and the columns mapped, missing and left unused; the values the value
 * tables do not know; the rows that would be quarantined; and the first encounters as the
 * run would assemble them. Reads the whole export into a private staging file that is
 * deleted afterwards; writes nothing else.
 */
export interface MappingCheck {
  pipeline: string;
  input: string;
  ok: boolean;
  /** Problems that would stop a run (missing files or columns). */
  problems: string[];
  roles: {
    role: FileRole;
    pattern: string;
    files: string[];
    mapped: { field: string; column: string; present: boolean; required: boolean }[];
    groups: { role: string; columns: string[]; repetitions: number; missing: string[] }[];
    /** Columns in the files that no field or group reads. */
    unused: string[];
  }[];
  rows: { role: string; file: string; rows: number; staged: number; rejected: number }[];
  /** Quarantined rows by code, with the first of each. */
  rejects: { code: string; rows: number; first: { file: string; line: number; message: string } }[];
  /** Values of coded columns that are not in the mapping's value tables (or NUBC / X12 codes). */
  valueMisses: { field: string; value: string; records: number }[];
  /** Other problems assembling records (unreadable dates, numbers …) by code. */
  recordIssues: { code: string; records: number; first: string }[];
  records: ReturnType<typeof preview>[];
}

/** An encounter as the run reads it, without note text (its length only). */
function preview(e: Encounter) {
  return {
    key: `${e.key.source}/${e.key.encounterId}`, kind: e.kind, patient: { id: e.patient.id, birthDate: e.patient.birthDate, sex: e.patient.sex },
    coverage: e.coverage, providers: e.providers,
    dates: { service: e.serviceDate, admission: e.admissionDate, discharge: e.dischargeDate },
    placeOfService: e.placeOfService, facilityType: e.facilityType, institutional: e.institutional, claimFilingIndicator: e.claimFilingIndicator,
    diagnoses: e.diagnoses.map((d) => `${d.code}${d.poa ? ` POA ${d.poa}` : ''}${d.type ? ` (${d.type})` : ''} [${d.source.path ?? `line ${d.source.line}`}]`),
    procedures: (e.procedures ?? []).map((p) => `${p.code}${p.date ? ` on ${p.date}` : ''}`),
    charges: e.charges.map((c) => `${c.line}: ${c.revenueCode ?? ''} ${c.code ?? ''} ×${c.units} ${c.charge.toFixed(2)}${c.diagnosisRefs ? ` → ${c.diagnosisRefs.join(',')}` : ''}`),
    notes: e.notes.map((n) => `${n.type} (${n.text.length} characters)`),
    issues: e.issues.map((i) => `${i.code}: ${i.message}`),
  };
}

export async function checkMapping(pipeline: LoadedPipeline, inputDir: string, options: { records?: number } = {}): Promise<MappingCheck> {
  const mapping = pipeline.mapping;
  const out: MappingCheck = {
    pipeline: pipeline.def.name, input: inputDir, ok: true, problems: [], roles: [], rows: [], rejects: [], valueMisses: [], recordIssues: [], records: [],
  };
  let files: ReturnType<typeof findExportFiles> = [];
  try {
    files = findExportFiles(inputDir, mapping);
  } catch (err) {
    if (!(err instanceof NightcodeError)) throw err;
    out.problems.push(err.message);
  }
  for (const role of FILE_ROLES) {
    const spec = mapping.files[role];
    if (!spec) continue;
    const mine = files.filter((f) => f.role === role);
    const headers = new Set<string>();
    for (const f of mine) for (const h of await readHeader(f, mapping)) headers.add(h);
    const required = REQUIRED_FIELDS[role] as readonly string[];
    const mapped = Object.entries(spec.columns).filter((e): e is [string, string] => e[1] !== undefined)
      .map(([field, column]) => ({ field, column, present: mine.length > 0 && headers.has(column), required: required.includes(field) }));
    const groups = spec.groups.map((g) => {
      const columns = groupRepetitions(g).flatMap((n) => Object.values(groupColumns(g, n)));
      return { role: g.role, columns: [...new Set(Object.values(g.columns))], repetitions: groupRepetitions(g).length, missing: mine.length > 0 ? columns.filter((c) => !headers.has(c)) : [] };
    });
    const read = new Set([...mapped.map((m) => m.column), ...spec.groups.flatMap((g) => groupRepetitions(g).flatMap((n) => Object.values(groupColumns(g, n))))]);
    out.roles.push({ role, pattern: spec.pattern, files: mine.map((f) => f.name), mapped, groups, unused: [...headers].filter((h) => !read.has(h)) });
    for (const m of mapped) if (mine.length > 0 && !m.present) out.problems.push(`${role}: ${m.required ? 'required' : 'mapped'} column "${m.column}" (${m.field}) is not in ${mine.map((f) => f.name).join(', ')}`);
    for (const g of groups) if (g.missing.length > 0) out.problems.push(`${role}: ${g.role} group column(s) ${g.missing.slice(0, 6).join(', ')}${g.missing.length > 6 ? ' …' : ''} not in the file`);
    for (const field of required) if (!(field in spec.columns)) out.problems.push(`${role}: the mapping names no column for required field ${field}`);
  }
  if (out.problems.length > 0) {
    out.ok = false;
    return out;
  }

  const dir = mkdtempSync(join(tmpdir(), 'nightcode-mapping-check-'));
  const store = new StagingStore(join(dir, 'staging.sqlite'), { create: true });
  try {
    const report = await stageCsvExport({ dir: inputDir, mapping, store });
    out.rows = report.files.map((f) => ({ role: f.role, file: f.file, rows: f.rows, staged: f.staged, rejected: f.rejected }));
    const rejects = new Map<string, MappingCheck['rejects'][number]>();
    for (const r of store.rejects()) {
      const x = rejects.get(r.code) ?? { code: r.code, rows: 0, first: { file: r.file, line: r.line, message: r.message } };
      x.rows++;
      rejects.set(r.code, x);
    }
    out.rejects = [...rejects.values()];
    const misses = new Map<string, MappingCheck['valueMisses'][number]>();
    const issues = new Map<string, MappingCheck['recordIssues'][number]>();
    const want = options.records ?? 3;
    for (let after = 0; ;) {
      const chunk = store.readChunk(after, 500);
      if (chunk.length === 0) break;
      after = chunk[chunk.length - 1]!.staged.seq;
      for (const bundle of chunk) {
        const r = assembleEncounter(bundle, { sourceSystem: pipeline.def.sourceSystem, defaultKind: pipeline.def.defaultKind, mapping });
        const found = r.ok ? r.encounter.issues : r.issues;
        for (const i of found) {
          const m = /^(.+?) "(.*)" is (?:not in|neither)/.exec(i.message);
          if (i.code === 'INGEST_INVALID_VALUE' && m) {
            const key = `${m[1]}\u0000${m[2]}`;
            const x = misses.get(key) ?? { field: m[1]!, value: m[2]!, records: 0 };
            x.records++;
            misses.set(key, x);
          } else {
            const x = issues.get(i.code) ?? { code: i.code, records: 0, first: i.message };
            x.records++;
            issues.set(i.code, x);
          }
        }
        if (r.ok && out.records.length < want) out.records.push(preview(r.encounter));
      }
    }
    out.valueMisses = [...misses.values()].sort((a, b) => b.records - a.records);
    out.recordIssues = [...issues.values()].sort((a, b) => b.records - a.records);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  out.ok = out.valueMisses.length === 0;
  return out;
}
