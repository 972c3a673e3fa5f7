import { readFile, stat } from 'node:fs/promises';
import { decodeDocumentBytes, hl7Date } from '../documents/decode.js';
import { NPI_OID, type DocumentReader, type DocumentReaderOptions, type DocumentResult, type RowData } from '../documents/document-rows.js';
import { at, descendants, elements, first, narrativeOf, parseXmlTree, textOf, XmlSyntaxError, type XmlElement } from './xml-tree.js';
import { nubcDischargeStatus } from '../documents/institutional-codes.js';

/**
 * C-CDA R2.1 documents (HL7 CDA R2 with the C-CDA templates: continuity of care, discharge
 * summary, progress note) into the canonical rows. Sections are found by templateId or
 * LOINC code (HL7 C-CDA R2.1 Implementation Guide, Volume 2); structured entries keep their
 * codes, status and negationInd; every section's narrative becomes a note, headed the way
 * section detection reads it.
 */

/** OIDs of the code systems a claim cares about (HL7 OID registry). */
const CODE_SYSTEMS: Record<string, string> = {
  '2.16.840.1.113883.6.90': 'ICD-10-CM',
  '2.16.840.1.113883.6.4': 'ICD-10-PCS',
  '2.16.840.1.113883.6.96': 'SNOMED-CT',
  '2.16.840.1.113883.6.12': 'CPT',
  '2.16.840.1.113883.6.285': 'HCPCS',
  '2.16.840.1.113883.6.1': 'LOINC',
  '2.16.840.1.113883.6.88': 'RXNORM',
  '2.16.840.1.113883.6.103': 'ICD-9-CM', // diagnoses
  '2.16.840.1.113883.6.104': 'ICD-9-CM', // procedures
};

interface SectionKind {
  name: string;
  /** The header the note starts with: one that section detection maps to the same section. */
  header: string;
  templates: readonly string[];
  loinc: readonly string[];
  /** Administrative lists (encounter history, payers) are not clinical narrative. */
  narrative: boolean;
}

/** C-CDA R2.1 section templates (entries-required and entries-optional) and their LOINC codes. */
export const CCDA_SECTIONS: readonly SectionKind[] = [
  { name: 'problems', header: 'Problem List', templates: ['2.16.840.1.113883.10.20.22.2.5.1', '2.16.840.1.113883.10.20.22.2.5'], loinc: ['11450-4'], narrative: true },
  { name: 'procedures', header: 'Procedures', templates: ['2.16.840.1.113883.10.20.22.2.7.1', '2.16.840.1.113883.10.20.22.2.7'], loinc: ['47519-4'], narrative: true },
  { name: 'encounters', header: 'Encounters', templates: ['2.16.840.1.113883.10.20.22.2.22.1', '2.16.840.1.113883.10.20.22.2.22'], loinc: ['46240-8'], narrative: false },
  { name: 'results', header: 'Results', templates: ['2.16.840.1.113883.10.20.22.2.3.1', '2.16.840.1.113883.10.20.22.2.3'], loinc: ['30954-2'], narrative: true },
  { name: 'medications', header: 'Medications', templates: ['2.16.840.1.113883.10.20.22.2.1.1', '2.16.840.1.113883.10.20.22.2.1'], loinc: ['10160-0'], narrative: true },
  { name: 'assessment', header: 'Assessment', templates: ['2.16.840.1.113883.10.20.22.2.8'], loinc: ['51848-0'], narrative: true },
  { name: 'assessment-plan', header: 'Assessment and Plan', templates: ['2.16.840.1.113883.10.20.22.2.9'], loinc: ['51847-2'], narrative: true },
  { name: 'plan', header: 'Plan', templates: ['2.16.840.1.113883.10.20.22.2.10'], loinc: ['18776-5'], narrative: true },
  { name: 'hpi', header: 'History of Present Illness', templates: ['1.3.6.1.4.1.19376.1.5.3.1.3.4'], loinc: ['10164-2'], narrative: true },
  { name: 'hospital-course', header: 'Hospital Course', templates: ['1.3.6.1.4.1.19376.1.5.3.1.3.5'], loinc: ['8648-8'], narrative: true },
  { name: 'discharge-diagnoses', header: 'Discharge Diagnoses', templates: ['2.16.840.1.113883.10.20.22.2.24'], loinc: ['11535-2', '78375-3'], narrative: true },
  { name: 'chief-complaint', header: 'Chief Complaint', templates: ['1.3.6.1.4.1.19376.1.5.3.1.1.13.2.1', '2.16.840.1.113883.10.20.22.2.13'], loinc: ['10154-3', '46239-0'], narrative: true },
  { name: 'reason-for-visit', header: 'Reason for Visit', templates: ['2.16.840.1.113883.10.20.22.2.12'], loinc: ['29299-5'], narrative: true },
  { name: 'past-medical-history', header: 'Past Medical History', templates: ['2.16.840.1.113883.10.20.22.2.20'], loinc: ['11348-0'], narrative: true },
  { name: 'family-history', header: 'Family History', templates: ['2.16.840.1.113883.10.20.22.2.15'], loinc: ['10157-6'], narrative: true },
  { name: 'social-history', header: 'Social History', templates: ['2.16.840.1.113883.10.20.22.2.17'], loinc: ['29762-2'], narrative: true },
  { name: 'review-of-systems', header: 'Review of Systems', templates: ['1.3.6.1.4.1.19376.1.5.3.1.3.18'], loinc: ['10187-3'], narrative: true },
  { name: 'physical-exam', header: 'Physical Exam', templates: ['2.16.840.1.113883.10.20.2.10'], loinc: ['29545-1'], narrative: true },
  { name: 'vital-signs', header: 'Vital Signs', templates: ['2.16.840.1.113883.10.20.22.2.4.1', '2.16.840.1.113883.10.20.22.2.4'], loinc: ['8716-3'], narrative: true },
  { name: 'allergies', header: 'Allergies', templates: ['2.16.840.1.113883.10.20.22.2.6.1', '2.16.840.1.113883.10.20.22.2.6'], loinc: ['48765-2'], narrative: true },
  { name: 'payers', header: 'Payers', templates: ['2.16.840.1.113883.10.20.22.2.18'], loinc: ['48768-6'], narrative: false },
];

const PROBLEM_OBSERVATION = '2.16.840.1.113883.10.20.22.4.4';
const PROBLEM_STATUS = '2.16.840.1.113883.10.20.22.4.6';
const ENCOUNTER_ACTIVITY = '2.16.840.1.113883.10.20.22.4.49';
const POLICY_ACTIVITY = '2.16.840.1.113883.10.20.22.4.61';
const RESULT_OBSERVATION = '2.16.840.1.113883.10.20.22.4.2';
const VITAL_SIGN_OBSERVATION = '2.16.840.1.113883.10.20.22.4.27';
const MEDICATION_ACTIVITY = '2.16.840.1.113883.10.20.22.4.16';
/** Problem status values (SNOMED CT, C-CDA Problem Status value set). */
const PROBLEM_STATUS_VALUES: Record<string, string> = { '55561003': 'active', '73425007': 'resolved', '413322009': 'resolved' };
/** ActEncounterCode values billed on an institutional claim (HL7 v3 ActCode). */
const INPATIENT_CLASSES = new Set(['IMP', 'ACUTE', 'NONAC', 'SS']);
/** LOINC document type of a discharge summary. */
const DISCHARGE_SUMMARY = '18842-5';

const templatesOf = (e: XmlElement) => elements(e, 'templateId').map((t) => t.attrs.root ?? '');
const hasTemplate = (e: XmlElement, oid: string) => templatesOf(e).includes(oid);


function idOf(e: XmlElement | undefined): string | undefined {
  const id = elements(e, 'id').find((i) => i.attrs.extension || i.attrs.root);
  return id ? (id.attrs.extension ?? id.attrs.root) : undefined;
}

/**
 * An II as an identity: the extension within its root (`extension^root`), or the root alone
 * (a UUID or OID instance id). Two systems' encounter numbers never collide.
 */
function identityOf(e: XmlElement | undefined): string | undefined {
  const id = elements(e, 'id').find((i) => i.attrs.extension || i.attrs.root);
  if (!id) return undefined;
  return id.attrs.extension ? `${id.attrs.extension}${id.attrs.root ? `^${id.attrs.root}` : ''}` : id.attrs.root;
}

function npiOf(e: XmlElement | undefined): string | undefined {
  return elements(e, 'id').find((i) => i.attrs.root === NPI_OID && i.attrs.extension)?.attrs.extension;
}

/** An effectiveTime's dates; a TS with an offset is converted to `timeZone` first. */
function timeRange(e: XmlElement | undefined, timeZone?: string): { low?: string; high?: string } {
  const t = first(e, 'effectiveTime');
  if (!t) return {};
  const value = hl7Date(t.attrs.value, timeZone);
  const low = hl7Date(first(t, 'low')?.attrs.value, timeZone) ?? value;
  const high = hl7Date(first(t, 'high')?.attrs.value, timeZone);
  return { ...(low ? { low } : {}), ...(high ? { high } : {}) };
}

interface EncounterChoice {
  id: string;
  low?: string;
  high?: string;
  element: XmlElement;
  encompassing: boolean;
}

/** The encounter of the document the export is about, by the pipeline's rule. */
function chooseEncounter(doc: XmlElement, sections: Map<string, XmlElement>, options: DocumentReaderOptions): EncounterChoice | undefined {
  const encompassing = at(doc, 'componentOf', 'encompassingEncounter');
  if (encompassing && options.encounterRule === 'encompassing-or-latest') {
    return { id: identityOf(encompassing) ?? identityOf(doc) ?? 'document', ...timeRange(encompassing, options.timeZone), element: encompassing, encompassing: true };
  }
  const candidates: EncounterChoice[] = descendants(sections.get('encounters'), 'encounter')
    .filter((e) => hasTemplate(e, ENCOUNTER_ACTIVITY))
    .map((e) => ({ id: identityOf(e) ?? e.path, ...timeRange(e, options.timeZone), element: e, encompassing: false }));
  if (encompassing) candidates.push({ id: identityOf(encompassing) ?? identityOf(doc) ?? 'document', ...timeRange(encompassing, options.timeZone), element: encompassing, encompassing: true });
  const dated = candidates.filter((c) => c.low).sort((a, b) => (a.low! < b.low! ? -1 : a.low! > b.low! ? 1 : 0));
  switch (options.encounterRule) {
    case 'earliest':
      return dated[0];
    case 'business-date':
      return dated.filter((c) => c.low === options.businessDate).pop();
    default:
      return dated[dated.length - 1];
  }
}

function sectionsOf(doc: XmlElement): Map<string, XmlElement> {
  const found = new Map<string, XmlElement>();
  for (const section of descendants(at(doc, 'component', 'structuredBody'), 'section')) {
    const templates = templatesOf(section);
    const loinc = first(section, 'code')?.attrs.code;
    const kind = CCDA_SECTIONS.find((k) => k.templates.some((t) => templates.includes(t)) || (loinc !== undefined && k.loinc.includes(loinc)));
    if (kind && !found.has(kind.name)) found.set(kind.name, section);
  }
  return found;
}

/**
 * Codes of a coded element and its translations, keyed by the systems a claim uses. With
 * `other`, codes of systems not listed come too, as OTHER (problems and procedures in a
 * local or unlisted system are coded from their names, never dropped unseen).
 */
function codesOf(e: XmlElement | undefined, other = false): { code: string; system: string; display?: string }[] {
  if (!e) return [];
  const out: { code: string; system: string; display?: string }[] = [];
  for (const c of [e, ...elements(e, 'translation')]) {
    const system = CODE_SYSTEMS[c.attrs.codeSystem ?? ''] ?? (other ? 'OTHER' : undefined);
    const display = c.attrs.displayName ?? directText(first(c, 'originalText'));
    if (c.attrs.code && system) out.push({ code: c.attrs.code, system, ...(display ? { display } : {}) });
  }
  return out;
}

/** An element's own text (an originalText written out, not a reference into the narrative). */
function directText(e: XmlElement | undefined): string | undefined {
  const t = e ? textOf(e).replace(/\s+/g, ' ').trim() : undefined;
  return t ? t : undefined;
}

/** One document, read. */
export function readCcdaDocument(xml: string, name: string, options: DocumentReaderOptions): DocumentResult {
  if (/<!ENTITY/i.test(xml.slice(0, 65536)) || /<!DOCTYPE[^>]*\[/i.test(xml.slice(0, 65536))) {
    return { ok: false, line: 1, code: 'INGEST_DOCUMENT_ENTITY', message: `${name}: the document declares XML entities in a DOCTYPE; refused (entity expansion)` };
  }
  let doc: XmlElement;
  try {
    doc = parseXmlTree(xml);
  } catch (err) {
    const e = err as XmlSyntaxError;
    return { ok: false, line: e.line ?? 1, code: 'INGEST_DOCUMENT_MALFORMED', message: `${name}: not well-formed XML at line ${e.line ?? '?'}, column ${e.column ?? '?'}: ${e.message}` };
  }
  if (doc.name !== 'ClinicalDocument') {
    return { ok: false, line: 1, code: 'INGEST_DOCUMENT_NOT_RECOGNIZED', message: `${name}: root element is <${doc.name}>, not a CDA <ClinicalDocument>` };
  }
  const documentId = idOf(doc) ?? name;
  const patientRole = at(doc, 'recordTarget', 'patientRole');
  const patientId = idOf(patientRole);
  if (!patientId) {
    return { ok: false, line: 1, code: 'INGEST_REQUIRED_FIELD_MISSING', message: `${name}: /ClinicalDocument/recordTarget/patientRole has no id`, encounterId: documentId };
  }
  const sections = sectionsOf(doc);
  const chosen = chooseEncounter(doc, sections, options);
  const documentDate = hl7Date(first(doc, 'effectiveTime')?.attrs.value, options.timeZone);
  // The encounter is the patient's: documents of two patients never share one, and the
  // documents of one stay (discharge summary, H&P, notes) share it and are merged.
  const documentKey = identityOf(doc) ?? name;
  const encounterId = `${patientId}/${chosen ? chosen.id : documentKey}`;
  const serviceDate = chosen?.low ?? documentDate;

  // Encounter: dates, setting, providers (NPIs), place.
  const enc: RowData = { $canonical: '1', $path: chosen?.element.path ?? '/ClinicalDocument', encounterId, patientId };
  if (serviceDate) {
    enc.serviceDate = serviceDate;
    enc['$path.serviceDate'] = `${chosen?.element.path ?? '/ClinicalDocument'}/effectiveTime`;
  }
  const encounterCode = first(chosen?.element, 'code')?.attrs.code;
  // A discharge summary (LOINC 18842-5) is written for an inpatient stay.
  const discharge = first(doc, 'code')?.attrs.code === DISCHARGE_SUMMARY;
  if ((encounterCode && INPATIENT_CLASSES.has(encounterCode)) || discharge) {
    enc.kind = 'institutional';
    if (chosen?.low) enc.admissionDate = chosen.low;
    if (chosen?.high) enc.dischargeDate = chosen.high;
    // 837I CL1 discharge status: encompassingEncounter/dischargeDispositionCode (or the
    // encounter activity's sdtc: one), HL7 table 0112 or NUBC, whose US values are the NUBC codes.
    const disposition = first(chosen?.element, 'dischargeDispositionCode')?.attrs.code;
    if (disposition) {
      enc.dischargeStatus = nubcDischargeStatus(disposition) ?? disposition;
      enc['$path.dischargeStatus'] = `${chosen!.element.path}/dischargeDispositionCode`;
    }
  }
  // An emergency encounter (v3 ActCode EMER) is CMS place of service 23.
  if (enc.kind !== 'institutional' && encounterCode === 'EMER') {
    enc.placeOfService = '23';
    enc['$path.placeOfService'] = `${chosen!.element.path}/code`;
  }
  if (chosen?.encompassing) {
    const responsible = at(chosen.element, 'responsibleParty', 'assignedEntity');
    const attending = elements(chosen.element, 'encounterParticipant').find((p) => p.attrs.typeCode === 'ATND');
    const rendering = npiOf(responsible) ?? npiOf(first(attending, 'assignedEntity'));
    if (rendering) enc.renderingNpi = rendering;
    const attendingNpi = npiOf(first(attending, 'assignedEntity'));
    if (attendingNpi) enc.attendingNpi = attendingNpi;
    const facility = at(chosen.element, 'location', 'healthCareFacility');
    const billing = npiOf(at(facility, 'serviceProviderOrganization')) ?? npiOf(at(doc, 'custodian', 'assignedCustodian', 'representedCustodianOrganization'));
    if (billing) enc.billingNpi = billing;
  } else if (chosen) {
    const performer = npiOf(at(chosen.element, 'performer', 'assignedEntity'));
    if (performer) enc.renderingNpi = performer;
    const billing = npiOf(at(doc, 'custodian', 'assignedCustodian', 'representedCustodianOrganization'));
    if (billing) enc.billingNpi = billing;
  }

  // Patient and coverage (Payers section, policy activity: payer id, member id).
  const person = first(patientRole, 'patient');
  const nameEl = first(person, 'name');
  const addr = first(patientRole, 'addr');
  const pat: RowData = { patientId, $path: patientRole!.path };
  const given = elements(nameEl, 'given').map((g) => textOf(g).trim()).filter(Boolean).join(' ');
  const family = textOf(first(nameEl, 'family')).trim();
  if (given) pat.firstName = given;
  if (family) pat.lastName = family;
  const birth = hl7Date(first(person, 'birthTime')?.attrs.value);
  if (birth) pat.birthDate = birth;
  const gender = first(person, 'administrativeGenderCode')?.attrs.code;
  if (gender) pat.sex = gender === 'UN' ? 'U' : gender;
  const street = textOf(first(addr, 'streetAddressLine')).trim();
  if (street) pat.addressLine1 = street;
  for (const [field, tag] of [['city', 'city'], ['state', 'state'], ['zip', 'postalCode']] as const) {
    const v = textOf(first(addr, tag)).trim();
    if (v) pat[field] = v;
  }
  const policy = descendants(sections.get('payers'), 'act').find((a) => hasTemplate(a, POLICY_ACTIVITY));
  if (policy) {
    const payer = elements(policy, 'performer').find((p) => hasTemplate(p, '2.16.840.1.113883.10.20.22.4.87') || first(p, 'assignedEntity'));
    const payerId = idOf(first(payer, 'assignedEntity'));
    const payerName = textOf(at(payer, 'assignedEntity', 'representedOrganization', 'name')).trim();
    const member = idOf(first(elements(policy, 'participant').find((p) => p.attrs.typeCode === 'COV'), 'participantRole'));
    if (payerId) pat.payerId = payerId;
    if (payerName) pat.payerName = payerName;
    if (member) pat.memberId = member;
    pat['$path.payerId'] = policy.path;
  }

  const children: { role: 'notes' | 'diagnoses' | 'charges' | 'procedures' | 'observations'; data: RowData }[] = [];
  // Narrative of every clinical section in document order, as a note headed the way section detection reads it.
  for (const [kindName, section] of sections) {
    const kind = CCDA_SECTIONS.find((k) => k.name === kindName)!;
    if (!kind.narrative) continue;
    const narrative = narrativeOf(first(section, 'text'));
    if (!narrative) continue;
    const title = textOf(first(section, 'title')).trim() || kind.header;
    children.push({ role: 'notes', data: { encounterId, noteId: `${documentKey}-${kind.name}`, noteType: title, text: `${kind.header}:\n${narrative}`, $path: `${section.path}/text` } });
  }

  // Problems (and discharge diagnoses): codes with status, negationInd and time.
  const onDate = serviceDate;
  for (const sectionName of ['problems', 'discharge-diagnoses', 'assessment', 'assessment-plan']) {
    for (const obs of descendants(sections.get(sectionName), 'observation').filter((o) => hasTemplate(o, PROBLEM_OBSERVATION))) {
      const { low, high } = timeRange(obs, options.timeZone);
      if (onDate && low && low > onDate) continue; // began after this encounter
      let status = 'active';
      const statusObs = descendants(obs, 'observation').find((o) => hasTemplate(o, PROBLEM_STATUS));
      const statusValue = first(statusObs, 'value')?.attrs.code;
      if (statusValue && PROBLEM_STATUS_VALUES[statusValue]) status = PROBLEM_STATUS_VALUES[statusValue]!;
      if (onDate && high && high < onDate) status = 'resolved';
      if (obs.attrs.negationInd === 'true') status = 'negated';
      // One code per problem: its ICD-10-CM code or translation, else its SNOMED CT code
      // (coded from its name by assembly).
      const codes = codesOf(first(obs, 'value'), true);
      const c = codes.find((x) => x.system === 'ICD-10-CM') ?? codes.find((x) => x.system !== 'OTHER') ?? codes[0];
      const display = codes.find((x) => x.display)?.display;
      if (c) {
        children.push({ role: 'diagnoses', data: {
          encounterId, code: c.code, codeSystem: c.system, status, ...(c.display ?? display ? { description: (c.display ?? display)! } : {}), $path: `${obs.path}/value`,
        } });
      }
    }
  }

  // Procedures of the encounter's dates (a stay's, admission to discharge) with a billing
  // code become charge rows; a C-CDA carries no amount, so coding prices them from the
  // chargemaster (or holds the claim for a price).
  const lastDay = chosen?.high && chosen.high > (onDate ?? '') ? chosen.high : onDate;
  for (const proc of descendants(sections.get('procedures'), 'procedure')) {
    const { low } = timeRange(proc, options.timeZone);
    if (onDate && low && (low < onDate || low > lastDay!)) continue;
    if (proc.attrs.negationInd === 'true') continue;
    // One code per procedure: its CPT/HCPCS code (or translation) is a line; else its
    // ICD-10-PCS code goes to the 837I; else (SNOMED CT, ICD-9-CM, local) it is coded from its name.
    const codes = codesOf(first(proc, 'code'), true);
    const line = codes.find((x) => x.system === 'CPT' || x.system === 'HCPCS');
    const other = codes.find((x) => x.system === 'ICD-10-PCS') ?? codes.find((x) => x.system !== 'OTHER') ?? codes[0];
    if (line) {
      children.push({ role: 'charges', data: { encounterId, code: line.code, codeSystem: line.system, ...(low ? { serviceDate: low } : {}), $path: `${proc.path}/code` } });
    } else if (other) {
      const display = other.display ?? codes.find((x) => x.display)?.display;
      children.push({ role: 'procedures', data: {
        encounterId, code: other.code, codeSystem: other.system, ...(display ? { description: display } : {}), ...(low ? { date: low } : {}), $path: `${proc.path}/code`,
      } });
    }
  }

  // Results and vital signs of the encounter's dates, and the medications active then, keep
  // their codes (LOINC, SNOMED CT, RxNorm), values and negationInd as structured data.
  for (const sectionName of ['results', 'vital-signs']) {
    for (const obs of descendants(sections.get(sectionName), 'observation').filter((o) => hasTemplate(o, RESULT_OBSERVATION) || hasTemplate(o, VITAL_SIGN_OBSERVATION))) {
      const { low } = timeRange(obs, options.timeZone);
      if (onDate && (!low || low < onDate || low > lastDay!)) continue;
      const value = first(obs, 'value');
      const valueText = value?.attrs.value ?? value?.attrs.displayName ?? value?.attrs.code ?? (textOf(value).trim() || undefined);
      for (const c of codesOf(first(obs, 'code'))) {
        children.push({ role: 'observations', data: {
          encounterId, code: c.code, codeSystem: c.system, ...(c.display ? { description: c.display } : {}), ...(valueText ? { value: valueText } : {}),
          ...(value?.attrs.unit ? { unit: value.attrs.unit } : {}), ...(obs.attrs.negationInd === 'true' ? { status: 'negated' } : {}), $path: `${obs.path}/code`,
        } });
      }
    }
  }
  for (const med of descendants(sections.get('medications'), 'substanceAdministration').filter((m) => hasTemplate(m, MEDICATION_ACTIVITY))) {
    const { low, high } = timeRange(med, options.timeZone);
    if (onDate && ((low && low > lastDay!) || (high && high < onDate))) continue;
    const product = at(med, 'consumable', 'manufacturedProduct', 'manufacturedMaterial', 'code');
    const status = med.attrs.negationInd === 'true' ? 'negated' : first(med, 'statusCode')?.attrs.code;
    for (const c of codesOf(product)) {
      children.push({ role: 'observations', data: {
        encounterId, code: c.code, codeSystem: c.system, ...(c.display ? { description: c.display } : {}), ...(status ? { status } : {}), $path: product!.path,
      } });
    }
  }

  return { ok: true, line: 1, rows: { encounter: { encounterId, patientId, data: enc }, patient: { patientId, data: pat }, children } };
}

export const readCcdaFile: DocumentReader = async function* readCcdaFile(path, name, options) {
  const size = (await stat(path)).size;
  if (size > options.maxBytes) {
    yield { ok: false, line: 1, code: 'INGEST_DOCUMENT_TOO_LARGE', message: `${name}: ${size} bytes, over the ${options.maxBytes}-byte document limit` };
    return;
  }
  const text = decodeDocumentBytes(await readFile(path));
  if (typeof text !== 'string') {
    yield { ok: false, line: 1, code: 'INGEST_DOCUMENT_ENCODING', message: `${name}: ${text.error}` };
    return;
  }
  yield readCcdaDocument(text, name, options);
};
