import type { NightcodeError } from '../../src/contract/errors.js';

/** The error a call throws (a refused resolutions file, say), or undefined when it does not throw. */
export function refusal(fn: () => unknown): NightcodeError | undefined {
  try {
    fn();
  } catch (err) {
    return err as NightcodeError;
  }
  return undefined;
}
