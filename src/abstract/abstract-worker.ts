/**
 * worker_threads entry for abstraction (CPU-heavy): each worker loads the lexicon
 * once and then abstracts the notes it is sent.
 */
import type { Finding, Note } from '../contract/types.js';
import { abstractNotes } from './abstract-encounter.js';
import { loadStarterLexicon } from './lexicon/lexicon.js';

const lexicon = loadStarterLexicon();

export interface AbstractTask {
  notes: Pick<Note, 'id' | 'text'>[];
}

export default function abstractTask(task: AbstractTask): Finding[] {
  return abstractNotes(task.notes, lexicon);
}
