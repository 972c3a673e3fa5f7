import type { ClaimRecord } from '../emit/claims/claim-record.js';
import { isIsoDate } from '../run/business-date.js';
import { npiProblem } from '../validate/edits/npi.js';

/**
 * Answers that change one thing on a held claim (a worklist row or a finding's row):
 * a code added, removed or replaced, a modifier added or removed, a line's diagnosis
 * pointers set, or one claim field set. Parsed from the `action`, `target` and `codes`
 * cells of a resolutions file; applied to the claim as answered so far. Pure functions:
 * the checks against the code sets and the edits come after (apply-resolutions.ts).
 */
export const EDIT_ACTIONS = ['add-code', 'remove-code', 'replace-code', 'add-modifier', 'remove-modifier', 'set-pointers', 'set-field'] as const;
export type EditAction = (typeof EDIT_ACTIONS)[number];

/** A code of a claim: an ICD-10-CM diagnosis, a CPT/HCPCS service-line code (with modifiers) or an ICD-10-PCS procedure. */
export interface CodeRef {
  kind: 'dx' | 'px' | 'pcs';
  code: string;
  modifiers: string[];
}

/** Claim fields a person may set, by the column name staff write in `target`. */
export const CLAIM_FIELDS = {
  place_of_service: 'place of service (837P CLM05-1), two digits',
  facility_type: 'type of bill (837I CLM05), three digits',
  billing_npi: 'billing provider NPI',
  rendering_npi: 'rendering provider NPI',
  attending_npi: 'attending provider NPI',
  member_id: "subscriber's member id",
  payer_id: 'payer id',
  service_date: 'date of service, YYYY-MM-DD',
  admission_date: 'admission date, YYYY-MM-DD',
  discharge_date: 'discharge date, YYYY-MM-DD',
  discharge_status: 'patient discharge status (NUBC, two digits)',
  patient_sex: "patient's sex: F, M or U",
  patient_birth_date: "patient's birth date, YYYY-MM-DD",
} as const;
export type ClaimField = keyof typeof CLAIM_FIELDS;

export type ClaimEdit =
  | { kind: 'add-code'; codes: CodeRef[]; position?: number }
  | { kind: 'remove-code'; codes: CodeRef[] }
  | { kind: 'replace-code'; from: CodeRef; to: CodeRef }
  | { kind: 'add-modifier' | 'remove-modifier'; line: number; modifiers: string[] }
  | { kind: 'set-pointers'; line: number; pointers: number[] }
  | { kind: 'set-field'; field: ClaimField; value: string };

const ICD10CM = /^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/;
const CPT = /^\d{4}[0-9A-Z]$/;
const HCPCS = /^[A-V]\d{4}$/;
const PCS = /^[0-9A-HJ-NP-Z]{7}$/;
const MODIFIER = /^[0-9A-Z]{2}$/;

/**
 * One code as staff write it: ICD-10-CM with its dot or three characters, CPT/HCPCS with
 * modifiers after hyphens, ICD-10-PCS seven characters; a prefix (`dx:`, `px:`, `pcs:`)
 * names the kind when the shape does not. Returns the code or the problem.
 */
export function readCode(token: string): CodeRef | string {
  const upper = token.toUpperCase();
  const m = /^(DX|PX|PCS):(.+)$/.exec(upper);
  const kind = m?.[1];
  const body = m?.[2] ?? upper;
  if ((kind === 'DX' || (!kind && (body.includes('.') || body.length === 3))) && ICD10CM.test(body)) return { kind: 'dx', code: body, modifiers: [] };
  if (kind === 'DX') return `"${token}" is not an ICD-10-CM code (write it with its dot, as in E11.9)`;
  if (kind === 'PCS' || (!kind && body.length === 7)) {
    if (!PCS.test(body)) return `"${token}" is not an ICD-10-PCS code (seven characters, no I or O)`;
    return { kind: 'pcs', code: body, modifiers: [] };
  }
  const [code, ...modifiers] = body.split('-');
  if (code && (CPT.test(code) || HCPCS.test(code)) && modifiers.every((x) => MODIFIER.test(x))) return { kind: 'px', code, modifiers };
  return `"${token}" is not a code nightcode can read: ICD-10-CM with its dot (E11.9), CPT or HCPCS with modifiers after hyphens (99213-25), or ICD-10-PCS (0DTJ4ZZ)`;
}

const tokensOf = (text: string) => text.split(/[\s,;|]+/).filter(Boolean);

function lineNumber(target: string, action: string): number | string {
  const m = /^(?:line\s*)?(\d{1,3})$/i.exec(target.trim());
  return m ? Number(m[1]) : `${action} needs the service line in target (a line number, as in "1" or "line 2"), not "${target}"`;
}

/**
 * Reads an edit answer from its cells. `target` says where: the service line (modifiers,
 * pointers), the claim field (set-field), or the position a diagnosis is added at
 * (add-code, optional). `codes` says what: codes, modifiers, pointers or the field's value.
 */
export function parseEdit(action: EditAction, target: string, codes: string): ClaimEdit | string {
  const words = tokensOf(codes);
  switch (action) {
    case 'add-code':
    case 'remove-code': {
      if (words.length === 0) return `${action} needs the code(s) in codes (for example "E11.9")`;
      const refs: CodeRef[] = [];
      for (const w of words) {
        const c = readCode(w);
        if (typeof c === 'string') return c;
        refs.push(c);
      }
      if (action === 'remove-code') return { kind: action, codes: refs };
      if (refs.some((r) => r.kind === 'px')) return 'add-code cannot add a CPT/HCPCS service line (a line needs a charge and units): bill it in the source system, or replace-code an existing line';
      if (!target.trim()) return { kind: action, codes: refs };
      const position = /^\d{1,2}$/.test(target.trim()) ? Number(target.trim()) : NaN;
      if (!(position >= 1)) return `add-code target is the position to add the diagnosis at (1 = first-listed), not "${target}"`;
      return { kind: action, codes: refs, position };
    }
    case 'replace-code': {
      if (words.length !== 2) return 'replace-code needs two codes in codes: the code on the claim, then the code that replaces it (as in "E11.9 E11.65")';
      const from = readCode(words[0]!);
      if (typeof from === 'string') return from;
      const to = readCode(words[1]!);
      if (typeof to === 'string') return to;
      if (from.kind !== to.kind) return `replace-code replaces a code with one of its kind: ${from.code} and ${to.code} are not`;
      return { kind: action, from, to };
    }
    case 'add-modifier':
    case 'remove-modifier': {
      const line = lineNumber(target, action);
      if (typeof line === 'string') return line;
      const modifiers = words.map((w) => w.toUpperCase());
      if (modifiers.length === 0 || modifiers.some((x) => !MODIFIER.test(x))) return `${action} needs modifiers of two letters or digits in codes (as in "25"), not "${codes}"`;
      return { kind: action, line, modifiers };
    }
    case 'set-pointers': {
      const line = lineNumber(target, action);
      if (typeof line === 'string') return line;
      const pointers = words.map(Number);
      if (pointers.length === 0 || pointers.length > 4 || pointers.some((p) => !Number.isInteger(p) || p < 1 || p > 12)) {
        return `set-pointers needs one to four diagnosis positions (1-12) in codes, as in "1 3", not "${codes}"`;
      }
      return { kind: action, line, pointers };
    }
    case 'set-field': {
      const field = target.trim().toLowerCase().replace(/[\s-]+/g, '_');
      if (!(field in CLAIM_FIELDS)) return `set-field target must name a claim field: ${Object.keys(CLAIM_FIELDS).join(', ')} (not "${target}")`;
      const value = codes.trim();
      const problem = fieldProblem(field as ClaimField, value);
      return problem ?? { kind: action, field: field as ClaimField, value: normalizeField(field as ClaimField, value) };
    }
  }
}

function normalizeField(field: ClaimField, value: string): string {
  return field === 'patient_sex' || field === 'member_id' || field === 'payer_id' ? value.toUpperCase() : value;
}

/** The value a field may take; the claim-data edits run on the claim afterwards too. */
function fieldProblem(field: ClaimField, value: string): string | undefined {
  if (!value) return `set-field ${field} needs the value in codes (${CLAIM_FIELDS[field]})`;
  switch (field) {
    case 'place_of_service':
    case 'discharge_status':
      return /^\d{2}$/.test(value) ? undefined : `${field} is ${CLAIM_FIELDS[field]}, not "${value}"`;
    case 'facility_type':
      return /^\d{3}$/.test(value) ? undefined : `${field} is ${CLAIM_FIELDS[field]}, not "${value}"`;
    case 'billing_npi':
    case 'rendering_npi':
    case 'attending_npi': {
      const p = npiProblem(value);
      return p ? `${field} "${value}": ${p}` : undefined;
    }
    case 'member_id':
    case 'payer_id':
      return /^[0-9A-Za-z-]{1,80}$/.test(value) ? undefined : `${field} takes letters, digits and dashes (1-80), not "${value}"`;
    case 'patient_sex':
      return /^[FMU]$/i.test(value) ? undefined : `patient_sex is F, M or U, not "${value}"`;
    default:
      return isIsoDate(value) ? undefined : `${field} is a date YYYY-MM-DD, not "${value}"`;
  }
}

const same = (a: CodeRef, code: string | undefined) => code === a.code;

/** The claim total is the sum of its lines (837 CLM02). */
const total = (lines: ClaimRecord['lines']) => Math.round(lines.reduce((s, l) => s + l.charge, 0) * 100) / 100;

/** Diagnosis pointers point into the first 12 diagnoses (837 SV107 / HI). */
export const DIAGNOSIS_POINTER_LIMIT = 12;

/** Diagnoses renumbered, pointers moved with the codes they point to (a removed code's pointers go). */
function withDiagnoses(claim: ClaimRecord, diagnoses: ClaimRecord['diagnoses']): ClaimRecord {
  const newIndex = new Map<number, number>();
  diagnoses.forEach((d, i) => {
    const old = claim.diagnoses.findIndex((x) => x === d);
    if (old >= 0) newIndex.set(old + 1, i + 1);
  });
  const renumbered = diagnoses.map((d, i) => ({ ...d, sequence: i + 1 }));
  const limit = Math.min(renumbered.length, DIAGNOSIS_POINTER_LIMIT);
  const lines = claim.lines.map((l) => {
    const pointers = [...new Set(l.diagnosisPointers.map((p) => newIndex.get(p)).filter((p): p is number => p !== undefined && p <= limit))];
    return { ...l, diagnosisPointers: pointers.length > 0 ? pointers : limit > 0 ? [1] : [] };
  });
  return { ...claim, diagnoses: renumbered, lines };
}

/**
 * The claim with one edit made, or the problem (a code that is not on the claim, a line
 * that does not exist, a pointer past the diagnoses). `by` names the answer in the codes'
 * rule paths, as a recode does.
 */
export function applyEdit(claim: ClaimRecord, edit: ClaimEdit, by: string): ClaimRecord | string {
  const rulePath = `coder ${edit.kind} (${by})`;
  switch (edit.kind) {
    case 'add-code': {
      let c = claim;
      for (const ref of edit.codes) {
        if (ref.kind === 'dx') {
          if (c.diagnoses.some((d) => d.code === ref.code)) return `${ref.code} is already on the claim`;
          const at = Math.min((edit.position ?? c.diagnoses.length + 1) - 1 + edit.codes.filter((r) => r.kind === 'dx').indexOf(ref), c.diagnoses.length);
          const added = { sequence: 0, code: ref.code, confidence: 1, rulePath };
          c = withDiagnoses(c, [...c.diagnoses.slice(0, at), added, ...c.diagnoses.slice(at)]);
          // The new code is pointed to by no line yet: set-pointers says which lines it supports.
        } else {
          if (c.claimType !== '837I') return `${ref.code}: ICD-10-PCS codes belong on institutional (837I) claims only`;
          const pcs = c.icd10pcs ?? [];
          if (pcs.some((p) => p.code === ref.code)) return `${ref.code} is already on the claim`;
          c = { ...c, icd10pcs: [...pcs, { sequence: pcs.length + 1, code: ref.code, confidence: 1, rulePath }] };
        }
      }
      return c;
    }
    case 'remove-code': {
      let c = claim;
      for (const ref of edit.codes) {
        if (ref.kind === 'dx') {
          const d = c.diagnoses.find((x) => same(ref, x.code));
          if (!d) return `${ref.code} is not on the claim (its diagnoses: ${c.diagnoses.map((x) => x.code).join(' ') || 'none'})`;
          c = withDiagnoses(c, c.diagnoses.filter((x) => x !== d));
        } else if (ref.kind === 'pcs') {
          const pcs = c.icd10pcs ?? [];
          if (!pcs.some((p) => p.code === ref.code)) return `${ref.code} is not on the claim`;
          const rest = pcs.filter((p) => p.code !== ref.code).map((p, i) => ({ ...p, sequence: i + 1 }));
          c = { ...c };
          if (rest.length > 0) c.icd10pcs = rest;
          else delete c.icd10pcs;
        } else {
          const matches = c.lines.filter((l) => l.code === ref.code);
          if (matches.length === 0) return `${ref.code} is on no service line of the claim`;
          if (matches.length > 1) return `${ref.code} is on ${matches.length} service lines: remove one line at a time is not possible by code; correct the lines in the source system`;
          const lines = c.lines.filter((l) => l !== matches[0]).map((l, i) => ({ ...l, line: i + 1 }));
          if (lines.length === 0) return `${ref.code} is the claim's only service line: void the claim instead`;
          c = { ...c, lines, totalCharge: total(lines) };
        }
      }
      return c;
    }
    case 'replace-code': {
      const { from, to } = edit;
      if (from.kind === 'dx') {
        const d = claim.diagnoses.find((x) => x.code === from.code);
        if (!d) return `${from.code} is not on the claim (its diagnoses: ${claim.diagnoses.map((x) => x.code).join(' ') || 'none'})`;
        if (claim.diagnoses.some((x) => x.code === to.code)) return `${to.code} is already on the claim`;
        return { ...claim, diagnoses: claim.diagnoses.map((x) => (x === d ? { sequence: x.sequence, code: to.code, ...(x.poa ? { poa: x.poa } : {}), confidence: 1, rulePath } : x)) };
      }
      if (from.kind === 'pcs') {
        if (!(claim.icd10pcs ?? []).some((p) => p.code === from.code)) return `${from.code} is not on the claim`;
        return { ...claim, icd10pcs: claim.icd10pcs!.map((p) => (p.code === from.code ? { ...p, code: to.code, confidence: 1, rulePath } : p)) };
      }
      const matches = claim.lines.filter((l) => l.code === from.code);
      if (matches.length !== 1) return matches.length === 0 ? `${from.code} is on no service line of the claim` : `${from.code} is on ${matches.length} lines: use recode to give every line's code`;
      return {
        ...claim,
        lines: claim.lines.map((l) => (l === matches[0]
          ? { ...l, code: to.code, system: /^\d/.test(to.code) ? 'CPT' : 'HCPCS', modifiers: to.modifiers.length > 0 || from.modifiers.length > 0 ? to.modifiers : l.modifiers }
          : l)),
      };
    }
    case 'add-modifier':
    case 'remove-modifier': {
      const line = claim.lines.find((l) => l.line === edit.line);
      if (!line) return `the claim has no service line ${edit.line} (it has ${claim.lines.length})`;
      let modifiers = [...line.modifiers];
      for (const m of edit.modifiers) {
        if (edit.kind === 'add-modifier') {
          if (modifiers.includes(m)) return `line ${edit.line} already carries modifier ${m}`;
          if (modifiers.length >= 4) return `line ${edit.line} already carries four modifiers, the most a line takes (837 SV101-3 to -6)`;
          modifiers.push(m);
        } else {
          if (!modifiers.includes(m)) return `line ${edit.line} does not carry modifier ${m} (it carries ${modifiers.join(' ') || 'none'})`;
          modifiers = modifiers.filter((x) => x !== m);
        }
      }
      return { ...claim, lines: claim.lines.map((l) => (l === line ? { ...l, modifiers } : l)) };
    }
    case 'set-pointers': {
      const line = claim.lines.find((l) => l.line === edit.line);
      if (!line) return `the claim has no service line ${edit.line} (it has ${claim.lines.length})`;
      const beyond = edit.pointers.find((p) => p > claim.diagnoses.length);
      if (beyond !== undefined) return `pointer ${beyond} is past the claim's ${claim.diagnoses.length} diagnoses`;
      return { ...claim, lines: claim.lines.map((l) => (l === line ? { ...l, diagnosisPointers: [...new Set(edit.pointers)] } : l)) };
    }
    case 'set-field':
      return setField(claim, edit.field, edit.value);
  }
}

function setField(claim: ClaimRecord, field: ClaimField, value: string): ClaimRecord | string {
  switch (field) {
    case 'place_of_service':
      return claim.claimType === '837P' ? { ...claim, placeOfService: value } : 'place_of_service is on professional (837P) claims; set facility_type on an 837I';
    case 'facility_type':
      return claim.claimType === '837I' ? { ...claim, facilityType: value } : 'facility_type (type of bill) is on institutional (837I) claims; set place_of_service on an 837P';
    case 'billing_npi':
      return { ...claim, providers: { ...claim.providers, billingNpi: value } };
    case 'rendering_npi':
      return { ...claim, providers: { ...claim.providers, renderingNpi: value } };
    case 'attending_npi':
      return { ...claim, providers: { ...claim.providers, attendingNpi: value } };
    case 'member_id':
      return { ...claim, coverage: { ...claim.coverage, memberId: value } };
    case 'payer_id': {
      const coverage = { ...claim.coverage, payerId: value };
      delete coverage.payerName;
      return { ...claim, coverage };
    }
    case 'service_date':
      return { ...claim, serviceDate: value };
    case 'admission_date':
      return { ...claim, admissionDate: value };
    case 'discharge_date':
      return { ...claim, dischargeDate: value };
    case 'discharge_status':
      return claim.claimType === '837I' ? { ...claim, institutional: { ...claim.institutional, dischargeStatus: value } } : 'discharge_status is on institutional (837I) claims';
    case 'patient_sex':
      return { ...claim, patient: { ...claim.patient, sex: value } };
    case 'patient_birth_date':
      return { ...claim, patient: { ...claim.patient, birthDate: value } };
  }
}

/** Codes an edit puts on the claim: each must be valid in the version in force on the date of service. */
export function codesAdded(edit: ClaimEdit): CodeRef[] {
  if (edit.kind === 'add-code') return edit.codes;
  if (edit.kind === 'replace-code') return [edit.to];
  return [];
}

/** The claim's codes in claim order: diagnoses (with POA), service lines (modifiers, pointers), ICD-10-PCS. */
export function claimCodeParts(c: ClaimRecord): { dx: string[]; lines: string[]; pcs: string[] } {
  return {
    dx: c.diagnoses.map((d) => `${d.sequence} ${d.code}${d.poa ? ` POA ${d.poa}` : ''}`),
    lines: c.lines.map((l) => `${l.line} ${[l.code ?? l.revenueCode ?? '?', ...l.modifiers].join('-')} (${l.diagnosisPointers.join(',')})`),
    pcs: (c.icd10pcs ?? []).map((p) => `${p.sequence} ${p.code}`),
  };
}

/**
 * The claim's codes in claim order as one cell: diagnoses by sequence (with POA), then each
 * service line with its modifiers and diagnosis pointers, then ICD-10-PCS procedures, e.g.
 * `dx: 1 E11.22 2 N18.30 | lines: 1 99214-25 (1,2); 2 82947 (1) | pcs: 1 0DTJ4ZZ`.
 */
export function claimCodesCell(c: ClaimRecord): string {
  const p = claimCodeParts(c);
  return [`dx: ${p.dx.join(' ') || 'none'}`, `lines: ${p.lines.join('; ') || 'none'}`, ...(p.pcs.length > 0 ? [`pcs: ${p.pcs.join(' ')}`] : [])].join(' | ');
}
