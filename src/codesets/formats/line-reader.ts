import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Lines of a text file with their 1-based numbers, streamed (CRLF or LF). */
export async function* readLines(file: string, encoding: BufferEncoding = 'utf8'): AsyncIterable<{ line: string; n: number }> {
  const rl = createInterface({ input: createReadStream(file, { encoding }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) yield { line, n: ++n };
}

export class CodeFileFormatError extends Error {}
