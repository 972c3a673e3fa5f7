import { pino, type Logger } from 'pino';
import { terminalStderr } from './terminal.js';

export type { Logger };

/**
 * Structured JSON logs on stderr (stdout is kept for `--json` results). Log lines
 * carry identifiers (run id, encounter key, stage, issue code), never note text or
 * names: the redact list is a second line of defence for fields that must not appear.
 */
export function createLogger(options: { level?: string; destination?: number } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.NIGHTCODE_LOG_LEVEL ?? 'info',
      base: { app: 'nightcode' },
      redact: { paths: ['text', 'note', 'noteText', 'firstName', 'lastName', 'name', '*.text', '*.firstName', '*.lastName'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination === undefined && process.stderr.isTTY ? terminalStderr : pino.destination({ dest: options.destination ?? 2, sync: true }),
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
