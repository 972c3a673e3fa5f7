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
  /** The run repository (or a staging file) is not a sound SQLite database: `nightcode db check`, restore a backup. */
  DB_CORRUPT: { exitCode: 1 },
  /** No space left on the device for the database, staging or outputs. */
  DISK_FULL: { exitCode: 1 },
  /** The database or output folder cannot be written (permissions, read-only file system). */
  DB_READONLY: { exitCode: 1 },
  /** The device failed a read or write. */
  DB_IO: { exitCode: 1 },
  /** `--queue`: Redis cannot be reached, or stopped answering mid-run (the run resumes when started again). */
  QUEUE_UNREACHABLE: { exitCode: 1 },
  /** `--queue`: no worker finished a chunk for run.queueWaitSeconds (none running, or all stuck). */
  QUEUE_STALLED: { exitCode: 1 },
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

/**
 * A thrown error as a run error with a stable code: a NightcodeError as it is; SQLite's and
 * the file system's failures by their codes (corrupt database, full disk, read-only, I/O);
 * anything else INTERNAL. The message says what to do, the cause keeps the original.
 */
export function asRunError(err: unknown): NightcodeError {
  if (err instanceof NightcodeError) return err;
  const e = err as { code?: string; message?: string };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = String(e?.message ?? err).split('\n')[0]!;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT_')) {
    return new NightcodeError('DB_CORRUPT', `the database is damaged (${code}: ${message}); check it with "nightcode db check" and restore the last backup ("nightcode db backup" makes them)`, { cause: err });
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'SQLITE_IOERR_WRITE' && /space/i.test(message)) {
    return new NightcodeError('DISK_FULL', `no space left on the device (${code}: ${message}); free space and run again: the night resumes where it stopped`, { cause: err });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new NightcodeError('DB_READONLY', `cannot write (${code}: ${message}); check the permissions of the database and output folders`, { cause: err });
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return new NightcodeError('DB_IO', `the device failed a read or write (${code}: ${message}); check the disk, then run again`, { cause: err });
  }
  return new NightcodeError('INTERNAL', message, { cause: err });
}
