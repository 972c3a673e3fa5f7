/**
 * Section detection: EHR notes label their parts with headers written many ways
 * ("HPI:", "History of Present Illness", "A/P:"). Each header maps to one canonical name.
 */
export interface Section {
  name: string;
  /** Offset of the section body (after the header) and its end, in the note text. */
  start: number;
  end: number;
}

const SECTION_HEADERS: Record<string, readonly string[]> = {
  chief_complaint: ['chief complaint', 'cc', 'reason for visit', 'reason for encounter', 'presenting complaint', 'reason for consultation',
    'reason for consult', 'reason for referral', 'reason for admission', 'admission reason', 'complaint'],
  hpi: ['hpi', 'history of present illness', 'history of the present illness', 'history of presenting illness', 'present illness',
    'interval history', 'subjective', 'brief hpi', 'clinical history', 'patient history', 'history', 'indication', 'indications',
    'clinical indication', 'clinical information', 'case presentation'],
  pmh: ['pmh', 'past medical history', 'medical history', 'pmhx', 'past medical hx', 'medical hx', 'past history', 'problem list',
    'active problems', 'active problem list', 'medical problems', 'chronic problems', 'comorbidities', 'past medical and surgical history',
    'past medical/surgical history', 'significant past medical history', 'past illnesses', 'personal history'],
  psh: ['psh', 'past surgical history', 'surgical history', 'pshx', 'past surgical hx', 'surgical hx', 'prior surgeries', 'previous surgeries',
    'past surgeries', 'surgeries'],
  family_history: ['fh', 'family history', 'fhx', 'family hx', 'fam hx', 'family medical history'],
  social_history: ['sh', 'social history', 'shx', 'social hx', 'social', 'habits', 'substance use', 'toxic habits'],
  medications: ['medications', 'meds', 'current medications', 'current meds', 'home medications', 'home meds', 'outpatient medications',
    'medications on admission', 'admission medications', 'discharge medications', 'medication list', 'medications at home', 'usual medication',
    'usual treatment', 'current treatment'],
  allergies: ['allergies', 'allergy', 'drug allergies', 'allergies/adverse reactions', 'adverse reactions', 'allergies and intolerances'],
  ros: ['ros', 'review of systems', 'review of symptoms', 'systems review'],
  exam: ['exam', 'physical exam', 'physical examination', 'pe', 'objective', 'examination', 'physical', 'exam on admission',
    'physical exam on admission', 'admission exam', 'discharge exam', 'vital signs', 'vitals', 'general exam'],
  results: ['results', 'labs', 'laboratory', 'imaging', 'data', 'studies', 'diagnostics', 'pertinent results', 'laboratory data',
    'laboratory results', 'lab results', 'lab data', 'radiology', 'imaging studies', 'diagnostic studies', 'findings', 'microbiology',
    'pathology', 'ekg', 'ecg', 'complementary tests', 'additional tests'],
  assessment: ['assessment', 'impression', 'assessment and plan', 'assessment/plan', 'a/p', 'a&p', 'a & p', 'clinical impression',
    'impression and plan', 'impression/plan', 'assessment & plan', 'clinical assessment', 'medical decision making', 'mdm', 'summary',
    'conclusion', 'conclusions'],
  plan: ['plan', 'recommendations', 'recommendation', 'disposition', 'treatment plan', 'follow-up', 'follow up', 'instructions',
    'discharge instructions', 'patient instructions', 'treatment'],
  diagnoses: ['diagnoses', 'diagnosis', 'final diagnosis', 'final diagnoses', 'visit diagnoses', 'encounter diagnoses', 'clinical diagnosis',
    'working diagnosis', 'admitting diagnosis', 'admission diagnosis', 'preoperative diagnosis', 'pre-operative diagnosis',
    'postoperative diagnosis', 'post-operative diagnosis', 'problems addressed', 'differential diagnosis'],
  procedures: ['procedures', 'procedure', 'procedures performed', 'procedure performed', 'operation', 'operations', 'operations performed',
    'operative procedure', 'surgical procedures', 'major surgical or invasive procedure', 'procedure(s)', 'interventions'],
  hospital_course: ['hospital course', 'course', 'ed course', 'brief hospital course', 'clinical course', 'course in hospital',
    'hospital stay', 'summary of hospital course', 'evolution', 'clinical evolution'],
  discharge_diagnoses: ['discharge diagnoses', 'discharge diagnosis', 'diagnoses at discharge', 'principal diagnosis', 'primary diagnosis',
    'secondary diagnoses', 'secondary diagnosis', 'other diagnoses', 'discharge condition'],
};

const HEADER_TO_SECTION = new Map<string, string>();
for (const [name, headers] of Object.entries(SECTION_HEADERS)) {
  for (const h of headers) HEADER_TO_SECTION.set(h, name);
}

// A header starts a line, is at most six words, and ends with a colon (or stands alone in capitals).
export const HEADER_LINE = /^[ \t]*(?:\d{1,2}[.)][ \t]*)?([A-Za-z][A-Za-z /&()'-]{0,48}?)[ \t]*:[ \t]*|^[ \t]*([A-Z][A-Z /&()'-]{1,48})[ \t]*$/gm;

/**
 * HEADER_LINE tried at one line start. Both its alternatives begin at a line start and stay on
 * the line, so trying each line's start finds what a scan of the whole text finds; the scan
 * tested every character for a line start, and cost a note half as much as splitting it
 * into sentences.
 */
const HEADER_AT = new RegExp(HEADER_LINE.source, 'my');
/** What ends a line for `^` in a multiline expression besides "\n". */
const OTHER_BREAK = /[\r\u2028\u2029]/;
const LINE_BREAK = /[\n\r\u2028\u2029]/g;

/** The start of the line after the one `at` is on, or the text's length. */
function nextLine(text: string, at: number, onlyNewlines: boolean): number {
  if (onlyNewlines) {
    const brk = text.indexOf('\n', at);
    return brk < 0 ? text.length : brk + 1;
  }
  LINE_BREAK.lastIndex = at;
  const brk = LINE_BREAK.exec(text);
  return brk ? brk.index + 1 : text.length;
}

/** Every header line's match, in text order: what HEADER_LINE finds scanning the whole text. */
export function headerLines(text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const onlyNewlines = !OTHER_BREAK.test(text);
  for (let at = 0; at < text.length; at = nextLine(text, at, onlyNewlines)) {
    HEADER_AT.lastIndex = at;
    const m = HEADER_AT.exec(text);
    if (m) out.push(m);
  }
  return out;
}

export function detectSections(text: string): Section[] {
  const found: { name: string; headerStart: number; bodyStart: number }[] = [];
  for (const m of headerLines(text)) {
    const label = (m[1] ?? m[2] ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
    // "Procedure(s)", "Diagnosis/Diagnoses": the plain spelling names the section.
    const plain = label.replace(/\(s\)$/, 's').replace(/\/.*$/, '');
    const name = HEADER_TO_SECTION.get(label) ?? HEADER_TO_SECTION.get(plain);
    if (name) found.push({ name, headerStart: m.index, bodyStart: m.index + m[0].length });
  }
  const sections: Section[] = [];
  if (found.length === 0 || found[0]!.headerStart > 0) {
    sections.push({ name: 'unlabeled', start: 0, end: found[0]?.headerStart ?? text.length });
  }
  found.forEach((f, i) => sections.push({ name: f.name, start: f.bodyStart, end: found[i + 1]?.headerStart ?? text.length }));
  return sections.filter((s) => s.end > s.start);
}
