import type { DocumentResult, DocumentRows, RowData } from '../documents/document-rows.js';
import { isoDate } from '../documents/decode.js';
import { fhirInstitutionalCode } from '../documents/institutional-codes.js';
import { arr, identifierParam, keysOf, obj, refKey, resolveRef, type ResourceStore, str, type Json } from './fhir-store.js';

/**
 * One FHIR Encounter and everything that references it, as canonical rows: its Patient and
 * Coverage, Practitioner and Organization NPIs, Conditions (status as of the encounter),
 * Procedures, notes (DocumentReference, Composition) and Claim items and diagnoses. Element
 * names from FHIR R4 (4.0.1); code system URIs from terminology.hl7.org.
 */

/** Code system URIs → ours. */
const SYSTEMS: Record<string, string> = {
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10-CM',
  'http://hl7.org/fhir/sid/icd-9-cm': 'ICD-9-CM',
  'http://www.cms.gov/Medicare/Coding/ICD10': 'ICD-10-PCS',
  'http://snomed.info/sct': 'SNOMED-CT',
  'http://www.ama-assn.org/go/cpt': 'CPT',
  'urn:oid:2.16.840.1.113883.6.285': 'HCPCS',
  'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets': 'HCPCS',
  'http://loinc.org': 'LOINC',
};
const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
/** v3 ActCode encounter classes billed on an institutional claim. */
const INPATIENT = new Set(['IMP', 'ACUTE', 'NONAC', 'SS']);
/** Encounter classes that name the CMS place of service of a professional claim. */
const PLACE_OF_SERVICE: Record<string, string> = { EMER: '23', HH: '12' };
const GENDER: Record<string, string> = { male: 'M', female: 'F', other: 'U', unknown: 'U' };
/** Coverage.relationship (subscriber-relationship code system) → X12 1069. */
const RELATIONSHIP: Record<string, string> = { self: '18', spouse: '01', child: '19', other: 'G8', common: '01', injured: 'G8', parent: 'G8' };

/** The codings of a CodeableConcept; systems we do not know are OTHER (a local code), never dropped. */
function codings(cc: unknown): { code: string; system: string; display?: string }[] {
  const out: { code: string; system: string; display?: string }[] = [];
  const text = str(obj(cc)?.text);
  for (const c of arr(obj(cc)?.coding)) {
    const system = SYSTEMS[str(c.system) ?? ''] ?? 'OTHER';
    const code = str(c.code);
    const display = str(c.display) ?? text;
    if (code) out.push({ code, system, ...(display ? { display } : {}) });
  }
  return out;
}

/** The coding a claim can carry when there is one (ICD-10-CM for problems, CPT/HCPCS or PCS for procedures), else the first. */
function preferred(cc: unknown, systems: readonly string[]): { code: string; system: string; display?: string } | undefined {
  const all = codings(cc);
  return all.find((c) => systems.includes(c.system)) ?? all[0];
}

/**
 * A reference's NPI: a conditional reference by NPI (`Practitioner?identifier=
 * http://hl7.org/fhir/sid/us-npi|1234567893`), a logical reference by identifier, or the
 * resource it resolves to in the export.
 */
function npiOfReference(store: ResourceStore, ref: Json | undefined, container?: Json): string | undefined {
  const reference = str(ref?.reference);
  const query = reference?.includes('?') ? identifierParam(reference.slice(reference.indexOf('?') + 1)) : undefined;
  if (query?.system === NPI_SYSTEM) return query.value;
  const identifier = obj(ref?.identifier);
  if (identifier && str(identifier.system) === NPI_SYSTEM) return str(identifier.value);
  return npiOf(resolveRef(store, container, reference)?.json);
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


/**
 * A Condition's status as of the encounter, not as of the export: a condition resolved
 * (abatement) after the encounter began was active then; one that began (onset) after the
 * encounter ended or abated before it began was not present. Verification status decides
 * uncertain, refuted and entered-in-error. Undefined: not a condition of this encounter.
 */
function conditionStatus(j: Json, start: string | undefined, end: string | undefined, date: (v: unknown) => string | undefined): string | undefined {
  const verification = arr(obj(j.verificationStatus)?.coding).map((c) => str(c.code))[0];
  const clinical = arr(obj(j.clinicalStatus)?.coding).map((c) => str(c.code))[0];
  const onset = date(j.onsetDateTime) ?? date(obj(j.onsetPeriod)?.start);
  const abated = date(j.abatementDateTime) ?? date(obj(j.abatementPeriod)?.start);
  if (verification === 'refuted' || verification === 'entered-in-error') return verification;
  if (onset && end && onset > end) return undefined;
  let status = 'active';
  if (abated && start) {
    if (abated < start) status = 'resolved';
  } else if (clinical === 'resolved' || clinical === 'inactive' || clinical === 'remission') status = 'resolved';
  if (verification === 'unconfirmed' || verification === 'provisional' || verification === 'differential') status = 'uncertain';
  return status;
}

/** One encounter with everything that references it. */
export function encounterRows(store: ResourceStore, e: { json: Json; full: string | null; file: string; line: number; path: string }, timeZone?: string): DocumentResult {
  // A dateTime with an offset is an instant: its date is taken in the configured zone.
  const date = (v: unknown): string | undefined => isoDate(str(v), timeZone);
  const enc = e.json;
  // Every key other resources may point at it by: id, fullUrl, identifiers (conditional references).
  const keys = keysOf(enc, e.full);
  const identifier = arr(enc.identifier).find((i) => str(i.value));
  const visit = str(identifier?.value) ?? str(enc.id) ?? e.path;
  const patient = resolveRef(store, enc, str(obj(enc.subject)?.reference), e.path);
  if (!patient) {
    return { ok: false, line: e.line, code: 'INGEST_REQUIRED_FIELD_MISSING', message: `${e.file} ${e.path}: Encounter ${visit} has no subject Patient in the export`, encounterId: visit };
  }
  const p = patient.json;
  const patientId = str(arr(p.identifier).find((i) => arr(obj(i.type)?.coding).some((c) => str(c.code) === 'MR'))?.value) ?? str(arr(p.identifier)[0]?.value) ?? str(p.id);
  if (!patientId) {
    return { ok: false, line: e.line, code: 'INGEST_REQUIRED_FIELD_MISSING', message: `${e.file} ${e.path}: the Patient of Encounter ${visit} has no identifier or id`, encounterId: visit };
  }
  // The encounter is the patient's, as for HL7 and C-CDA (`patient/visit^system`): two
  // patients never share one, whatever ids their systems reuse.
  const system = identifier ? str(identifier.system)?.replace(/^urn:oid:/, '') : undefined;
  const encounterId = `${patientId}/${visit}${system ? `^${system}` : ''}`;
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
    // 837I CL1 from priority and hospitalization.admitSource / dischargeDisposition: a NUBC
    // coding, else the FHIR code where it means the same. Otherwise the admission type and
    // source are left to the site's default (9); the discharge status goes as sent, refused
    // by assembly with a finding that names it, since the claim cannot go without one.
    const hosp = obj(enc.hospitalization);
    const cl1 = (name: 'admissionType' | 'admissionSource' | 'dischargeStatus', cc: unknown, path: string) => {
      const all = arr(obj(cc)?.coding).map((c) => ({ system: str(c.system), code: str(c.code) }));
      set(name, fhirInstitutionalCode(name, all) ?? (name === 'dischargeStatus' ? all.find((c) => c.code)?.code : undefined), `${e.path}.${path}`);
    };
    cl1('admissionType', enc.priority, 'priority');
    cl1('admissionSource', hosp?.admitSource, 'hospitalization.admitSource');
    cl1('dischargeStatus', hosp?.dischargeDisposition, 'hospitalization.dischargeDisposition');
  } else if (cls) {
    set('kind', 'professional', `${e.path}.class`);
    // v3 ActCode EMER and HH name the CMS place of service (23 emergency room, 12 home).
    set('placeOfService', PLACE_OF_SERVICE[cls], `${e.path}.class`);
    // v3 ActCode VR (virtual): a telehealth visit; audio-only only when the note says so.
    if (cls === 'VR') set('telehealth', 'video', `${e.path}.class`);
  }
  arr(enc.participant).forEach((part, i) => {
    const npi = npiOfReference(store, obj(part.individual), enc);
    const types = arr(part.type).flatMap((t) => arr(t.coding)).map((c) => str(c.code));
    if (types.includes('ATND')) set('attendingNpi', npi, `${e.path}.participant[${i}]`);
    if (!data.renderingNpi || types.includes('PPRF')) set('renderingNpi', npi, `${e.path}.participant[${i}]`);
  });
  set('billingNpi', npiOfReference(store, obj(enc.serviceProvider), enc), `${e.path}.serviceProvider`);

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
  const subjectKey = refKey(str(obj(enc.subject)?.reference));
  // A contained Patient's id is local to its Encounter: only its identifiers name it elsewhere.
  const patientKeys = [...keysOf(p).filter((k) => !patient.contained || k.includes('?identifier=')), ...(subjectKey && !patient.contained ? [subjectKey] : [])];
  const coverage = store.coverageFor(patientKeys);
  if (coverage) {
    const c = coverage.json;
    const payor = arr(c.payor)[0];
    const org = resolveRef(store, c, str(payor?.reference))?.json;
    set('payerId', str(obj(payor?.identifier)?.value) ?? str(arr(org?.identifier)[0]?.value), `${coverage.path}.payor`);
    set('payerName', str(payor?.display) ?? str(org?.name), `${coverage.path}.payor`);
    set('memberId', str(c.subscriberId) ?? str(arr(c.identifier)[0]?.value), `${coverage.path}.subscriberId`);
    set('relationship', RELATIONSHIP[str(arr(obj(c.relationship)?.coding)[0]?.code) ?? ''], `${coverage.path}.relationship`);
  }

  const children: DocumentRows['children'] = [];
  const linked = store.forEncounter(keys);
  const claimCodes = new Set<string>();
  for (const r of linked.filter((x) => x.type === 'Claim')) {
    // The claim's provider bills when the encounter names no service provider.
    if (!data.billingNpi) set('billingNpi', npiOfReference(store, obj(r.json.provider), r.json), `${r.path}.provider`);
    arr(r.json.item).forEach((item, i) => {
      const found = preferred(item.productOrService, ['CPT', 'HCPCS']);
      // Claim.item.revenue: the UB-04 revenue code of an institutional line (a room-and-board
      // line carries it alone, productOrService "not applicable").
      const revenueCode = str(arr(obj(item.revenue)?.coding).find((x) => /^\d{3,4}$/.test(str(x.code) ?? ''))?.code);
      // A line in another system with a revenue code bills the revenue code alone.
      const c = found && (found.system === 'CPT' || found.system === 'HCPCS') ? found : revenueCode ? undefined : found;
      if (!c && !revenueCode) return;
      if (c) claimCodes.add(c.code);
      const qty = str(obj(item.quantity)?.value) ?? '1';
      const net = str(obj(item.net)?.value) ?? (str(obj(item.unitPrice)?.value) ? String(Number(str(obj(item.unitPrice)?.value)) * Number(qty)) : undefined);
      const modifiers = arr(item.modifier).flatMap((m) => arr(m.coding)).map((m) => str(m.code)).filter(Boolean).join('|');
      children.push({ role: 'charges', file: r.file, line: r.line, data: {
        encounterId, ...(c ? { code: c.code, codeSystem: c.system } : {}), ...(revenueCode ? { revenueCode: revenueCode.padStart(4, '0') } : {}),
        units: qty, ...(net ? { charge: net } : {}), line: String(item.sequence ?? i + 1),
        ...(date(item.servicedDate) ? { serviceDate: date(item.servicedDate)! } : {}), ...(modifiers ? { modifiers } : {}), $path: `${r.path}.item[${i}]`,
      } });
    });
    arr(r.json.diagnosis).forEach((d, i) => {
      const c = preferred(d.diagnosisCodeableConcept, ['ICD-10-CM']);
      // Claim.diagnosis.onAdmission (ex-diagnosis-on-admission: y, n, u, w) is the POA indicator.
      const poa = str(arr(obj(d.onAdmission)?.coding)[0]?.code)?.toUpperCase();
      if (c) children.push({ role: 'diagnoses', file: r.file, line: r.line, data: {
        encounterId, code: c.code, codeSystem: c.system, sequence: String(d.sequence ?? i + 1), ...(c.display ? { description: c.display } : {}),
        ...(poa && ['Y', 'N', 'U', 'W'].includes(poa) ? { poa } : {}), $path: `${r.path}.diagnosis[${i}]`,
      } });
    });
  }
  for (const r of linked) {
    const j = r.json;
    if (r.type === 'Condition') {
      const status = conditionStatus(j, date(period?.start), date(period?.end) ?? date(period?.start), date);
      if (!status) continue;
      // One code per concept: ICD-10-CM when the concept carries it, else its SNOMED CT (or
      // other) coding, coded from its name.
      const c = preferred(j.code, ['ICD-10-CM']);
      if (c) children.push({ role: 'diagnoses', file: r.file, line: r.line, data: { encounterId, code: c.code, codeSystem: c.system, status, ...(c.display ? { description: c.display } : {}), $path: `${r.path}.code` } });
    } else if (r.type === 'Procedure') {
      if (str(j.status) === 'not-done' || str(j.status) === 'entered-in-error') continue;
      const c = preferred(j.code, ['CPT', 'HCPCS', 'ICD-10-PCS']);
      if (!c) continue;
      const when = date(j.performedDateTime) ?? date(obj(j.performedPeriod)?.start);
      if (c.system === 'CPT' || c.system === 'HCPCS') {
        if (claimCodes.has(c.code)) continue; // billed by the Claim with its charge
        children.push({ role: 'charges', file: r.file, line: r.line, data: { encounterId, code: c.code, codeSystem: c.system, ...(when ? { serviceDate: when } : {}), $path: `${r.path}.code` } });
      } else {
        // ICD-10-PCS for the 837I, other systems coded from their names.
        children.push({ role: 'procedures', file: r.file, line: r.line, data: {
          encounterId, code: c.code, codeSystem: c.system, ...(c.display ? { description: c.display } : {}), ...(when ? { date: when } : {}), $path: `${r.path}.code`,
        } });
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

