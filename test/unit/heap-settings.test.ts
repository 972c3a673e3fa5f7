import { describe, expect, test } from 'vitest';
import { commandOf, HEAP_FLAGS, heapFlagsToSet, NIGHT_COMMANDS } from '../../src/cli/heap-flags.js';

describe('garbage-collector settings', () => {
  test('both flags are set unless node was given them (either spelling, on its command line or in NODE_OPTIONS)', () => {
    expect(heapFlagsToSet([])).toEqual([...HEAP_FLAGS]);
    expect(heapFlagsToSet(['--max_semi_space_size=16'])).toEqual(['--heap-growing-percent=60']);
    expect(heapFlagsToSet(['--enable-source-maps'], '--max-semi-space-size=32 --heap-growing-percent=20')).toEqual([]);
    expect(heapFlagsToSet(['--heap-growing-percent=0'], '')).toEqual(['--max-semi-space-size=8']);
  });

  test('only the commands that run nights set them; global options and their values are passed over', () => {
    expect(commandOf(['--config', 'run.json', '--log-level', 'warn', 'run', '--date', '2026-11-27'])).toBe('run');
    expect(commandOf(['-c', 'eval', 'eval', '--corpus', 'x'])).toBe('eval');
    expect(commandOf(['--config=run.json', 'worker'])).toBe('worker');
    expect(commandOf(['--help'])).toBeUndefined();
    expect(['run', 'backfill', 'schedule', 'worker'].every((c) => NIGHT_COMMANDS.has(c))).toBe(true);
    expect(NIGHT_COMMANDS.has('eval')).toBe(false);
  });
});
