/**
 * Garbage-collector settings for nightcode's processes, which heap-settings.ts applies as the CLI starts.
 *
 * V8's defaults let a heap grow to up to four times what survived its last full collection,
 * and give each thread's young generation 16 MB semi-spaces. A night has three busy isolates
 * (the main thread and two workers) whose live data is small: 14–28 MB on a 100k-encounter
 * night with the starter tables (`node --trace-gc`), while each heap grew to 120–150 MB
 * before it was collected. Most of the night's 530 MB peak RSS was garbage waiting.
 *
 * - `--heap-growing-percent=60`: a heap grows to 1.6 times its live data before the next
 *   full collection. V8 reads it at every collection, so it holds for this thread too.
 * - `--max-semi-space-size=8`: V8 reads it when an isolate is created, so it holds for the
 *   worker threads started later; the main thread keeps the 16 MB it started with.
 *
 * Measured on a 100k night (bench/run-bench.ts's export and settings, same session): peak
 * RSS 536 → 378–388 MB, 56.8 → 59.3–60.9 s. A flag given to node itself
 * (`node --max-semi-space-size=16 …`, or in NODE_OPTIONS) wins over these.
 */
export const HEAP_FLAGS: readonly string[] = ['--heap-growing-percent=60', '--max-semi-space-size=8'];

/** A flag's name as V8 reads it: dashes and underscores alike, value dropped. */
function flagName(arg: string): string {
  return arg.replace(/^--/, '').split('=')[0]!.replaceAll('_', '-');
}

/** The heap flags to set: those node was not already given. */
export function heapFlagsToSet(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].filter((a) => a.startsWith('--')).map(flagName));
  return HEAP_FLAGS.filter((flag) => !given.has(flagName(flag)));
}
