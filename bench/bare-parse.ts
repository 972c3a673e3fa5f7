/**
 * Baseline for the benchmark: csv-parse alone reading every CSV file of an export
 * (the same options the pipeline needs to find record lines), nothing else.
 * Prints one JSON object: records, milliseconds, bytes, peak RSS.
 */
import { parse } from 'csv-parse';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

async function main(dir: string): Promise<void> {
  const started = performance.now();
  let records = 0;
  let bytes = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.csv')).sort()) {
    bytes += statSync(join(dir, name)).size;
    const parser = createReadStream(join(dir, name)).pipe(parse({ columns: true, bom: true, skip_records_with_error: true, relax_quotes: true }));
    for await (const record of parser) if (record) records++;
  }
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ records, ms: Math.round(ms), bytes, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
}

void main(process.argv[2] ?? '.');
