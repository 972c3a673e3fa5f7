import type { ClaimRecord } from './claim-record.js';

/** The claim types an 837 file carries (a claim record's type). */
export type X12ClaimType = ClaimRecord['claimType'];

/** Which 837 file a claim goes to: from its payer and type (x12.receivers, x12.filePer). */
export type FileOf = (payerId: string | undefined, payerName: string | undefined, claimType: X12ClaimType) => string;

/** One 837 file of the night: the claims of each type it carries, and its first claim's payer. */
export interface ReleasedClaimFile {
  key: string;
  /** The payer of the file's first claim in the night's order (names a receiver that is not configured). */
  payerId?: string | undefined;
  payerName?: string | undefined;
  /** Claims per type, in functional-group order (837P, 837I), types without claims left out. */
  types: { claimType: X12ClaimType; claims: number }[];
}

/**
 * The night's released claims sorted into 837 files. The sorting is done where the claims
 * are stored (for the run repository: a temporary SQLite table), so memory holds a page of
 * claims, not a key per claim of the night (~280 B each, 265 MB at a million encounters).
 */
export interface ReleasedClaimFiles {
  /** The files, by key. */
  readonly files: readonly ReleasedClaimFile[];
  /**
   * A file's claims of one type in 837 order: billing provider NPI, then member id, then
   * claim id (in code-point order: compareX12Order), as the ClaimRecord JSON stored with each.
   */
  ordered(file: string, claimType: X12ClaimType): Iterable<string>;
  /** A file's claim ids: its 837P claims, then its 837I claims, each in the night's order (what a failure names). */
  claimIds(file: string): string[];
  /** Forgets the sorting (drops what it stored). */
  close(): void;
}

/** A run's released claims as the emit step reads them. */
export interface ReleasedClaims {
  /** Every claim in the night's order, as the ClaimRecord JSON stored with it. */
  all(): Iterable<string>;
  /** The claims sorted into 837 files. */
  byFile(fileOf: FileOf): ReleasedClaimFiles;
}
