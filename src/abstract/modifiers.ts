/**
 * Modifiers a coder needs to choose the specific code: side, acuity, episode.
 * Read from the words around the concept in its sentence.
 */
const LATERALITY: readonly [RegExp, string][] = [
  [/\b(?:bilateral|bilaterally|both)\b/, 'bilateral'],
  [/\b(?:right|rt)\b/, 'right'],
  [/\b(?:left|lt)\b/, 'left'],
];

export function findModifiers(sentenceLower: string, conceptStart: number, conceptEnd: number): Record<string, string> {
  const mods: Record<string, string> = {};
  // Side words count within a short window around the concept ("left knee osteoarthritis",
  // "otitis media of the right ear").
  const window = sentenceLower.slice(Math.max(0, conceptStart - 40), Math.min(sentenceLower.length, conceptEnd + 40));
  const sides = LATERALITY.filter(([re]) => re.test(window)).map(([, side]) => side);
  if (sides.includes('bilateral') || (sides.includes('right') && sides.includes('left'))) mods.laterality = 'bilateral';
  else if (sides.length === 1) mods.laterality = sides[0]!;
  const before = sentenceLower.slice(Math.max(0, conceptStart - 25), conceptStart);
  if (/acute on chronic\s*$/.test(before)) mods.acuity = 'acute-on-chronic';
  else if (/\bacute\b/.test(before)) mods.acuity = 'acute';
  else if (/\bchronic\b/.test(before)) mods.acuity = 'chronic';
  if (/\b(?:severe)\b/.test(before)) mods.severity = 'severe';
  else if (/\b(?:moderate)\b/.test(before)) mods.severity = 'moderate';
  else if (/\b(?:mild)\b/.test(before)) mods.severity = 'mild';
  return mods;
}
