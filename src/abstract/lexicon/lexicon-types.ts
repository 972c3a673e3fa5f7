import type { CodeSystem } from '../../contract/types.js';

/** Where a lexicon term comes from; shown on every finding so a person can see why. */
export type LexiconSource =
  | 'starter' | 'abbreviation' | 'synonym'
  | 'tabular-title' | 'tabular-inclusion' | 'index' | 'pcs-title' | 'pcs-axes' | 'hcpcs' | 'cpt'
  | 'site';

export interface LexiconEntry {
  code: string;
  system: CodeSystem;
  title: string;
  /** The term as written in the lexicon source. */
  term: string;
  laterality?: Partial<Record<'right' | 'left' | 'bilateral' | 'unspecified', string>>;
  /** A sign or symptom: not coded when a confirmed diagnosis explains it. */
  symptom: boolean;
  source: LexiconSource;
  /** How far this entry is trusted when it matches (0–1): learned precision or a source default. */
  weight: number;
  /** Index path or learning evidence ("index: Pneumonia > aspiration", "site: 14 of 20 documents"). */
  detail?: string;
  /** The weight is the site's measured precision for this term (re-weighted or learned), not a source default. */
  siteWeighted?: true;
  /** Matched only as written, never as its words out of order (a source's own judgement: PCS root-operation terms). */
  asWritten?: true;
}

export interface LexiconMatch {
  entries: readonly LexiconEntry[];
  /** Token index range [from, to) (unordered matches span the words they used). */
  from: number;
  to: number;
  /**
   * Contiguous in the lexicon's word order; a shorter term inside such a match ("pain" in
   * "low back pain"), a mention of its own that annotators code in the mentions sense but a
   * coder codes as part of the whole; or found as a bag of words within a window.
   */
  mode: 'exact' | 'nested' | 'unordered';
  /** Unordered matches: the positions of the words used, ascending (the span holds others too). */
  at?: readonly number[];
}
