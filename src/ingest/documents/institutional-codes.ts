import { ADMISSION_SOURCES, ADMISSION_TYPES, DISCHARGE_STATUSES, nubcCode } from '../../config/nubc-codes.js';

/**
 * The 837I CL1 codes (NUBC priority of admission, point of origin, patient discharge status)
 * from what HL7 v2, FHIR and C-CDA documents carry. A value that is already a NUBC code is
 * kept; a value of the document standard's own vocabulary is translated only where the
 * meaning is the same; anything else is left out, so the claim falls back on the site's
 * defaults or is held for the discharge status (`EDIT_PATIENT_STATUS_MISSING`), never guessed.
 */

/** A NUBC discharge status, also when written with one digit ("1" for 01). */
export const nubcDischargeStatus = (raw: string | undefined): string | undefined => nubcCode(DISCHARGE_STATUSES, raw?.trim());
export const nubcAdmissionType = (raw: string | undefined): string | undefined => nubcCode(ADMISSION_TYPES, raw?.trim());
export const nubcAdmissionSource = (raw: string | undefined): string | undefined => nubcCode(ADMISSION_SOURCES, raw?.trim().toUpperCase());

/**
 * HL7 v2 PV1-4 admission type: US interfaces send the NUBC code; HL7 table 0007's letters
 * where they mean the same (E emergency, U urgent, C elective, R routine, N newborn).
 */
const HL7_ADMISSION_TYPES: Record<string, string> = { E: '1', U: '2', C: '3', R: '3', N: '4' };
export function hl7AdmissionType(raw: string | undefined): string | undefined {
  return nubcAdmissionType(raw) ?? HL7_ADMISSION_TYPES[raw?.trim().toUpperCase() ?? ''];
}

/** FHIR R4 Encounter.hospitalization.dischargeDisposition (http://terminology.hl7.org/CodeSystem/discharge-disposition). */
const FHIR_DISCHARGE: Record<string, string> = {
  home: '01', aadvice: '07', exp: '20', snf: '03', rehab: '62', psy: '65', long: '63', 'other-hcf': '70',
};
/** FHIR R4 Encounter.hospitalization.admitSource (http://terminology.hl7.org/CodeSystem/admit-source). */
const FHIR_ADMIT_SOURCE: Record<string, string> = {
  'hosp-trans': '4', outp: '2', gp: '2', mp: '2', nursing: '5',
};
/** FHIR R4 Encounter.priority (v3 ActPriority): EM emergency, UR urgent, EL elective. */
const FHIR_PRIORITY: Record<string, string> = { EM: '1', UR: '2', EL: '3' };

const NUBC_SYSTEM = /nubc/i;

/** From the codings of a CodeableConcept: a NUBC coding first, else the FHIR code translated. */
export function fhirInstitutionalCode(
  field: 'dischargeStatus' | 'admissionSource' | 'admissionType',
  codings: readonly { system?: string; code?: string }[],
): string | undefined {
  const nubc = field === 'dischargeStatus' ? nubcDischargeStatus : field === 'admissionSource' ? nubcAdmissionSource : nubcAdmissionType;
  for (const c of codings) if (c.system && NUBC_SYSTEM.test(c.system) && nubc(c.code)) return nubc(c.code);
  const table = field === 'dischargeStatus' ? FHIR_DISCHARGE : field === 'admissionSource' ? FHIR_ADMIT_SOURCE : FHIR_PRIORITY;
  for (const c of codings) if (c.code && Object.hasOwn(table, c.code)) return table[c.code];
  return undefined;
}
