/**
 * Run-level failures (bad configuration, unreadable file, database error, lock held)
 * throw this one class with a stable code and the cause. Record-level problems are
 * never thrown: they are `Issue` data.
 */
export const RUN_ERROR_CODES = {
  CONFIG_INVALID: { exitCode: 2 },
  USAGE: { exitCode: 2 },
  INPUT_MISSING: { exitCode: 1 },
  INPUT_COLUMNS_MISSING: { exitCode: 1 },
  INPUT_UNREADABLE: { exitCode: 1 },
  LOCK_HELD: { exitCode: 1 },
  SKIP_LIMIT_EXCEEDED: { exitCode: 1 },
  CODESET_MISSING: { exitCode: 1 },
  DATABASE: { exitCode: 1 },
  RUN_STATE: { exitCode: 1 },
  /** A retry of an interrupted run names another export than the one it was staging: --force. */
  RUN_INPUT_CHANGED: { exitCode: 2 },
  RECONCILIATION_FAILED: { exitCode: 1 },
  X12_CONTROL_EXHAUSTED: { exitCode: 1 },
  RESOLUTIONS_INVALID: { exitCode: 1 },
  INTERNAL: { exitCode: 1 },
} as const;

export type RunErrorCode = keyof typeof RUN_ERROR_CODES;

export class NightcodeError extends Error {
  readonly code: RunErrorCode;
  readonly details: string[];

  constructor(code: RunErrorCode, message: string, options: { cause?: unknown; details?: string[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NightcodeError';
    this.code = code;
    this.details = options.details ?? [];
  }

  get exitCode(): number {
    return RUN_ERROR_CODES[this.code].exitCode;
  }
}
