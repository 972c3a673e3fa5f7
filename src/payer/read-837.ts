import { isoDate, readInterchange, cents, type Interchange } from './x12-interchange.js';

/** One claim of an 837 file as a payer sees it: what the simulator answers. */
export interface SubmittedClaim {
  /** CLM01, the patient control number (our claim id). */
  claimId: string;
  claimType: '837P' | '837I';
  /** CLM02 in cents. */
  charge: number;
  /** CLM05-1 (place of service or facility type) and CLM05-3 (frequency). */
  facility: string;
  frequency: string;
  /** REF*F8: the claim a replacement or void names. */
  originalRef?: string;
  payer: { id: string; name: string };
  /** SBR09 claim filing indicator (CI, MB, MC …). */
  filing: string;
  billingProvider: { npi: string; name: string };
  subscriber: { lastName: string; firstName: string; memberId: string };
  patient: { lastName: string; firstName: string };
  /** Claim-level service dates (837I statement dates, else the lines' span). */
  from: string;
  to: string;
  /** HI diagnosis codes in order (ABK principal, then ABF …), without their dot. */
  diagnoses: string[];
  /** Per line: the diagnoses it points to (837P SV107; 837I lines: the principal). */
  lines: { procedure: string; modifiers: string[]; revenueCode?: string; charge: number; units: string; date: string; diagnoses: string[] }[];
  /** Where the claim travelled: GS06 and ST02 of its group and set, ISA13 of its interchange. */
  control: { isa: string; gs: string; st: string };
}

export interface Submitted837 {
  interchange: Interchange;
  claims: SubmittedClaim[];
  /** 1000A submitter (NM1*41) name and id. */
  submitter: { name: string; id: string };
  /** Per group (GS06) and set (ST02): the claims it carried. */
  sets: { gs: string; st: string; version: string; claimIds: string[]; firstClaimAt: number }[];
}

/**
 * Reads an 837P (005010X222A1) or 837I (005010X223A2) interchange into its claims, with the
 * parties the loops above each claim name (2010AA billing provider, 2010BA subscriber,
 * 2010BB payer, 2010CA patient) and its service lines (2400 SV1/SV2 and DTP*472).
 */
export function read837(text: string): Submitted837 {
  const x = readInterchange(text);
  const claims: SubmittedClaim[] = [];
  const sets: Submitted837['sets'] = [];
  let submitter = { name: '', id: '' };
  const comp = x.separators.component;
  for (const g of x.groups) {
    for (const set of g.sets) {
      if (set.type !== '837') continue;
      const claimType = set.version.includes('X223') ? '837I' : '837P';
      const ids: string[] = [];
      let billing = { npi: '', name: '' };
      let subscriber = { lastName: '', firstName: '', memberId: '' };
      let payer = { id: '', name: '' };
      let patient = { lastName: '', firstName: '' };
      let filing = '';
      let claim: SubmittedClaim | undefined;
      let line: SubmittedClaim['lines'][number] | undefined;
      let hlLevel = '';
      const finish = () => {
        if (!claim) return;
        const dates = claim.lines.map((l) => l.date).filter(Boolean).sort();
        if (!claim.from) claim.from = dates[0] ?? x.date;
        if (!claim.to) claim.to = dates.at(-1) ?? claim.from;
        claims.push(claim);
        ids.push(claim.claimId);
        claim = undefined;
      };
      for (const s of set.body) {
        switch (s.id) {
          case 'HL':
            finish();
            hlLevel = s.e[2] ?? '';
            break;
          case 'NM1': {
            const name = { lastName: s.e[2] ?? '', firstName: s.e[3] ?? '' };
            if (s.e[0] === '41') submitter = { name: s.e[2] ?? '', id: s.e[8] ?? '' };
            else if (s.e[0] === '85') billing = { npi: s.e[8] ?? '', name: s.e[2] ?? '' };
            else if (s.e[0] === 'IL') {
              subscriber = { ...name, memberId: s.e[8] ?? '' };
              patient = name;
            } else if (s.e[0] === 'PR' && !claim) payer = { id: s.e[8] ?? '', name: s.e[2] ?? '' };
            else if (s.e[0] === 'QC' && hlLevel === '23') patient = name;
            break;
          }
          case 'SBR':
            filing = s.e[8] ?? '';
            break;
          case 'CLM': {
            finish();
            const c5 = (s.e[4] ?? '').split(comp);
            claim = {
              claimId: s.e[0] ?? '', claimType, charge: cents(s, 1, 'total claim charge'), facility: c5[0] ?? '', frequency: c5[2] ?? '1',
              payer, filing, billingProvider: billing, subscriber, patient, from: '', to: '', diagnoses: [], lines: [], control: { isa: x.control, gs: g.control, st: set.control },
            };
            line = undefined;
            break;
          }
          case 'HI':
            if (!claim) break;
            for (const composite of s.e) {
              const [qualifier = '', code = ''] = composite.split(comp);
              if (['ABK', 'ABF', 'BK', 'BF'].includes(qualifier) && code) claim.diagnoses.push(code);
            }
            break;
          case 'REF':
            if (claim && s.e[0] === 'F8' && !line) claim.originalRef = s.e[1] ?? '';
            break;
          case 'DTP':
            if (!claim) break;
            if (s.e[0] === '434' && s.e[1] === 'RD8') {
              const [a, b] = (s.e[2] ?? '').split('-');
              claim.from = isoDate(a ?? '');
              claim.to = isoDate(b ?? a ?? '');
            } else if (s.e[0] === '472' && line) {
              line.date = isoDate((s.e[2] ?? '').split('-')[0] ?? '');
            }
            break;
          case 'SV1':
          case 'SV2': {
            if (!claim) break;
            const professional = s.id === 'SV1';
            const proc = (professional ? s.e[0] : s.e[1]) ?? '';
            const [, code = '', ...mods] = proc.split(comp);
            const pointers = professional ? (s.e[6] ?? '').split(comp).map(Number).filter((n) => n > 0) : [1];
            line = {
              procedure: code, modifiers: mods.filter(Boolean), charge: cents(s, professional ? 1 : 2, 'line charge'), units: (professional ? s.e[3] : s.e[4]) || '1', date: '',
              diagnoses: pointers.map((n) => claim!.diagnoses[n - 1]).filter((d): d is string => Boolean(d)),
              ...(professional ? {} : { revenueCode: s.e[0] ?? '' }),
            };
            claim.lines.push(line);
            break;
          }
          default:
            break;
        }
      }
      finish();
      // Position of the first CLM within the set (ST is 1), as a 999's IK302 counts.
      const first = set.body.findIndex((s) => s.id === 'CLM');
      sets.push({ gs: g.control, st: set.control, version: set.version, claimIds: ids, firstClaimAt: first < 0 ? 1 : first + 2 });
    }
  }
  return { interchange: x, claims, submitter, sets };
}
