/**
 * Modifiers a coder needs to choose the specific code, read from the words around a
 * concept in its sentence: side, acuity, severity, stage, diabetes type, episode of care,
 * pregnancy trimester and weeks, extent (localized, generalized), BMI. Links between two
 * findings of one sentence ("due to", "secondary to", "diabetic ...") are added by `linkFindings`. Team-written patterns; the
 * code choices they drive follow the ICD-10-CM Official Guidelines (I.B.13 laterality,
 * I.C.4.a diabetes type, I.C.14.a CKD stage, I.C.15.a trimester, I.C.19.a 7th characters,
 * I.C.21.c.3 BMI with an associated condition).
 */
import { sortSmall } from './small-sort.js';

export type Modifiers = Record<string, string>;

interface ModifierRule {
  name: string;
  /** Where to look: a window before the concept, after it, or both. */
  where: 'before' | 'after' | 'around';
  /** Characters of the window. */
  chars: number;
  re: RegExp;
  /** The value: a fixed one, or from the first capture group. */
  value: string | ((m: RegExpExecArray) => string);
  /** Only for concepts whose words match this (the rule's axis exists for them alone). */
  concept?: RegExp;
  /**
   * Text every match of `re` contains one of: a sentence holding none of them skips the rule
   * for all its concepts (`scanModifiers`). Without keys, the rule is tried for every concept.
   */
  keys?: readonly string[];
}

const ROMAN: Record<string, string> = { i: '1', ii: '2', iii: '3', iv: '4', v: '5' };
const stage = (m: RegExpExecArray) => {
  const raw = (m[1] ?? '').toLowerCase();
  return (ROMAN[raw.replace(/[ab]$/, '')] ?? raw.replace(/[ab]$/, '')) + (raw.match(/[ab]$/)?.[0] ?? '');
};

/** Concepts the Index divides into localized and generalized: enlarged lymph nodes, edema, swelling, abdominal pain. */
const EXTENT_CONCEPT = /lymph|adenopath|edema|oedema|swelling|pain/;

export const MODIFIER_RULES: readonly ModifierRule[] = [
  // Acuity qualifies its own list item: "chronic bronchitis, appendicitis" says nothing of the appendicitis.
  { name: 'acuity', where: 'before', chars: 30, re: /\bacute[- ]on[- ]chronic\b[^,;]*$/, value: 'acute-on-chronic', keys: ['acute'] },
  { name: 'acuity', where: 'before', chars: 25, re: /\b(?:acute|acutely)\b[^,;]*$/, value: 'acute', keys: ['acute'] },
  { name: 'acuity', where: 'before', chars: 25, re: /\b(?:subacute)\b[^,;]*$/, value: 'subacute', keys: ['subacute'] },
  { name: 'acuity', where: 'before', chars: 25, re: /\b(?:chronic|chronically|longstanding|long-standing)\b[^,;]*$/, value: 'chronic', keys: ['chronic', 'longstanding', 'long-standing'] },
  { name: 'severity', where: 'before', chars: 25, re: /\b(?:severe|severely|critical)\b/, value: 'severe', keys: ['severe', 'critical'] },
  { name: 'severity', where: 'before', chars: 25, re: /\bmoderate(?:ly)?\b/, value: 'moderate', keys: ['moderate'] },
  { name: 'severity', where: 'before', chars: 25, re: /\b(?:mild|mildly)\b/, value: 'mild', keys: ['mild'] },
  { name: 'severity', where: 'around', chars: 40, re: /\b(?:intractable|refractory)\b/, value: 'intractable', keys: ['intractable', 'refractory'] },
  // Exacerbation (COPD, asthma: J44.1, J45.x1) and its denial.
  { name: 'exacerbation', where: 'around', chars: 40, re: /\b(?:exacerbation|exacerbated|flare[- ]up|flare|attack)\b/, value: 'true', keys: ['exacerbat', 'flare', 'attack'] },
  // CKD stage 3a / stage IIIb, ESRD; pressure ulcer stage 1–4 / unstageable.
  { name: 'stage', where: 'around', chars: 30, re: /\bstage\s+(iv|iii[ab]?|ii|i|v|[1-5][ab]?)\b/, value: stage, keys: ['stage'] },
  { name: 'stage', where: 'around', chars: 30, re: /\b(?:ckd|chronic kidney disease)\s*(?:stage\s*)?([1-5][ab]?)\b/, value: stage, keys: ['ckd', 'chronic kidney disease'] },
  { name: 'stage', where: 'around', chars: 30, re: /\b(?:esrd|end[- ]stage renal disease|end[- ]stage kidney disease)\b/, value: 'end-stage', keys: ['esrd', 'stage renal disease', 'stage kidney disease'] },
  { name: 'stage', where: 'around', chars: 30, re: /\bunstageable\b/, value: 'unstageable', keys: ['unstageable'] },
  // Diabetes type (Guideline I.C.4.a.2: type unknown defaults to type 2, worth a query).
  { name: 'diabetesType', where: 'around', chars: 25, re: /\b(?:type\s*(?:1|i|one)\b|t1dm|dm1|iddm|juvenile)/, value: '1', keys: ['type', 't1dm', 'dm1', 'iddm', 'juvenile'] },
  { name: 'diabetesType', where: 'around', chars: 25, re: /\b(?:type\s*(?:2|ii|two)\b|t2dm|dm2|niddm)/, value: '2', keys: ['type', 't2dm', 'dm2', 'niddm'] },
  { name: 'diabetesType', where: 'around', chars: 25, re: /\b(?:gestational)\b/, value: 'gestational', keys: ['gestational'] },
  { name: 'diabetesType', where: 'around', chars: 30, re: /\b(?:steroid|drug|medication)[- ]induced\b/, value: 'drug-induced', keys: ['induced'] },
  // Episode of care for injuries (7th character A / D / S).
  { name: 'episode', where: 'around', chars: 60, re: /\b(?:sequela|sequelae|late effect)\b/, value: 'sequela', keys: ['sequela', 'late effect'] },
  { name: 'episode', where: 'around', chars: 60, re: /\b(?:follow[- ]up|subsequent|healing|routine healing|cast check|suture removal|recheck)\b/, value: 'subsequent', keys: ['follow', 'subsequent', 'healing', 'cast check', 'suture removal', 'recheck'] },
  { name: 'episode', where: 'around', chars: 60, re: /\b(?:initial|new injury|just (?:fell|injured)|today|this morning|yesterday|emergency)\b/, value: 'initial', keys: ['initial', 'new injury', 'just ', 'today', 'this morning', 'yesterday', 'emergency'] },
  // Pregnancy.
  { name: 'trimester', where: 'around', chars: 60, re: /\b(first|second|third|1st|2nd|3rd)\s+trimester\b/, value: (m) => ({ first: '1', '1st': '1', second: '2', '2nd': '2', third: '3', '3rd': '3' })[m[1]!] ?? m[1]!, keys: ['trimester'] },
  { name: 'gestationalWeeks', where: 'around', chars: 60, re: /\b(\d{1,2})(?:\s*(?:\+|and)\s*\d\/7)?\s*(?:weeks?|wks?)(?:'|\s+of)?\s*(?:gestation|pregnant|ga\b|pregnancy)/, value: (m) => m[1]!, keys: ['week', 'wk'] },
  { name: 'gestationalWeeks', where: 'around', chars: 60, re: /\bg\.?a\.?\s*(?:of\s*)?(\d{1,2})\s*(?:weeks?|wks?)/, value: (m) => m[1]!, keys: ['week', 'wk'] },
  // Extent: the Index's "localized" / "generalized" subterms (enlarged lymph nodes R59.0 / R59.1,
  // edema R60.0 / R60.1). A named site before the mention ("cervical lymphadenopathy", "ankle
  // edema") makes it localized.
  { name: 'extent', where: 'before', chars: 25, re: /\b(?:generali[sz]ed|diffuse|widespread|systemic)\b/, value: 'generalized', concept: EXTENT_CONCEPT, keys: ['generali', 'diffuse', 'widespread', 'systemic'] },
  { name: 'extent', where: 'around', chars: 25, re: /\b(?:locali[sz]ed|regional)\b/, value: 'localized', concept: EXTENT_CONCEPT, keys: ['locali', 'regional'] },
  { name: 'extent', where: 'before', chars: 20, concept: EXTENT_CONCEPT, re: /\b(?:(?:latero)?cervical|axillary|inguinal|mediastinal|(?:peri)?hilar|supraclavicular|submandibular|retroperitoneal|para-?aortic|paratracheal|subcarinal|mesenteric|iliac|popliteal|occipital|preauricular|jugular|peripancreatic|facial|periorbital|palpebral|pedal|ankles?|legs?|lower[- ](?:limbs?|extremit(?:y|ies))|hands?|feet|foot)\s+(?:\S+\s+)?\S+$/, value: 'localized' },
  // The same site after the word, as case reports write it ("edema in both lower limbs",
  // "adenopathies in the mediastinum"); a site of its own code (cerebral, pulmonary, macular
  // edema) is not in the list, nor a time ("edema in the evenings"). No screening keys: " in "
  // and " of " are in most sentences, and the concept test rules out all but a few mentions.
  { name: 'extent', where: 'after', chars: 60, concept: EXTENT_CONCEPT, re: /^\S+(?:\s+\S+){0,2}?\s+(?:in|of|on|at)\s+(?:(?:the|both|his|her|their|right|left|upper|lower|bilateral)\s+)*(?:neck|face|eyelids?|lips?|legs?|limbs?|extremit(?:y|ies)|hands?|feet|foot|ankles?|arms?|knees?|thighs?|groins?|axillae?|armpits?|mediastinum|hil(?:um|a)|scrotum|perineum|mandible|jaw)\b/, value: 'localized' },
  // BMI (Z68 codes need the value and an associated weight diagnosis).
  { name: 'bmi', where: 'around', chars: 80, re: /\b(?:bmi|body mass index)\s*(?:of|is|was|=|:)?\s*(\d{2}(?:\.\d)?)/, value: (m) => m[1]!, keys: ['bmi', 'body mass index'] },
];

const LATERALITY: readonly { re: RegExp; side: string; keys: readonly string[] }[] = [
  { re: /\b(?:bilateral|bilaterally|both)\b/, side: 'bilateral', keys: ['bilateral', 'both'] },
  { re: /\b(?:right|rt)\b/, side: 'right', keys: ['right', 'rt'] },
  { re: /\b(?:left|lt)\b/, side: 'left', keys: ['left', 'lt'] },
];

/** The patterns `scanModifiers` screens: the side words, then the rules, in order. */
const SCREENED: readonly { keys?: readonly string[] }[] = [...LATERALITY, ...MODIFIER_RULES];
export const KEYS: readonly string[] = [...new Set(SCREENED.flatMap((p) => p.keys ?? []))].sort((a, b) => b.length - a.length);
const escapeKey = (k: string) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The keys by their first character, longest first within each. */
const KEYS_BY_FIRST = new Map<string, string[]>();
for (const k of KEYS) KEYS_BY_FIRST.set(k[0]!, [...(KEYS_BY_FIRST.get(k[0]!) ?? []), escapeKey(k)]);
/**
 * Every key of every pattern, longest first, found wherever it starts (even inside a longer
 * one). Grouped by first character: only the group of the character at a position can match
 * there, in the same order, so the hits are those of the plain alternation of KEYS, found
 * without trying each key's first character at every position.
 */
export const KEY_RE = new RegExp([...KEYS_BY_FIRST.values()].map((group) => `(?:${group.join('|')})`).join('|'), 'g');
/** The patterns a key found in the text makes possible: its own, and those of every key inside it. */
const PATTERNS_OF_KEY = new Map(KEYS.map((key) => [key, SCREENED.flatMap((p, i) => (p.keys?.some((k) => key.includes(k)) ? [i] : []))]));

/**
 * Which patterns a sentence can match at all, found once for all its concepts (each concept
 * tried every pattern over its own windows, and most sentences name no side, stage or
 * trimester): 1 where the sentence holds one of the pattern's keys, or the pattern has none.
 * The same modifiers either way.
 */
export type ModifierScan = Uint8Array;

export function scanModifiers(sentenceLower: string): ModifierScan {
  const scan = new Uint8Array(SCREENED.length);
  for (let i = 0; i < SCREENED.length; i++) if (!SCREENED[i]!.keys) scan[i] = 1;
  KEY_RE.lastIndex = 0;
  for (let m = KEY_RE.exec(sentenceLower); m; m = KEY_RE.exec(sentenceLower)) {
    for (const i of PATTERNS_OF_KEY.get(m[0])!) scan[i] = 1;
    // A key may start inside the one just found ("dm1" in "t1dm1"): look again one character on.
    KEY_RE.lastIndex = m.index + 1;
  }
  return scan;
}

/**
 * Modifiers of the concept at [conceptStart, conceptEnd) of the lower-cased sentence; `scan`,
 * the sentence's `scanModifiers` when several concepts share it, skips what it cannot hold.
 */
export function findModifiers(sentenceLower: string, conceptStart: number, conceptEnd: number, scan?: ModifierScan): Modifiers {
  const mods: Modifiers = {};
  // Side words count within a short window ("left knee osteoarthritis", "otitis media of the right ear").
  let sideWindow: string | undefined;
  const sides: string[] = [];
  for (let i = 0; i < LATERALITY.length; i++) {
    if (scan?.[i] === 0) continue;
    sideWindow ??= sentenceLower.slice(Math.max(0, conceptStart - 40), Math.min(sentenceLower.length, conceptEnd + 40));
    if (LATERALITY[i]!.re.test(sideWindow)) sides.push(LATERALITY[i]!.side);
  }
  if (sides.includes('bilateral') || (sides.includes('right') && sides.includes('left'))) mods.laterality = 'bilateral';
  else if (sides.length === 1) mods.laterality = sides[0]!;
  let concept: string | undefined;
  for (let r = 0; r < MODIFIER_RULES.length; r++) {
    const rule = MODIFIER_RULES[r]!;
    if (scan?.[LATERALITY.length + r] === 0 || mods[rule.name] !== undefined) continue;
    if (rule.concept && !rule.concept.test((concept ??= sentenceLower.slice(conceptStart, conceptEnd)))) continue;
    const from = rule.where === 'after' ? conceptStart : Math.max(0, conceptStart - rule.chars);
    const to = rule.where === 'before' ? conceptEnd : Math.min(sentenceLower.length, conceptEnd + rule.chars);
    rule.re.lastIndex = 0;
    const m = rule.re.exec(sentenceLower.slice(from, to));
    if (m) mods[rule.name] = typeof rule.value === 'string' ? rule.value : rule.value(m);
  }
  return mods;
}

/** Words between two findings that make the first one caused by, or part of, the second. */
const LINKS: readonly [RegExp, string][] = [
  [/^\s*,?\s*(?:due to|secondary to|caused by|because of|from|as a result of|attributed to|related to|in the setting of)\s+(?:an?\s+|the\s+|his\s+|her\s+)?$/, 'due-to'],
  [/^\s*,?\s*(?:with|and associated|associated with|complicated by|complicating)\s+(?:an?\s+|the\s+)?$/, 'with'],
];

export interface LinkableFinding {
  start: number;
  end: number;
  text: string;
  modifiers: Modifiers;
}

/**
 * Links findings of one sentence that the text ties together: "nephropathy due to
 * diabetes", "pneumonia secondary to aspiration", "CKD with hypertension", and the
 * adjectives that name a cause ("diabetic nephropathy", "hypertensive heart disease").
 * The coding stage turns links into combination codes (Guideline I.A.15 "with").
 */
export function linkFindings(text: string, findings: readonly LinkableFinding[]): void {
  const sorted = findings.length < 2 ? findings : sortSmall([...findings], (a, b) => a.start - b.start);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    if (b.start < a.end) continue;
    const between = text.slice(a.end, b.start).toLowerCase();
    for (const [re, kind] of LINKS) {
      if (!re.test(between)) continue;
      a.modifiers.linkedTo = b.text;
      a.modifiers.link = kind;
      break;
    }
  }
  for (const f of findings) {
    const before = text.slice(Math.max(0, f.start - 14), f.start).toLowerCase();
    const own = f.text.toLowerCase();
    if (f.modifiers.linkedTo === undefined && (/\bdiabetic\s+$/.test(before) || /^diabetic\s/.test(own))) {
      f.modifiers.linkedTo = 'diabetes';
      f.modifiers.link = 'due-to';
    } else if (f.modifiers.linkedTo === undefined && (/\bhypertensive\s+$/.test(before) || /^hypertensive\s/.test(own))) {
      f.modifiers.linkedTo = 'hypertension';
      f.modifiers.link = 'due-to';
    }
  }
}
