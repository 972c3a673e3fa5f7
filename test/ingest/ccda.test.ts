import { readdirSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCcdaDocument } from '../../src/ingest/ccda/read-ccda.js';
import { decodeDocumentBytes } from '../../src/ingest/documents/decode.js';
import type { DocumentReaderOptions, DocumentRows } from '../../src/ingest/documents/document-rows.js';
import { runCli } from '../helpers/cli.js';
import { recordOf } from '../helpers/source-reader.js';
import { tempDir } from '../helpers/tmp.js';

const SYNTHEA = resolve('..', 'shared', 'samples', 'ccda-synthea');
const OPTIONS: DocumentReaderOptions = { maxBytes: 20_000_000, encounterRule: 'encompassing-or-latest', businessDate: '2026-11-27' };
const dir = tempDir('nightcode-ccda-');

function rowsOf(xml: string, options: Partial<DocumentReaderOptions> = {}): DocumentRows {
  return recordOf(readCcdaDocument(xml, 'doc.xml', { ...OPTIONS, ...options })).rows;
}

const role = (rows: DocumentRows, name: string) => rows.children.filter((c) => c.role === name).map((c) => c.data);

describe('the Synthea C-CDA R2.1 documents in ../shared', () => {
  const files = readdirSync(SYNTHEA).filter((f) => f.endsWith('.xml'));

  test.each(files)('%s: patient, encounter, problems with SNOMED codes, narrative', (file) => {
    const xml = readFileSync(join(SYNTHEA, file), 'utf8');
    const rows = rowsOf(xml);
    const [given, family] = file.split('_');
    expect(rows.patient?.data).toMatchObject({ firstName: given, lastName: family, birthDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), sex: expect.stringMatching(/^[MFU]$/) });
    // No encompassing encounter in these summaries: the latest encounter entry is the one.
    expect(rows.encounter.data.serviceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(rows.encounter.data.$path).toMatch(/^\/ClinicalDocument\/component\/structuredBody\/component(\[\d+\])?\/section\/entry(\[\d+\])?\/encounter$/);
    const problems = role(rows, 'diagnoses');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.codeSystem === 'SNOMED-CT' && /^\d+$/.test(p.code!))).toBe(true);
    expect(new Set(problems.map((p) => p.status))).toEqual(expect.any(Set));
    const notes = role(rows, 'notes');
    expect(notes.find((n) => n.noteType === 'Problems')?.text).toMatch(/^Problem List:\n.+/);
    // Administrative lists are not clinical narrative.
    expect(notes.some((n) => /^Encounters:/.test(n.text!))).toBe(false);
  });

  test('the encounter rule picks the export\'s encounter of a multi-encounter document', () => {
    const xml = readFileSync(join(SYNTHEA, files[0]!), 'utf8');
    const latest = rowsOf(xml).encounter.data;
    const earliest = rowsOf(xml, { encounterRule: 'earliest' }).encounter.data;
    expect(earliest.serviceDate! < latest.serviceDate!).toBe(true);
    expect(rowsOf(xml, { encounterRule: 'business-date', businessDate: earliest.serviceDate! }).encounter.encounterId).toBe(rowsOf(xml, { encounterRule: 'earliest' }).encounter.encounterId);
    // Problems that began after the chosen encounter are not its diagnoses; ended ones are resolved.
    const early = role(rowsOf(xml, { encounterRule: 'earliest' }), 'diagnoses');
    expect(early.length).toBeLessThan(role(rowsOf(xml), 'diagnoses').length);
  });
});

const FIXTURE = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <templateId root="2.16.840.1.113883.10.20.22.1.8"/>
  <id root="1.2.3" extension="DOC-1"/>
  <effectiveTime value="20261127120000-0500"/>
  <recordTarget><patientRole>
    <id root="1.2.3.4" extension="MRN-9"/>
    <addr><streetAddressLine>1 Main St</streetAddressLine><city>Boston</city><state>MA</state><postalCode>02110</postalCode></addr>
    <patient><name><given>Ana</given><given>Maria</given><family>Lopez</family></name>
      <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/><birthTime value="19600214"/></patient>
  </patientRole></recordTarget>
  <custodian><assignedCustodian><representedCustodianOrganization><id root="2.16.840.1.113883.4.6" extension="1234567893"/></representedCustodianOrganization></assignedCustodian></custodian>
  <componentOf><encompassingEncounter>
    <id root="1.2.3.5" extension="ENC-77"/>
    <code code="IMP" codeSystem="2.16.840.1.113883.5.4"/>
    <effectiveTime><low value="20261120"/><high value="20261126"/></effectiveTime>
    <responsibleParty><assignedEntity><id root="2.16.840.1.113883.4.6" extension="1245319599"/></assignedEntity></responsibleParty>
    <encounterParticipant typeCode="ATND"><assignedEntity><id root="2.16.840.1.113883.4.6" extension="1003000126"/></assignedEntity></encounterParticipant>
  </encompassingEncounter></componentOf>
  <component><structuredBody>
    <component><section>
      <templateId root="1.3.6.1.4.1.19376.1.5.3.1.3.4"/><code code="10164-2" codeSystem="2.16.840.1.113883.6.1"/><title>HPI</title>
      <text><paragraph>66 yo woman with <content>shortness of breath</content> and fever.</paragraph><paragraph>Denies chest pain.</paragraph></text>
    </section></component>
    <component><section>
      <code code="11535-2" codeSystem="2.16.840.1.113883.6.1"/><title>Discharge Diagnoses</title>
      <text><list><item>Community acquired pneumonia</item><item>Type 2 diabetes</item></list></text>
      <entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.33"/>
        <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.4"/><effectiveTime><low value="20261120"/></effectiveTime>
          <value xsi:type="CD" code="233604007" codeSystem="2.16.840.1.113883.6.96" displayName="Pneumonia">
            <translation code="J18.9" codeSystem="2.16.840.1.113883.6.90" displayName="Pneumonia, unspecified organism"/>
          </value>
        </observation></entryRelationship></act></entry>
    </section></component>
    <component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.5.1"/><title>Problems</title>
      <text><table><tr><th>Problem</th><th>Status</th></tr><tr><td>Diabetes mellitus type 2</td><td>active</td></tr></table></text>
      <entry><act><templateId root="2.16.840.1.113883.10.20.22.4.3"/><entryRelationship typeCode="SUBJ">
        <observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/>
          <effectiveTime><low value="20100101"/></effectiveTime>
          <value xsi:type="CD" code="E11.9" codeSystem="2.16.840.1.113883.6.90" displayName="Type 2 diabetes"/>
        </observation></entryRelationship></act></entry>
      <entry><act><templateId root="2.16.840.1.113883.10.20.22.4.3"/><entryRelationship typeCode="SUBJ">
        <observation classCode="OBS" moodCode="EVN" negationInd="true"><templateId root="2.16.840.1.113883.10.20.22.4.4"/>
          <value xsi:type="CD" code="I10" codeSystem="2.16.840.1.113883.6.90" displayName="Hypertension"/>
        </observation></entryRelationship></act></entry>
      <entry><act><templateId root="2.16.840.1.113883.10.20.22.4.3"/><entryRelationship typeCode="SUBJ">
        <observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/>
          <effectiveTime><low value="20200101"/><high value="20200301"/></effectiveTime>
          <value xsi:type="CD" code="J02.9" codeSystem="2.16.840.1.113883.6.90" displayName="Pharyngitis"/>
        </observation></entryRelationship></act></entry>
    </section></component>
    <component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.7.1"/><title>Procedures</title>
      <text>Chest x-ray, two views.</text>
      <entry><procedure classCode="PROC" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.14"/>
        <code code="71046" codeSystem="2.16.840.1.113883.6.12" displayName="Radiologic examination, chest; 2 views"/>
        <effectiveTime value="20261120"/></procedure></entry>
    </section></component>
    <component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.3.1"/><title>Results</title><text>WBC 14.2</text>
      <entry><organizer><component><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>
        <code code="6690-2" codeSystem="2.16.840.1.113883.6.1" displayName="Leukocytes"/><effectiveTime value="20261121"/>
        <value xsi:type="PQ" value="14.2" unit="10*3/uL"/></observation></component>
      <component><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>
        <code code="2345-7" codeSystem="2.16.840.1.113883.6.1" displayName="Glucose"/><effectiveTime value="20190101"/>
        <value xsi:type="PQ" value="99" unit="mg/dL"/></observation></component></organizer></entry>
    </section></component>
    <component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.1.1"/><title>Medications</title><text>Metformin 500 mg</text>
      <entry><substanceAdministration classCode="SBADM" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.16"/>
        <statusCode code="active"/><effectiveTime xsi:type="IVL_TS"><low value="20200101"/></effectiveTime>
        <consumable><manufacturedProduct><manufacturedMaterial><code code="861007" codeSystem="2.16.840.1.113883.6.88" displayName="metformin 500 MG Oral Tablet"/></manufacturedMaterial></manufacturedProduct></consumable>
      </substanceAdministration></entry>
    </section></component>
    <component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.18"/><title>Payers</title><text>Medicare</text>
      <entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.60"/>
        <entryRelationship typeCode="COMP"><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.61"/>
          <performer typeCode="PRF"><templateId root="2.16.840.1.113883.10.20.22.4.87"/><assignedEntity><id root="2.16.840.1.113883.6.300" extension="MCR01"/>
            <representedOrganization><name>Medicare Part A</name></representedOrganization></assignedEntity></performer>
          <participant typeCode="COV"><participantRole><id root="1.2.3.9" extension="1EG4TE5MK73"/></participantRole></participant>
        </act></entryRelationship></act></entry>
    </section></component>
  </structuredBody></component>
</ClinicalDocument>`;

describe('a hand-written inpatient discharge summary', () => {
  const rows = rowsOf(FIXTURE);

  test('header: patient, encompassing encounter, setting, providers, coverage', () => {
    expect(rows.encounter).toMatchObject({ encounterId: 'MRN-9/ENC-77^1.2.3.5', patientId: 'MRN-9' });
    expect(rows.encounter.data).toMatchObject({
      kind: 'institutional', serviceDate: '2026-11-20', admissionDate: '2026-11-20', dischargeDate: '2026-11-26',
      renderingNpi: '1245319599', attendingNpi: '1003000126', billingNpi: '1234567893', $canonical: '1',
    });
    expect(rows.patient?.data).toMatchObject({
      firstName: 'Ana Maria', lastName: 'Lopez', birthDate: '1960-02-14', sex: 'F', addressLine1: '1 Main St', city: 'Boston', state: 'MA', zip: '02110',
      payerId: 'MCR01', payerName: 'Medicare Part A', memberId: '1EG4TE5MK73',
    });
  });

  test('structured problems keep codes, translations, status and negationInd', () => {
    // Problem list first, then discharge diagnoses; one code per problem (the ICD-10-CM
    // translation of SNOMED CT 233604007).
    expect(role(rows, 'diagnoses').map((d) => [d.code, d.codeSystem, d.status])).toEqual([
      ['E11.9', 'ICD-10-CM', 'active'], ['I10', 'ICD-10-CM', 'negated'], ['J02.9', 'ICD-10-CM', 'resolved'], ['J18.9', 'ICD-10-CM', 'active'],
    ]);
    expect(role(rows, 'diagnoses')[3]!.$path).toMatch(/section\/entry\/act\/entryRelationship\/observation\/value$/);
  });

  test('narrative in reading order, headed for section detection; billable procedures as charge rows', () => {
    const notes = role(rows, 'notes');
    expect(notes.map((n) => n.text)).toEqual([
      'History of Present Illness:\n66 yo woman with shortness of breath and fever.\nDenies chest pain.',
      'Discharge Diagnoses:\n- Community acquired pneumonia\n- Type 2 diabetes',
      'Problem List:\nProblem | Status\nDiabetes mellitus type 2 | active',
      'Procedures:\nChest x-ray, two views.',
      'Results:\nWBC 14.2',
      'Medications:\nMetformin 500 mg',
    ]);
    expect(role(rows, 'charges')).toEqual([expect.objectContaining({ code: '71046', codeSystem: 'CPT', serviceDate: '2026-11-20' })]);
  });

  test('results of the stay and medications active then keep their codes and values; older results do not', () => {
    expect(role(rows, 'observations').map((o) => [o.code, o.codeSystem, o.value, o.unit, o.status])).toEqual([
      ['6690-2', 'LOINC', '14.2', '10*3/uL', undefined],
      ['861007', 'RXNORM', undefined, undefined, 'active'],
    ]);
  });
});

describe('coded entries in every system are kept, never dropped unseen (issue 16)', () => {
  const problem = (code: string, system: string, name?: string, extra = '') => `<entry><act><templateId root="2.16.840.1.113883.10.20.22.4.3"/><entryRelationship typeCode="SUBJ">
        <observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/>
          <value xsi:type="CD" code="${code}" codeSystem="${system}"${name ? ` displayName="${name}"` : ''}>${extra}</value></observation></entryRelationship></act></entry>`;
  const procedure = (code: string, system: string, name: string, translation = '') => `<entry><procedure classCode="PROC" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.14"/>
        <code code="${code}" codeSystem="${system}" displayName="${name}">${translation}</code><effectiveTime value="20261122"/></procedure></entry>`;
  const xml = FIXTURE.replace(/<component><section>\s*<templateId root="2.16.840.1.113883.10.20.22.2.7.1"\/>[\s\S]*?<\/section><\/component>/, `<component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.7.1"/><title>Procedures</title><text>Procedures of the stay.</text>
      ${procedure('0BH17EZ', '2.16.840.1.113883.6.4', 'Insertion of endotracheal airway into trachea, via opening')}
      ${procedure('71046', '2.16.840.1.113883.6.96', 'Chest x-ray', '<translation code="71046" codeSystem="2.16.840.1.113883.6.12"/><translation code="71046" codeSystem="2.16.840.1.113883.6.12"/>')}
      ${procedure('399208008', '2.16.840.1.113883.6.96', 'Plain chest X-ray')}
      ${procedure('96.04', '2.16.840.1.113883.6.104', 'Insertion of endotracheal tube')}
    </section></component>`).replace(/(22\.2\.5\.1"\/>[\s\S]*?)(<\/section>)/, `$1
      ${problem('401.9', '2.16.840.1.113883.6.103', 'Essential hypertension')}
      ${problem('LOC-77', '1.2.840.999.1', undefined, '<originalText>Chronic pharyngitis</originalText>')}
    $2`);
  const rows = rowsOf(xml);

  test('a CPT translation is one line; ICD-10-PCS goes to the 837I; SNOMED CT and ICD-9-CM procedures go by name', () => {
    expect(role(rows, 'charges').map((c) => [c.code, c.codeSystem])).toEqual([['71046', 'CPT']]);
    expect(role(rows, 'procedures').map((c) => [c.code, c.codeSystem, c.description, c.date])).toEqual([
      ['0BH17EZ', 'ICD-10-PCS', 'Insertion of endotracheal airway into trachea, via opening', '2026-11-22'],
      ['399208008', 'SNOMED-CT', 'Plain chest X-ray', '2026-11-22'],
      ['96.04', 'ICD-9-CM', 'Insertion of endotracheal tube', '2026-11-22'],
    ]);
  });

  test('ICD-9-CM problems are ICD-9-CM; a local code system is OTHER, named from its original text', () => {
    const dx = role(rows, 'diagnoses').map((d) => [d.code, d.codeSystem, d.description]);
    expect(dx).toContainEqual(['401.9', 'ICD-9-CM', 'Essential hypertension']);
    expect(dx).toContainEqual(['LOC-77', 'OTHER', 'Chronic pharyngitis']);
  });
});

describe('bad documents are refused with file, location and a stable code', () => {
  const reject = (xml: string) => {
    const r = readCcdaDocument(xml, 'bad.xml', OPTIONS);
    if (r.ok) throw new Error('expected a reject');
    return r;
  };

  test.each([
    ['malformed XML', '<ClinicalDocument>\n  <recordTarget>\n</ClinicalDocument>', 'INGEST_DOCUMENT_MALFORMED', /line 3/],
    ['entity expansion', '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<ClinicalDocument>&lol2;</ClinicalDocument>', 'INGEST_DOCUMENT_ENTITY', /entity/],
    ['not a CDA document', '<Bundle><id/></Bundle>', 'INGEST_DOCUMENT_NOT_RECOGNIZED', /<Bundle>/],
    ['no patient id', '<ClinicalDocument><recordTarget><patientRole/></recordTarget></ClinicalDocument>', 'INGEST_REQUIRED_FIELD_MISSING', /patientRole has no id/],
  ])('%s', (_name, xml, code, message) => {
    const r = reject(xml);
    expect(r.code).toBe(code);
    expect(r.message).toMatch(message);
  });

  test('invalid UTF-8 is refused; a declared Latin-1 document is decoded', () => {
    expect(decodeDocumentBytes(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]))).toEqual({ error: expect.stringMatching(/not valid UTF-8/) });
    const latin1 = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>'), Buffer.from([0xe9]), Buffer.from('</a>')]);
    expect(decodeDocumentBytes(latin1)).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>');
  });
});

describe('nightcode run --pipeline pipelines/nightly-ccda.json', () => {
  test('a folder of documents runs; bad ones are quarantined and the rest go on; nothing is lost', () => {
    const input = join(dir, 'export');
    mkdirSync(input, { recursive: true });
    for (const f of readdirSync(SYNTHEA).slice(0, 4)) copyFileSync(join(SYNTHEA, f), join(input, f));
    writeFileSync(join(input, 'broken.xml'), '<ClinicalDocument>\n<component>\n</ClinicalDocument>');
    writeFileSync(join(input, 'discharge.xml'), FIXTURE);
    writeFileSync(join(input, 'big.xml'), `<ClinicalDocument>${' '.repeat(300_000)}</ClinicalDocument>`);
    writeFileSync(join(input, 'readme.txt'), 'not a document');
    // Two bad documents of eight: over the default 5% skip limit, so this site allows half.
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ run: { maxQuarantinedRatio: 0.5 } }));
    const pipeline = join(dir, 'ccda.json');
    writeFileSync(pipeline, JSON.stringify({ ...JSON.parse(readFileSync('pipelines/nightly-ccda.json', 'utf8')), documents: { maxBytes: 250_000, encounterRule: 'encompassing-or-latest' } }));
    const r = runCli(['--config', config, 'run', '--pipeline', pipeline, '--input', input, '--date', '2026-11-27', '--db', join(dir, 'n.db'), '--out', join(dir, 'out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { counts: Record<string, number>; reconciled: boolean };
    expect(summary.reconciled).toBe(true);
    // Summaries without payer, NPIs or charges still go through abstraction and coding and
    // end as exceptions naming what is missing; only the unreadable documents are quarantined.
    expect(summary.counts).toMatchObject({ input: 7, quarantined: 2, released: 0, exception: 5 });
    const quarantine = readFileSync(join(dir, 'out', 'nightly-ccda', '2026-11-27', 'quarantine.csv'), 'utf8');
    expect(quarantine).toMatch(/broken\.xml,3,,INGEST_DOCUMENT_MALFORMED,"broken\.xml: not well-formed XML at line 3, column 1/);
    expect(quarantine).toMatch(/big\.xml,1,,INGEST_DOCUMENT_TOO_LARGE,/);
    expect(quarantine).not.toMatch(/readme\.txt/);
    const exceptions = readFileSync(join(dir, 'out', 'nightly-ccda', '2026-11-27', 'exceptions.csv'), 'utf8');
    expect(exceptions).toMatch(/EDIT_PAYER_MISSING/);
    expect(exceptions).toMatch(/\/ClinicalDocument\/component\/structuredBody/);
  });
});

describe('the documents of one stay, from several files', () => {
  // The H&P of the same stay: another document id and type, a diagnosis of its own, the same
  // note section, and a discharge date that disagrees.
  const hp = FIXTURE.replace('extension="DOC-1"', 'extension="DOC-2"')
    .replace('<templateId root="2.16.840.1.113883.10.20.22.1.8"/>', '<templateId root="2.16.840.1.113883.10.20.22.1.3"/><code code="34117-2" codeSystem="2.16.840.1.113883.6.1"/>')
    .replace('<high value="20261126"/>', '<high value="20261127"/>')
    .replace('code="E11.9" codeSystem="2.16.840.1.113883.6.90" displayName="Type 2 diabetes"', 'code="E66.9" codeSystem="2.16.840.1.113883.6.90" displayName="Obesity"')
    .replace('Denies chest pain.', 'Admitted for IV antibiotics.');
  // Another patient whose encounter number is the same.
  const other = FIXTURE.replace('extension="MRN-9"', 'extension="MRN-10"').replace('extension="DOC-1"', 'extension="DOC-3"');
  const summary = FIXTURE.replace('<templateId root="2.16.840.1.113883.10.20.22.1.8"/>', '<templateId root="2.16.840.1.113883.10.20.22.1.8"/><code code="18842-5" codeSystem="2.16.840.1.113883.6.1"/>');

  test('merged into one record: every note, every coded entry once, provenance kept; two patients never merged', async () => {
    const { readCcdaExport } = await import('../../src/ingest/ccda/read-ccda-export.js');
    const folder = join(dir, 'stay');
    mkdirSync(folder, { recursive: true });
    const files = { 'a-summary.xml': summary, 'b-hp.xml': hp, 'c-other.xml': other };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
    const out = [];
    for await (const r of readCcdaExport(Object.keys(files).map((name) => ({ path: join(folder, name), name })), OPTIONS)) out.push(r);
    expect(out.map((r) => (r.ok === true ? r.rows.encounter.encounterId : r.ok))).toEqual(['MRN-9/ENC-77^1.2.3.5', 'MRN-10/ENC-77^1.2.3.5']);
    const stay = out[0]!;
    if (stay.ok !== true) throw new Error('not read');
    expect(role(stay.rows, 'diagnoses').map((d) => d.code)).toEqual(['E11.9', 'I10', 'J02.9', 'J18.9', 'E66.9']);
    const notes = stay.rows.children.filter((c) => c.role === 'notes');
    expect(notes.filter((n) => n.data.noteType === 'HPI').map((n) => [n.file, n.data.noteId])).toEqual([['a-summary.xml', 'DOC-1^1.2.3-hpi'], ['b-hp.xml', 'DOC-2^1.2.3-hpi']]);
    // The charge row both documents list is one line.
    expect(role(stay.rows, 'charges').map((c) => c.code)).toEqual(['71046']);
    expect(stay.rows.encounter.data).toMatchObject({ kind: 'institutional', dischargeDate: '2026-11-26', $documents: 'a-summary.xml|b-hp.xml' });
    expect(JSON.parse(stay.rows.encounter.data.$conflicts!)).toEqual([{ field: 'dischargeDate', kept: '2026-11-26', other: '2026-11-27', keptFrom: 'a-summary.xml', otherFrom: 'b-hp.xml' }]);
  });

  test('nightcode run: one claim for the stay, the conflict a finding, nothing quarantined as a duplicate', () => {
    const input = join(dir, 'stay-run');
    mkdirSync(input, { recursive: true });
    writeFileSync(join(input, 'a-summary.xml'), summary);
    writeFileSync(join(input, 'b-hp.xml'), hp);
    const r = runCli(['run', '--pipeline', 'pipelines/nightly-ccda.json', '--input', input, '--date', '2026-11-27', '--db', join(dir, 'stay.db'), '--out', join(dir, 'stay-out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { counts: Record<string, number> };
    expect(s.counts).toMatchObject({ input: 1, quarantined: 0 });
    const exceptions = readFileSync(join(dir, 'stay-out', 'nightly-ccda', '2026-11-27', 'exceptions.csv'), 'utf8');
    expect(exceptions).toMatch(/INGEST_VALUE_CONFLICT,ingest,"?dischargeDate differs between a-summary\.xml and b-hp\.xml \(kept 2026-11-26, not 2026-11-27\)/);
  });

  test('a discharge summary is an inpatient stay, and its in-stay procedures are billed', () => {
    const noClass = summary.replace('<code code="IMP" codeSystem="2.16.840.1.113883.5.4"/>', '').replace('<effectiveTime value="20261120"/></procedure>', '<effectiveTime value="20261123"/></procedure>');
    const rows = rowsOf(noClass);
    expect(rows.encounter.data).toMatchObject({ kind: 'institutional', admissionDate: '2026-11-20', dischargeDate: '2026-11-26' });
    expect(role(rows, 'charges')).toEqual([expect.objectContaining({ code: '71046', serviceDate: '2026-11-23' })]);
  });
});
