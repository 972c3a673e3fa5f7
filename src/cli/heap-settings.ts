import { setFlagsFromString } from 'node:v8';
import { heapFlagsToSet } from './heap-flags.js';

/**
 * Applies nightcode's garbage-collector flags (heap-flags.ts says which and why) before
 * anything else loads: src/cli/main.ts imports this module first. Its own module, so that
 * importing the flags (a test does) sets none.
 */
for (const flag of heapFlagsToSet(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString(flag);
