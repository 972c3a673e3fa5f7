import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { writeFileAtomic, type WrittenFile } from '../atomic-file.js';
import type { ClaimRecord } from '../claims/claim-record.js';
import type { Allocation } from './control-numbers.js';
import { setsFor, write837Interchange, type BillingProvider } from './x12-837.js';
import { checkInterchange, type X12Problem } from './x12-check.js';

export interface X12File extends WrittenFile {
  name: string;
  receiver: string;
  /** The functional groups of the interchange, one per claim type, in file order. */
  groups: { claimType: '837P' | '837I'; gs: number; claims: number; totalCharge: number }[];
  claims: number;
  totalCharge: number;
  control: { isa: number; gs: number; st: number; sets: number; groups: number };
}

type X12Config = Config['x12'];

/** A claim file that failed its self-check: not released; its claims become exceptions. */
export interface X12Failure {
  name: string;
  receiver: string;
  claimTypes: ('837P' | '837I')[];
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

const CLAIM_TYPES = ['837P', '837I'] as const;
const cents = (claims: readonly ClaimRecord[]) => claims.reduce((s, c) => s + c.lines.reduce((t, l) => t + Math.round(l.charge * 100), 0), 0);

/**
 * One 837 file per receiver (or per receiver and claim type, config `x12.filePer`) for a
 * run's released claims: an interchange with a functional group per claim type. Each is
 * written, read back and self-checked (syntax, envelopes, structure, balancing) before it
 * is released under its final name (temp file, fsync, rename, owner-only). A file that
 * fails the check is never written: it comes back as a failure naming its claims and problems.
 */
export async function writeX12Files(
  outDir: string, claims: () => Iterable<string>, x12: X12Config,
  allocate: (receiver: string, fileKind: string, sets: number, groups: number) => Allocation,
  check: (text: string) => X12Problem[] = checkInterchange,
): Promise<{ files: X12File[]; failures: X12Failure[] }> {
  const split = x12.filePer === 'receiver-and-claim-type';
  const fileOf = (c: ClaimRecord) => {
    const receiver = receiverOf(x12, c.coverage.payerId, c.coverage.payerName);
    return { receiver, key: split ? `${receiver.id}|${c.claimType}` : receiver.id };
  };
  const files = new Map<string, ReturnType<typeof receiverOf>>();
  for (const json of claims()) {
    const f = fileOf(JSON.parse(json) as ClaimRecord);
    if (!files.has(f.key)) files.set(f.key, f.receiver);
  }
  const out: X12File[] = [];
  const failures: X12Failure[] = [];
  for (const [key, receiver] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // One file's claims at a time: memory holds one file's claims, not the night's.
    const byType = new Map<'837P' | '837I', ClaimRecord[]>();
    for (const json of claims()) {
      const c = JSON.parse(json) as ClaimRecord;
      if (fileOf(c).key !== key) continue;
      const list = byType.get(c.claimType);
      if (list) list.push(c);
      else byType.set(c.claimType, [c]);
    }
    const groups = CLAIM_TYPES.filter((t) => byType.has(t)).map((kind) => ({ kind, claims: byType.get(kind)! }));
    const sets = groups.reduce((n, g) => n + setsFor(g.claims.length), 0);
    const fileKind = split ? groups[0]!.kind : '837';
    const control = allocate(receiver.id, fileKind, sets, groups.length);
    const text = write837Interchange(groups, {
      sender: x12.sender, receiver, usage: x12.usage, separators: x12.separators,
      control, now: new Date(control.createdAt),
      billingProvider: (npi) => billingProvider(x12, npi),
      providerName: (npi) => x12.providerNames[npi] ?? { last: `PROVIDER ${npi}` },
      claimFilingIndicator: (payerId) => (payerId ? x12.receivers[payerId]?.claimFilingIndicator : undefined) ?? receiver.claimFilingIndicator,
      institutional: x12.institutional,
    });
    const name = split ? `${safeName(receiver.id)}-${fileKind}.837` : `${safeName(receiver.id)}.837`;
    const all = groups.flatMap((g) => g.claims);
    const problems = check(text);
    if (problems.length > 0) {
      failures.push({
        name, receiver: receiver.id, claimTypes: groups.map((g) => g.kind), claimIds: all.map((c) => c.claimId),
        problems: problems.slice(0, 20).map((p) => `segment ${p.segment}: ${p.message}`),
      });
      continue;
    }
    const file = await writeFileAtomic(join(outDir, name), [text]);
    out.push({
      ...file, name, receiver: receiver.id, claims: all.length, totalCharge: cents(all) / 100,
      groups: groups.map((g, i) => ({ claimType: g.kind, gs: control.gs + i, claims: g.claims.length, totalCharge: cents(g.claims) / 100 })),
      control: { isa: control.isa, gs: control.gs, st: control.st, sets: control.sets, groups: control.groups },
    });
  }
  return { files: out, failures };
}
