import type { CodeSet } from '../codesets/reference-library.js';

/**
 * ICD-10-PCS codes built from the documentation (ICD-10-PCS Official Guidelines A.1–A.2:
 * every code is seven axes, section, body system, root operation, body part, approach,
 * device, qualifier, and is valid only as a row of the tables). Our table names, for a
 * documented procedure, the root operation and body part as the PCS titles spell them;
 * the approach, device and qualifier come from the words of the note. The code is then
 * looked up among the titles of the PCS version in force, so only valid codes come out.
 */
export interface PcsProcedure {
  id: string;
  re: RegExp;
  operation: string;
  /** Body part as in PCS titles; `{side}` takes Right or Left. */
  body: string;
  approach: Approach;
  device?: string;
  qualifier?: string;
}

type Approach = 'Open Approach' | 'Percutaneous Approach' | 'Percutaneous Endoscopic Approach' | 'Via Natural or Artificial Opening' | 'Via Natural or Artificial Opening Endoscopic' | 'External Approach';
const APPROACHES: readonly Approach[] = ['Via Natural or Artificial Opening Endoscopic', 'Via Natural or Artificial Opening', 'Percutaneous Endoscopic Approach', 'Percutaneous Approach', 'Open Approach', 'External Approach'];

/** Team-written: common inpatient procedures, their root operation (PCS Guidelines B3) and body part (B4). */
export const PCS_PROCEDURES = [
  { id: 'appendectomy', re: /\bappendectomy\b/i, operation: 'Resection', body: 'Appendix', approach: 'Open Approach' },
  { id: 'cholecystectomy', re: /\bcholecystectomy\b/i, operation: 'Resection', body: 'Gallbladder', approach: 'Open Approach' },
  { id: 'splenectomy', re: /\bsplenectomy\b/i, operation: 'Resection', body: 'Spleen', approach: 'Open Approach' },
  { id: 'sigmoidectomy', re: /\bsigmoid(?:ectomy| colectomy)\b/i, operation: 'Resection', body: 'Sigmoid Colon', approach: 'Open Approach' },
  { id: 'hysterectomy', re: /\b(?:total )?hysterectomy\b/i, operation: 'Resection', body: 'Uterus', approach: 'Open Approach' },
  { id: 'thyroidectomy', re: /\btotal thyroidectomy\b/i, operation: 'Resection', body: 'Thyroid Gland', approach: 'Open Approach' },
  { id: 'tonsillectomy', re: /\btonsillectomy\b/i, operation: 'Resection', body: 'Tonsils', approach: 'Open Approach' },
  { id: 'mastectomy', re: /\b(?:total |simple )?mastectomy\b/i, operation: 'Resection', body: '{side} Breast', approach: 'Open Approach' },
  { id: 'nephrectomy', re: /\b(?:radical |total )?nephrectomy\b/i, operation: 'Resection', body: '{side} Kidney', approach: 'Open Approach' },
  { id: 'hip-replacement', re: /\b(?:total )?hip (?:replacement|arthroplasty)\b/i, operation: 'Replacement', body: '{side} Hip Joint', approach: 'Open Approach', device: 'Synthetic Substitute' },
  { id: 'knee-replacement', re: /\b(?:total )?knee (?:replacement|arthroplasty)\b/i, operation: 'Replacement', body: '{side} Knee Joint', approach: 'Open Approach', device: 'Synthetic Substitute' },
  { id: 'colonoscopy', re: /\bcolonoscopy\b/i, operation: 'Inspection', body: 'Lower Intestinal Tract', approach: 'Via Natural or Artificial Opening Endoscopic' },
  { id: 'egd', re: /\b(?:egd|esophagogastroduodenoscopy|upper endoscopy)\b/i, operation: 'Inspection', body: 'Upper Intestinal Tract', approach: 'Via Natural or Artificial Opening Endoscopic' },
  { id: 'bronchoscopy', re: /\bbronchoscopy\b/i, operation: 'Inspection', body: 'Tracheobronchial Tree', approach: 'Via Natural or Artificial Opening Endoscopic' },
  { id: 'cystoscopy', re: /\bcystoscopy\b/i, operation: 'Inspection', body: 'Bladder', approach: 'Via Natural or Artificial Opening Endoscopic' },
  { id: 'lumbar-puncture', re: /\b(?:lumbar puncture|spinal tap)\b/i, operation: 'Drainage', body: 'Spinal Canal', approach: 'Percutaneous Approach', qualifier: 'Diagnostic' },
  { id: 'thoracentesis', re: /\bthoracentesis\b/i, operation: 'Drainage', body: '{side} Pleural Cavity', approach: 'Percutaneous Approach' },
  { id: 'paracentesis', re: /\bparacentesis\b/i, operation: 'Drainage', body: 'Peritoneal Cavity', approach: 'Percutaneous Approach' },
  { id: 'cesarean', re: /\b(?:low transverse )?(?:cesarean|c-section)\b/i, operation: 'Extraction', body: 'Products of Conception', approach: 'Open Approach', qualifier: 'Low' },
  { id: 'circumcision', re: /\bcircumcision\b/i, operation: 'Resection', body: 'Prepuce', approach: 'External Approach' },
] as const satisfies readonly PcsProcedure[] as readonly PcsProcedure[];

/** Approach words (PCS Guidelines B5): the documented approach replaces the procedure's usual one. */
const APPROACH_WORDS: readonly [RegExp, Approach][] = [
  [/\b(?:laparoscopic|laparoscopically|thoracoscopic|arthroscopic|robotic|robot-assisted)\b/i, 'Percutaneous Endoscopic Approach'],
  [/\b(?:open|laparotomy|thoracotomy)\b/i, 'Open Approach'],
  [/\b(?:percutaneous|ultrasound-guided|ct-guided|needle)\b/i, 'Percutaneous Approach'],
];

interface TitleRow {
  code: string;
  device?: string;
  approach: string;
  qualifier?: string;
}

const indexes = new WeakMap<CodeSet, Map<string, TitleRow[]>>();

/** PCS titles by "root operation|body part", from the code set's long titles. */
function titleIndex(cs: CodeSet): Map<string, TitleRow[]> {
  let index = indexes.get(cs);
  if (index) return index;
  index = new Map();
  for (const c of cs.all()) {
    if (c.key.length !== 7) continue;
    const t = c.title;
    let at = -1;
    let approach = '';
    for (const a of APPROACHES) {
      const i = t.lastIndexOf(`, ${a}`);
      if (i >= 0 && (t.length === i + a.length + 2 || t[i + a.length + 2] === ',')) { at = i; approach = a; break; }
    }
    if (at < 0) continue;
    const head = t.slice(0, at);
    const m = /^(\w[\w ]*?) of (.+?)(?: with (.+))?$/.exec(head);
    if (!m) continue;
    // A qualifier may sit after the approach ("…, Diagnostic") or before it, after the body
    // part or device ("Products of Conception, Low, Open Approach"; "… Substitute, Cemented, …").
    const [body, ...bodyRest] = m[2]!.split(', ');
    const [device, ...deviceRest] = (m[3] ?? '').split(', ');
    const qualifier = t.slice(at + approach.length + 2).replace(/^, /, '') || [...bodyRest, ...deviceRest].join(', ') || undefined;
    const key = `${m[1]!.toLowerCase()}|${body!.toLowerCase()}`;
    const row: TitleRow = { code: c.key, approach, ...(device ? { device } : {}), ...(qualifier ? { qualifier } : {}) };
    const list = index.get(key);
    if (list) list.push(row);
    else index.set(key, [row]);
  }
  indexes.set(cs, index);
  return index;
}

export interface BuiltPcs {
  code: string;
  steps: string[];
  /** Why no code could be built (side not documented, no row in the tables). */
  problem?: string;
}

/** The PCS code for a documented procedure sentence, or the reason there is none. */
export function buildPcs(proc: PcsProcedure, sentence: string, laterality: string | undefined, cs: CodeSet): BuiltPcs {
  const steps = [`procedure "${proc.id}": root operation ${proc.operation} (PCS Guidelines B3), body part ${proc.body.replace('{side} ', '')}`];
  let body: string = proc.body;
  if (body.includes('{side}')) {
    if (laterality !== 'right' && laterality !== 'left') return { code: '', steps, problem: `${proc.id}: the side is not documented (${laterality ?? 'none'}); PCS has no code without it` };
    body = body.replace('{side}', laterality === 'right' ? 'Right' : 'Left');
    steps.push(`side ${laterality}`);
  }
  const approach = APPROACH_WORDS.find(([re]) => re.test(sentence))?.[1] ?? proc.approach;
  steps.push(`approach ${approach}${approach === proc.approach ? ' (usual for this procedure)' : ' (documented)'}`);
  const rows = titleIndex(cs).get(`${proc.operation.toLowerCase()}|${body.toLowerCase()}`) ?? [];
  const device = proc.device;
  const cemented = /\buncemented|cementless\b/i.test(sentence) ? 'Uncemented' : /\bcemented\b/i.test(sentence) ? 'Cemented' : undefined;
  const qualifier = proc.qualifier ?? cemented;
  const row = rows.find((r) => r.approach === approach && r.device === device && r.qualifier === qualifier)
    ?? rows.find((r) => r.approach === approach && r.device === device && r.qualifier === undefined);
  if (!row) return { code: '', steps, problem: `${proc.id}: no ${proc.operation} of ${body}${device ? ` with ${device}` : ''}, ${approach} in ICD-10-PCS ${cs.version.version}` };
  steps.push(`${device ? `device ${device}, ` : 'no device, '}${row.qualifier ? `qualifier ${row.qualifier}` : 'no qualifier'} → ${row.code} (${cs.title(row.code)})`);
  return { code: row.code, steps };
}

export interface DocumentedProcedure {
  proc: PcsProcedure;
  noteId: string;
  sentence: string;
  start: number;
  end: number;
  laterality?: string;
}

/** The procedures of an inpatient stay a PCS code is built from: performed, not planned, refused or past. */
/** One pass tells whether a note names any procedure of the table at all (most do not). */
const ANY_PROCEDURE = new RegExp(PCS_PROCEDURES.map((p) => p.re.source).join('|'), 'i');
const GLOBAL = PCS_PROCEDURES.map((proc) => [proc, new RegExp(proc.re.source, 'gi')] as const);

export function documentedProcedures(notes: readonly { id: string; text: string }[]): DocumentedProcedure[] {
  const out: DocumentedProcedure[] = [];
  for (const n of notes) {
    if (!ANY_PROCEDURE.test(n.text)) continue;
    for (const [proc, re] of GLOBAL) {
      re.lastIndex = 0;
      for (let m = re.exec(n.text); m; m = re.exec(n.text)) {
        const from = Math.max(n.text.lastIndexOf('.', m.index), n.text.lastIndexOf('\n', m.index)) + 1;
        const endDot = n.text.slice(m.index).search(/[.\n]/);
        const sentence = n.text.slice(from, endDot < 0 ? n.text.length : m.index + endDot).trim();
        const before = n.text.slice(Math.max(0, m.index - 60), m.index).toLowerCase();
        // Planned, scheduled or past procedures are not this stay's.
        if (/\b(?:plan(?:ned)?|schedul\w*|recommend\w*|consider\w*|will (?:undergo|need|have)|history of|s\/p|status post|prior|previous)\b/.test(before)) continue;
        if (/\b(?:declined|refused|deferred|cancel\w*)\b/i.test(sentence)) continue;
        const side = /\b(?:right|rt)\b/i.test(sentence) ? 'right' : /\b(?:left|lt)\b/i.test(sentence) ? 'left' : undefined;
        out.push({ proc, noteId: n.id, sentence, start: m.index, end: m.index + m[0].length, ...(side ? { laterality: side } : {}) });
      }
    }
  }
  return out;
}
