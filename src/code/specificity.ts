import { icd10cmDisplay, withSeventhCharacter } from '../codesets/icd10cm-code.js';
import { addsWith, mostUnspecifiedChild, sideSibling, titleWords as words } from '../codesets/default-child.js';
import type { CodeInfo, CodeSet } from '../codesets/reference-library.js';

/** Documentation a coder would ask the physician for, and why. */
export interface DocumentationQuery {
  axis: 'laterality' | 'episode' | 'diabetes-type' | 'specificity';
  /** The code the query is about, as written on the claim. */
  code: string;
  message: string;
}

export interface Refined {
  key: string;
  steps: string[];
  queries: DocumentationQuery[];
  /** The code is a guess (side not documented, episode assumed): its confidence is capped here. */
  confidenceCap?: number;
  /**
   * Both sides documented where the code set has no bilateral code: `key` is the right
   * side's code and this the left side's (Guidelines I.B.13: "When a bilateral code is not
   * provided and the condition is bilateral, assign separate codes for both the left and
   * right side").
   */
  otherSide?: string;
}

/** A code chosen without the side documented is a guess (Guidelines I.B.13). */
export const UNDOCUMENTED_SIDE_CAP = 0.6;
/** A 7th character assumed for lack of documented episode of care. */
export const ASSUMED_EPISODE_CAP = 0.75;

/** What the documentation says about the axes a child code can differ on, as title words. */
function wantedWords(mods: Record<string, string>): { want: string[]; avoid: string[] } {
  const want: string[] = [];
  const avoid: string[] = [];
  const side = mods.laterality;
  if (side === 'right') { want.push('right'); avoid.push('left', 'bilateral'); }
  if (side === 'left') { want.push('left'); avoid.push('right', 'bilateral'); }
  if (side === 'bilateral') { want.push('bilateral'); avoid.push('right', 'left'); }
  switch (mods.acuity) {
    case 'acute-on-chronic': want.push('acute', 'on', 'chronic'); break;
    case 'acute': want.push('acute'); avoid.push('chronic'); break;
    case 'chronic': want.push('chronic'); avoid.push('acute'); break;
    case 'subacute': want.push('subacute'); break;
  }
  if (mods.severity === 'intractable') want.push('intractable');
  if (mods.stage) want.push(mods.stage === 'end-stage' ? 'end' : mods.stage, 'stage');
  if (mods.exacerbation === 'true') want.push('exacerbation');
  if (mods.extent === 'localized') { want.push('localized'); avoid.push('generalized'); }
  if (mods.extent === 'generalized') { want.push('generalized'); avoid.push('localized'); }
  return { want, avoid };
}

function score(info: CodeInfo, want: readonly string[], avoid: readonly string[]): number {
  const w = new Set(words(info.title));
  let s = 0;
  for (const x of want) if (w.has(x)) s += 1;
  for (const x of avoid) if (w.has(x)) s -= 2;
  // "not intractable", "without (acute) exacerbation" name the absence of what was documented.
  const lt = info.title.toLowerCase().replace(/[()]/g, '');
  for (const x of want) if ((x === 'intractable' || x === 'exacerbation') && new RegExp(`\\b(?:not|without) (?:acute )?${x}`).test(lt)) s -= 2;
  return s;
}

/** Words a sibling's title may add besides the documented axis: links, not conditions. */
const LINK_WORDS = new Set(['with', 'without', 'of', 'and', 'in', 'the', 'due', 'to', 'or', 'type']);

/**
 * A sibling names the same condition with the documented detail added ("Chronic obstructive
 * pulmonary disease with (acute) exacerbation" for J44.9 and "exacerbation"), not another
 * condition that happens to carry the word ("Chronic passive congestion of liver" is not
 * "Liver disease, unspecified" documented as chronic). Parenthesized words are explanations.
 */
function sameCondition(own: CodeInfo, sibling: CodeInfo, want: readonly string[]): boolean {
  const plain = (t: string) => words(t.replace(/\([^)]*\)/g, ' '));
  const mine = new Set(plain(own.title));
  return plain(sibling.title).every((w) => mine.has(w) || want.includes(w) || LINK_WORDS.has(w));
}

const isUnspecified = (info: CodeInfo) => /\bunspecified\b/i.test(info.title);
/**
 * The one child that is the condition "without" something (I25.10 "... without angina
 * pectoris" beside I25.11 "... with angina pectoris"; K70.10 "Alcoholic hepatitis without
 * ascites"), where no child is "unspecified". The "with" codes need the linked condition
 * documented (Guidelines I.A.15); when it is not, the condition is coded as without it,
 * which is also the Alphabetic Index's default for the bare term ("Arteriosclerosis,
 * coronary (artery) I25.10"; Guidelines I.A.18 default codes).
 */
function withoutChild(parent: CodeInfo, children: readonly CodeInfo[], sentence: string | undefined): CodeInfo | undefined {
  let without = children.filter((c) => /\bwithout\b/i.test(c.title));
  // Several "without" children (N40.0 "Benign prostatic hyperplasia without lower urinary
  // tract symptoms", N40.2 "Nodular prostate without ..."): the one that is the category's
  // own condition, its title before "without" (Index: "Hyperplasia, prostate N40.0"); not
  // where a child leaves it unspecified (S26.9 "Injury of heart, unspecified with or without
  // hemopericardium": the Index's S26.90, not S26.1 "... without hemopericardium").
  if (without.length > 1) {
    if (children.some((c) => isUnspecified(c))) return undefined;
    const own = words(parent.title).join(' ');
    without = without.filter((c) => words(c.title.replace(/\s*\bwithout\b.*$/i, '')).join(' ') === own);
  }
  if (without.length !== 1 || !children.some((c) => c !== without[0] && addsWith(c.title))) return undefined;
  // The sentence names what the code would deny ("... with angina" the modifiers do not
  // read): a person decides.
  const denied = words(without[0]!.title.replace(/^.*?\bwithout\b/i, '')).filter((w) => w.length > 3);
  const said = sentence ? sentence.toLowerCase().split(/[^a-z0-9]+/) : [];
  return denied.some((w) => said.includes(w)) ? undefined : without[0];
}

/**
 * Where a category has no default child, the one child the mention itself names: a word of
 * the mention (four letters or more) that the title of exactly one child has. "transaminase"
 * under R74.0 "Nonspecific elevation of levels of transaminase and lactic acid dehydrogenase"
 * is R74.01 "Elevation of levels of liver transaminase levels", not R74.02 (LDH): the
 * parent's "and" title covered both (Guidelines I.A.14), the mention names one. A word of a
 * parent's title without "and" names the category itself, not a child ("cholelithiasis" is
 * K80, not K80.8 "Other cholelithiasis"), and an "other" child is for a specified kind the
 * list does not name, never for the plain term.
 */
function namedChild(parent: CodeInfo, children: readonly CodeInfo[], mention: string | undefined): { child: CodeInfo; word: string } | undefined {
  if (!mention) return undefined;
  const own = /\band\b/i.test(parent.title) ? new Set<string>() : new Set(words(parent.title));
  const titles = children.map((c) => (/^other\b/i.test(c.title) ? new Set<string>() : new Set(words(c.title))));
  let found: { child: CodeInfo; word: string } | undefined;
  for (const w of new Set(words(mention))) {
    if (w.length < 4 || own.has(w)) continue;
    const having = titles.flatMap((t, i) => (t.has(w) ? [i] : []));
    if (having.length !== 1) continue;
    const child = children[having[0]!]!;
    // Two words naming two different children: the mention does not settle it.
    if (found && found.child !== child) return undefined;
    found ??= { child, word: w };
  }
  return found;
}
const isLateralFamily = (siblings: readonly CodeInfo[]) => siblings.some((c) => /\bright\b/i.test(c.title)) && siblings.some((c) => /\bleft\b/i.test(c.title));

/** 7th character for the documented episode of care (Guidelines I.C.19.a; fractures closed by default, I.C.19.c.1). */
function seventhFor(values: Record<string, string>, mods: Record<string, string>): { ch: string; assumed: boolean; why: string } {
  const entries = Object.entries(values);
  const episodic = entries.some(([, t]) => /encounter/i.test(t));
  if (!episodic) {
    const na = entries.find(([, t]) => /not applicable|unspecified/i.test(t)) ?? entries[0]!;
    return { ch: na[0], assumed: false, why: `7th character ${na[0]} (${na[1]})` };
  }
  const episode = mods.episode ?? 'initial';
  const open = mods.fracture === 'open';
  const match = (t: string) => {
    const lt = t.toLowerCase();
    if (episode === 'sequela') return lt.includes('sequela');
    if (!lt.includes(episode === 'subsequent' ? 'subsequent' : 'initial')) return false;
    if (lt.includes('fracture')) {
      if (open ? !lt.includes('open') : !lt.includes('closed')) return false;
      if (episode === 'subsequent' && !lt.includes('routine')) return false;
    }
    return true;
  };
  const hit = entries.find(([, t]) => match(t)) ?? entries.find(([k]) => k === 'A') ?? entries[0]!;
  return { ch: hit[0], assumed: mods.episode === undefined, why: `7th character ${hit[0]} (${hit[1]})` };
}

/**
 * The most specific code the documentation supports, from a candidate code (Guidelines
 * I.B.2, "level of detail in coding"): a header descends to the child the modifiers name
 * (side, acuity, stage, intractable), else to its "unspecified" child; a billable code with
 * an unspecified side moves to the documented side; a code that needs a 7th character gets
 * it from the episode of care, with placeholder X (I.A.4–5). Missing documentation becomes a
 * query rather than a guess.
 */
export function refineCode(inputKey: string, mods: Record<string, string>, cs: CodeSet | undefined, sentence?: string, mention?: string): Refined {
  const out: Refined = { key: inputKey, steps: [], queries: [] };
  if (!cs) return out;
  let info = cs.get(inputKey);
  // A code the release in force does not have (a site lexicon learned from claims coded in
  // an earlier year: T81.4XX before T81.4 was split into T81.40–T81.49 in FY2020) is coded
  // from its longest prefix this release has, whose children now carry the detail (I.A.2).
  const normal = info ? undefined : cs.normalize(inputKey);
  if (normal) {
    for (let n = normal.length - 1; n >= 3 && !info; n--) info = cs.get(normal.slice(0, n));
    if (info) out.steps.push(`${icd10cmDisplay(normal)} is not in ICD-10-CM ${cs.version.version}: coded from ${info.code} (${info.title})`);
  }
  const { want, avoid } = wantedWords(mods);
  for (let depth = 0; info && !info.billable && depth < 4; depth++) {
    const children = cs.childrenOf(info.key);
    if (children.length === 0) break;
    if (children.every((c) => c.key.length === 7) && cs.seventhCharacter(info.key)) break;
    const scored = children.map((c) => ({ c, s: score(c, want, avoid) })).sort((a, b) => b.s - a.s);
    const best = scored[0]!;
    let next: CodeInfo | undefined;
    if (best.s > 0 && (scored.length === 1 || scored[1]!.s < best.s)) {
      next = best.c;
      out.steps.push(`tabular: ${info.code} → ${next.code} (${next.title}) from documented ${want.filter((w) => words(next!.title).includes(w)).join(' ') || 'detail'}`);
    } else {
      next = mostUnspecifiedChild(children) ?? withoutChild(info, children, sentence);
      if (!next) {
        const named = namedChild(info, children, mention);
        if (named) {
          out.steps.push(`tabular: ${info.code} → ${named.child.code} (${named.child.title}): the mention says "${named.word}", which no other child names`);
          info = named.child;
          continue;
        }
        // No default child, and the mention names none: choosing one would be a guess.
        out.queries.push({ axis: 'specificity', code: info.code, message: `${info.code}: the documentation does not say which of ${children.slice(0, 4).map((c) => c.code).join(', ')}${children.length > 4 ? ', …' : ''} applies` });
        break;
      }
      out.steps.push(`tabular: ${info.code} → ${next.code} (${next.title}): documentation names no more detail`);
      if (isLateralFamily(children) && !mods.laterality) {
        out.queries.push({ axis: 'laterality', code: next.code, message: `${next.code}: side not documented; query the physician for right, left or bilateral` });
        out.confidenceCap = UNDOCUMENTED_SIDE_CAP;
      }
    }
    info = next;
  }
  // A billable "unspecified"/"uncomplicated" code whose sibling names what the note documents
  // (J44.9 → J44.1 "with (acute) exacerbation"; N18.9 → N18.4 "stage 4"), or one whose title
  // names what the note rules out (R59.1 "Generalized enlarged lymph nodes", the tabular's
  // "Lymphadenopathy NOS", for a cervical lymphadenopathy → R59.0 "Localized").
  if (info?.billable && info.parent && want.length > 0 && (/\b(?:unspecified|uncomplicated|without)\b/i.test(info.title) || score(info, [], avoid) < 0)) {
    const own = score(info, want, avoid);
    const current = info;
    const scored = cs.childrenOf(info.parent).filter((c) => c.billable && c.key !== current.key && sameCondition(current, c, want)).map((c) => ({ c, s: score(c, want, avoid) })).sort((a, b) => b.s - a.s);
    const best = scored[0];
    if (best && best.s > own && best.s > 0 && scored.filter((x) => x.s === best.s).length === 1) {
      out.steps.push(`tabular: ${info.code} → ${best.c.code} (${best.c.title}) from documented ${want.filter((w) => words(best.c.title).includes(w)).join(' ')}`);
      info = best.c;
    }
  }
  // Billable, or complete but for its 7th character (S63.509 "Unspecified sprain of unspecified wrist").
  if (info && (info.billable || cs.seventhCharacter(info.key)) && isUnspecified(info)) {
    const siblings = info.parent ? cs.childrenOf(info.parent) : [];
    if (mods.laterality && isLateralFamily(siblings)) {
      const side = mods.laterality;
      const current = info;
      const sided = (name: string) => sideSibling(current, siblings, name);
      const target = sided(side);
      const right = side === 'bilateral' && !target ? sided('right') : undefined;
      const left = right ? sided('left') : undefined;
      if (target) {
        out.steps.push(`laterality: ${info.code} → ${target.code} (${side} documented; Guidelines I.B.13)`);
        info = target;
      } else if (right && left) {
        out.steps.push(`laterality: ${info.code} → ${right.code} and ${left.code} (bilateral documented, no bilateral code: each side coded; Guidelines I.B.13)`);
        info = right;
        out.otherSide = left.key;
      }
    } else if (!mods.laterality && isLateralFamily(siblings) && siblings.some((x) => /\bright\b/i.test(x.title) && x.title.replace(/\bright\b/i, 'unspecified').toLowerCase() === info!.title.toLowerCase())) {
      if (!out.queries.some((q) => q.axis === 'laterality')) out.queries.push({ axis: 'laterality', code: info.code, message: `${info.code}: side not documented; query the physician for right, left or bilateral` });
      out.confidenceCap = UNDOCUMENTED_SIDE_CAP;
    }
  }
  let key = info?.key ?? cs.normalize(inputKey) ?? inputKey;
  const rule = cs.seventhCharacter(key);
  if (rule && key.length < 7 && (info === undefined || !info.billable)) {
    const pick = seventhFor(rule.values, mods);
    const full = withSeventhCharacter(key, pick.ch);
    if (cs.get(full) || !cs.get(key) || cs.childrenOf(key).length === 0 || cs.childrenOf(key).every((c) => c.key.length === 7)) {
      out.steps.push(`${pick.why} from ${rule.definedAt}${full.length - key.length > 1 ? ', placeholder X' : ''}${pick.assumed ? '; episode not documented, initial encounter assumed' : ''}`);
      if (pick.assumed) {
        out.queries.push({ axis: 'episode', code: icd10cmDisplay(full), message: `${icd10cmDisplay(full)}: episode of care not documented; initial encounter (active treatment) assumed` });
        out.confidenceCap = Math.min(out.confidenceCap ?? 1, ASSUMED_EPISODE_CAP);
      }
      key = full;
      // The other side's code is the same but for the side: the same 7th character.
      if (out.otherSide && out.otherSide.length < 7) out.otherSide = withSeventhCharacter(out.otherSide, pick.ch);
    }
  }
  out.key = key;
  return out;
}
