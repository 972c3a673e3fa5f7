import type { Assertion } from '../../contract/types.js';

/**
 * ConText-style assertion detection over one sentence: triggers open a scope forward
 * (pre) or backward (post) that ends at a terminator or the sentence end; pseudo-triggers
 * look like triggers but are not ("no increase", "gram negative"). Section context adds
 * family and surgical history.
 */
type TriggerKind = 'negated' | 'uncertain' | 'historical' | 'family' | 'hypothetical';

interface TriggerDef {
  kind: TriggerKind;
  direction: 'pre' | 'post';
  pattern: string;
}

const TRIGGERS: readonly TriggerDef[] = [
  // Negation (Chapman et al. NegEx trigger families, written anew).
  { kind: 'negated', direction: 'pre', pattern: 'no|not|denies|denied|deny|denying|without|negative for|is negative for|free of|absence of|absent|no evidence of|no signs? of|no history of|no h/o|no further|never had|ruled out|rules out|r/o negative|resolution of|non' },
  { kind: 'negated', direction: 'post', pattern: ': none|:\\s*negative|: no|is negative|are negative|was negative|were negative|was ruled out|were ruled out|has been ruled out|is ruled out|unlikely|not seen|not present|absent|is absent|not found|resolved' },
  // Uncertainty.
  { kind: 'uncertain', direction: 'pre', pattern: 'possible|possibly|probable|probably|suspected|suspect|suspicious for|likely|questionable|question of|rule out|r/o|consistent with|compatible with|concern for|concerning for|cannot exclude|cannot rule out|differential includes|presumed|presumptive|working diagnosis of|evaluate for|versus|vs\\.?' },
  { kind: 'uncertain', direction: 'post', pattern: 'is suspected|was suspected|is possible|is probable|versus|vs\\.?|\\?' },
  // History.
  { kind: 'historical', direction: 'pre', pattern: 'history of|hx of|h/o|s/p|status post|prior|previous|past|remote' },
  // Family members as experiencer.
  { kind: 'family', direction: 'pre', pattern: 'family history of|fhx of|fh of|(?:his|her|patient\'s|pt\'s) (?:mother|father|brother|sister|son|daughter|grandmother|grandfather|aunt|uncle|parents?)|mother|father|brother|sister|maternal|paternal' },
  // Hypothetical / future.
  { kind: 'hypothetical', direction: 'pre', pattern: 'return if|return for|return to (?:the )?(?:ed|er|clinic) (?:if|for)|call if|should (?:he|she|they|the patient) develop|if (?:he|she|they) develops?|in case of|watch for|monitor for|warning signs of|precautions for' },
];

/** Phrases containing a trigger word that are not triggers. */
const PSEUDO_TRIGGERS = 'no increase|no change|no significant change|not only|not necessarily|not certain if|not certain whether|gram negative|without difficulty|no longer|not drain|not cause|no new|history and physical|history and exam|past week|past month|past year|past few|family history is noncontributory|not been able';

/** Words that end a trigger's scope. */
const TERMINATORS = 'but|however|although|though|except|apart from|aside from|yet|which|who|because|since|presents? with|presenting with|complains? of|reports?|admits? to|c/o|and is|now';

function compile(alternatives: string): RegExp {
  // Word-boundary checks; alternatives that start with punctuation (": none", "?") need none before.
  return new RegExp(`(?:(?<![a-z0-9/])|(?=[:?]))(?:${alternatives})(?![a-z0-9])`, 'g');
}

const COMPILED = TRIGGERS.map((t) => ({ ...t, re: compile(t.pattern) }));
const PSEUDO_RE = compile(PSEUDO_TRIGGERS);
const TERMINATOR_RE = new RegExp(`(?<![a-z0-9])(?:${TERMINATORS})(?![a-z0-9])|;|:(?=\\s*[a-z])(?!\\s*(?:none|negative|no)\\b)`, 'g');

interface Hit {
  kind: TriggerKind;
  direction: 'pre' | 'post';
  start: number;
  end: number;
  text: string;
}

/** Triggers and terminators of one sentence, found once and shared by all its concepts. */
export interface SentenceContext {
  hits: Hit[];
  terminators: number[];
}

export function analyzeSentence(sentence: string): SentenceContext {
  const lower = sentence.toLowerCase();
  const masked: [number, number][] = [];
  PSEUDO_RE.lastIndex = 0;
  for (let m = PSEUDO_RE.exec(lower); m; m = PSEUDO_RE.exec(lower)) masked.push([m.index, m.index + m[0].length]);
  const inMask = (s: number, e: number) => masked.some(([a, b]) => s < b && e > a);
  const hits: Hit[] = [];
  for (const t of COMPILED) {
    t.re.lastIndex = 0;
    for (let m = t.re.exec(lower); m; m = t.re.exec(lower)) {
      if (m[0].length === 0) { t.re.lastIndex++; continue; }
      if (!inMask(m.index, m.index + m[0].length)) {
        hits.push({ kind: t.kind, direction: t.direction, start: m.index, end: m.index + m[0].length, text: m[0] });
      }
    }
  }
  const terminators: number[] = [];
  TERMINATOR_RE.lastIndex = 0;
  for (let m = TERMINATOR_RE.exec(lower); m; m = TERMINATOR_RE.exec(lower)) terminators.push(m.index);
  return { hits, terminators };
}

const PRIORITY: readonly TriggerKind[] = ['negated', 'hypothetical', 'family', 'uncertain', 'historical'];

export interface AssertionResult {
  assertion: Assertion;
  trigger?: string;
}

/**
 * The assertion of the concept at [start, end) of the sentence. Section names come
 * from section detection (family history and surgical history set the default).
 */
export function assertConcept(ctx: SentenceContext, start: number, end: number, section: string): AssertionResult {
  const blocked = (from: number, to: number) => ctx.terminators.some((p) => p >= from && p < to);
  const applicable = ctx.hits.filter((h) => {
    if (h.start < end && h.end > start) return false; // a trigger inside the concept is part of it
    if (h.direction === 'pre') return h.end <= start && !blocked(h.end, start);
    return h.start >= end && !blocked(end, h.start);
  });
  for (const kind of PRIORITY) {
    const candidates = applicable.filter((h) => h.kind === kind);
    if (candidates.length === 0) continue;
    // The nearest trigger of the winning kind is the one reported.
    const nearest = candidates.reduce((a, b) => (distance(a, start, end) <= distance(b, start, end) ? a : b));
    return { assertion: kind, trigger: nearest.text };
  }
  if (section === 'family_history') return { assertion: 'family', trigger: 'section: family history' };
  if (section === 'psh') return { assertion: 'historical', trigger: 'section: past surgical history' };
  return { assertion: 'present' };
}

function distance(h: Hit, start: number, end: number): number {
  return h.direction === 'pre' ? start - h.end : h.start - end;
}
