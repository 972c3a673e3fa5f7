import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { writeFileAtomic, type WrittenFile } from '../atomic-file.js';
import type { ClaimRecord } from '../claims/claim-record.js';
import type { Allocation } from './control-numbers.js';
import { MAX_CLAIMS_PER_TRANSACTION, write837, type BillingProvider } from './x12-837.js';
import { checkInterchange, type X12Problem } from './x12-check.js';

export interface X12File extends WrittenFile {
  name: string;
  receiver: string;
  claimType: '837P' | '837I';
  claims: number;
  totalCharge: number;
  control: { isa: number; gs: number; st: number; sets: number };
}

type X12Config = Config['x12'];

/** A claim file that failed its self-check: not released; its claims become exceptions. */
export interface X12Failure {
  name: string;
  receiver: string;
  claimType: '837P' | '837I';
  claimIds: string[];
  problems: string[];
}

/** The receiver of a claim: configured for its payer, else the payer id itself. */
export function receiverOf(x12: X12Config, payerId: string | undefined, payerName: string | undefined) {
  const configured = payerId ? x12.receivers[payerId] : undefined;
  return configured ?? { id: (payerId ?? 'UNKNOWN').slice(0, 15), qualifier: 'ZZ', name: payerName ?? payerId ?? 'UNKNOWN', claimFilingIndicator: 'CI' };
}

/** A billing provider the config does not describe: a placeholder to replace in config (`x12.billingProviders`). */
function billingProvider(x12: X12Config, npi: string | undefined): BillingProvider {
  const known = npi ? x12.billingProviders[npi] : undefined;
  return known ? { npi: npi!, ...known } : { npi: npi ?? '0000000000', name: `BILLING PROVIDER ${npi ?? ''}`.trim(), taxId: '000000000', address: { line1: 'ADDRESS NOT CONFIGURED', city: 'UNKNOWN', state: 'XX', zip: '00000' } };
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/**
 * One 837 file per receiver and claim type for a run's released claims: each is written,
 * read back and self-checked (syntax, envelopes, structure, balancing) before it is
 * released under its final name (temp file, fsync, rename, owner-only). A file that fails
 * the check is never written: it comes back as a failure naming its claims and problems.
 */
export async function writeX12Files(
  outDir: string, claims: () => Iterable<string>, x12: X12Config,
  allocate: (receiver: string, claimType: string, sets: number) => Allocation,
  check: (text: string) => X12Problem[] = checkInterchange,
): Promise<{ files: X12File[]; failures: X12Failure[] }> {
  const groups = new Map<string, { receiver: ReturnType<typeof receiverOf>; claimType: '837P' | '837I'; n: number }>();
  for (const json of claims()) {
    const c = JSON.parse(json) as ClaimRecord;
    const receiver = receiverOf(x12, c.coverage.payerId, c.coverage.payerName);
    const key = `${receiver.id}|${c.claimType}`;
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { receiver, claimType: c.claimType, n: 1 });
  }
  const out: X12File[] = [];
  const failures: X12Failure[] = [];
  for (const [key, g] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // One receiver's claims at a time: memory holds one file's claims, not the night's.
    const mine: ClaimRecord[] = [];
    for (const json of claims()) {
      const c = JSON.parse(json) as ClaimRecord;
      if (`${receiverOf(x12, c.coverage.payerId, c.coverage.payerName).id}|${c.claimType}` === key) mine.push(c);
    }
    const sets = Math.max(1, Math.ceil(mine.length / MAX_CLAIMS_PER_TRANSACTION));
    const control = allocate(g.receiver.id, g.claimType, sets);
    const text = write837(g.claimType, mine, {
      sender: x12.sender, receiver: g.receiver, usage: x12.usage, separators: x12.separators,
      control, now: new Date(control.createdAt),
      billingProvider: (npi) => billingProvider(x12, npi),
      providerName: (npi) => x12.providerNames[npi] ?? { last: `PROVIDER ${npi}` },
      claimFilingIndicator: (payerId) => (payerId ? x12.receivers[payerId]?.claimFilingIndicator : undefined) ?? g.receiver.claimFilingIndicator,
      institutional: x12.institutional,
    });
    const name = `${safeName(g.receiver.id)}-${g.claimType}.837`;
    const problems = check(text);
    if (problems.length > 0) {
      failures.push({
        name, receiver: g.receiver.id, claimType: g.claimType, claimIds: mine.map((c) => c.claimId),
        problems: problems.slice(0, 20).map((p) => `segment ${p.segment}: ${p.message}`),
      });
      continue;
    }
    const file = await writeFileAtomic(join(outDir, name), [text]);
    const totalCharge = Math.round(mine.reduce((s, c) => s + c.lines.reduce((t, l) => t + Math.round(l.charge * 100), 0), 0)) / 100;
    out.push({ ...file, name, receiver: g.receiver.id, claimType: g.claimType, claims: mine.length, totalCharge, control: { isa: control.isa, gs: control.gs, st: control.st, sets: control.sets } });
  }
  return { files: out, failures };
}
