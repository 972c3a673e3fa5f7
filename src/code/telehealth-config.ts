/**
 * How payers want telehealth billed (config `telehealth`): the types alone, so the coding
 * context can name them without importing the telehealth rules (which import the context).
 */

/** How one payer wants telehealth billed (config `telehealth`, a payer's over it). */
export interface TelehealthBilling {
  pos: 'telehealth' | 'in-person';
  location: 'home' | 'other';
  video: string;
  audio: string;
  codes: readonly string[];
}

export interface TelehealthConfig extends TelehealthBilling {
  payers?: Readonly<Record<string, Partial<TelehealthBilling>>>;
}
