import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Finding, Note } from '../contract/types.js';
import { abstractNotes } from '../abstract/abstract-encounter.js';
import { loadStarterLexicon, type Lexicon } from '../abstract/lexicon/lexicon.js';

/**
 * Abstraction is the CPU-heavy stage: with `workers > 0` it runs on a small
 * worker_threads pool (piscina) so the main thread keeps reading input and writing
 * the database; with 0, or when running from TypeScript sources without a build,
 * it runs inline.
 */
export interface AbstractionPool {
  readonly threads: number;
  abstract(notes: Pick<Note, 'id' | 'text'>[]): Promise<Finding[]>;
  close(): Promise<void>;
}

const WORKER_FILE = fileURLToPath(new URL('../abstract/abstract-worker.js', import.meta.url));

export function createAbstractionPool(workers: number): AbstractionPool {
  if (workers > 0 && existsSync(WORKER_FILE)) {
    const pool = new Piscina({ filename: WORKER_FILE, minThreads: workers, maxThreads: workers, idleTimeout: 60_000 });
    return {
      threads: workers,
      abstract: (notes) => pool.run({ notes }) as Promise<Finding[]>,
      close: () => pool.destroy(),
    };
  }
  let lexicon: Lexicon | undefined;
  return {
    threads: 0,
    abstract: async (notes) => abstractNotes(notes, (lexicon ??= loadStarterLexicon())),
    close: async () => undefined,
  };
}
