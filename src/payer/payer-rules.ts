import { NightcodeError } from '../contract/errors.js';
import type { Db } from '../store/database.js';
import type { CoveragePolicy } from '../validate/edits/procedure-edits.js';
import { payerAnalytics, type RuleProposal } from './payer-analytics.js';

/**
 * Staff decisions on coverage policies proposed from payers' denials: one answer accepts
 * (the policy then applies to every later run, like a config `coverage` entry) or dismisses
 * (the proposal is not made again). Audited.
 */
export function decideProposal(db: Db, o: { id: string; accept: boolean; user: string; now: Date }): RuleProposal {
  if (!o.user.trim()) throw new NightcodeError('USAGE', 'every decision names who made it: give --user');
  const proposal = payerAnalytics(db).proposals.find((p) => p.id === o.id);
  if (!proposal) throw new NightcodeError('USAGE', `${o.id} is not a proposal of this database (nightcode remit rules lists them)`);
  const policy: CoveragePolicy & { payers: string[] } = {
    id: `${o.id}-${proposal.payer}-${proposal.procedure}`, version: o.now.toISOString().slice(0, 10),
    procedures: [proposal.procedure], diagnoses: proposal.diagnoses, payers: [proposal.payer],
  };
  const evidence = `${proposal.claims} claim(s) denied (${proposal.reasons.join(', ')}) with ${proposal.deniedDiagnosis}, never paid with it; paid with ${proposal.diagnoses.join(', ')}`;
  db.transaction(() => {
    db.prepare(`INSERT INTO payer_rules (id, payer, procedure, diagnosis, status, policy, evidence, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, policy = excluded.policy, evidence = excluded.evidence, decided_by = excluded.decided_by, decided_at = excluded.decided_at`)
      .run(o.id, proposal.payer, proposal.procedure, proposal.deniedDiagnosis, o.accept ? 'accepted' : 'dismissed', o.accept ? JSON.stringify(policy) : null, evidence, o.user, o.now.toISOString());
    db.prepare('INSERT INTO audit_log (at, actor, action, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(o.now.toISOString(), o.user, o.accept ? 'payer-rule-accepted' : 'payer-rule-dismissed', proposal.status, o.accept ? 'accepted' : 'dismissed', `${o.id}: ${proposal.payer} ${proposal.procedure}: ${evidence}`);
  }).immediate();
  return { ...proposal, status: o.accept ? 'accepted' : 'dismissed', decidedBy: o.user };
}

/** The coverage policies staff accepted from proposals: every run applies them with the config's. */
export function acceptedPayerPolicies(db: Db): CoveragePolicy[] {
  return (db.prepare("SELECT policy FROM payer_rules WHERE status = 'accepted' AND policy IS NOT NULL ORDER BY id").all() as { policy: string }[]).map((r) => JSON.parse(r.policy) as CoveragePolicy);
}
