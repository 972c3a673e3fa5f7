/**
 * Team-owned procedure tables (code numbers only; no CPT descriptors).
 *
 * MODIFIERS: CPT Level I modifiers (CPT Appendix A) and the HCPCS Level II modifiers in
 * common use on professional and outpatient claims. A site billing others adds them in
 * config (`edits.extraModifiers`).
 */
export const MODIFIERS: ReadonlySet<string> = new Set([
  // CPT Level I
  '22', '23', '24', '25', '26', '27', '32', '33', '47', '50', '51', '52', '53', '54', '55', '56', '57', '58', '59', '62', '63',
  '66', '73', '74', '76', '77', '78', '79', '80', '81', '82', '90', '91', '92', '93', '95', '96', '97', '99',
  // HCPCS Level II: anatomic
  'LT', 'RT', 'E1', 'E2', 'E3', 'E4', 'FA', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'TA', 'T1', 'T2', 'T3', 'T4',
  'T5', 'T6', 'T7', 'T8', 'T9', 'LC', 'LD', 'LM', 'RC', 'RI',
  // distinct service, liability, teaching, telehealth, therapy, components, drugs, anesthesia, others
  'XE', 'XP', 'XS', 'XU', 'GA', 'GX', 'GY', 'GZ', 'GC', 'GE', 'GT', 'GQ', 'GN', 'GO', 'GP', 'GV', 'GW', 'KX', 'QW', 'Q5', 'Q6',
  'TC', 'JW', 'JZ', 'JG', 'JB', 'KO', 'KP', 'KQ', 'AA', 'AD', 'QK', 'QS', 'QX', 'QY', 'QZ', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6',
  'AS', 'AI', 'SA', 'SB', 'SG', 'CR', 'CS', 'ET', 'FX', 'FY', 'PO', 'PN', 'PD', 'CO', 'CQ', 'FQ', 'FR', 'FS', 'GK', 'KS', 'NU',
  'RR', 'UE', 'TB',
]);

/**
 * Add-on codes and the primary procedures they are reported with (CMS add-on code edits,
 * type 1: the primaries are listed). Team-selected common pairs; sites extend it in config
 * (`edits.addOnCodes`).
 */
export const ADD_ON_CODES: Readonly<Record<string, readonly string[]>> = {
  '99292': ['99291'],
  '11045': ['11042'],
  '11046': ['11043'],
  '11047': ['11044'],
  '11201': ['11200'],
  '11732': ['11730'],
  '17003': ['17000'],
  '15101': ['15100'],
  '64484': ['64483'],
  '64480': ['64479'],
  '22614': ['22612', '22630', '22633'],
  '90472': ['90460', '90471', '90473'],
  '90474': ['90471', '90473'],
  '96366': ['96365'],
  '96367': ['96365', '96374', '96409', '96413'],
  '96375': ['96365', '96374', '96409', '96413'],
  '96376': ['96374'],
  '96411': ['96409', '96413'],
  '96415': ['96413'],
  '96417': ['96413'],
  '20930': ['22319', '22532', '22533', '22548', '22551', '22554', '22556', '22558', '22590', '22595', '22600', '22610', '22612', '22630', '22633', '22800', '22802', '22804', '22808', '22810', '22812'],
};
