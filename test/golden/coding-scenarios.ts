/**
 * Golden coding scenarios, written by the team from the ICD-10-CM Official Guidelines for
 * Coding and Reporting (FY2021), the ICD-10-PCS Official Guidelines, CPT modifier
 * conventions and the NCCI policy manual. Each names the convention it exercises. Notes are
 * our own short clinical texts; no guideline or code-book text is copied.
 *
 * `dx` is the expected diagnosis list in claim order; the other expectations are checked
 * only when given. Charges are written `CODE[:MOD…][xUNITS]`.
 */
export interface Scenario {
  id: string;
  guideline: string;
  setting: 'outpatient' | 'inpatient';
  note: string;
  exported?: { dx?: string[]; charges?: string[] };
  expect: {
    dx?: string[];
    poa?: string[];
    pcs?: string[];
    lines?: string[];
    em?: string;
    issues?: string[];
    noIssues?: string[];
    /** The claim goes to a person (confidence below 0.8). */
    lowConfidence?: boolean;
  };
}

const O = 'outpatient' as const;
const I = 'inpatient' as const;

export const SCENARIOS: Scenario[] = [
  // ── Most specific code: laterality, acuity, stage, type, 7th character (I.B.2, I.B.13, I.A.4–5, I.C.19.a)
  { id: 'lat-right-knee-oa', guideline: 'I.B.13 laterality', setting: O, note: 'Assessment: right knee osteoarthritis.', expect: { dx: ['M17.11'] } },
  { id: 'lat-left-knee-oa', guideline: 'I.B.13 laterality', setting: O, note: 'Assessment: osteoarthritis of the left knee.', expect: { dx: ['M17.12'] } },
  { id: 'lat-bilateral-knee-oa', guideline: 'I.B.13 laterality: bilateral code', setting: O, note: 'Assessment: bilateral knee osteoarthritis.', expect: { dx: ['M17.0'] } },
  { id: 'lat-unknown-knee-oa', guideline: 'I.B.13 unspecified side only when not documented; query', setting: O, note: 'Assessment: knee osteoarthritis.', expect: { dx: ['M17.10'], issues: ['CODE_QUERY_LATERALITY'], lowConfidence: true } },
  { id: 'lat-otitis-right', guideline: 'I.B.13 laterality', setting: O, note: 'Assessment: otitis media of the right ear.', expect: { dx: ['H66.91'] } },
  { id: 'lat-otitis-both', guideline: 'I.B.13 laterality: both sides', setting: O, note: 'Assessment: otitis media in both ears.', expect: { dx: ['H66.93'] } },
  { id: 'lat-bilateral-no-code', guideline: 'I.B.13 "When a bilateral code is not provided and the condition is bilateral, assign separate codes for both the left and right side"', setting: O, note: 'Assessment: pain in both knees.', expect: { dx: ['M25.561', 'M25.562'] } },
  { id: 'lat-bilateral-no-code-title-order', guideline: 'I.B.13 both sides coded; the unspecified code titled "Pain in leg, unspecified"', setting: O, note: 'Assessment: pain in both legs.', expect: { dx: ['M79.604', 'M79.605'] } },
  { id: 'lat-bilateral-no-code-seventh', guideline: 'I.B.13 both sides coded, each with the 7th character for the episode (I.C.19.a)', setting: O, note: 'Assessment: sprain of both wrists, initial encounter.', expect: { dx: ['S63.501A', 'S63.502A'] } },
  { id: 'spec-unspecified-child-not-with', guideline: 'I.A.15 / I.B.2: the default child never adds a condition "with" it: K26.9 "Duodenal ulcer, unspecified as acute or chronic, without hemorrhage or perforation", not K26.4 "Chronic or unspecified duodenal ulcer with hemorrhage"', setting: O, note: 'Assessment: duodenal ulcer.', expect: { dx: ['K26.9'] } },
  { id: 'spec-category-title-default-child', guideline: 'I.B.2 / I.A.18: a category title written alone ("ankylosing spondylitis", M45, not billable) is its child left most unspecified, M45.9 "Ankylosing spondylitis of unspecified sites in spine"', setting: O, note: 'Assessment: ankylosing spondylitis.', expect: { dx: ['M45.9'] } },
  { id: 'spec-most-unspecified-child', guideline: 'I.B.13 / I.B.2: with no side documented, the child unspecified in every axis ("Unspecified sprain of unspecified wrist"), not one whose "unspecified" is about the kind of sprain; the side is queried', setting: O, note: 'Assessment: sprain of the wrist, initial encounter.', expect: { dx: ['S63.509A'], issues: ['CODE_QUERY_LATERALITY'] } },
  { id: 'lat-otitis-unknown', guideline: 'I.B.13 unspecified side; query', setting: O, note: 'Assessment: otitis media.', expect: { dx: ['H66.90'], issues: ['CODE_QUERY_LATERALITY'], lowConfidence: true } },
  { id: 'acuity-acute-on-chronic-hf', guideline: 'I.B.8 acute and chronic: combination code for acute on chronic', setting: O, note: 'Assessment: acute on chronic systolic heart failure.', expect: { dx: ['I50.23'] } },
  { id: 'acuity-chronic-diastolic-hf', guideline: 'I.B.2 level of detail: type and acuity of heart failure', setting: O, note: 'Assessment: chronic diastolic heart failure.', expect: { dx: ['I50.32'] } },
  { id: 'acuity-acute-sinusitis', guideline: 'I.B.2 level of detail: acuity', setting: O, note: 'Assessment: acute sinusitis.', expect: { dx: ['J01.90'] } },
  { id: 'exacerbation-copd', guideline: 'I.B.2: the code naming the exacerbation', setting: O, note: 'Assessment: COPD with acute exacerbation.', expect: { dx: ['J44.1'] } },
  { id: 'exacerbation-asthma', guideline: 'I.B.2: the code naming the exacerbation', setting: O, note: 'Assessment: asthma exacerbation.', expect: { dx: ['J45.901'] } },
  { id: 'asthma-uncomplicated', guideline: 'I.B.2: uncomplicated when no exacerbation is documented', setting: O, note: 'Assessment: asthma, well controlled.', expect: { dx: ['J45.909'] } },
  { id: 'migraine-intractable', guideline: 'I.B.2: intractable documented', setting: O, note: 'Assessment: intractable migraine.', expect: { dx: ['G43.919'] } },
  { id: 'spec-sibling-other-condition', guideline: 'I.B.2: "chronic" does not make liver disease the chronic passive congestion of K76.1; only a sibling naming the same condition is more specific', setting: O, note: 'Assessment: chronic liver disease.', expect: { dx: ['K76.9'] } },
  { id: 'spec-without-default-cad', guideline: 'I.A.15 / I.A.18: a "with" code needs the linked condition documented; without it the "without" child (Index: Arteriosclerosis, coronary I25.10)', setting: O, note: 'Assessment: coronary atherosclerosis.', expect: { dx: ['I25.10'], noIssues: ['CODE_QUERY_SPECIFICITY'] } },
  { id: 'spec-without-default-alcoholic-hepatitis', guideline: 'I.A.15 / I.A.18: "without ascites" when no ascites is documented', setting: O, note: 'Assessment: alcoholic hepatitis.', expect: { dx: ['K70.10'], noIssues: ['CODE_QUERY_SPECIFICITY'] } },
  { id: 'spec-without-not-assumed', guideline: 'I.A.15: no "without" code when the sentence names what it would deny; the physician is asked', setting: O, note: 'Assessment: coronary atherosclerosis; angina on exertion last month.', expect: { issues: ['CODE_QUERY_SPECIFICITY'] } },
  { id: 'spec-with-documented', guideline: 'I.A.15: the "with" child when the linked condition is documented', setting: O, note: 'Assessment: alcoholic hepatitis with ascites.', expect: { dx: ['K70.11'] } },
  { id: 'excludes1-pain-by-site', guideline: 'I.A.12.a / R52 Excludes1 "localized pain, unspecified type - code to pain by site ... joint pain (M25.5-)": a side left unspecified does not make the site code unspecified', setting: O, note: 'Assessment: pain in the knee.', expect: { dx: ['M25.569'] } },
  { id: 'excludes1-symptom-gives-way', guideline: 'I.A.12.a / R52 Excludes1 "code to pain by site ... back pain (M54.9)"; I.B.4: a sign is not the more specific code', setting: O, note: 'Assessment: back pain; pain is worse at night.', expect: { dx: ['M54.9'] } },
  { id: 'excludes1-specified-stays', guideline: 'I.A.12.a / I.B.2: of two codes an Excludes1 note separates, an unspecified one gives way to the specified diagnosis', setting: O, note: 'Assessment: sepsis. Sepsis due to Streptococcus pneumoniae.', expect: { dx: ['A40.3'] } },
  { id: 'ooo-reading-own-words', guideline: 'I.B.2 one code per mention: a reading found out of order ("generalized … pain") holds only its own words, not the mentions between them', setting: O, note: 'HPI: generalized weakness and epigastric colic pain.', expect: { dx: ['R53.1', 'R10.13'] } },
  { id: 'extent-localized-nodes', guideline: 'I.B.2 / Index "Enlarged, lymph gland or node, localized R59.0": a named site makes it localized', setting: O, note: 'Assessment: cervical lymphadenopathy.', expect: { dx: ['R59.0'] } },
  { id: 'extent-generalized-nodes', guideline: 'I.B.2 / Index "Enlarged, lymph gland or node, generalized R59.1"', setting: O, note: 'Assessment: generalized lymphadenopathy.', expect: { dx: ['R59.1'] } },
  { id: 'extent-localized-edema', guideline: 'I.B.2 / Index "Edema, localized R60.0"', setting: O, note: 'Assessment: ankle edema.', expect: { dx: ['R60.0'] } },
  { id: 'extent-localized-edema-after', guideline: 'I.B.2 / Index "Edema, localized R60.0", "legs R60.0": the site may follow the word', setting: O, note: 'Assessment: edema in both lower limbs.', expect: { dx: ['R60.0'] } },
  { id: 'extent-localized-nodes-after', guideline: 'I.B.2 / Index "Enlarged, lymph gland or node, localized R59.0": a site after the word', setting: O, note: 'Assessment: lymphadenopathy in the neck.', expect: { dx: ['R59.0'] } },
  { id: 'extent-edema-time-not-site', guideline: 'Index "Edema R60.9": "in the evening" names no site', setting: O, note: 'Assessment: edema in the evenings.', expect: { dx: ['R60.9'] } },
  { id: 'extent-nodes-nos', guideline: 'Tabular: "Lymphadenopathy NOS" is an inclusion term of R59.1', setting: O, note: 'Assessment: lymphadenopathy.', expect: { dx: ['R59.1'] } },
  { id: 'nos-emphysema', guideline: 'Tabular J43.9 inclusion "Emphysema (lung)(pulmonary) NOS" (not COPD J44.9)', setting: O, note: 'Assessment: emphysema.', expect: { dx: ['J43.9'] } },
  { id: 'nos-bronchitis', guideline: 'Tabular J40 inclusion "Bronchitis NOS"; acute bronchitis is J20.-', setting: O, note: 'Assessment: bronchitis.', expect: { dx: ['J40'] } },
  { id: 'nos-sinusitis', guideline: 'Tabular J32.9 inclusion "Sinusitis (chronic) NOS"; acute sinusitis is J01.-', setting: O, note: 'Assessment: sinusitis.', expect: { dx: ['J32.9'] } },
  { id: 'valve-aortic-stenosis', guideline: 'Index "Stenosis, aortic (valve) I35.0": nonrheumatic by default', setting: O, note: 'Assessment: severe aortic stenosis.', expect: { dx: ['I35.0'] } },
  { id: 'valve-mitral-regurgitation', guideline: 'Index "Regurgitation, mitral - see Insufficiency, mitral"; "Insufficiency, mitral I34.0"', setting: O, note: 'Assessment: moderate mitral regurgitation.', expect: { dx: ['I34.0'] } },
  { id: 'valve-aortic-stenosis-insufficiency', guideline: 'I.B.9 combination code: Index "Stenosis, aortic (valve), with insufficiency I35.2"', setting: O, note: 'Assessment: aortic stenosis and aortic regurgitation.', expect: { dx: ['I35.2'] } },
  { id: 'mi-nstemi', guideline: 'Tabular I21.4 "Non-ST elevation (NSTEMI) myocardial infarction"', setting: O, note: 'Assessment: NSTEMI.', expect: { dx: ['I21.4'] } },
  { id: 'mi-stemi', guideline: 'Tabular I21.3 "ST elevation (STEMI) myocardial infarction of unspecified site"', setting: O, note: 'Assessment: STEMI.', expect: { dx: ['I21.3'] } },
  { id: 'sx-dyspnea', guideline: 'Tabular R06.00 "Dyspnea, unspecified"; R06.02 is shortness of breath', setting: O, note: 'Assessment: dyspnea.', expect: { dx: ['R06.00'] } },
  { id: 'nicotine-product-not-stated', guideline: 'Index: "Smoker - see Dependence, drug, nicotine"; "Dependence, drug, nicotine F17.200" (the product not stated)', setting: O, note: 'Assessment: smoker.', expect: { dx: ['F17.200'] } },
  { id: 'nicotine-cigarettes', guideline: 'Index: "Dependence, drug, nicotine, cigarettes F17.210"', setting: O, note: 'Assessment: COPD. Smokes 1 pack of cigarettes per day.', expect: { dx: ['J44.9', 'F17.210'] } },
  { id: 'ckd-stage-4', guideline: 'I.C.14.a CKD stage', setting: O, note: 'Assessment: chronic kidney disease stage 4.', expect: { dx: ['N18.4'] } },
  { id: 'ckd-stage-3b', guideline: 'I.C.14.a CKD stage 3b (FY2021 N18.32)', setting: O, note: 'Assessment: chronic kidney disease stage 3b.', expect: { dx: ['N18.32'] } },
  { id: 'ckd-esrd', guideline: 'I.C.14.a.2 ESRD: N18.6', setting: O, note: 'Assessment: end stage renal disease.', expect: { dx: ['N18.6'] } },
  { id: 'mdd-recurrent-moderate', guideline: 'I.B.2 level of detail: episode and severity', setting: O, note: 'Assessment: major depressive disorder, recurrent, moderate.', expect: { dx: ['F33.1'] } },
  { id: 'anemia-iron', guideline: 'I.B.2 the type documented', setting: O, note: 'Assessment: iron deficiency anemia.', expect: { dx: ['D50.9'] } },
  { id: 'uti-site-not-specified', guideline: 'I.B.2: N39.0 when the site is not specified', setting: O, note: 'Assessment: urinary tract infection.', expect: { dx: ['N39.0'] } },
  { id: 'type1-diabetes', guideline: 'I.C.4.a type documented', setting: O, note: 'Assessment: type 1 diabetes mellitus.', expect: { dx: ['E10.9'], noIssues: ['CODE_QUERY_DIABETES_TYPE'] } },
  { id: 'type1-diabetes-roman', guideline: 'I.C.4.a type documented, in the order and numerals notes use ("diabetes mellitus type I"): not the E11 default', setting: O, note: 'Assessment: diabetes mellitus type I.', expect: { dx: ['E10.9'], noIssues: ['CODE_QUERY_DIABETES_TYPE'] } },
  { id: 'type2-diabetes', guideline: 'I.C.4.a type documented', setting: O, note: 'Assessment: type 2 diabetes mellitus.', expect: { dx: ['E11.9'], noIssues: ['CODE_QUERY_DIABETES_TYPE'] } },
  { id: 'diabetes-type-default', guideline: 'I.C.4.a.2 type not documented: E11 by default; query', setting: O, note: 'Assessment: diabetes mellitus.', expect: { dx: ['E11.9'], issues: ['CODE_QUERY_DIABETES_TYPE'] } },
  { id: 'diabetes-abbreviation-type', guideline: 'I.C.4.a type from the abbreviation', setting: O, note: 'Assessment: DM2.', expect: { dx: ['E11.9'] } },

  // ── "With" convention and combination codes (I.A.15, I.B.9, I.C.4.a, I.C.9.a)
  { id: 'with-dm-ckd', guideline: 'I.A.15 "with": diabetes with CKD → E11.22 + N18.x', setting: O, note: 'Assessment: type 2 diabetes. Chronic kidney disease stage 4.', expect: { dx: ['E11.22', 'N18.4'] } },
  { id: 'with-dm-ckd-stage3', guideline: 'I.A.15 "with"; E11.22 use additional code for CKD stage', setting: O, note: 'Assessment: type 2 diabetes mellitus with diabetic chronic kidney disease stage 3.', expect: { dx: ['E11.22', 'N18.30'] } },
  { id: 'with-dm1-ckd', guideline: 'I.A.15 "with" in type 1 diabetes', setting: O, note: 'Assessment: type 1 diabetes. CKD stage 2.', expect: { dx: ['E10.22', 'N18.2'] } },
  { id: 'with-dm-neuropathy', guideline: 'I.A.15 "with": diabetic polyneuropathy', setting: O, note: 'Assessment: type 2 diabetes with peripheral neuropathy.', expect: { dx: ['E11.42'] } },
  { id: 'with-dm-retinopathy', guideline: 'I.A.15 "with": diabetic retinopathy', setting: O, note: 'Assessment: type 2 diabetes. Background retinopathy.', expect: { dx: ['E11.319'] } },
  { id: 'with-dm-pvd', guideline: 'I.A.15 "with": diabetes with peripheral angiopathy', setting: O, note: 'Assessment: type 2 diabetes and peripheral vascular disease.', expect: { dx: ['E11.51'] } },
  { id: 'with-dm-hyperglycemia', guideline: 'I.C.4.a diabetes with hyperglycemia', setting: O, note: 'Assessment: type 2 diabetes with hyperglycemia.', expect: { dx: ['E11.65'] } },
  { id: 'with-dm-hypoglycemia', guideline: 'I.C.4.a diabetes with hypoglycemia', setting: O, note: 'Assessment: type 2 diabetes. Hypoglycemia this morning.', expect: { dx: ['E11.649'] } },
  { id: 'with-dm-two-complications', guideline: 'I.C.4.a as many codes as needed for the complications', setting: O, note: 'Assessment: type 2 diabetes. Chronic kidney disease stage 3a. Peripheral neuropathy.', expect: { dx: ['E11.22', 'N18.31', 'E11.42'] } },
  { id: 'with-dm-unrelated-ckd', guideline: 'I.A.15: no link when documentation names another cause', setting: O, note: 'Assessment: type 2 diabetes. Chronic kidney disease stage 3b due to polycystic kidney disease.', expect: { dx: ['E11.9', 'N18.32', 'Q61.3'] } },
  { id: 'with-htn-hf', guideline: 'I.C.9.a.1 hypertension with heart failure → I11.0 + I50.x', setting: O, note: 'Assessment: hypertension. Chronic diastolic heart failure.', expect: { dx: ['I11.0', 'I50.32'] } },
  { id: 'with-htn-chf', guideline: 'I.C.9.a.1 hypertension with heart failure, type unspecified', setting: O, note: 'Assessment: hypertension and congestive heart failure.', expect: { dx: ['I11.0', 'I50.9'] } },
  { id: 'with-htn-ckd', guideline: 'I.C.9.a.2 hypertensive CKD → I12.9 + N18.x', setting: O, note: 'Assessment: hypertension. Chronic kidney disease stage 3a.', expect: { dx: ['I12.9', 'N18.31'] } },
  { id: 'with-htn-esrd', guideline: 'I.C.9.a.2 hypertensive CKD stage 5/ESRD → I12.0', setting: O, note: 'Assessment: hypertension. End stage renal disease.', expect: { dx: ['I12.0', 'N18.6'] } },
  { id: 'with-htn-hf-ckd', guideline: 'I.C.9.a.3 hypertensive heart and CKD with heart failure → I13.0', setting: O, note: 'Assessment: hypertension. Chronic kidney disease stage 4. Chronic diastolic heart failure.', expect: { dx: ['I13.0', 'N18.4', 'I50.32'] } },
  { id: 'with-htn-hf-esrd', guideline: 'I.C.9.a.3 with heart failure and ESRD → I13.2', setting: O, note: 'Assessment: hypertension. End stage renal disease. Congestive heart failure.', expect: { dx: ['I13.2', 'N18.6', 'I50.9'] } },
  { id: 'with-dm-htn-ckd', guideline: 'I.A.15 both "with" links: E11.22 and I12.9 with one N18 code, placed after the first code that asks for it', setting: O, note: 'Assessment: type 2 diabetes. Hypertension. Chronic kidney disease stage 4.', expect: { dx: ['E11.22', 'N18.4', 'I12.9'] } },
  { id: 'cad-angina', guideline: 'I.C.9.b coronary atherosclerosis with angina: combination code', setting: O, note: 'Assessment: coronary artery disease with angina.', expect: { dx: ['I25.119'] } },
  { id: 'cad-no-angina', guideline: 'I.C.9.b without angina', setting: O, note: 'Assessment: coronary artery disease, stable.', expect: { dx: ['I25.10'] } },
  { id: 'copd-pneumonia', guideline: 'I.A.15 COPD with lower respiratory infection: J44.0 + the infection', setting: O, note: 'Assessment: COPD. Pneumonia.', expect: { dx: ['J44.0', 'J18.9'] } },
  { id: 'influenza-pneumonia', guideline: 'I.B.9 combination: influenza with pneumonia', setting: O, note: 'Assessment: influenza. Pneumonia.', expect: { dx: ['J11.00'] } },
  { id: 'gallstones-acute-cholecystitis', guideline: 'I.B.9 combination: calculus of gallbladder with acute cholecystitis', setting: O, note: 'Assessment: acute cholecystitis with cholelithiasis.', expect: { dx: ['K80.00'] } },
  { id: 'gallstones-alone', guideline: 'I.B.2 without cholecystitis', setting: O, note: 'Assessment: calculus of gallbladder without cholecystitis.', expect: { dx: ['K80.20'] } },

  // ── Uncertain, negated, hypothetical (IV.H, II.H, I.B)
  { id: 'neg-denies', guideline: 'negated conditions are not coded', setting: O, note: 'HPI: denies chest pain.\nAssessment: asthma.', expect: { dx: ['J45.909'] } },
  { id: 'neg-no-evidence', guideline: 'negated conditions are not coded', setting: O, note: 'No evidence of pneumonia.\nAssessment: acute bronchitis.', expect: { dx: ['J20.9'] } },
  { id: 'neg-ruled-out', guideline: 'ruled-out conditions are not coded', setting: O, note: 'Pulmonary embolism was ruled out.\nAssessment: chest pain.', expect: { dx: ['R07.9'] } },
  { id: 'neg-negative-for', guideline: 'negated conditions are not coded', setting: O, note: 'Negative for streptococcal pharyngitis.\nAssessment: viral pharyngitis.', expect: { dx: ['J02.9'] } },
  { id: 'hypo-return-if', guideline: 'hypothetical conditions are not coded', setting: O, note: 'Assessment: hypertension.\nPlan: return if fever develops.', expect: { dx: ['I10'] } },
  { id: 'unc-outpt-possible', guideline: 'IV.H outpatient: uncertain diagnosis not coded, symptom coded', setting: O, note: 'HPI: cough.\nAssessment: possible pneumonia.', expect: { dx: ['R05'], issues: ['CODE_UNCERTAIN_NOT_CODED'] } },
  { id: 'unc-outpt-rule-out', guideline: 'IV.H outpatient: "rule out" not coded', setting: O, note: 'HPI: fever.\nAssessment: rule out urinary tract infection.', expect: { dx: ['R50.9'], issues: ['CODE_UNCERTAIN_NOT_CODED'] } },
  { id: 'unc-outpt-probable', guideline: 'IV.H outpatient: "probable" not coded', setting: O, note: 'Chest pain. Probable angina.', expect: { dx: ['R07.9'] } },
  { id: 'unc-outpt-suspected', guideline: 'IV.H outpatient: "suspected" not coded', setting: O, note: 'HPI: headache.\nAssessment: suspected migraine.', expect: { dx: ['R51.9'] } },
  { id: 'unc-outpt-likely', guideline: 'IV.H outpatient: "likely" not coded', setting: O, note: 'HPI: abdominal pain.\nAssessment: likely appendicitis.', expect: { dx: ['R10.9'] } },
  { id: 'unc-inpt-discharge', guideline: 'II.H inpatient: uncertain at discharge coded as established', setting: I, note: 'HPI: fever and cough.\nDischarge diagnoses: probable pneumonia.', expect: { dx: ['J18.9'] } },
  { id: 'unc-inpt-suspected-uti', guideline: 'II.H inpatient: uncertain at discharge coded as established', setting: I, note: 'HPI: dysuria.\nDischarge diagnoses: suspected urinary tract infection.', expect: { dx: ['N39.0'] } },
  { id: 'unc-inpt-not-at-discharge', guideline: 'II.H applies at discharge only', setting: I, note: 'HPI: fever. Possible pneumonia on arrival.\nDischarge diagnoses: acute bronchitis.', expect: { dx: ['J20.9'] } },
  { id: 'unc-inpt-plan-not-coded', guideline: 'II.H covers diagnoses at discharge, not a work-up in the plan', setting: I, note: 'Discharge diagnoses: chest pain.\nPlan: rule out pulmonary embolism as an outpatient.', expect: { dx: ['R07.9'] } },
  { id: 'neg-inpt', guideline: 'negated conditions are not coded, inpatient too', setting: I, note: 'Discharge diagnoses: community acquired pneumonia. No sepsis.', expect: { dx: ['J18.9'] } },

  // ── Signs and symptoms (I.B.4–6, IV.D)
  { id: 'sx-integral-fever-pneumonia', guideline: 'I.B.5 fever integral to pneumonia', setting: O, note: 'HPI: fever and cough.\nAssessment: pneumonia.', expect: { dx: ['J18.9'] } },
  { id: 'sx-integral-dysuria-uti', guideline: 'I.B.5 dysuria integral to UTI', setting: O, note: 'HPI: dysuria.\nAssessment: urinary tract infection.', expect: { dx: ['N39.0'] } },
  { id: 'sx-integral-chest-pain-mi', guideline: 'I.B.5 chest pain integral to myocardial infarction', setting: O, note: 'HPI: chest pain.\nAssessment: acute myocardial infarction.', expect: { dx: ['I21.9'] } },
  { id: 'sx-integral-cough-bronchitis', guideline: 'I.B.5 cough integral to bronchitis', setting: O, note: 'HPI: cough.\nAssessment: acute bronchitis.', expect: { dx: ['J20.9'] } },
  { id: 'sx-integral-headache-migraine', guideline: 'I.B.5 headache integral to migraine', setting: O, note: 'HPI: headache.\nAssessment: migraine.', expect: { dx: ['G43.909'] } },
  { id: 'sx-integral-abdominal-pain', guideline: 'I.B.5 abdominal pain integral to appendicitis', setting: O, note: 'HPI: abdominal pain.\nAssessment: acute appendicitis.', expect: { dx: ['K35.80'] } },
  { id: 'sx-fever-organism-only', guideline: 'I.B.6 fever is not integral to an organism code (B95-B97 are additional codes for a disease classified elsewhere)', setting: O, note: 'Assessment: fever. Blood culture grew methicillin resistant Staphylococcus aureus.', exported: { dx: ['B95.62'] }, expect: { dx: ['B95.62', 'R50.9'] } },
  { id: 'nested-low-back-pain', guideline: 'I.B.2 a mention is coded as a whole: "pain" within "low back pain" is not also R52', setting: O, note: 'Assessment: low back pain.', expect: { dx: ['M54.5'] } },
  { id: 'section-ros-exam-not-coded', guideline: 'III.B / IV.K: signs in the review of systems and the exam are not coded; the assessment states what is', setting: O, note: 'Review of systems: positive for headache.\nExam: mild wheezing.\nAssessment: essential hypertension.', expect: { dx: ['I10'] } },
  { id: 'nested-aspiration-pneumonia', guideline: 'I.B.2 "pneumonia" within "aspiration pneumonia" is not also J18.9', setting: I, note: 'Discharge diagnoses: aspiration pneumonia.', expect: { dx: ['J69.0'] } },
  { id: 'sx-not-integral', guideline: 'I.B.6 symptom not routinely part of the diagnosis is coded', setting: O, note: 'HPI: headache.\nAssessment: urinary tract infection.', expect: { dx: ['N39.0', 'R51.9'] } },
  { id: 'sx-not-integral-weight-loss-cancer', guideline: 'I.B.6 weight loss is not routinely part of a malignancy (R64 and R53.0 are coded beside the neoplasm too)', setting: O, note: 'HPI: weight loss.\nAssessment: malignant neoplasm of the lung.', expect: { dx: ['C34.90', 'R63.4'] } },
  { id: 'sx-not-integral-nausea-hernia', guideline: 'I.B.6 nausea is not routinely part of an inguinal hernia', setting: O, note: 'HPI: nausea.\nAssessment: inguinal hernia.', expect: { dx: ['K40.90', 'R11.0'] } },
  { id: 'sx-instructed-bph-luts', guideline: 'I.B.5 "unless otherwise instructed by the classification": N40.1 "use additional code for associated symptoms, when specified" (nocturia R35.1)', setting: O, note: 'HPI: nocturia.\nAssessment: benign prostatic hyperplasia with lower urinary tract symptoms.', expect: { dx: ['N40.1', 'R35.1'] } },
  { id: 'default-without-bph', guideline: 'I.A.18 / I.A.15: "benign prostatic hyperplasia" alone is N40.0 "... without lower urinary tract symptoms" (Index: Hyperplasia, prostate N40.0), not the nodular prostate N40.2', setting: O, note: 'HPI: routine follow-up.\nAssessment: benign prostatic hyperplasia.', expect: { dx: ['N40.0'] } },
  { id: 'default-without-umbilical-hernia', guideline: 'I.A.18 / I.A.15: "umbilical hernia" alone is K42.9 "... without obstruction or gangrene" (Index: Hernia, umbilical K42.9), not K42.0 "with obstruction, without gangrene"', setting: O, note: 'Assessment: umbilical hernia.', expect: { dx: ['K42.9'] } },
  { id: 'sx-not-integral-rash-pruritus', guideline: 'I.B.6 a rash is not part of pruritus', setting: O, note: 'HPI: rash.\nAssessment: pruritus.', expect: { dx: ['L29.9', 'R21'] } },
  { id: 'sx-not-integral-2', guideline: 'I.B.6 a rash with a urinary tract infection is coded', setting: O, note: 'HPI: rash.\nAssessment: urinary tract infection.', expect: { dx: ['N39.0', 'R21'] } },
  { id: 'sx-only', guideline: 'IV.D symptoms coded when no definitive diagnosis', setting: O, note: 'HPI: dizziness.\nAssessment: dizziness, cause unclear.', expect: { dx: ['R42'] } },
  { id: 'sx-two-symptoms', guideline: 'IV.D symptoms coded when no definitive diagnosis', setting: O, note: 'HPI: nausea and diarrhea.', expect: { dx: ['R11.0', 'R19.7'] } },
  { id: 'sx-integral-diarrhea', guideline: 'I.B.5 diarrhea integral to gastroenteritis', setting: O, note: 'HPI: diarrhea.\nAssessment: viral gastroenteritis.', expect: { dx: ['A08.4'] } },
  { id: 'sx-integral-sob-hf', guideline: 'I.B.5 shortness of breath integral to heart failure', setting: O, note: 'HPI: shortness of breath.\nAssessment: congestive heart failure.', expect: { dx: ['I50.9'] } },

  // ── History, family history, status (I.C.21.c.3–4, I.C.9.d–e, I.C.4.a.3)
  { id: 'hx-breast-cancer', guideline: 'I.C.21.c.4 personal history of malignancy', setting: O, note: 'PMH: history of breast cancer.\nAssessment: hypertension.', expect: { dx: ['I10', 'Z85.3'] } },
  { id: 'hx-colon-cancer', guideline: 'I.C.21.c.4 personal history of malignancy', setting: O, note: 'History of colon cancer. Assessment: anemia.', expect: { dx: ['D64.9', 'Z85.038'] } },
  { id: 'hx-prostate-cancer', guideline: 'I.C.21.c.4 personal history of malignancy', setting: O, note: 'History of prostate cancer, treated.\nAssessment: GERD.', expect: { dx: ['K21.9', 'Z85.46'] } },
  { id: 'hx-old-mi', guideline: 'I.C.9.e.4 old myocardial infarction → I25.2', setting: O, note: 'History of myocardial infarction.\nAssessment: hyperlipidemia.', expect: { dx: ['E78.5', 'I25.2'] } },
  { id: 'hx-stroke', guideline: 'I.C.9.d.2 history of stroke without residuals → Z86.73', setting: O, note: 'History of stroke without residual deficits.\nAssessment: hypertension.', expect: { dx: ['I10', 'Z86.73'] } },
  { id: 'hx-pe', guideline: 'I.C.21.c.4 personal history of pulmonary embolism', setting: O, note: 'History of pulmonary embolism.\nAssessment: anxiety.', expect: { dx: ['F41.9', 'Z86.711'] } },
  { id: 'hx-pneumonia', guideline: 'I.C.21.c.4 personal history of pneumonia', setting: O, note: 'History of pneumonia.\nAssessment: asthma.', expect: { dx: ['J45.909', 'Z87.01'] } },
  { id: 'hx-tuberculosis', guideline: 'I.C.21.c.4 personal history of tuberculosis: Z86.11, not the catch-all of infectious diseases', setting: O, note: 'History of pulmonary tuberculosis, treated in 2008.\nAssessment: hypertension.', expect: { dx: ['I10', 'Z86.11'] } },
  { id: 'hx-kidney-stones', guideline: 'I.C.21.c.4 personal history of urinary calculi', setting: O, note: 'History of kidney stones.\nAssessment: low back pain.', expect: { dx: ['M54.5', 'Z87.442'] } },
  { id: 'hx-chronic-still-treated', guideline: 'IV.J chronic conditions still treated are coded as current', setting: O, note: 'History of hypertension, on lisinopril.\nAssessment: acute bronchitis.', expect: { dx: ['J20.9', 'I10'] } },
  { id: 'hx-migraine-lifelong', guideline: 'I.C.21.c.4 history codes are for conditions that no longer exist: "history of migraine" is a current migraine', setting: O, note: 'History of migraine.\nAssessment: hypertension.', expect: { dx: ['I10', 'G43.909'] } },
  { id: 'hx-glaucoma-lifelong', guideline: 'I.C.21.c.4 / IV.J: glaucoma, once diagnosed, is a current condition', setting: O, note: 'Past history of glaucoma.\nAssessment: type 2 diabetes mellitus.', expect: { dx: ['E11.9', 'H40.9'] } },
  { id: 'hx-duration-ongoing', guideline: 'I.C.21.c.4 history codes are for conditions that no longer exist: a 10-year history of a condition runs until now', setting: O, note: 'Patient with a 10-year history of constipation.\nAssessment: hypertension.', expect: { dx: ['I10', 'K59.00'] } },
  { id: 'hx-documented-chronic', guideline: 'I.C.21.c.4 / IV.J: a history of a condition the note calls chronic is a current condition', setting: O, note: 'History of chronic alcoholism.\nAssessment: hypertension.', expect: { dx: ['I10', 'F10.20'] } },
  { id: 'hx-chronic-by-title', guideline: 'I.C.21.c.4 / IV.J: a condition whose code is a chronic disease (J32 Chronic sinusitis) is current', setting: O, note: 'History of maxillary sinusitis.\nAssessment: hypertension.', expect: { dx: ['I10', 'J32.0'] } },
  { id: 'hx-past-condition-not-coded', guideline: 'I.C.21.c.4 / IV.J: a past condition that no longer exists and has no history code is not coded', setting: O, note: 'History of constipation.\nAssessment: hypertension.', expect: { dx: ['I10'] } },
  { id: 'hx-list-items-apart', guideline: 'I.C.21.c.4: in a list of past conditions, "chronic" qualifies its own item only ("chronic bronchitis, appendicitis": a past appendicitis, not chronic appendicitis)', setting: O, note: 'History of chronic bronchitis, appendicitis and gout.\nAssessment: hypertension.', expect: { dx: ['I10', 'J42', 'M10.9'] } },
  { id: 'hx-heart-transplant-status', guideline: 'I.C.21.c.3 status: a past heart transplant is Z94.1 as it stands', setting: O, note: 'History of heart transplantation.\nAssessment: hypertension.', expect: { dx: ['I10', 'Z94.1'] } },
  { id: 'fh-colon-cancer', guideline: 'I.C.21.c.4 family history of malignancy', setting: O, note: 'Family history of colon cancer.\nAssessment: constipation.', expect: { dx: ['K59.00', 'Z80.0'] } },
  { id: 'fh-breast-cancer', guideline: 'I.C.21.c.4 family history of malignancy', setting: O, note: 'Mother had breast cancer.\nAssessment: anxiety.', expect: { dx: ['F41.9', 'Z80.3'] } },
  { id: 'fh-diabetes', guideline: 'I.C.21.c.4 family history of diabetes', setting: O, note: 'Father has diabetes.\nAssessment: obesity.', expect: { dx: ['E66.9', 'Z83.3'] } },
  { id: 'fh-stroke', guideline: 'I.C.21.c.4 family history of stroke', setting: O, note: 'Family history of stroke.\nAssessment: hypertension.', expect: { dx: ['I10', 'Z82.3'] } },
  { id: 'fh-heart-disease', guideline: 'I.C.21.c.4 family history of circulatory disease', setting: O, note: 'Family history of coronary artery disease.\nAssessment: hyperlipidemia.', expect: { dx: ['E78.5', 'Z82.49'] } },
  { id: 'fh-asthma', guideline: 'I.C.21.c.4 family history of asthma', setting: O, note: 'Sister has asthma.\nAssessment: allergic rhinitis.', expect: { dx: ['J30.9', 'Z82.5'] } },
  { id: 'status-insulin-type2', guideline: 'I.C.4.a.3 type 2 on insulin: Z79.4', setting: O, note: 'Assessment: type 2 diabetes.\nMedications: insulin glargine 20 units nightly.', expect: { dx: ['E11.9', 'Z79.4'] } },
  { id: 'status-insulin-type1', guideline: 'I.C.4.a.3 no Z79.4 for type 1 diabetes', setting: O, note: 'Assessment: type 1 diabetes.\nMedications: insulin lispro.', expect: { dx: ['E10.9'] } },
  { id: 'status-oral-hypoglycemic', guideline: 'I.C.4.a.3 oral hypoglycemics: Z79.84', setting: O, note: 'Assessment: type 2 diabetes.\nMedications: metformin 500 mg twice daily.', expect: { dx: ['E11.9', 'Z79.84'] } },
  { id: 'status-insulin-and-oral', guideline: 'I.C.4.a.3 (FY2021) insulin and oral hypoglycemics: Z79.4 only (Z79.84 Excludes1 Z79.4 in the FY2021 tabular)', setting: O, note: 'Assessment: type 2 diabetes.\nMedications: metformin, insulin glargine.', expect: { dx: ['E11.9', 'Z79.4'] } },
  { id: 'status-anticoagulant', guideline: 'I.C.21.c.3 long-term anticoagulant use', setting: O, note: 'Assessment: atrial fibrillation.\nMedications: apixaban 5 mg twice daily.', expect: { dx: ['I48.91', 'Z79.01'] } },
  { id: 'status-steroid-long-term', guideline: 'I.C.21.c.3 long-term (current) use of systemic steroids: Z79.52', setting: O, note: 'PMH: rheumatoid arthritis on prednisone 10 mg daily.\nAssessment: hypertension.', expect: { dx: ['I10', 'M06.9', 'Z79.52'] } },
  { id: 'status-steroid-short-course', guideline: 'I.C.21.c.3: Z79 is not for a medication given for a brief period to treat an acute illness', setting: O, note: 'Assessment: COPD exacerbation. Treated with intravenous methylprednisolone for 3 days.', expect: { dx: ['J44.1'] } },
  { id: 'status-steroid-not-said-ongoing', guideline: 'I.C.21.c.3: steroids started for an illness are not long-term use unless the record says the use goes on', setting: O, note: 'Assessment: asthma. Corticosteroids were added.', expect: { dx: ['J45.909'] } },
  { id: 'status-aspirin', guideline: 'I.C.21.c.3 long-term (current) use of aspirin: Z79.82', setting: O, note: 'Assessment: coronary artery disease. On aspirin 100 mg daily.', expect: { dx: ['I25.10', 'Z79.82'] } },
  { id: 'status-nsaid-as-needed', guideline: 'I.C.21.c.3: an NSAID taken as needed is no long-term use', setting: O, note: 'Assessment: osteoarthritis of the right knee. Ibuprofen as needed.', expect: { dx: ['M17.11'] } },
  { id: 'status-anticoagulant-acenocoumarol', guideline: 'I.C.21.c.3 long-term (current) use of anticoagulants: acenocoumarol (Sintrom), the coumarin of Spanish case reports', setting: O, note: 'Assessment: atrial fibrillation. Medications: acenocoumarol.', expect: { dx: ['I48.91', 'Z79.01'] } },
  { id: 'status-not-on-insulin', guideline: 'I.C.21.c.3 status only when documented (negated use)', setting: O, note: 'Assessment: type 2 diabetes. Not on insulin.', expect: { dx: ['E11.9'] } },
  { id: 'status-dialysis-acute-not-status', guideline: 'I.C.21.c.3: dialysis given for acute kidney failure is a procedure of the stay, not dependence on dialysis', setting: O, note: 'Assessment: acute kidney failure, which required hemodialysis.', expect: { dx: ['N17.9'] } },
  { id: 'status-dialysis-chronic', guideline: 'I.C.21.c.3 dialysis status from chronic dialysis', setting: O, note: 'Assessment: hypertension. Patient on chronic hemodialysis.', expect: { dx: ['I10', 'Z99.2'] } },
  { id: 'status-dialysis', guideline: 'I.C.21.c.3 dialysis status', setting: O, note: 'Assessment: end stage renal disease on hemodialysis.', expect: { dx: ['N18.6', 'Z99.2'] } },
  { id: 'status-acquired-absence-past-resection', guideline: 'I.C.21.c.3 status: an organ removed before this encounter is its acquired absence (Index "Absence, uterus (acquired)" Z90.710)', setting: O, note: 'History of hysterectomy.\nAssessment: hypertension.', expect: { dx: ['I10', 'Z90.710'] } },
  { id: 'status-valve-bypass-past-procedure', guideline: 'I.C.21.c.3 status: a past valve replacement is the prosthetic valve it left (Index "Status, heart valve prosthesis" Z95.2), a past coronary bypass its graft (Z95.1)', setting: O, note: 'History of aortic valve replacement in 2001 and coronary artery bypass grafting in 2010.\nAssessment: hypertension.', expect: { dx: ['I10', 'Z95.2', 'Z95.1'] } },
  { id: 'status-joint-replacement-side', guideline: 'I.C.21.c.3 status: a past joint replacement is the artificial joint, on the side the procedure names (Z96.641 right hip, Z96.652 left knee)', setting: O, note: 'Past surgical history: right total hip replacement, left knee arthroplasty.\nAssessment: hypertension.', expect: { dx: ['I10', 'Z96.641', 'Z96.652'] } },
  { id: 'status-acquired-absence-list', guideline: 'I.C.21.c.3 status: each past resection of a surgical history (gallbladder Z90.49, kidney Z90.5)', setting: O, note: 'Past surgical history: cholecystectomy, right nephrectomy.\nAssessment: hypertension.', expect: { dx: ['I10', 'Z90.49', 'Z90.5'] } },
  { id: 'status-no-absence-from-this-visit', guideline: 'I.C.21.c.3: the absence a procedure of this encounter leaves is not yet a status', setting: O, note: 'Assessment: acute cholecystitis. Laparoscopic cholecystectomy was performed.', expect: { dx: ['K81.0'] } },
  { id: 'bmi-with-obesity', guideline: 'I.C.21.c.3 / I.B.14: a BMI with an associated reportable diagnosis, its value picking the code (Z68.36 "36.0-36.9, adult"), from the exam as from anywhere in the record', setting: O, note: 'Exam: BMI 36.2 kg/m2.\nAssessment: obesity.', expect: { dx: ['E66.9', 'Z68.36'] } },
  { id: 'bmi-no-associated-diagnosis', guideline: 'I.C.21.c.3: no BMI code without an associated reportable diagnosis such as obesity', setting: O, note: 'Exam: BMI 24.\nAssessment: hypertension.', expect: { dx: ['I10'] } },
  { id: 'bmi-most-severe', guideline: 'I.C.21.c.3: fluctuating BMI values, the most severe coded; Index "Obesity, morbid E66.01"', setting: O, note: 'HPI: BMI 41 in January, BMI 38 today.\nAssessment: morbid obesity.', expect: { dx: ['E66.01', 'Z68.41'] } },
  { id: 'weeks-with-pregnancy-code', guideline: 'Z3A tabular note: weeks of gestation on the maternal record after the pregnancy code; Index "Diabetes, gestational O24.419"', setting: O, note: 'HPI: 28 weeks pregnant.\nAssessment: gestational diabetes.', expect: { dx: ['O24.419', 'Z3A.28'] } },
  { id: 'weeks-not-on-newborn-record', guideline: 'Z3A tabular note: "for use, only on the maternal record"', setting: O, note: 'HPI: newborn born at 39 weeks of gestation.\nAssessment: neonatal jaundice.', expect: { dx: ['P59.9'] } },

  // ── Sequencing (IV.G first-listed, II principal, I.A.13 manifestation, I.C.20 external cause)
  { id: 'seq-assessment-first', guideline: 'IV.G first-listed: the reason for the visit from the assessment', setting: O, note: 'PMH: hypertension.\nAssessment: acute sinusitis.', expect: { dx: ['J01.90', 'I10'] } },
  { id: 'seq-assessment-order', guideline: 'IV.G assessment order kept', setting: O, note: 'Assessment: 1. Acute bronchitis. 2. Hypertension. 3. Hyperlipidemia.', expect: { dx: ['J20.9', 'I10', 'E78.5'] } },
  { id: 'seq-inpt-principal', guideline: 'II principal diagnosis: discharge diagnosis first', setting: I, note: 'HPI: shortness of breath. History of hypertension, on amlodipine.\nDischarge diagnoses: community acquired pneumonia.', expect: { dx: ['J18.9', 'I10'] } },
  { id: 'seq-exported-lead', guideline: 'exported codes (the provider\'s order) lead', setting: O, note: 'Assessment: asthma.', exported: { dx: ['I10'] }, expect: { dx: ['I10', 'J45.909'] } },
  { id: 'seq-history-last', guideline: 'history Z codes after current conditions', setting: O, note: 'History of breast cancer. Assessment: iron deficiency anemia. GERD.', expect: { dx: ['D50.9', 'K21.9', 'Z85.3'] } },
  { id: 'seq-status-after-condition', guideline: 'status codes after the condition they qualify', setting: O, note: 'Medications: insulin glargine.\nAssessment: type 2 diabetes. Hypertension.', expect: { dx: ['E11.9', 'I10', 'Z79.4'] } },
  { id: 'seq-limit-837p', guideline: '837P carries 12 diagnoses; the rest dropped and reported', setting: O, note: 'Assessment: hypertension. Asthma. GERD. Gout. Anemia. Obesity. Anxiety. Depression. Hypothyroidism. Migraine. Hyperlipidemia. Osteoporosis. Insomnia. Atrial fibrillation.', expect: { issues: ['CODE_DIAGNOSIS_LIMIT'] } },
  { id: 'seq-manifestation-after-etiology', guideline: 'I.A.13 code first: manifestation after its etiology', setting: O, note: 'Assessment: dementia in Parkinson disease.', exported: { dx: ['F02.80', 'G20'] }, expect: { dx: ['G20', 'F02.80'] } },
  { id: 'seq-manifestation-no-etiology', guideline: 'I.A.13 manifestation without etiology: query', setting: O, note: 'Assessment: follow-up.', exported: { dx: ['F02.80'] }, expect: { dx: ['F02.80'], issues: ['CODE_QUERY_ETIOLOGY'] } },

  // ── Use additional code / code first completed from documentation (I.A.13)
  { id: 'uac-dm-ckd-stage', guideline: 'I.A.13 use additional code: CKD stage with E11.22', setting: O, note: 'Assessment: diabetic chronic kidney disease, type 2. CKD stage 4.', expect: { dx: ['E11.22', 'N18.4'] } },
  { id: 'uac-hf-type', guideline: 'I.C.9.a.1 use additional code for the type of heart failure', setting: O, note: 'Assessment: hypertensive heart disease with heart failure. Chronic systolic heart failure.', expect: { dx: ['I11.0', 'I50.22'] } },
  { id: 'uac-hf-type-written-first', guideline: 'I.A.13 use additional code: the heart failure type follows I11.0 even when the note names it first', setting: O, note: 'Assessment: chronic systolic heart failure. Hypertensive heart disease with heart failure.', expect: { dx: ['I11.0', 'I50.22'] } },
  { id: 'uac-ckd-htn', guideline: 'I.C.9.a.2 use additional code for the CKD stage', setting: O, note: 'Assessment: hypertensive chronic kidney disease. Chronic kidney disease stage 2.', expect: { dx: ['I12.9', 'N18.2'] } },

  // ── Confidence, provenance and queries (issue item 6)
  { id: 'q-episode-not-documented', guideline: 'I.C.19.a 7th character: episode not documented → initial assumed, query', setting: O, note: 'Assessment: sprain of right ankle.', expect: { issues: ['CODE_QUERY_EPISODE'], lowConfidence: true } },
  { id: 'q-laterality', guideline: 'I.B.13 side unknown: query, to a person', setting: O, note: 'Assessment: carpal tunnel syndrome.', expect: { dx: ['G56.00'], issues: ['CODE_QUERY_LATERALITY'], lowConfidence: true } },
  { id: 'q-documented-side-no-query', guideline: 'I.B.13 side documented: no query', setting: O, note: 'Assessment: carpal tunnel syndrome of the left wrist.', expect: { dx: ['G56.02'], noIssues: ['CODE_QUERY_LATERALITY'] } },
  { id: 'q-header-no-default', guideline: 'I.B.2 a header with no unspecified child: query rather than a guess (S26 injury of heart: its "unspecified" child still asks "with or without hemopericardium")', setting: O, note: 'Assessment: injury of heart.', expect: { issues: ['CODE_QUERY_SPECIFICITY'], lowConfidence: true } },
  { id: 'default-index-cholelithiasis', guideline: 'I.A.18: the Index gives the default where the tabular has none: "Cholelithiasis - see Calculus, gallbladder", "Calculus, gallbladder K80.20"', setting: O, note: 'Assessment: cholelithiasis.', expect: { dx: ['K80.20'] } },
  { id: 'q-no-diagnosis', guideline: 'missing documentation: query', setting: O, note: 'Patient seen today. Doing well.', expect: { dx: [], issues: ['CODE_NO_DIAGNOSIS'] } },

  // ── Service lines: modifiers, units, pointers (CPT Appendix A, NCCI policy manual)
  { id: 'line-exported-kept', guideline: 'exported charge lines billed as sent', setting: O, note: 'Assessment: hypertension.', exported: { charges: ['99213'] }, expect: { lines: ['99213'] } },
  { id: 'line-repeat-lab-91', guideline: 'modifier 91: repeat clinical lab test the same day', setting: O, note: 'Assessment: type 2 diabetes.', exported: { charges: ['99213', '80053', '80053'] }, expect: { lines: ['99213', '80053', '80053-91'] } },
  { id: 'line-repeat-procedure-76', guideline: 'modifier 76: repeat procedure the same day', setting: O, note: 'Assessment: chest pain.', exported: { charges: ['93000', '93000'] }, expect: { lines: ['93000', '93000-76'] } },
  { id: 'line-drug-units', guideline: 'drug units on one line (HCPCS J code per unit)', setting: O, note: 'Assessment: low back pain.', exported: { charges: ['99213', 'J1885', 'J1885'] }, expect: { lines: ['99213', 'J1885x2'] } },
  { id: 'line-25-em-with-procedure', guideline: 'modifier 25: separately identifiable E/M with a procedure', setting: O, note: 'Assessment: right knee osteoarthritis. Hypertension, uncontrolled.', exported: { charges: ['99213', '20610:RT'] }, expect: { lines: ['99213-25', '20610-RT'] } },
  { id: 'line-no-25-single-problem', guideline: 'no modifier 25 when the E/M addresses only the procedure\'s problem', setting: O, note: 'Assessment: right knee osteoarthritis.', exported: { charges: ['99213', '20610:RT'] }, expect: { lines: ['99213', '20610-RT'], issues: ['CODE_MODIFIER_REVIEW'] } },
  { id: 'line-exported-modifier-kept', guideline: 'exported modifiers are kept', setting: O, note: 'Assessment: hypertension.', exported: { charges: ['99213:25'] }, expect: { lines: ['99213-25'] } },
  { id: 'line-documented-ecg-added', guideline: 'documented procedure not billed: a line is added from the chargemaster', setting: O, note: 'Procedures: twelve-lead ECG with interpretation was performed.\nAssessment: palpitations.', exported: { charges: ['99213'] }, expect: { lines: ['99213', '93000'] } },
  { id: 'line-planned-not-added', guideline: 'planned procedures are not billed', setting: O, note: 'Assessment: palpitations.\nPlan: twelve-lead ECG with interpretation next week.', exported: { charges: ['99213'] }, expect: { lines: ['99213'] } },

  // ── E/M level from medical decision making (AMA 2021 office E/M)
  { id: 'em-straightforward', guideline: 'E/M MDM straightforward: one minor problem, no data, minimal risk', setting: O, note: 'Chief complaint: insect bite.\nAssessment: insect bite of the arm, minor.\nPlan: no treatment needed.', exported: { charges: ['99212'] }, expect: { em: '99212', noIssues: ['AUDIT_EM_LEVEL'] } },
  { id: 'em-low', guideline: 'E/M MDM low: acute uncomplicated illness, OTC drugs', setting: O, note: 'Assessment: acute sinusitis.\nPlan: saline rinses and acetaminophen as needed.', exported: { charges: ['99213'] }, expect: { em: '99213', noIssues: ['AUDIT_EM_LEVEL'] } },
  { id: 'em-moderate', guideline: 'E/M MDM moderate: chronic illness with exacerbation, prescription drug management', setting: O, note: 'Assessment: hypertension, uncontrolled. Type 2 diabetes.\nPlan: increase lisinopril to 20 mg daily. Reviewed A1c and lipid panel, ordered CMP.', exported: { charges: ['99214'] }, expect: { em: '99214', noIssues: ['AUDIT_EM_LEVEL'] } },
  { id: 'em-high', guideline: 'E/M MDM high: threat to life, decision regarding hospitalization', setting: O, note: 'Assessment: chest pain concerning for myocardial infarction, life-threatening.\nPlan: transfer to the emergency department for admission. Discussed with the cardiologist. I personally reviewed the ECG.', exported: { charges: ['99215'] }, expect: { em: '99215', noIssues: ['AUDIT_EM_LEVEL'] } },
  { id: 'em-new-patient', guideline: 'E/M new patient codes 99202–99205', setting: O, note: 'New patient.\nAssessment: hypertension. Hyperlipidemia.\nPlan: start amlodipine 5 mg daily; refill atorvastatin.', exported: { charges: ['99204'] }, expect: { em: '99204', noIssues: ['AUDIT_EM_LEVEL'] } },
  { id: 'em-overcoded', guideline: 'audit: billed level above the documented MDM', setting: O, note: 'Assessment: acute sinusitis.\nPlan: saline rinses.', exported: { charges: ['99215'] }, expect: { em: '99213', issues: ['AUDIT_EM_LEVEL'] } },
  { id: 'em-undercoded', guideline: 'audit: billed level below the documented MDM', setting: O, note: 'Assessment: COPD with acute exacerbation. Hypertension.\nPlan: prednisone 40 mg daily for 5 days, start azithromycin. Reviewed chest x-ray and CBC, ordered BMP.', exported: { charges: ['99212'] }, expect: { em: '99214', issues: ['AUDIT_EM_LEVEL'] } },

  // ── POA (Appendix I)
  { id: 'poa-principal-y', guideline: 'POA Y: condition present on admission (principal)', setting: I, note: 'Discharge diagnoses: community acquired pneumonia.', expect: { dx: ['J18.9'], poa: ['Y'] } },
  { id: 'poa-chronic-y', guideline: 'POA Y: chronic condition', setting: I, note: 'Discharge diagnoses: pneumonia. Type 2 diabetes.', expect: { dx: ['J18.9', 'E11.9'], poa: ['Y', 'Y'] } },
  { id: 'poa-hospital-acquired-n', guideline: 'POA N: developed during the stay', setting: I, note: 'Discharge diagnoses: pneumonia. Urinary tract infection developed during the admission.', expect: { dx: ['J18.9', 'N39.0'], poa: ['Y', 'N'] } },
  { id: 'poa-exempt-blank', guideline: 'POA exempt codes are blank (1 on the claim, blank in the 837I HI-09)', setting: I, note: 'Discharge diagnoses: pneumonia. History of breast cancer.', expect: { dx: ['J18.9', 'Z85.3'], poa: ['Y', '1'] } },
  { id: 'poa-unknown-query', guideline: 'POA U: documentation insufficient, query', setting: I, note: 'Discharge diagnoses: pneumonia. Acute kidney failure.', expect: { dx: ['J18.9', 'N17.9'], poa: ['Y', 'U'], issues: ['CODE_QUERY_POA'] } },
  { id: 'poa-arrival-y', guideline: 'POA Y: documented on arrival', setting: I, note: 'HPI: acute kidney failure on arrival.\nDischarge diagnoses: pneumonia. Acute kidney failure.', expect: { dx: ['J18.9', 'N17.9'], poa: ['Y', 'Y'] } },
  { id: 'poa-undetermined-w', guideline: 'POA W: clinically undetermined', setting: I, note: 'Discharge diagnoses: pneumonia. Urinary tract infection, clinically undetermined whether present on admission.', expect: { poa: ['Y', 'W'] } },
  { id: 'poa-exported-wins', guideline: 'POA as exported', setting: I, note: 'Discharge diagnoses: pneumonia.', exported: { dx: ['J18.9:N'] }, expect: { dx: ['J18.9'], poa: ['N'] } },

  // ── ICD-10-PCS (PCS Guidelines A, B3 root operation, B4 body part, B5 approach)
  { id: 'pcs-lap-appendectomy', guideline: 'PCS B3.1 resection, B5 percutaneous endoscopic approach', setting: I, note: 'Discharge diagnoses: acute appendicitis.\nProcedures: laparoscopic appendectomy.', expect: { pcs: ['0DTJ4ZZ'] } },
  { id: 'pcs-open-appendectomy', guideline: 'PCS B5 open approach', setting: I, note: 'Discharge diagnoses: acute appendicitis.\nProcedures: open appendectomy.', expect: { pcs: ['0DTJ0ZZ'] } },
  { id: 'pcs-lap-cholecystectomy', guideline: 'PCS B3.1 resection of gallbladder', setting: I, note: 'Discharge diagnoses: acute cholecystitis with cholelithiasis.\nProcedures: laparoscopic cholecystectomy.', expect: { dx: ['K80.00'], pcs: ['0FT44ZZ'] } },
  { id: 'pcs-tkr-right', guideline: 'PCS B4 body part with laterality; device synthetic substitute', setting: I, note: 'Discharge diagnoses: right knee osteoarthritis.\nProcedures: right total knee arthroplasty, cemented.', expect: { dx: ['M17.11'], pcs: ['0SRC0J9'] } },
  { id: 'pcs-thr-left', guideline: 'PCS B4 laterality; qualifier uncemented', setting: I, note: 'Discharge diagnoses: osteoarthritis of the left hip.\nProcedures: left total hip replacement, uncemented.', expect: { pcs: ['0SRB0JA'] } },
  { id: 'pcs-side-missing', guideline: 'PCS: a lateral body part needs the side; no guess', setting: I, note: 'Discharge diagnoses: osteoarthritis.\nProcedures: total knee arthroplasty.', expect: { pcs: [], issues: ['CODE_PCS_NOT_BUILT'] } },
  { id: 'pcs-colonoscopy', guideline: 'PCS B3.11b inspection via natural opening endoscopic', setting: I, note: 'Discharge diagnoses: gastrointestinal hemorrhage.\nProcedures: colonoscopy.', expect: { pcs: ['0DJD8ZZ'] } },
  { id: 'pcs-egd', guideline: 'PCS inspection of upper intestinal tract', setting: I, note: 'Discharge diagnoses: gastritis.\nProcedures: EGD.', expect: { pcs: ['0DJ08ZZ'] } },
  { id: 'pcs-lumbar-puncture', guideline: 'PCS drainage with diagnostic qualifier', setting: I, note: 'Discharge diagnoses: headache.\nProcedures: lumbar puncture.', expect: { pcs: ['009U3ZX'] } },
  { id: 'pcs-thoracentesis-right', guideline: 'PCS drainage of right pleural cavity, percutaneous', setting: I, note: 'Discharge diagnoses: pleural effusion.\nProcedures: right thoracentesis.', expect: { pcs: ['0W993ZZ'] } },
  { id: 'pcs-cesarean', guideline: 'PCS obstetrics: extraction of products of conception, low', setting: I, note: 'Procedures: low transverse cesarean section.', expect: { pcs: ['10D00Z1'] } },
  { id: 'pcs-imaging-no-contrast', guideline: 'PCS section B: contrast and qualifiers not documented → None (ZZZ), confirmed by a person', setting: I, note: 'Discharge diagnoses: pneumonia.\nProcedures: abdominal CT.', expect: { pcs: ['BW20ZZZ'], lowConfidence: true } },
  { id: 'pcs-imaging-contrast-unknown', guideline: 'PCS section B: with contrast, its kind (high or low osmolar) is not documented: no code is guessed', setting: I, note: 'Discharge diagnoses: pneumonia.\nProcedures: abdominal CT with contrast.', expect: { pcs: [] } },
  { id: 'pcs-planned-not-coded', guideline: 'PCS: only procedures performed during the stay', setting: I, note: 'Discharge diagnoses: cholelithiasis.\nPlan: outpatient cholecystectomy scheduled next month.', expect: { pcs: [] } },
  { id: 'pcs-history-not-coded', guideline: 'PCS: past procedures are not this stay\'s', setting: I, note: 'PMH: status post appendectomy.\nDischarge diagnoses: pneumonia.', expect: { pcs: [] } },
  { id: 'pcs-tpn', guideline: 'PCS section 3: introduction of nutritional substance into central vein (team-written procedure term)', setting: I, note: 'Discharge diagnoses: severe protein-calorie malnutrition.\nProcedures: total parenteral nutrition.', expect: { pcs: ['3E0436Z'] } },
  { id: 'pcs-ecg-not-significant', guideline: 'UHDDS significant procedures: an external measurement (ECG, section 4) is not put on the claim from a note', setting: I, note: 'Discharge diagnoses: syncope.\nProcedures: ECG and lumbar puncture.', expect: { pcs: ['009U3ZX'] } },
  { id: 'pcs-exported-kept', guideline: 'exported PCS codes kept', setting: I, note: 'Discharge diagnoses: pneumonia.', exported: { dx: ['PCS:0BH17EZ'] }, expect: { pcs: ['0BH17EZ'] } },

  // ── Audit of exported codes (coding auditor's review)
  { id: 'audit-less-specific', guideline: 'I.B.2 audit: exported unspecified code, documentation more specific', setting: O, note: 'Assessment: right knee osteoarthritis.', exported: { dx: ['M17.10'] }, expect: { dx: ['M17.11'], issues: ['AUDIT_LESS_SPECIFIC'] } },
  { id: 'audit-less-specific-dm', guideline: 'I.C.4.a audit: E11.9 exported, complication documented', setting: O, note: 'Assessment: type 2 diabetes with hyperglycemia.', exported: { dx: ['E11.9'] }, expect: { dx: ['E11.65'], issues: ['CODE_COMBINATION_APPLIED'] } },
  { id: 'audit-unsupported', guideline: 'audit: exported code without support in the notes', setting: O, note: 'Assessment: acute bronchitis.', exported: { dx: ['J20.9', 'M81.0'] }, expect: { dx: ['J20.9', 'M81.0'], issues: ['AUDIT_CODE_UNSUPPORTED'] } },
  { id: 'audit-contradicted', guideline: 'audit: exported code documented as absent', setting: O, note: 'Denies chest pain.\nAssessment: hypertension.', exported: { dx: ['I10', 'R07.9'] }, expect: { issues: ['AUDIT_CODE_CONTRADICTED'] } },
  { id: 'audit-uncoded', guideline: 'audit: documented condition left uncoded', setting: O, note: 'Assessment: hypertension. Gout.', exported: { dx: ['I10'] }, expect: { dx: ['I10', 'M10.9'], issues: ['AUDIT_CONDITION_UNCODED'] } },
  { id: 'audit-clean', guideline: 'audit: exported codes match the documentation', setting: O, note: 'Assessment: hypertension. Asthma.', exported: { dx: ['I10', 'J45.909'] }, expect: { dx: ['I10', 'J45.909'], noIssues: ['AUDIT_CODE_UNSUPPORTED', 'AUDIT_LESS_SPECIFIC', 'AUDIT_CONDITION_UNCODED'] } },
  { id: 'audit-status-resolved', guideline: 'exported resolved problem is not coded as current', setting: O, note: 'Assessment: hypertension.', exported: { dx: ['I10', 'J18.9:resolved'] }, expect: { dx: ['I10'], issues: ['CODE_STRUCTURED_NOT_CODED'] } },
  { id: 'audit-no-notes', guideline: 'audit needs documentation: codes without notes are coded as exported', setting: O, note: '', exported: { dx: ['I10'] }, expect: { dx: ['I10'], noIssues: ['AUDIT_CODE_UNSUPPORTED'] } },
];
