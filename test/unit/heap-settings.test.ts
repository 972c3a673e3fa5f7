import { describe, expect, test } from 'vitest';
import { HEAP_FLAGS, heapFlagsToSet } from '../../src/cli/heap-flags.js';

describe('garbage-collector settings', () => {
  test('both flags are set unless node was given them (either spelling, on its command line or in NODE_OPTIONS)', () => {
    expect(heapFlagsToSet([])).toEqual([...HEAP_FLAGS]);
    expect(heapFlagsToSet(['--max_semi_space_size=16'])).toEqual(['--heap-growing-percent=60']);
    expect(heapFlagsToSet(['--enable-source-maps'], '--max-semi-space-size=32 --heap-growing-percent=20')).toEqual([]);
    expect(heapFlagsToSet(['--heap-growing-percent=0'], '')).toEqual(['--max-semi-space-size=8']);
  });
});
