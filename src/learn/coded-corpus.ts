import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NightcodeError } from '../contract/errors.js';

/** A document a coder already coded: the site's history that abstraction learns from. */
export interface CodedDocument {
  id: string;
  text: string;
  /** Gold ICD-10-CM codes as the corpus writes them, upper-cased ("N44.8"). */
  diagnoses: string[];
  /** Gold ICD-10-PCS codes (CodiEsp truncates some to four characters by design). */
  procedures: string[];
}

export interface CodedCorpus {
  dir: string;
  split: string;
  documents: CodedDocument[];
}

/**
 * Reads the CodiEsp layout (CLEF eHealth 2020): `DIR/S/text_files_en/*.txt` (or
 * `text_files/`), `DIR/S/SD.tsv` and `DIR/S/SP.tsv` with `docid<TAB>code` rows, where S is
 * the split name ("train" → trainD.tsv, trainP.tsv). Every problem names the file and line.
 */
export function readCodedCorpus(dir: string, split: string): CodedCorpus {
  const root = join(dir, split);
  if (!existsSync(root)) throw new NightcodeError('USAGE', `corpus split not found: ${root} (expected ${split}/text_files_en, ${split}/${split}D.tsv, ${split}/${split}P.tsv)`);
  const textDir = ['text_files_en', 'text_files'].map((d) => join(root, d)).find((d) => existsSync(d));
  if (!textDir) throw new NightcodeError('USAGE', `no text folder in ${root}: expected text_files_en/ or text_files/`);
  const diagnoses = readCodeFile(join(root, `${split}D.tsv`));
  const procedures = readCodeFile(join(root, `${split}P.tsv`));
  const documents: CodedDocument[] = readdirSync(textDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => {
      const id = basename(f, '.txt');
      return { id, text: readFileSync(join(textDir, f), 'utf8'), diagnoses: diagnoses.get(id) ?? [], procedures: procedures.get(id) ?? [] };
    });
  if (documents.length === 0) throw new NightcodeError('USAGE', `no .txt documents in ${textDir}`);
  const known = new Set(documents.map((d) => d.id));
  for (const [file, codes] of [[`${split}D.tsv`, diagnoses], [`${split}P.tsv`, procedures]] as const) {
    const orphans = [...codes.keys()].filter((id) => !known.has(id));
    if (orphans.length > 0) throw new NightcodeError('USAGE', `${join(root, file)}: ${orphans.length} document id(s) without a text file, e.g. ${orphans[0]}`);
  }
  return { dir, split, documents };
}

function readCodeFile(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!existsSync(file)) return out; // a split may have no procedures
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const cols = line.split('\t');
    if (cols.length < 2 || !cols[0] || !cols[1]) throw new NightcodeError('USAGE', `${file} line ${i + 1}: expected "docid<TAB>code"`);
    const code = cols[1].trim().toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9.]{1,7}$/.test(code)) throw new NightcodeError('USAGE', `${file} line ${i + 1}: "${cols[1]}" is not a code`);
    const list = out.get(cols[0].trim());
    if (list) {
      if (!list.includes(code)) list.push(code);
    } else {
      out.set(cols[0].trim(), [code]);
    }
  });
  return out;
}
