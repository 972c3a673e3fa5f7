import { setFlagsFromString } from 'node:v8';
import { commandOf, heapFlagsToSet, NIGHT_COMMANDS } from './heap-flags.js';

/**
 * Applies nightcode's garbage-collector flags (heap-flags.ts says which, why and for which
 * commands) before anything else loads: src/cli/main.ts imports this module first. Its own
 * module, so that importing the flags (a test does) sets none.
 */
if (NIGHT_COMMANDS.has(commandOf(process.argv.slice(2)) ?? '')) {
  for (const flag of heapFlagsToSet(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString(flag);
}
