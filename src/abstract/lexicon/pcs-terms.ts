import { join } from 'node:path';
import type { CodeSet } from '../../codesets/reference-library.js';
import { DATA_DIR, readJsonData } from '../../paths.js';
import type { LexiconEntry } from './lexicon.js';

/**
 * ICD-10-PCS procedures as notes name them, from the axes of the code set in force rather
 * than from its long titles (which no note writes: "Computerized Tomography (CT Scan) of
 * Abdomen and Pelvis using Low Osmolar Contrast"). Codes sharing their first four characters
 * share section, body system, root operation (or imaging type) and body part (PCS Guidelines
 * A.2, B3, B4); what is left (approach, device, contrast, qualifier) a note rarely says. So
 * each 4-character prefix becomes terms — "abdominal ct", "ct of abdomen and pelvis",
 * "resection bladder", "nephrectomy" — that propose the prefix as a candidate, or the one code
 * when the prefix has only one. A prefix is evidence for a person or a learned site term,
 * never a claim code: the claim takes valid 7-character codes only.
 */
export interface PcsWords {
  modalities: Record<string, string[]>;
  operations: Record<string, string[]>;
  bodyWords: Record<string, string[]>;
  organProcedures: { word: string; operation: string; body: string }[];
}

export const PCS_WORDS_FILE = join(DATA_DIR, 'lexicon', 'pcs-procedure-words.json');

let cached: PcsWords | undefined;
export function loadPcsWords(file: string = PCS_WORDS_FILE): PcsWords {
  if (file === PCS_WORDS_FILE && cached) return cached;
  const words = readJsonData<PcsWords>(file);
  if (file === PCS_WORDS_FILE) cached = words;
  return words;
}

/** One 4-character prefix: what its codes share. */
export interface PcsPrefix {
  prefix: string;
  /** The code candidates name: the prefix, or its only code. */
  code: string;
  /** The words all its titles begin with ("Computerized Tomography (CT Scan) of Abdomen"). */
  head: string;
}

/** The common leading words of titles, without a trailing "using", "with" or comma. */
function commonHead(titles: readonly string[]): string {
  // What follows a comma is approach, qualifier or contrast ("Resection of Right Breast, Open Approach").
  const heads = titles.map((t) => t.split(',')[0]!.trim());
  let words = heads[0]!.split(' ');
  for (const t of heads.slice(1)) {
    const w = t.split(' ');
    let n = 0;
    while (n < words.length && n < w.length && words[n] === w[n]) n++;
    words = words.slice(0, n);
  }
  while (words.length > 0 && /^(?:using|with|of|to|and)$/i.test(words.at(-1)!)) words.pop();
  return words.join(' ');
}

/** Every 4-character prefix of sections 0 (medical and surgical) and B (imaging), with its head. */
export function pcsPrefixes(pcs: CodeSet): PcsPrefix[] {
  const groups = new Map<string, { codes: string[]; titles: string[] }>();
  for (const c of pcs.all()) {
    if (c.key.length !== 7 || (c.key[0] !== '0' && c.key[0] !== 'B')) continue;
    const prefix = c.key.slice(0, 4);
    let g = groups.get(prefix);
    if (!g) groups.set(prefix, (g = { codes: [], titles: [] }));
    g.codes.push(c.key);
    g.titles.push(c.title);
  }
  return [...groups].map(([prefix, g]) => ({ prefix, code: g.codes.length === 1 ? g.codes[0]! : prefix, head: commonHead(g.titles) }))
    .sort((a, b) => a.prefix.localeCompare(b.prefix));
}

/** Weight of a term built from PCS axes before a site's statistics re-weight it. */
export const PCS_AXIS_WEIGHT = 0.5;

type Side = 'right' | 'left' | 'bilateral';
/** An imaging type or root operation on one body part, with the prefix for each side. */
interface Target {
  kind: 'imaging' | 'operation';
  what: string;
  body: string;
  bySide: Partial<Record<Side | 'none', PcsPrefix>>;
}
/** Plural body part names of "Bilateral" rows whose singular is not the plural less an s. */
const SINGULAR: Record<string, string> = { Testes: 'Testis', Ovaries: 'Ovary', 'Fallopian Tubes': 'Fallopian Tube' };
/** A side before the body part; "Right and Left Heart" is one body part, not a right one. */
const SIDE = /^(Right|Left|Bilateral) (?!and )/;

/**
 * Terms for the prefixes: imaging as "{modality word} {body word}" (the matcher also finds
 * the words in another order within a statement), medical and surgical as "{operation word}
 * {body word}" and the team's organ words ("cystoscopy"). A body part with sides ("Right
 * Kidney", "Left Kidney") becomes one term whose laterality picks the prefix.
 */
export function pcsAxisEntries(pcs: CodeSet, words: PcsWords = loadPcsWords()): LexiconEntry[] {
  // One target per (operation or modality, body without side): the prefix by side.
  const targets = new Map<string, Target>();
  for (const p of pcsPrefixes(pcs)) {
    // "Resection of Bladder", "Plain Radiography of Chest"; some root operations take no "of" ("Repair Right Testis").
    const m = /^(.+?) of (.+)$/.exec(p.head) ?? /^(\w+) (.+)$/.exec(p.head);
    if (!m) continue;
    const [, what, bodyFull] = m as unknown as [string, string, string];
    const kind = p.prefix[0] === 'B' ? 'imaging' : 'operation';
    if (kind === 'imaging' ? !words.modalities[what] : !words.operations[what]) continue;
    const side = SIDE.exec(bodyFull)?.[1]?.toLowerCase() as Side | undefined;
    const body = side ? bodyFull.slice(SIDE.exec(bodyFull)![0].length) : bodyFull;
    // "Bilateral Kidneys" and "Kidney": one body part for the side to choose in.
    const base = side === 'bilateral' ? SINGULAR[body] ?? body.replace(/s$/, '') : body;
    const key = `${kind}|${what}|${base.toLowerCase()}`;
    let t = targets.get(key);
    if (!t) targets.set(key, (t = { kind, what, body: base, bySide: {} }));
    t.bySide[side ?? 'none'] ??= p;
  }
  const out: LexiconEntry[] = [];
  const entry = (term: string, t: Target, detail: string): LexiconEntry | undefined => {
    const none = t.bySide.none;
    const lateral = t.bySide.right || t.bySide.left;
    const main = none ?? t.bySide.right ?? t.bySide.left ?? t.bySide.bilateral;
    if (!main) return undefined;
    const laterality = lateral ? {
      ...(t.bySide.right ? { right: t.bySide.right.code } : {}), ...(t.bySide.left ? { left: t.bySide.left.code } : {}),
      ...(t.bySide.bilateral ? { bilateral: t.bySide.bilateral.code } : {}), ...(none ? { unspecified: none.code } : {}),
    } : undefined;
    return {
      code: main.code, system: 'ICD-10-PCS', title: main.head, term, symptom: false, source: 'pcs-axes', weight: PCS_AXIS_WEIGHT,
      detail: `ICD-10-PCS ${main.prefix}: ${detail}`, ...(laterality ? { laterality } : {}),
      // Imaging terms match out of order too: notes name the modality and the body part apart
      // ("the ultrasound showed a stone in the right kidney" is a right kidney ultrasound;
      // CodiEsp procedure F1 +0.007 dev, +0.012 train). Root-operation terms do not: their
      // words ("removal", "reduction", "puncture") are everywhere, and out of order they gained
      // little more (+0.001, +0.003) for about three times the matching time imaging added.
      ...(t.kind === 'operation' ? { asWritten: true as const } : {}),
    };
  };
  const bodyNames = (body: string) => [...new Set([body.toLowerCase(), ...(words.bodyWords[body.toLowerCase()] ?? [])])];
  const byOperationBody = new Map<string, Target>();
  for (const t of targets.values()) {
    const names = t.kind === 'imaging' ? words.modalities[t.what]! : words.operations[t.what]!;
    if (t.kind === 'operation') byOperationBody.set(`${t.what}|${t.body.toLowerCase()}`, t);
    for (const body of bodyNames(t.body)) {
      for (const name of names) {
        // As notes write them: "ct abdomen", "abdominal ct", "ct of the abdomen" (matched as written only).
        for (const term of [`${name} ${body}`, `${body} ${name}`, `${name} of ${body}`, `${name} of the ${body}`]) {
          const e = entry(term, t, `${t.what} of ${t.body}`);
          if (e) out.push(e);
        }
      }
    }
  }
  for (const o of words.organProcedures) {
    const t = byOperationBody.get(`${o.operation}|${o.body.toLowerCase()}`);
    const e = t ? entry(o.word, t, `${o.operation} of ${o.body}`) : undefined;
    if (e) out.push(e);
  }
  return out;
}
