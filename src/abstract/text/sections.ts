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
  chief_complaint: ['chief complaint', 'cc', 'reason for visit', 'reason for encounter'],
  hpi: ['hpi', 'history of present illness', 'history of the present illness', 'present illness', 'interval history', 'subjective'],
  pmh: ['pmh', 'past medical history', 'medical history', 'pmhx', 'past history', 'problem list', 'active problems'],
  psh: ['psh', 'past surgical history', 'surgical history', 'pshx'],
  family_history: ['fh', 'family history', 'fhx', 'family hx'],
  social_history: ['sh', 'social history', 'shx', 'social hx'],
  medications: ['medications', 'meds', 'current medications', 'home medications'],
  allergies: ['allergies', 'allergy'],
  ros: ['ros', 'review of systems'],
  exam: ['exam', 'physical exam', 'physical examination', 'pe', 'objective', 'examination'],
  results: ['results', 'labs', 'laboratory', 'imaging', 'data', 'studies', 'diagnostics'],
  assessment: ['assessment', 'impression', 'assessment and plan', 'assessment/plan', 'a/p', 'a&p', 'clinical impression'],
  plan: ['plan', 'recommendations', 'disposition'],
  diagnoses: ['diagnoses', 'diagnosis', 'final diagnosis', 'final diagnoses', 'visit diagnoses'],
  procedures: ['procedures', 'procedure', 'procedures performed'],
  hospital_course: ['hospital course', 'course', 'ed course', 'brief hospital course'],
  discharge_diagnoses: ['discharge diagnoses', 'discharge diagnosis', 'principal diagnosis', 'secondary diagnoses'],
};

const HEADER_TO_SECTION = new Map<string, string>();
for (const [name, headers] of Object.entries(SECTION_HEADERS)) {
  for (const h of headers) HEADER_TO_SECTION.set(h, name);
}

// A header starts a line, is at most six words, and ends with a colon (or stands alone in capitals).
const HEADER_LINE = /^[ \t]*([A-Za-z][A-Za-z /&]{0,48}?)[ \t]*:[ \t]*|^[ \t]*([A-Z][A-Z /&]{1,48})[ \t]*$/gm;

export function detectSections(text: string): Section[] {
  const found: { name: string; headerStart: number; bodyStart: number }[] = [];
  HEADER_LINE.lastIndex = 0;
  for (let m = HEADER_LINE.exec(text); m; m = HEADER_LINE.exec(text)) {
    const label = (m[1] ?? m[2] ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
    const name = HEADER_TO_SECTION.get(label);
    if (name) found.push({ name, headerStart: m.index, bodyStart: m.index + m[0].length });
    if (m[0].length === 0) HEADER_LINE.lastIndex++;
  }
  const sections: Section[] = [];
  if (found.length === 0 || found[0]!.headerStart > 0) {
    sections.push({ name: 'unlabeled', start: 0, end: found[0]?.headerStart ?? text.length });
  }
  found.forEach((f, i) => sections.push({ name: f.name, start: f.bodyStart, end: found[i + 1]?.headerStart ?? text.length }));
  return sections.filter((s) => s.end > s.start);
}
