/**
 * What the emit step needs to know of a released claim before reading it: its place in the
 * night's order, the receiver it goes to, its type, and what orders it within its 837 group.
 */
export interface ReleasedClaimKey {
  /** Its position in `all()`. */
  place: number;
  claimType: '837P' | '837I';
  payerId?: string | undefined;
  payerName?: string | undefined;
  billingNpi?: string | undefined;
  memberId?: string | undefined;
  claimId: string;
}

/**
 * A run's released claims as the emit step reads them: each claim's key first (cheap: no
 * claim is parsed), then each file reads its own claims by place, so no file reads the
 * whole night again and memory holds keys, not claims.
 */
export interface ReleasedClaims {
  /** Every claim in the night's order, as the ClaimRecord JSON stored with it. */
  all(): Iterable<string>;
  /** Every claim's key, in the same order. */
  keys(): Iterable<ReleasedClaimKey>;
  /** The claims at these places, in the order given. */
  at(places: readonly number[]): Iterable<string>;
}
