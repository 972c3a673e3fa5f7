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
  /** False when the file carries placeholders for what the site has not configured: not to be sent. */
  ready: boolean;
  /** What is not configured (sender, receiver, billing providers, provider names). */
  placeholders: string[];
  /** The functional groups of the interchange, one per claim type, in file order. */
  groups: { claimType: '837P' | '837I'; gs: number; claims: number; totalCharge: number }[];
  claims: number;
  totalCharge: number;
  control: { isa: number; gs: number; st: number; sets: number; groups: number };
  /** Each claim's group (GS06) and set (ST02) in the file, for the claim lifecycle. */
  sent: { claimId: string; gs: number; st: number }[];
}

type X12Config = Config['x12'];

/**
 * A claim file that was not released: it failed its self-check, or it is a production
 * file (x12.usage P) with placeholders. Its claims become exceptions.
 */
export interface X12Failure {
  name: string;
  receiver: string;
  claimTypes: ('837P' | '837I')[];
  claimIds: string[];
  problems: string[];
  reason: 'self-check' | 'not-configured';
}

/** The receiver of a claim: configured for its payer, else the payer id itself (a placeholder). */
export function receiverOf(x12: X12Config, payerId: string | undefined, payerName: string | undefined) {
  const configured = payerId ? x12.receivers[payerId] : undefined;
  return configured ? { ...configured, placeholder: false } : { id: (payerId ?? 'UNKNOWN').slice(0, 15), qualifier: 'ZZ', name: payerName ?? payerId ?? 'UNKNOWN', claimFilingIndicator: 'CI', placeholder: true };
}

/**
 * A billing provider the config does not describe: a placeholder to replace in config
 * (`x12.billingProviders`). It is well formed (a nine-digit ZIP as 2010AA N403 requires)
 * so the file validates, and marked, so the file is not ready to send.
 */
function billingProvider(x12: X12Config, npi: string | undefined): BillingProvider {
  const known = npi ? x12.billingProviders[npi] : undefined;
  if (known) return { npi: npi!, ...known, address: { ...known.address, zip: known.address.zip.replace(/-/g, '') } };
  return { npi: npi ?? '0000000000', name: `BILLING PROVIDER ${npi ?? ''}`.trim(), taxId: '000000000', address: { line1: 'ADDRESS NOT CONFIGURED', city: 'NOT CONFIGURED', state: 'XX', zip: '000000000' }, placeholder: true };
}

/** "sender; receiver ACME01; 6 billing providers; 12 provider names": a file's placeholders in one line. */
export function summarizePlaceholders(placeholders: readonly string[]): string {
  const billing = placeholders.filter((p) => p.startsWith('billing provider ')).length;
  const names = placeholders.filter((p) => p.startsWith('provider name ')).length;
  const others = placeholders.filter((p) => !p.startsWith('billing provider ') && !p.startsWith('provider name '));
  return [...others, ...(billing ? [`${billing} billing provider(s) (x12.billingProviders)`] : []), ...(names ? [`${names} provider name(s) (x12.providerNames)`] : [])].join('; ');
}

/** The sender as shipped (not configured for a site): submitter id and contact are placeholders. */
export function senderIsPlaceholder(x12: X12Config): boolean {
  return x12.sender.id === 'NIGHTCODE' || x12.sender.contactPhone === '0000000000';
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
  payerClaimNumber?: (claimId: string) => string | undefined,
): Promise<{ files: X12File[]; failures: X12Failure[] }> {
  const split = x12.filePer === 'receiver-and-claim-type';
  const fileOf = (c: ClaimRecord) => {
    const receiver = receiverOf(x12, c.coverage.payerId, c.coverage.payerName);
    return { receiver, key: split ? `${receiver.id}|${c.claimType}` : receiver.id };
  };
  const files = new Map<string, ReturnType<typeof receiverOf>>();
  // Each claim's file, by its place in the stream (the same order every pass): a file's pass
  // parses only its own claims.
  const fileOfClaim: string[] = [];
  for (const json of claims()) {
    const f = fileOf(JSON.parse(json) as ClaimRecord);
    if (!files.has(f.key)) files.set(f.key, f.receiver);
    fileOfClaim.push(f.key);
  }
  const out: X12File[] = [];
  const failures: X12Failure[] = [];
  for (const [key, receiver] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // One file's claims at a time: memory holds one file's claims, not the night's.
    const byType = new Map<'837P' | '837I', ClaimRecord[]>();
    let i = 0;
    for (const json of claims()) {
      if (fileOfClaim[i++] !== key) continue;
      const c = JSON.parse(json) as ClaimRecord;
      const list = byType.get(c.claimType);
      if (list) list.push(c);
      else byType.set(c.claimType, [c]);
    }
    const groups = CLAIM_TYPES.filter((t) => byType.has(t)).map((kind) => ({ kind, claims: byType.get(kind)! }));
    const sets = groups.reduce((n, g) => n + setsFor(g.claims.length), 0);
    const fileKind = split ? groups[0]!.kind : '837';
    const name = split ? `${safeName(receiver.id)}-${fileKind}.837` : `${safeName(receiver.id)}.837`;
    const all = groups.flatMap((g) => g.claims);
    const placeholders = new Set<string>();
    if (senderIsPlaceholder(x12)) placeholders.add('sender (x12.sender id and contact)');
    if (receiver.placeholder) placeholders.add(`receiver ${receiver.id} (x12.receivers)`);
    const options = {
      sender: x12.sender, receiver, usage: x12.usage, separators: x12.separators,
      billingProvider: (npi: string | undefined) => billingProvider(x12, npi),
      providerName: (npi: string) => x12.providerNames[npi] ?? { last: `PROVIDER ${npi}`, placeholder: true },
      claimFilingIndicator: (payerId: string | undefined) => (payerId ? x12.receivers[payerId]?.claimFilingIndicator : undefined) ?? receiver.claimFilingIndicator,
      institutional: x12.institutional,
      onPlaceholder: (what: string) => placeholders.add(what),
      ...(payerClaimNumber ? { payerClaimNumber } : {}),
    };
    // A production file must not carry placeholders: refused before it takes control numbers.
    if (x12.usage === 'P') {
      write837Interchange(groups, { ...options, control: { isa: 0, gs: 0, st: 0 }, now: new Date(0) });
      if (placeholders.size > 0) {
        failures.push({
          name, receiver: receiver.id, claimTypes: groups.map((g) => g.kind), claimIds: all.map((c) => c.claimId), reason: 'not-configured',
          problems: [...placeholders].map((p) => `not configured: ${p}`),
        });
        continue;
      }
    }
    const control = allocate(receiver.id, fileKind, sets, groups.length);
    const sent: X12File['sent'] = [];
    const text = write837Interchange(groups, { ...options, control, now: new Date(control.createdAt), onClaim: (claimId, gs, st) => sent.push({ claimId, gs, st }) });
    const problems = check(text);
    if (problems.length > 0) {
      failures.push({
        name, receiver: receiver.id, claimTypes: groups.map((g) => g.kind), claimIds: all.map((c) => c.claimId), reason: 'self-check',
        problems: problems.slice(0, 20).map((p) => `segment ${p.segment}: ${p.message}`),
      });
      continue;
    }
    const file = await writeFileAtomic(join(outDir, name), [text]);
    out.push({
      ...file, name, receiver: receiver.id, ready: placeholders.size === 0, placeholders: [...placeholders],
      claims: all.length, totalCharge: cents(all) / 100,
      groups: groups.map((g, i) => ({ claimType: g.kind, gs: control.gs + i, claims: g.claims.length, totalCharge: cents(g.claims) / 100 })),
      control: { isa: control.isa, gs: control.gs, st: control.st, sets: control.sets, groups: control.groups }, sent,
    });
  }
  return { files: out, failures };
}
