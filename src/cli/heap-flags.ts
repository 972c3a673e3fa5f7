/**
 * Garbage-collector settings for the processes that run nights, which heap-settings.ts
 * applies as the CLI starts.
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
 * RSS 536 → 378–388 MB, 56.8 → 59.3–60.9 s. With the official code sets (a 20k night, the
 * full lexicon in each worker): 1.77–1.87 → 1.39 GB, 22.5–23.0 → 23.2–26.0 s. Only the
 * commands that run nights set them: an evaluation, one process holding the full lexicon,
 * ran 13% longer with them (13.6 → 15.3–15.7 s). A flag given to node itself
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

/** The commands that run nights, which set the flags. */
export const NIGHT_COMMANDS: ReadonlySet<string> = new Set(['run', 'backfill', 'schedule', 'worker']);

/** Global options of the CLI that take a value (src/cli/main.ts). */
const VALUE_OPTIONS = new Set(['-c', '--config', '--log-level']);

/** The command a CLI invocation names (its arguments after the script), if any. */
export function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}
