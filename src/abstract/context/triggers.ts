/**
 * The trigger lexicon of assertion detection, after the ConText algorithm (Harkema,
 * Dowling, Thornblade, Chapman: "ConText: an algorithm for determining negation,
 * experiencer, and temporal status from clinical reports", J Biomed Inform 2009) and
 * NegEx (Chapman et al. 2001). Lists written for this project from those papers'
 * categories, not copied from an implementation.
 *
 * Each row is a regular-expression fragment matched on word boundaries in the lower-cased
 * sentence (whitespace in a phrase matches any run of whitespace). Where two rows overlap
 * the longer match wins, which is how "no history of" (negation) beats "history of"
 * (historical) and "gram negative" (pseudo) beats "negative" (negation).
 */
export type TriggerCategory = 'negated' | 'uncertain' | 'historical' | 'hypothetical' | 'other-experiencer' | 'pseudo';

/** forward: applies to what follows; backward: to what precedes; both: either side. */
export type ScopeDirection = 'forward' | 'backward' | 'both';

export interface TriggerRow {
  category: TriggerCategory;
  direction: ScopeDirection;
  phrases: readonly string[];
  /** Largest number of words between trigger and concept (default: to the end of the scope). */
  maxWords?: number;
}

export const TRIGGER_ROWS = [
  // --- Negation, preceding the finding ("denies chest pain", "no evidence of pneumonia").
  {
    category: 'negated', direction: 'forward', maxWords: 15, phrases: [
      'no', 'not', 'without', 'denies', 'denied', 'deny', 'denying', 'never', 'none of', 'nor',
      'negative for', 'is negative for', 'was negative for', 'were negative for', 'neg for',
      'free of', 'absence of', 'absent', 'no evidence of', 'no evidence for', 'without evidence of', 'no sign of', 'no signs of',
      'no symptoms of', 'no history of', 'no hx of', 'no h/o', 'no complaints of', 'no further', 'no new', 'no definite', 'no acute',
      'no abnormal', 'no suggestion of', 'no findings of', 'no findings to suggest', 'not demonstrate', 'does not demonstrate',
      'did not demonstrate', 'not show', 'does not show', 'did not show', 'not reveal', 'did not reveal', 'does not reveal',
      'not exhibit', 'did not exhibit', 'fails to reveal', 'failed to reveal', 'not have', 'does not have', 'did not have',
      'doesn\'t have', 'didn\'t have', 'has not had', 'had not had', 'not had', 'never had', 'never developed', 'not experienced',
      'not complain of', 'did not complain of', 'does not complain of', 'not feel', 'not appreciate', 'not appreciated',
      'rules out', 'ruled out', 'ruled him out for', 'ruled her out for', 'ruled the patient out for', 'rule him out for', 'rule her out for',
      'resolution of', 'resolved', 'negative', 'unremarkable for', 'no significant', 'no obvious', 'no other', 'not associated with',
      'no longer has', 'clear of', 'no known', 'test for .{0,30}? was negative',
    ],
  },
  // --- Negation, following the finding ("pneumonia was ruled out", "fever: none").
  {
    category: 'negated', direction: 'backward', maxWords: 6, phrases: [
      'is ruled out', 'was ruled out', 'were ruled out', 'are ruled out', 'has been ruled out', 'have been ruled out',
      'been ruled out', 'ruled out', 'is negative', 'was negative', 'were negative', 'are negative', 'is absent', 'was absent',
      'are absent', 'were absent', 'absent', 'not seen', 'not present', 'not identified', 'not noted', 'not found', 'not appreciated',
      'not demonstrated', 'not visualized', 'not detected', 'is not seen', 'was not seen', 'unlikely', 'is unlikely', 'was unlikely',
      'has resolved', 'had resolved', 'have resolved', 'resolved', 'free', 'denied', 'none', 'negative',
      // "Allergies: NKDA" — no known (drug) allergies.
      'nkda', 'nka', 'none known', 'no known',
    ],
  },
  // --- Uncertainty ("possible pneumonia", "rule out PE", "pneumonia versus bronchitis").
  {
    category: 'uncertain', direction: 'forward', phrases: [
      'possible', 'possibly', 'probable', 'probably', 'likely', 'most likely', 'suspected', 'suspect', 'suspicious for', 'suspicion of',
      'suspicion for', 'questionable', 'question of', 'questioned', 'rule out', 'r/o', 'to rule out', 'rule-out',
      'consistent with', 'compatible with', 'suggestive of', 'suggests', 'suggesting', 'concern for', 'concerning for', 'worrisome for',
      'cannot exclude', 'cannot rule out', 'can not rule out', 'could not rule out', 'not excluded', 'differential includes',
      'differential diagnosis includes', 'ddx', 'presumed', 'presumptive', 'working diagnosis of', 'evaluate for', 'evaluation for',
      'assess for', 'may have', 'may represent', 'may be', 'might be', 'could be', 'could represent', 'appears to be', 'thought to be',
      'felt to be', 'versus', 'vs', 'vs\\.', 'borderline', 'equivocal',
    ],
    maxWords: 8,
  },
  {
    category: 'uncertain', direction: 'backward', maxWords: 5, phrases: [
      'is suspected', 'was suspected', 'are suspected', 'suspected', 'is possible', 'is probable', 'is likely', 'is questionable',
      'versus', 'vs', 'vs\\.', 'not excluded', 'cannot be excluded', 'cannot be ruled out', 'can not be ruled out',
      'could not be ruled out', 'not ruled out', 'possible', 'probable', 'questionable', '\\?',
    ],
  },
  // --- History ("history of MI", "s/p CABG"). Section context (past medical history) adds more.
  {
    category: 'historical', direction: 'forward', phrases: [
      'history of', 'hx of', 'h/o', 'hx', 'past history of', 'past medical history of', 'past medical history significant for',
      'medical history of', 'medical history significant for', 'past medical history is significant for',
      'past medical history is positive for', 'past medical history includes', 'past medical history is notable for', 'remote history of', 'prior history of', 'known history of',
      'significant for a history of', 'with a history of', 'has a history of',
      // A duration ("a 15-year history of"): historical in ConText's sense (it began over two
      // weeks ago); the coding stage reads such a history as still going on.
      '(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many)[- ]years?[- ]history of',
      'long history of', 'longstanding history of', 'long-standing history of', 's/p', 'status post', 'previous', 'previously', 'prior',
      'remote', 'old', 'former', 'past', 'in the past', 'childhood', 'as a child', 'years ago',
    ],
    maxWords: 10,
  },
  {
    category: 'historical', direction: 'backward', maxWords: 8, phrases: [
      'in the past', 'years ago', 'months ago', 'as a child', 'in childhood', 'in the remote past', 'previously', 'in \\d{4}',
      'in the \\d{2,4}s', 'history', 'which resolved', 'that resolved',
    ],
  },
  // --- Hypothetical / future ("return if fever develops", "call for any bleeding").
  {
    category: 'hypothetical', direction: 'forward', phrases: [
      'if', 'return if', 'return for', 'call if', 'call for', 'call also for', 'call with', 'should he develop', 'should she develop',
      'should they develop', 'should the patient develop', 'should there be', 'in case of', 'in the event of', 'watch for', 'monitor for',
      'look for', 'warning signs of', 'precautions for', 'as needed for', 'as if', 'in case', 'unless', 'alert the physician if',
      'to prevent', 'prophylaxis', 'risk of', 'at risk for', 'risk for', 'screening for', 'screen for',
    ],
  },
  // --- Someone other than the patient ("mother had breast cancer", "family history of CAD").
  {
    category: 'other-experiencer', direction: 'forward', phrases: [
      'family history of', 'family history significant for', 'family history is significant for', 'family history positive for',
      'family hx of', 'fhx of', 'fh of', 'fh is positive for', 'fh is \\+ve for', 'fh \\+ve for', 'family history', 'fhx',
      '(?:his|her|their|patient\'s|pt\'s|the patient\'s|a) (?:mother|father|brother|sister|son|daughter|grandmother|grandfather|aunt|uncle|cousin|sibling|parent|parents|twin|wife|husband|spouse|child|children)(?:\'s| (?:had|has|have|with|died of|died from|passed away from|was diagnosed with|is diagnosed with|suffered from|suffers from|who had|who has))',
      '(?:mother|father|brother|sister|son|daughter|grandmother|grandfather|aunt|uncle|cousin|sibling|parents?|twin) (?:had|has|have|with|died of|died from|passed away from|was diagnosed with|suffered from|suffers from|who had|who has)',
      'maternal', 'paternal', 'relatives? with', 'family members? with',
    ],
  },
  {
    category: 'other-experiencer', direction: 'backward', maxWords: 5, phrases: [
      'in (?:his|her|their) (?:mother|father|brother|sister|son|daughter|grandmother|grandfather|aunt|uncle|cousin|parents|family)',
      'in (?:the )?family', 'runs in the family', 'in a (?:first-degree )?relative',
    ],
  },
  // --- Look like triggers but are not.
  {
    category: 'pseudo', direction: 'both', phrases: [
      'no increase', 'no increased', 'no decrease', 'no change in size', 'no change in the size', 'no significant change',
      'no interval change', 'no change from', 'no change since',
      'no suspicious change', 'not only', 'not necessarily', 'not certain if', 'not certain whether', 'not drain', 'not cause',
      'not extend', 'not on', 'not been able', 'not able', 'not tolerate', 'not know', 'not sure if', 'without difficulty', 'without any further',
      'no longer', 'gram negative', 'gram-negative', 'gram positive', 'negative pressure', 'rh negative', 'hiv negative status',
      'history and physical', 'history and exam', 'history of present illness', 'history of the present illness', 'social history',
      'history was obtained', 'history taking', 'past week', 'past month', 'past year', 'past few', 'past several', 'past two', 'past 24',
      'past \\d+', 'prior to', 'previous day', 'previous night', 'previous evening', 'family history is noncontributory', 'family history is negative',
      'family history negative', 'even if', 'as well as', 'whether or not', 'not rule out', 'rather than', 'if needed', 'if necessary',
      'or not', 'either side', 'either arm', 'either leg', 'and/or', 'not limited to', 'no further workup', 'no further treatment',
      'no further intervention', 'no further evaluation', 'old records', 'years old', 'year old', 'month old', 'week old', 'day old', 'yo',
      'y/o', 'not been', 'as previously noted', 'previously noted', 'as previously described', 'as previously seen',
      // "a two-day history of fever" is the present illness, not history.
      '(?:\\d+|one|two|three|four|five|six|seven|several|few|many)[- ](?:hour|day|week|month)s?[- ]history of', '(?:hours|days|weeks) history of',
    ],
  },
] as const satisfies readonly TriggerRow[];

/**
 * Words that end a trigger's scope: a new clause that asserts something else
 * ("denies chest pain but reports nausea"). Per ConText, a terminator stops every category.
 */
export const TERMINATOR_PHRASES = [
  // The next item of a numbered list ("1) esophagitis s/p biopsy 2) hiatal hernia").
  '\\d{1,2}\\)',
  'but', 'however', 'although', 'though', 'except', 'except for', 'apart from', 'aside from', 'yet', 'nevertheless', 'still',
  'which', 'who', 'whose', 'because', 'since', 'due to', 'secondary to', 'as a result of', 'presents with', 'presented with',
  'presenting with', 'present with', 'complains of', 'complained of', 'complaining of', 'c/o', 'reports', 'reported', 'reporting',
  'admits', 'admits to', 'admitted to', 'positive for', 'remarkable for', 'significant for', 'notable for', 'now', 'currently',
  'today', 'this time', 'at this time', 'now has', 'now with', 'found to have', 'diagnosed with', 'showed', 'shows', 'revealed',
  'reveals', 'demonstrated', 'demonstrates', 'confirmed', 'and has', 'and is', 'and was', 'and had', 'developed',
  'felt', 'states', 'stated',
  // A new clause with its own subject ("…, the patient remained stable", "and he is difficult to …").
  ', (?:he|she|they|the patient|patient) (?:is|was|are|were|remained|remains|has|had|have|will|did|does|became|appeared|appears)',
  'and (?:he|she|they|the patient|patient) (?:is|was|are|were|remained|remains|has|had|have|will|did|does|became|appeared|appears)',
  ';',
] as const;

/**
 * Terminators that do not end negation: a time word inside a negated list ("no chest pain
 * today or nausea") does not start a new assertion.
 */
export const NEGATION_CONTINUES: ReadonlySet<string> = new Set(['still', 'currently', 'today', 'now']);
