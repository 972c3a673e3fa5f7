/**
 * The ways a clinician writes what a code title or index term says. ICD-10-CM titles and
 * inclusion terms carry conventions that text never does (ICD-10-CM Official Guidelines,
 * Section I.A): nonessential modifiers in parentheses, "NOS" and "NEC", and qualifiers like
 * ", unspecified" that only say the code is the default. Each source term yields its
 * written-out variants; the matcher then compares normalized tokens.
 */

/** Qualifiers that mark the default (unspecified) code: a note never says them. */
const DEFAULT_QUALIFIERS: readonly RegExp[] = [
  /,?\s*unspecified(?: (?:site|side|type|part|organism|cause|laterality|severity|body region|whether [^,]*))?\b/g,
  /\bof unspecified (?:site|side|part|organ|body region|lower leg|upper arm|hand|foot|eye|ear|lung|kidney|limb|[a-z]+)\b/g,
  /,?\s*not elsewhere classified\b/g,
  /,?\s*\bNEC\b/g,
  /,?\s*\bNOS\b/g,
  /,?\s*site not specified\b/g,
  /,?\s*without (?:complications?|mention of [a-z ]+|(?:acute )?exacerbation|status [a-z ]+|coma|hyperosmolarity|intractability|hemorrhage|perforation|obstruction|gangrene|major complication)\b/g,
  /,?\s*not intractable\b/g,
  /,?\s*uncomplicated\b/g,
];

/** Parenthesized nonessential modifiers: "Hypertension (arterial) (benign)" → "hypertension". */
const PARENTHETICAL = /\s*\([^)]*\)/g;
/** Bracketed lists in inclusion terms name examples, not words of the term. */
const BRACKETED = /\s*\[[^\]]*\]/g;

/** Space, comma, semicolon, colon, hyphen: what a variant does not begin or end with. */
const EDGE = new Set([' ', ',', ';', ':', '-']);

function tidy(s: string): string {
  const t = s.replace(/\s+/g, ' ').replace(/ ,/g, ',');
  let from = 0;
  let to = t.length;
  while (from < to && EDGE.has(t[from]!)) from++;
  while (to > from && EDGE.has(t[to - 1]!)) to--;
  return from === 0 && to === t.length ? t : t.slice(from, to);
}

/**
 * Variants of one title or term, most literal first. "Essential (primary) hypertension" →
 * ["essential (primary) hypertension", "essential primary hypertension", "essential hypertension"];
 * "Fever, unspecified" → ["fever, unspecified", "fever"]; "Pneumonia, aspiration" (index
 * style) also → "aspiration pneumonia".
 */
export function termVariants(term: string): string[] {
  const out = new Set<string>();
  const add = (s: string) => {
    const t = tidy(s.toLowerCase());
    if (t.length >= 2) out.add(t);
  };
  const base = term.replace(BRACKETED, '');
  add(base);
  add(base.replace(/[()]/g, ' '));
  const noParens = base.replace(PARENTHETICAL, ' ');
  add(noParens);
  let plain = noParens;
  for (const re of DEFAULT_QUALIFIERS) plain = plain.replace(re, ' ');
  // "Unspecified jaundice", "Unspecified renal colic": the default code's title leads with it.
  plain = plain.replace(/^\s*unspecified\s+/i, '');
  add(plain);
  const tidyPlain = tidy(plain);
  // Z-code titles say in coding words what notes say plainly: "Personal history of urinary
  // calculi" is written "history of urinary calculi"; "Kidney transplant status" is "kidney
  // transplant"; "Presence of cardiac pacemaker" is "cardiac pacemaker".
  const plainZ = tidyPlain.replace(/^personal history of /i, 'history of ').replace(/ status$/i, '').replace(/^presence of /i, '');
  if (plainZ !== tidyPlain) add(plainZ);
  // Inverted index-style "Noun, adjective" (one comma, short parts) reads "adjective noun" in notes.
  const parts = tidyPlain.split(/\s*,\s*/);
  if (parts.length === 2 && parts[0]!.split(' ').length <= 3 && parts[1]!.split(' ').length <= 3) {
    add(`${parts[1]} ${parts[0]}`);
    add(`${parts[0]} ${parts[1]}`);
  }
  // "Tuberculosis of lung", "Abscess of spleen": notes put the organ first ("lung tuberculosis",
  // with the organ adjectives folded: "pulmonary tuberculosis"). One "of", short parts, no
  // list: "Sprain of ligament of ankle" or "Disorder of kidney and ureter" stay as written.
  // Not a default code's title ("Osteoarthritis of knee, unspecified"): the Index sends
  // "knee osteoarthritis" elsewhere (M17.1-), and the title is the code of last resort.
  const defaulted = tidyPlain.toLowerCase() !== tidy(noParens).toLowerCase();
  const of = defaulted ? null : /^([a-z][a-z-]*(?: [a-z][a-z-]*){0,2}) of (?:the )?([a-z][a-z-]*(?: [a-z][a-z-]*)?)$/.exec(tidyPlain.toLowerCase());
  if (of && !/\b(?:of|and|or|with|without|in|due|to|other|unspecified|specified)\b/.test(`${of[1]} ${of[2]}`)) add(`${of[2]} ${of[1]}`);
  return [...out].filter((v) => !/^(?:other|unspecified|and|of)$/.test(v));
}

/** Words of a part joined by "and": short names, not clauses. */
const SHORT_PART = /^[a-z][a-z-]*(?: [a-z][a-z-]*){0,2}$/i;
/**
 * A one-word part must be a disorder noun by its suffix ("hyponatremia", "thrombosis"): in
 * "Abdominal and pelvic pain" or "Renal and perinephric abscess" the first part is an
 * adjective sharing the head noun, not a term of its own.
 */
const DISORDER_WORD = /(?:ia|osis|itis|oma|emia|pathy|algia|rrhea|ism|plasia|trophy|ectasis|cele|uria|pnea|iasis|megaly|penia|cytosis)$/i;
/** A word that reads as an adjective by its ending ("acute", "renal", "congenital", "obstructive"). */
const ADJECTIVE = /(?:al|ic|ous|ar|ary|ory|ive|ed|ile|ent|ant|ute|oid)$/i;
const partOk = (part: string) => SHORT_PART.test(part) && (part.includes(' ') || DISORDER_WORD.test(part));

/**
 * "And" in a title means "and/or" (Guidelines I.A.14): "Hypo-osmolality and hyponatremia" is
 * coded for either. The readings of a title with one "and": "A and B of C" → "A of C", "B of C";
 * "X of A and B" → "X of A", "X of B"; "A and B" → A, B. Some such codes name both at once
 * ("Calculus of kidney and ureter"), so the caller weighs a part below the whole.
 */
export function andParts(term: string): string[] {
  const title = tidy(termVariants(term).at(-1) ?? '');
  if (title.split(/\band\b/i).length !== 2 || /,/.test(title)) return [];
  let m = /^(.+?) and (.+?) ((?:of|in) .+)$/i.exec(title);
  if (m && SHORT_PART.test(m[1]!) && SHORT_PART.test(m[2]!)) return [`${m[1]} ${m[3]}`, `${m[2]} ${m[3]}`];
  m = /^(.+ (?:of|in)) (.+?) and (.+)$/i.exec(title);
  if (m && SHORT_PART.test(m[2]!) && SHORT_PART.test(m[3]!)) return [`${m[1]} ${m[2]}`, `${m[1]} ${m[3]}`];
  m = /^(.+?) and (.+)$/i.exec(title);
  if (!m || !SHORT_PART.test(m[1]!) || !SHORT_PART.test(m[2]!)) return [];
  const [first, second] = [m[1]!, m[2]!];
  // Two adjectives sharing the head noun after them: "Acute and subacute iridocyclitis" is
  // acute iridocyclitis or subacute iridocyclitis, "Renal and perinephric abscess" a renal or
  // a perinephric abscess. (Not "Heart and lungs transplant status", nor "Suppurative and
  // unspecified otitis media": a noun, or no adjective, after "and".)
  const [qualifier, ...head] = second.split(' ');
  if (!first.includes(' ') && ADJECTIVE.test(first) && ADJECTIVE.test(qualifier!) && head.length > 0) return [`${first} ${head.join(' ')}`, second];
  return [first, second].filter(partOk);
}

/**
 * PCS long titles read "Root operation Body part, Approach" ("Excision of Right Upper Lung
 * Lobe, Percutaneous Endoscopic Approach"); notes name the operation and the part.
 */
export function pcsTitleVariants(title: string): string[] {
  const out = new Set<string>();
  const t = title.toLowerCase();
  out.add(tidy(t));
  const withoutApproach = t.replace(/,\s*(?:open|percutaneous|percutaneous endoscopic|via natural or artificial opening(?: endoscopic)?|external)(?: approach)?\s*$/, '');
  out.add(tidy(withoutApproach));
  return [...out];
}
