/**
 * The status a past procedure leaves, a status code (Guidelines I.C.21.c.3) a coder reports
 * for what an earlier operation left behind, keyed by the ICD-10-PCS 4-character prefix
 * (root operation + body part) that abstraction already reads from the procedure's words.
 * Team-written from the FY2021 tabular and the FY2025 PCS body-part values.
 * - Resection (root operation T; 0DB6, partial gastrectomy, since Z90.3 is "stomach [part
 *   of]"): Z90 "Acquired absence of organs" ("history of hysterectomy" → Z90.710). Left out
 *   on purpose: the appendix (no Index entry sends an appendectomy to Z90.49), the thyroid
 *   (its absence is coded as postprocedural hypothyroidism, E89.0, when present).
 * - Replacement (R) of a heart valve: Z95.2 (Index: Status, heart valve prosthesis), the
 *   default when the note does not say xenogenic (Z95.3) or other (Z95.4); of a hip or knee
 *   joint: Z96.64-/Z96.65- "Presence of artificial hip/knee joint", the side from the PCS
 *   body part; of the lens (cataract surgery): Z96.1 (Index: Pseudophakia).
 * - Bypass (1) of coronary arteries: Z95.1 "Presence of aortocoronary bypass graft".
 * Transplants need no table: "kidney transplant" is a term of Z94.0's title already.
 */
const STATUS_AFTER: Readonly<Record<string, string>> = {
  '0UT9': 'Z90.710', // uterus: the Index's "Absence, uterus (acquired)" is both cervix and uterus
  '0UT0': 'Z90.721', '0UT1': 'Z90.721', // one ovary
  '0UT2': 'Z90.722', // both ovaries
  '0FT4': 'Z90.49', // gallbladder
  '0DTE': 'Z90.49', '0DTF': 'Z90.49', '0DTG': 'Z90.49', '0DTH': 'Z90.49', '0DTK': 'Z90.49', '0DTL': 'Z90.49', '0DTM': 'Z90.49', '0DTN': 'Z90.49', // colon
  '0DT6': 'Z90.3', '0DB6': 'Z90.3', // stomach, whole or part
  '0FTG': 'Z90.410', // pancreas, total
  '0TT0': 'Z90.5', '0TT1': 'Z90.5', '0TT2': 'Z90.5', // kidney
  '0TTB': 'Z90.6', // bladder
  '07TP': 'Z90.81', // spleen
  '0VT0': 'Z90.79', '0VT9': 'Z90.79', '0VTB': 'Z90.79', '0VTC': 'Z90.79', // prostate, testis
  '0BTK': 'Z90.2', '0BTL': 'Z90.2', '0BTM': 'Z90.2', '0BTC': 'Z90.2', '0BTD': 'Z90.2', '0BTF': 'Z90.2', '0BTG': 'Z90.2', '0BTH': 'Z90.2', '0BTJ': 'Z90.2', // lung or lobe
  '0HTT': 'Z90.11', '0HTU': 'Z90.12', '0HTV': 'Z90.13', // breast, by side
  '0CTS': 'Z90.02', // larynx
  '08T0': 'Z90.01', '08T1': 'Z90.01', // eye
  '02RF': 'Z95.2', '02RG': 'Z95.2', '02RH': 'Z95.2', '02RJ': 'Z95.2', // aortic, mitral, pulmonary, tricuspid valve
  '0210': 'Z95.1', '0211': 'Z95.1', '0212': 'Z95.1', '0213': 'Z95.1', // coronary arteries, one to four or more
  '0SR9': 'Z96.641', '0SRA': 'Z96.641', '0SRR': 'Z96.641', // right hip joint, acetabular or femoral surface
  '0SRB': 'Z96.642', '0SRE': 'Z96.642', '0SRS': 'Z96.642', // left hip joint
  '0SRC': 'Z96.651', '0SRT': 'Z96.651', '0SRV': 'Z96.651', // right knee joint, femoral or tibial surface
  '0SRD': 'Z96.652', '0SRU': 'Z96.652', '0SRW': 'Z96.652', // left knee joint
  '08RJ': 'Z96.1', '08RK': 'Z96.1', // lens, right and left
};

/** The status a past ICD-10-PCS procedure (a full code or its 4-character prefix) leaves, if the table has one. */
export function statusAfterProcedure(pcs: string): string | undefined {
  return pcs.length >= 4 ? STATUS_AFTER[pcs.slice(0, 4)] : undefined;
}

/**
 * Trust in the status read from a past procedure: the procedure's reading and its past
 * tense both have to be right, so below a term the tabular writes, above the threshold.
 */
export const PAST_PROCEDURE_STATUS_SCORE = 0.7;
