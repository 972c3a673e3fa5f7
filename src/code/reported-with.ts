import { icd10cmDisplay } from '../codesets/icd10cm-code.js';
import type { NotCoded } from './diagnosis-conventions.js';
import type { DxItem } from './dx-item.js';
import { matchesAny, type CodeSpec } from './tables/code-ranges.js';

/**
 * Codes reported only beside another, read from a documented value (abstraction's
 * measurements.ts): a note's "BMI 31" or "34 weeks of gestation" is a fact of the record,
 * not by itself a reason to put a code on the claim.
 * - Z68 BMI (Guidelines I.C.21.c.3): "only ... when there is an associated, reportable
 *   diagnosis (such as obesity or anorexia)", "not ... during pregnancy", and with values
 *   that fluctuate, "the most severe value". Adult codes are for persons 20 or older (Z68's
 *   tabular note; pediatric codes go by percentile).
 * - Z3A weeks of gestation (Z3A's tabular note): "only on the maternal record", after the
 *   pregnancy's own code ("code first ... (O09-O9A)", or the pregnant state coded in its
 *   place); one week per encounter.
 */

/**
 * The categories this rule decides. Their values are facts of the record wherever it gives
 * them (vital signs, the exam; Guidelines I.B.14: a BMI may come from clinicians other than
 * the provider), so the section a value stands in does not leave it off.
 */
export const REPORTED_WITH_CODES = ['Z68', 'Z3A'] as const satisfies readonly CodeSpec[];

/** The diagnoses a BMI is reported with: malnutrition, obesity, abnormal weight loss or gain, underweight, cachexia, anorexia nervosa. Team-written from I.C.21.c.3's examples. */
const BMI_ASSOCIATED = ['E40-E46', 'E66', 'R63.4', 'R63.5', 'R63.6', 'R64', 'F50.0'] as const satisfies readonly CodeSpec[];
/** The associated diagnoses whose severity lies in a high BMI. */
const BMI_HIGH = ['E66', 'R63.5'] as const satisfies readonly CodeSpec[];
/**
 * A pregnancy on the record: a chapter 15 code, or the pregnant state coded in its place (Z33.1
 * incidental, Guidelines I.C.15.a.1; Z34 routine supervision, I.C.15.b.1; Z36 antenatal
 * screening; Z37 the outcome of delivery, on the mother's record, I.C.15.b.5).
 */
const PREGNANCY = ['O00-O9A', 'Z33.1', 'Z34', 'Z36', 'Z37'] as const satisfies readonly CodeSpec[];

/**
 * Leaves off the BMI and weeks-of-gestation codes the record gives no reason to report, and
 * keeps one of each. `age`: the patient's age in whole years on the date of service, if known.
 */
export function applyReportedWith(items: Map<string, DxItem>, notCoded: NotCoded[], age: number | undefined): void {
  const all = [...items.values()];
  const bmi = all.filter((i) => i.key.startsWith('Z68'));
  const weeks = all.filter((i) => i.key.startsWith('Z3A'));
  if (bmi.length === 0 && weeks.length === 0) return;
  const pregnancy = all.find((i) => matchesAny(i.key, PREGNANCY));
  const associated = all.filter((i) => matchesAny(i.key, BMI_ASSOCIATED));
  const drop = (item: DxItem, reason: string) => {
    items.delete(item.key);
    notCoded.push({ code: icd10cmDisplay(item.key), rule: 'reported-with', reason });
  };
  const keptBmi: DxItem[] = [];
  for (const item of bmi) {
    if (item.origin === 'structured') continue;
    if (pregnancy) drop(item, `a BMI is not coded during pregnancy (${icd10cmDisplay(pregnancy.key)}; Guidelines I.C.21.c.3)`);
    else if (associated.length === 0) drop(item, 'a BMI is coded only with an associated reportable diagnosis such as obesity or anorexia, and none is coded (Guidelines I.C.21.c.3)');
    else if (age !== undefined && age < 20 && !item.key.startsWith('Z685')) drop(item, `adult BMI codes are for persons 20 or older; the patient is ${age} (Z68 tabular note)`);
    else keptBmi.push(item);
  }
  if (keptBmi.length > 1) {
    // Keys order the adult codes by value (Z681 < Z6820 < … < Z6845): the most severe is the
    // highest beside obesity or weight gain, the lowest beside malnutrition or underweight.
    const high = associated.some((i) => matchesAny(i.key, BMI_HIGH));
    const sorted = [...keptBmi].sort((a, b) => (a.key < b.key ? -1 : 1));
    const keep = high ? sorted.at(-1)! : sorted[0]!;
    for (const item of sorted) if (item !== keep) drop(item, `the record gives several BMI values: the most severe, ${icd10cmDisplay(keep.key)}, is coded (Guidelines I.C.21.c.3)`);
    keep.steps.push(`the most severe of ${sorted.length} documented BMI values (Guidelines I.C.21.c.3)`);
  }
  const keptWeeks: DxItem[] = [];
  for (const item of weeks) {
    if (item.origin === 'structured') continue;
    if (!pregnancy) drop(item, 'weeks of gestation are coded only on the maternal record, and no pregnancy is coded (Z3A tabular note: code first O09-O9A)');
    else keptWeeks.push(item);
  }
  if (keptWeeks.length > 1) {
    // The week the record gives first: an encounter's weeks are those at its start (a stay
    // that spans weeks is coded from the admission date).
    const first = keptWeeks.reduce((a, b) => (b.order < a.order ? b : a));
    for (const item of keptWeeks) if (item !== first) drop(item, `one week of gestation per encounter: ${icd10cmDisplay(first.key)}, the first the record gives, is coded`);
  }
}
