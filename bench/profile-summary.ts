/**
 * What a V8 CPU profile (`node --cpu-prof`, one file per thread) spent its time on: each
 * function's self time (the samples taken in it, not in what it called), largest first.
 * `npm run bench -- --profile DIR` writes the night's profiles there and prints this per thread.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** Sampled time of the thread, seconds. */
  seconds: number;
  top: { fn: string; where: string; seconds: number; share: number }[];
}

export function summarizeProfile(path: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const frames = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    total += us;
    const f = frames.get(id)!;
    const where = f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : '';
    // Regular expressions are named by their source: cut to stay readable.
    const fn = (f.functionName || '(anonymous)').slice(0, 80);
    const key = `${fn}\u0000${where}`;
    const row = self.get(key) ?? { fn, where, us: 0 };
    row.us += us;
    self.set(key, row);
  });
  const rows = [...self.values()].sort((a, b) => b.us - a.us).slice(0, top);
  const s = (us: number) => Math.round(us / 1e4) / 100;
  return { file: basename(path), seconds: s(total), top: rows.map((r) => ({ fn: r.fn, where: r.where, seconds: s(r.us), share: Math.round((r.us / Math.max(1, total)) * 1000) / 10 })) };
}

/** Every profile in a folder (the main thread's, each worker's and the claims files thread's). */
export function summarizeProfiles(dir: string, top = 15): ProfileSummary[] {
  return readdirSync(dir).filter((n) => n.endsWith('.cpuprofile')).sort().map((n) => summarizeProfile(join(dir, n), top));
}

export function formatProfiles(summaries: readonly ProfileSummary[]): string {
  return summaries.map((s) => [`${s.file}: ${s.seconds} s sampled`, ...s.top.map((r) => `  ${String(r.seconds).padStart(7)} s ${String(r.share).padStart(5)}%  ${r.fn}  ${r.where}`)].join('\n')).join('\n');
}
