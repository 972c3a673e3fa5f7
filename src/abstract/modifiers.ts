/**
 * Modifiers a coder needs to choose the specific code, read from the words around a
 * concept in its sentence: side, acuity, severity, stage, diabetes type, episode of care,
 * pregnancy trimester and weeks, extent (localized, generalized), BMI. Links between two
 * findings of one sentence ("due to", "secondary to", "diabetic ...") are added by `linkFindings`. Team-written patterns; the
 * code choices they drive follow the ICD-10-CM Official Guidelines (I.B.13 laterality,
 * I.C.4.a diabetes type, I.C.14.a CKD stage, I.C.15.a trimester, I.C.19.a 7th characters,
 * I.C.21.c.3 BMI with an associated condition).
 */
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
  { name: 'acuity', where: 'before', chars: 30, re: /\bacute[- ]on[- ]chronic\b[^,;]*$/, value: 'acute-on-chronic' },
  { name: 'acuity', where: 'before', chars: 25, re: /\b(?:acute|acutely)\b[^,;]*$/, value: 'acute' },
  { name: 'acuity', where: 'before', chars: 25, re: /\b(?:subacute)\b[^,;]*$/, value: 'subacute' },
  { name: 'acuity', where: 'before', chars: 25, re: /\b(?:chronic|chronically|longstanding|long-standing)\b[^,;]*$/, value: 'chronic' },
  { name: 'severity', where: 'before', chars: 25, re: /\b(?:severe|severely|critical)\b/, value: 'severe' },
  { name: 'severity', where: 'before', chars: 25, re: /\bmoderate(?:ly)?\b/, value: 'moderate' },
  { name: 'severity', where: 'before', chars: 25, re: /\b(?:mild|mildly)\b/, value: 'mild' },
  { name: 'severity', where: 'around', chars: 40, re: /\b(?:intractable|refractory)\b/, value: 'intractable' },
  // Exacerbation (COPD, asthma: J44.1, J45.x1) and its denial.
  { name: 'exacerbation', where: 'around', chars: 40, re: /\b(?:exacerbation|exacerbated|flare[- ]up|flare|attack)\b/, value: 'true' },
  // CKD stage 3a / stage IIIb, ESRD; pressure ulcer stage 1–4 / unstageable.
  { name: 'stage', where: 'around', chars: 30, re: /\bstage\s+(iv|iii[ab]?|ii|i|v|[1-5][ab]?)\b/, value: stage },
  { name: 'stage', where: 'around', chars: 30, re: /\b(?:ckd|chronic kidney disease)\s*(?:stage\s*)?([1-5][ab]?)\b/, value: stage },
  { name: 'stage', where: 'around', chars: 30, re: /\b(?:esrd|end[- ]stage renal disease|end[- ]stage kidney disease)\b/, value: 'end-stage' },
  { name: 'stage', where: 'around', chars: 30, re: /\bunstageable\b/, value: 'unstageable' },
  // Diabetes type (Guideline I.C.4.a.2: type unknown defaults to type 2, worth a query).
  { name: 'diabetesType', where: 'around', chars: 25, re: /\b(?:type\s*(?:1|i|one)\b|t1dm|dm1|iddm|juvenile)/, value: '1' },
  { name: 'diabetesType', where: 'around', chars: 25, re: /\b(?:type\s*(?:2|ii|two)\b|t2dm|dm2|niddm)/, value: '2' },
  { name: 'diabetesType', where: 'around', chars: 25, re: /\b(?:gestational)\b/, value: 'gestational' },
  { name: 'diabetesType', where: 'around', chars: 30, re: /\b(?:steroid|drug|medication)[- ]induced\b/, value: 'drug-induced' },
  // Episode of care for injuries (7th character A / D / S).
  { name: 'episode', where: 'around', chars: 60, re: /\b(?:sequela|sequelae|late effect)\b/, value: 'sequela' },
  { name: 'episode', where: 'around', chars: 60, re: /\b(?:follow[- ]up|subsequent|healing|routine healing|cast check|suture removal|recheck)\b/, value: 'subsequent' },
  { name: 'episode', where: 'around', chars: 60, re: /\b(?:initial|new injury|just (?:fell|injured)|today|this morning|yesterday|emergency)\b/, value: 'initial' },
  // Pregnancy.
  { name: 'trimester', where: 'around', chars: 60, re: /\b(first|second|third|1st|2nd|3rd)\s+trimester\b/, value: (m) => ({ first: '1', '1st': '1', second: '2', '2nd': '2', third: '3', '3rd': '3' })[m[1]!] ?? m[1]! },
  { name: 'gestationalWeeks', where: 'around', chars: 60, re: /\b(\d{1,2})(?:\s*(?:\+|and)\s*\d\/7)?\s*(?:weeks?|wks?)(?:'|\s+of)?\s*(?:gestation|pregnant|ga\b|pregnancy)/, value: (m) => m[1]! },
  { name: 'gestationalWeeks', where: 'around', chars: 60, re: /\bg\.?a\.?\s*(?:of\s*)?(\d{1,2})\s*(?:weeks?|wks?)/, value: (m) => m[1]! },
  // Extent: the Index's "localized" / "generalized" subterms (enlarged lymph nodes R59.0 / R59.1,
  // edema R60.0 / R60.1). A named site before the mention ("cervical lymphadenopathy", "ankle
  // edema") makes it localized.
  { name: 'extent', where: 'before', chars: 25, re: /\b(?:generali[sz]ed|diffuse|widespread|systemic)\b/, value: 'generalized', concept: EXTENT_CONCEPT },
  { name: 'extent', where: 'around', chars: 25, re: /\b(?:locali[sz]ed|regional)\b/, value: 'localized', concept: EXTENT_CONCEPT },
  { name: 'extent', where: 'before', chars: 20, concept: EXTENT_CONCEPT, re: /\b(?:(?:latero)?cervical|axillary|inguinal|mediastinal|(?:peri)?hilar|supraclavicular|submandibular|retroperitoneal|para-?aortic|paratracheal|subcarinal|mesenteric|iliac|popliteal|occipital|preauricular|jugular|peripancreatic|facial|periorbital|palpebral|pedal|ankles?|legs?|lower[- ](?:limbs?|extremit(?:y|ies))|hands?|feet|foot)\s+(?:\S+\s+)?\S+$/, value: 'localized' },
  // BMI (Z68 codes need the value and an associated weight diagnosis).
  { name: 'bmi', where: 'around', chars: 80, re: /\b(?:bmi|body mass index)\s*(?:of|is|was|=|:)?\s*(\d{2}(?:\.\d)?)/, value: (m) => m[1]! },
];

const LATERALITY: readonly [RegExp, string][] = [
  [/\b(?:bilateral|bilaterally|both)\b/, 'bilateral'],
  [/\b(?:right|rt)\b/, 'right'],
  [/\b(?:left|lt)\b/, 'left'],
];

/** Modifiers of the concept at [conceptStart, conceptEnd) of the lower-cased sentence. */
export function findModifiers(sentenceLower: string, conceptStart: number, conceptEnd: number): Modifiers {
  const mods: Modifiers = {};
  // Side words count within a short window ("left knee osteoarthritis", "otitis media of the right ear").
  const sideWindow = sentenceLower.slice(Math.max(0, conceptStart - 40), Math.min(sentenceLower.length, conceptEnd + 40));
  const sides = LATERALITY.filter(([re]) => re.test(sideWindow)).map(([, side]) => side);
  if (sides.includes('bilateral') || (sides.includes('right') && sides.includes('left'))) mods.laterality = 'bilateral';
  else if (sides.length === 1) mods.laterality = sides[0]!;
  let concept: string | undefined;
  for (const rule of MODIFIER_RULES) {
    if (mods[rule.name] !== undefined) continue;
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
  const sorted = [...findings].sort((a, b) => a.start - b.start);
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
