/**
 * The conventions the coding stage applies to a diagnosis list, each with the guideline
 * behind it (ICD-10-CM Official Guidelines for Coding and Reporting, FY2021). Every code
 * abstraction proposed and coding left off names one of them (`NotCoded.rule`), and
 * `nightcode eval --rule-costs` measures what each costs or gains by coding with it
 * switched off (`CodingContext.rulesOff`; the nightly run never switches one off).
 */
export const CODING_RULES = {
  'nested-mention': 'a term inside a longer mention is coded as part of the whole ("pain" in "low back pain"; Guidelines I.B.2, I.B.5)',
  'one-code-per-mention': 'one code per mention: overlapping readings of the same words in one category keep the better one (Guidelines I.B.2)',
  'non-coding-section': 'diagnoses are not coded from drug, allergy and social-history lists, the review of systems, the exam and results (Guidelines III.B, IV.K: abnormal findings are not coded unless the provider states their significance)',
  'negated-hypothetical': 'negated, ruled-out and hypothetical conditions are not coded (Guidelines IV.H, II.H)',
  'family-history': 'a relative\'s condition is a family-history code, not the patient\'s (Guidelines I.C.21.c.4)',
  'personal-history': 'a past condition no longer present is a personal-history code; chronic conditions still treated are current (Guidelines I.C.21.c.4, IV.J)',
  'uncertain': 'uncertain diagnoses are coded as established only at inpatient discharge (Guidelines II.H, III.C; IV.H outpatient)',
  'specificity': 'the most specific code the documentation supports: laterality, acuity, stage, type, 7th character (Guidelines I.B.2, I.A.5, I.B.13)',
  'diabetes-type': 'the documented diabetes type picks the category; undocumented is type 2 (Guidelines I.C.4.a.2)',
  'status-codes': 'status codes for devices, transplants, dependence on machines and long-term drugs (Guidelines I.C.21.c.3)',
  'combinations': 'combination codes and the "with" convention (Guidelines I.B.9, I.A.15, I.C.4.a, I.C.9.a)',
  'code-notes': '"use additional code" and "code first" notes of the tabular (Guidelines I.A.13, I.B.7)',
  'reported-with': 'codes reported only beside another: a BMI with an associated reportable diagnosis such as obesity, never in pregnancy, its most severe value once (Guidelines I.C.21.c.3); weeks of gestation on the maternal record only, with a pregnancy code (Z3A tabular note)',
  'integral-symptoms': 'signs and symptoms routinely part of a confirmed diagnosis are not coded (Guidelines I.B.5, IV.D)',
  'excludes1': 'two codes an Excludes1 note separates are not coded together (Guidelines I.A.12.a)',
  'diagnosis-limit': 'the claim carries at most 12 (837P) or 25 (837I) diagnoses (X12 5010 HI segments)',
  'not-significant': 'an inpatient claim reports the significant procedures: surgical, with a procedural or anesthetic risk, or needing specialized training (UHDDS, 50 FR 31038); an external measurement or monitoring read from a note (ICD-10-PCS section 4, approach X: ECG, EEG, Holter, visual acuity) is none, and a facility reports it by its own policy',
} as const;

export type CodingRule = keyof typeof CODING_RULES;

export const CODING_RULE_IDS = Object.keys(CODING_RULES) as CodingRule[];

/** Whether a rule applies: all do, unless an evaluation switched it off to measure it. */
export const ruleOn = (off: ReadonlySet<CodingRule> | undefined, rule: CodingRule) => !off?.has(rule);
