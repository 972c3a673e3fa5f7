import type { CodedEncounter, Issue } from '../../contract/types.js';
import { telehealthFor, type TelehealthConfig } from '../../code/telehealth.js';
import { AUDIO_MODIFIERS, TEAM_TELEHEALTH_CODES, TELEHEALTH_MODIFIERS, TELEHEALTH_POS, VIDEO_MODIFIERS } from '../../code/tables/telehealth.js';
import { edit } from './edit-issue.js';

/**
 * Telehealth edits on professional claims (CMS POS code set; CPT/HCPCS modifier definitions;
 * the payer's list of services payable by telehealth):
 * - EDIT_TELEHEALTH_CONFLICT: a telehealth place of service (02, 10) or modifier (95, 93, FQ,
 *   GT, GQ) on a visit nothing says was by telehealth; a telehealth visit billed with an
 *   in-person place of service to a payer that wants 02/10; an audio-only modifier on a video
 *   visit or a video modifier on an audio-only one;
 * - EDIT_TELEHEALTH_NOT_ELIGIBLE: a telehealth visit's service that is not on the payer's
 *   telehealth list (laboratory tests, drugs and supplies aside).
 */
export function telehealthEdits(coded: CodedEncounter, config: TelehealthConfig | undefined): Issue[] {
  const e = coded.encounter;
  if (e.kind !== 'professional') return [];
  const out: Issue[] = [];
  const t = e.telehealth && e.telehealth.mode !== 'none' ? e.telehealth : undefined;
  const said = t ? `${t.mode === 'audio' ? 'audio-only' : 'video'} (${t.from === 'export' ? 'the export' : `the note: "${t.evidence ?? ''}"`})` : '';
  const lineMods = coded.procedures.flatMap((l) => l.modifiers.filter((m) => TELEHEALTH_MODIFIERS.has(m)).map((m) => ({ l, m })));
  if (!t) {
    const how = e.telehealth?.mode === 'none' ? 'the export says the visit was in person' : 'nothing in the export or the notes says the visit was by telehealth';
    if (e.placeOfService && TELEHEALTH_POS.has(e.placeOfService)) {
      out.push(edit('EDIT_TELEHEALTH_CONFLICT', `place of service ${e.placeOfService} is telehealth, but ${how}`, { path: 'placeOfService', codes: [e.placeOfService] }));
    }
    for (const { l, m } of lineMods) {
      out.push(edit('EDIT_TELEHEALTH_CONFLICT', `line ${l.line}: modifier ${m} says telehealth, but ${how}`, { codes: [l.code ?? '', m], source: l.source }));
    }
    return out;
  }
  const billing = telehealthFor(config, e.coverage.payerId);
  if (billing.pos === 'telehealth' && e.placeOfService && !TELEHEALTH_POS.has(e.placeOfService)) {
    out.push(edit('EDIT_TELEHEALTH_CONFLICT', `the visit was by telehealth, ${said}, but the place of service is ${e.placeOfService}: ${e.coverage.payerId ?? 'the payer'} wants 10 (patient at home) or 02`, {
      path: 'placeOfService', codes: [e.placeOfService], ...(t.source ? { source: t.source } : {}),
    }));
  }
  for (const { l, m } of lineMods) {
    if (t.mode === 'video' && AUDIO_MODIFIERS.has(m)) out.push(edit('EDIT_TELEHEALTH_CONFLICT', `line ${l.line}: audio-only modifier ${m} on a video visit, ${said}`, { codes: [l.code ?? '', m], source: l.source }));
    if (t.mode === 'audio' && VIDEO_MODIFIERS.has(m)) out.push(edit('EDIT_TELEHEALTH_CONFLICT', `line ${l.line}: video modifier ${m} on an audio-only visit, ${said}`, { codes: [l.code ?? '', m], source: l.source }));
  }
  const eligible = new Set(billing.codes);
  for (const l of coded.procedures) {
    // Clinical laboratory tests (80047–89398) and drugs and supplies (HCPCS A, J) are not
    // services furnished by telehealth: the lab and the pharmacy bill them as usual.
    if (!l.code || eligible.has(l.code) || /^8\d{4}$|^[AJ]\d{4}$/.test(l.code)) continue;
    out.push(edit('EDIT_TELEHEALTH_NOT_ELIGIBLE', `line ${l.line}: ${l.code} is not on ${e.coverage.payerId ?? 'the payer'}'s list of services payable by telehealth, and the visit was ${said}`, {
      codes: [l.code], source: l.source, tableVersion: billing.codes === TEAM_TELEHEALTH_CODES ? 'team telehealth list (after the CMS List of Medicare Telehealth Services)' : 'config telehealth.codes',
    }));
  }
  return out;
}
