import type { CodedProcedure, Encounter, Issue, Note } from '../contract/types.js';
import { codingIssue } from './coding-context.js';
import type { TelehealthBilling, TelehealthConfig } from './telehealth-config.js';
import { TEAM_TELEHEALTH_CODES, TELEHEALTH_MODIFIERS } from './tables/telehealth.js';

export type { TelehealthBilling, TelehealthConfig } from './telehealth-config.js';

export const DEFAULT_TELEHEALTH: TelehealthBilling = { pos: 'telehealth', location: 'home', video: '95', audio: '93', codes: [] };

/** The billing in force for a payer; an empty code list is the team list. */
export function telehealthFor(config: TelehealthConfig | undefined, payerId: string | undefined): TelehealthBilling {
  const base = config ?? DEFAULT_TELEHEALTH;
  const own = payerId ? config?.payers?.[payerId] : undefined;
  const merged = { pos: base.pos, location: base.location, video: base.video, audio: base.audio, codes: base.codes, ...own };
  return { ...merged, codes: merged.codes.length > 0 ? merged.codes : TEAM_TELEHEALTH_CODES };
}

// What notes say about how the visit was held. Audio-only wins over video ("the video failed;
// completed by telephone"); an explicit in-person statement wins over both.
const AUDIO = /\b(audio[- ]only|telephone (visit|encounter|call|appointment)|phone (visit|call|appointment)|(by|via|over the) (tele)?phone)\b/gi;
const VIDEO = /\b(video (visit|call|conference|encounter|appointment)|via (secure |a )?video|telehealth (visit|encounter|appointment)|telemedicine (visit|encounter)|virtual (visit|encounter|appointment)|(synchronous )?audio[- ](and[- ])?video)\b/gi;
const IN_PERSON = /\b(seen in person|in[- ]person (visit|encounter|exam)|in the office today|presents to (the )?(clinic|office))\b/gi;
const NEGATED = /\b(no|not|declined|refused|unable to (do|complete|use)|instead of)\s+(an?\s+)?(\w+\s+){0,2}$/i;
const AT_HOME = /\b(patient|pt) (is |was )?(located )?(at|in|from) (his |her |their )?home\b|\b(at|in|from) (his|her|their|the patient's) home\b|\b(patient|pt) location:\s*home\b/i;
/** Any of the three, for one scan of a note that says none of them (most notes): the three are read only where it matches. */
const ANY_MODE = new RegExp([IN_PERSON, AUDIO, VIDEO].map((r) => `(?:${r.source})`).join('|'), 'i');
const ELSEWHERE = /\b(originating site|patient (is|was) at (the|a|our) (clinic|facility|hospital|nursing facility))\b/i;

/** The first match of a global pattern not negated just before it (the pattern's lastIndex is reset: compiled once, reused per note). */
function firstAffirmed(text: string, g: RegExp): RegExpExecArray | undefined {
  g.lastIndex = 0;
  for (let m = g.exec(text); m; m = g.exec(text)) {
    if (!NEGATED.test(text.slice(Math.max(0, m.index - 40), m.index))) return m;
  }
  return undefined;
}

/** What the notes say: video, audio-only, or in person, with the words and where the patient was. */
export function telehealthInNotes(notes: readonly Note[]): { mode: 'video' | 'audio' | 'none'; evidence: string; noteId: string; where?: 'home' | 'other' } | undefined {
  for (const n of notes) {
    if (!ANY_MODE.test(n.text)) continue;
    const inPerson = firstAffirmed(n.text, IN_PERSON);
    const audio = firstAffirmed(n.text, AUDIO);
    const video = firstAffirmed(n.text, VIDEO);
    const hit = inPerson ? { mode: 'none' as const, m: inPerson } : audio ? { mode: 'audio' as const, m: audio } : video ? { mode: 'video' as const, m: video } : undefined;
    if (!hit) continue;
    const where = AT_HOME.test(n.text) ? 'home' as const : ELSEWHERE.test(n.text) ? 'other' as const : undefined;
    return { mode: hit.mode, evidence: hit.m[0], noteId: n.id, ...(where ? { where } : {}) };
  }
  return undefined;
}

/**
 * A telehealth professional claim billed the way its payer wants: the telehealth place of
 * service (10 the patient at home, 02 elsewhere; CMS POS code set) unless the payer wants the
 * in-person one, and the payer's modifier (95 video, 93 audio-only by default) on each line
 * whose service is payable by telehealth. The export's place of service stands (a conflict is
 * an edit, not a silent change); the pipeline's default gives way. What the export says about
 * telehealth wins over the note; a note that says what the export does not is recorded.
 */
export function applyTelehealth(e: Encounter, lines: readonly CodedProcedure[], config: TelehealthConfig | undefined): { encounter: Encounter; lines: CodedProcedure[]; issues: Issue[] } {
  const issues: Issue[] = [];
  // Only professional claims are billed as telehealth: institutional notes are not scanned.
  if (e.kind !== 'professional') return { encounter: e, lines: [...lines], issues };
  const said = telehealthInNotes(e.notes);
  let encounter = e;
  if (!e.telehealth && said) {
    const note = e.notes.find((n) => n.id === said.noteId);
    encounter = { ...e, telehealth: { mode: said.mode, from: 'note', evidence: said.evidence, ...(said.where ? { where: said.where } : {}), ...(note ? { source: { ...note.source, path: `note ${note.id}` } } : {}) } };
  } else if (e.telehealth && said?.where && !e.telehealth.where) {
    encounter = { ...e, telehealth: { ...e.telehealth, where: said.where } };
  }
  const t = encounter.telehealth;
  if (!t || t.mode === 'none') return { encounter, lines: [...lines], issues };
  if (e.telehealth && said && said.mode !== e.telehealth.mode) {
    issues.push(codingIssue('CODE_TELEHEALTH_MODE', `the export says ${e.telehealth.mode === 'none' ? 'in person' : e.telehealth.mode}, the note says "${said.evidence}": billed as the export says; check which is right`, {
      ...(t.source ? { source: t.source } : {}),
    }));
  }
  const billing = telehealthFor(config, encounter.coverage.payerId);
  const pos = (t.where ?? billing.location) === 'home' ? '10' : '02';
  if (billing.pos === 'telehealth' && (!encounter.placeOfService || encounter.placeOfServiceDefaulted)) {
    const { placeOfServiceDefaulted: _d, ...rest } = encounter;
    encounter = { ...rest, placeOfService: pos };
  }
  const modifier = t.mode === 'audio' ? billing.audio : billing.video;
  const eligible = new Set(billing.codes);
  const out = lines.map((l) => {
    if (!modifier || !l.code || !eligible.has(l.code) || l.modifiers.some((m) => TELEHEALTH_MODIFIERS.has(m)) || l.modifiers.length >= 4) return l;
    return { ...l, modifiers: [...l.modifiers, modifier], rulePath: `${l.rulePath} → telehealth ${t.mode} (${t.from}): modifier ${modifier}` };
  });
  return { encounter, lines: out, issues };
}

