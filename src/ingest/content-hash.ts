import { createHash } from 'node:crypto';
import type { Encounter } from '../contract/types.js';

/**
 * Hash of everything that would change the claim. Source locations are left out: the
 * same encounter exported on another line of another night's file is unchanged.
 */
export function encounterContentHash(e: Omit<Encounter, 'contentHash' | 'issues' | 'source'>): string {
  const content = {
    key: e.key,
    kind: e.kind,
    patient: e.patient,
    coverage: e.coverage,
    providers: e.providers,
    serviceDate: e.serviceDate,
    admissionDate: e.admissionDate,
    dischargeDate: e.dischargeDate,
    placeOfService: e.placeOfService,
    facilityType: e.facilityType,
    notes: e.notes.map((n) => ({ id: n.id, type: n.type, text: n.text })),
    diagnoses: e.diagnoses.map((d) => ({ code: d.code, system: d.system, poa: d.poa })),
    charges: e.charges.map((c) => ({
      line: c.line, code: c.code, system: c.system, modifiers: c.modifiers, units: c.units, charge: c.charge, serviceDate: c.serviceDate, revenueCode: c.revenueCode,
      ...(c.diagnosisRefs ? { diagnosisRefs: c.diagnosisRefs } : {}),
    })),
    // Only when set, so the hashes of encounters exported without them stay what they were.
    ...(e.withdrawn ? { withdrawn: e.withdrawn.status } : {}),
    ...(e.procedures ? { procedures: e.procedures.map((p) => ({ code: p.code, system: p.system, date: p.date })) } : {}),
    ...(e.institutional ? { institutional: e.institutional } : {}),
    ...(e.claimFilingIndicator ? { claimFilingIndicator: e.claimFilingIndicator } : {}),
    ...(e.telehealth ? { telehealth: e.telehealth.mode } : {}),
    ...(e.diagnoses.some((d) => d.type) ? { diagnosisTypes: e.diagnoses.map((d) => d.type ?? '') } : {}),
  };
  // The content object is built here in a fixed key order from objects whose order is
  // fixed by assembly, so plain JSON.stringify is canonical (and much cheaper).
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
