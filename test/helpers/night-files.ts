import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A night's files that two runs of the same export must write alike: claims, findings, worklist,
 * quarantine and the 837s, with the interchange's creation date and time (ISA09-10, GS04-05,
 * BHT04-05: the moment of the run) masked. The report, manifest and summary carry timings.
 */
export function nightFiles(nightDir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(nightDir).sort()) {
    if (['report.html', 'manifest.json', 'run-summary.json'].includes(name)) continue;
    let text = readFileSync(join(nightDir, name), 'utf8');
    if (name.endsWith('.837')) {
      text = text.replace(/^(ISA(?:\*[^*]*){8})\*\d{6}\*\d{4}/m, '$1*YYMMDD*HHMM')
        .replace(/(~\s*GS(?:\*[^*~]*){3})\*\d{8}\*\d{4}/g, '$1*CCYYMMDD*HHMM')
        .replace(/(~\s*BHT(?:\*[^*~]*){3})\*\d{8}\*\d{4}/g, '$1*CCYYMMDD*HHMM');
    }
    files.set(name, text);
  }
  return files;
}
