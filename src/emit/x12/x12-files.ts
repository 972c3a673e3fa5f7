import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { AtomicFileWriter, type WrittenFile } from '../atomic-file.js';
import type { ClaimRecord } from '../claims/claim-record.js';
import type { Allocation } from './control-numbers.js';
import { setsFor, write837Ordered, type BillingProvider } from './x12-837.js';
import type { ReleasedClaims, X12ClaimType } from '../claims/released-claims.js';
import { createX12Checker, type X12SegmentCheck } from './x12-check.js';

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
}

/**
 * Where each claim of the files travelled: its group (GS06) and set (ST02), for the claim
 * lifecycle. Told claim by claim as a file is written, with the claim itself (what the
 * lifecycle keeps of it is read there, not parsed again from the stored JSON); a file that
 * is not released is forgotten.
 */
export interface SentClaimsSink {
  add(file: string, claim: ClaimRecord, gs: number, st: number): void;
  /** The file was not released: forget its claims. */
  drop(file: string): void;
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

const lineCents = (c: ClaimRecord) => c.lines.reduce((t, l) => t + Math.round(l.charge * 100), 0);

/**
 * One 837 file per receiver (or per receiver and claim type, config `x12.filePer`) for a
 * run's released claims: an interchange with a functional group per claim type. Each is
 * self-checked (syntax, envelopes, structure, balancing) as it is written to a temporary
 * file, segment by segment, and released under its final name (fsync, rename, owner-only)
 * only when the check passes. A file that fails the check never appears: its temporary file
 * is removed and it comes back as a failure naming its claims and problems.
 *
 * The claims are sorted into files first, where they are stored (ReleasedClaims.byFile);
 * each file then reads its own claims a page at a time, in file order: memory holds neither
 * a key per claim of the night, nor the claims, nor the file's text.
 */
export async function writeX12Files(
  outDir: string, claims: ReleasedClaims, x12: X12Config,
  allocate: (receiver: string, fileKind: string, sets: number, groups: number) => Allocation,
  check: () => X12SegmentCheck = createX12Checker,
  payerClaimNumber?: (claimId: string) => string | undefined,
  sent?: SentClaimsSink,
): Promise<{ files: X12File[]; failures: X12Failure[] }> {
  const split = x12.filePer === 'receiver-and-claim-type';
  const sorted = claims.byFile((payerId, payerName, claimType) => {
    const receiver = receiverOf(x12, payerId, payerName);
    return split ? `${receiver.id}|${claimType}` : receiver.id;
  });
  const out: X12File[] = [];
  const failures: X12Failure[] = [];
  try {
    for (const f of sorted.files) {
      const result = writeOne(f);
      if ('reason' in result) failures.push(result);
      else out.push(result);
    }
  } finally {
    sorted.close();
  }
  return { files: out, failures };

  function writeOne(f: (typeof sorted.files)[number]): X12File | X12Failure {
    const receiver = receiverOf(x12, f.payerId, f.payerName);
    const kinds = f.types.map((t) => t.claimType);
    const countOf = (kind: X12ClaimType) => f.types.find((t) => t.claimType === kind)!.claims;
    const claimCount = f.types.reduce((n, t) => n + t.claims, 0);
    const sets = f.types.reduce((n, t) => n + setsFor(t.claims), 0);
    const fileKind = split ? kinds[0]! : '837';
    const name = split ? `${safeName(receiver.id)}-${fileKind}.837` : `${safeName(receiver.id)}.837`;
    // Each group's claims read in file order, their charges summed on the way.
    const groupCents = { '837P': 0, '837I': 0 };
    const groups = () => kinds.map((kind) => {
      groupCents[kind] = 0;
      return {
        kind, count: countOf(kind),
        claims: (function* () {
          for (const json of sorted.ordered(f.key, kind)) {
            const c = JSON.parse(json) as ClaimRecord;
            groupCents[kind] += lineCents(c);
            yield c;
          }
        })(),
      };
    });
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
      write837Ordered(groups(), { ...options, control: { isa: 0, gs: 0, st: 0 }, now: new Date(0) }, () => undefined);
      if (placeholders.size > 0) {
        return {
          name, receiver: receiver.id, claimTypes: kinds, claimIds: sorted.claimIds(f.key), reason: 'not-configured',
          problems: [...placeholders].map((p) => `not configured: ${p}`),
        };
      }
    }
    const control = allocate(receiver.id, fileKind, sets, kinds.length);
    const writer = new AtomicFileWriter(join(outDir, name));
    const checker = check();
    try {
      write837Ordered(groups(), { ...options, control, now: new Date(control.createdAt), onClaim: (claim, gs, st) => sent?.add(name, claim, gs, st) }, (segment) => {
        writer.write(segment);
        checker.push(segment);
      });
    } catch (err) {
      writer.abort();
      sent?.drop(name);
      throw err;
    }
    const problems = checker.finish();
    if (problems.length > 0) {
      writer.abort();
      sent?.drop(name);
      return {
        name, receiver: receiver.id, claimTypes: kinds, claimIds: sorted.claimIds(f.key), reason: 'self-check',
        problems: problems.slice(0, 20).map((p) => `segment ${p.segment}: ${p.message}`),
      };
    }
    const file = writer.commit();
    const total = kinds.reduce((n, kind) => n + groupCents[kind], 0);
    return {
      ...file, name, receiver: receiver.id, ready: placeholders.size === 0, placeholders: [...placeholders],
      claims: claimCount, totalCharge: total / 100,
      groups: kinds.map((kind, i) => ({ claimType: kind, gs: control.gs + i, claims: countOf(kind), totalCharge: groupCents[kind] / 100 })),
      control: { isa: control.isa, gs: control.gs, st: control.st, sets: control.sets, groups: control.groups },
    };
  }
}
