/**
 * piscina's entry for the record workers (the in-process pool and `nightcode worker`). piscina
 * loads a worker's file with require() first, and on Node 20 require() of an ES module loads
 * the whole graph synchronously: a thread terminated while that graph is being instantiated
 * (a pool closed within its first ~0.2 s: a run failing early, a worker stopped on SIGTERM)
 * aborts the whole process ("FATAL ERROR: v8::Module::IsGraphAsync … must be used on an
 * instantiated module"). This file is CommonJS and loads record-worker.js with import(),
 * which a terminated thread simply abandons. The import starts when the thread does.
 */
import type { RecordTask, SliceResult } from './record-worker.js';

const loading = import('./record-worker.js');
// A module that fails to load fails each task with its error, not the thread at start-up.
loading.catch(() => undefined);

export = async function processSliceEntry(task: RecordTask): Promise<SliceResult> {
  return (await loading).processSlice(task);
};
