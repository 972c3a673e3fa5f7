import type { Finding, StructuredCode } from '../contract/types.js';
import type { Evidence } from './coding-context.js';

/** One diagnosis on its way to the claim. */
export interface DxItem {
  key: string;
  confidence: number;
  rank: number;
  order: number;
  origin: 'structured' | 'documentation' | 'rule';
  steps: string[];
  evidence: Evidence[];
  finding?: Finding;
  structured?: StructuredCode;
  symptom: boolean;
  /** Sequenced right after this code (a manifestation after its etiology, "use additional code" after its parent). */
  after?: string;
  /** Exported codes this combination code stands for (the audit reports them). */
  replacesExported?: string[];
  /** The two codes a combination rule made this code from. */
  combinedFrom?: [string, string];
}
