/**
 * The terminal line a progress bar draws on: a log line written while a bar is shown
 * first clears the bar's line, so the log appears on a line of its own and the bar is
 * drawn again under it on its next update (instead of the log cutting a frame in two).
 */
let clearBar: (() => void) | undefined;

export function setActiveBar(clear: (() => void) | undefined): void {
  clearBar = clear;
}

/** A pino destination for a terminal: the bar's line cleared before each log line. */
export const terminalStderr = {
  write(line: string): boolean {
    clearBar?.();
    return process.stderr.write(line);
  },
};
