/**
 * Services a payer may pay when furnished by telehealth: the team's starting list, after the
 * CMS List of Medicare Telehealth Services (codes only; CPT descriptors belong to the AMA).
 * Office and outpatient E/M, subsequent hospital and nursing facility care, virtual
 * check-ins and e-visits, telephone and audio-video E/M (98000–98015 from 2025, 99441–99443
 * before), psychiatric diagnostic evaluation and psychotherapy, health behavior assessment,
 * medical nutrition therapy, smoking cessation, advance care planning, transitional care,
 * annual wellness visits and the telehealth consultation G-codes. Sites replace it with
 * their payers' lists (config `telehealth.codes`, or a payer's own).
 */
const RANGES: [string, string][] = [
  ['99202', '99205'], ['99211', '99215'], ['99231', '99233'], ['99238', '99239'], ['99307', '99310'],
  ['99421', '99423'], ['99441', '99443'], ['98966', '98968'], ['98970', '98972'], ['98000', '98015'],
  ['90785', '90785'], ['90791', '90792'], ['90832', '90840'], ['90845', '90847'], ['90853', '90853'],
  ['96156', '96171'], ['97802', '97804'], ['99406', '99407'], ['99495', '99498'],
  ['G0108', 'G0109'], ['G0270', 'G0270'], ['G0296', 'G0296'], ['G0396', 'G0397'], ['G0406', 'G0408'],
  ['G0425', 'G0427'], ['G0438', 'G0439'], ['G0442', 'G0447'], ['G0459', 'G0459'], ['G2010', 'G2010'],
  ['G2012', 'G2012'], ['G2250', 'G2252'],
];

function expand(from: string, to: string): string[] {
  const prefix = /^[A-Z]/.test(from) ? from[0]! : '';
  const a = Number(from.slice(prefix.length));
  const b = Number(to.slice(prefix.length));
  const width = from.length - prefix.length;
  return Array.from({ length: b - a + 1 }, (_, i) => `${prefix}${String(a + i).padStart(width, '0')}`);
}

export const TEAM_TELEHEALTH_CODES: readonly string[] = RANGES.flatMap(([a, b]) => expand(a, b));

/** Place of service codes of telehealth (CMS POS code set): 02 patient not at home, 10 patient at home. */
export const TELEHEALTH_POS = new Set(['02', '10']);
/**
 * Modifiers that say a service was furnished by telehealth: 95 synchronous audio-video, 93
 * audio-only, FQ audio-only (RHC/FQHC and some payers), GT interactive audio and video
 * (institutional, CAH method II), GQ asynchronous.
 */
export const TELEHEALTH_MODIFIERS = new Set(['95', '93', 'FQ', 'GT', 'GQ']);
export const AUDIO_MODIFIERS = new Set(['93', 'FQ']);
export const VIDEO_MODIFIERS = new Set(['95', 'GT']);
