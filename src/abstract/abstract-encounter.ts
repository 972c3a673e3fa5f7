import type { Finding, Note } from '../contract/types.js';
import { analyzeSentence, assertConcept } from './context/assertion.js';
import type { Lexicon } from './lexicon/lexicon.js';
import { findModifiers } from './modifiers.js';
import { detectSections } from './text/sections.js';
import { splitSentences } from './text/sentences.js';
import { tokenize } from './text/tokens.js';

/** Longest evidence sentence kept on a finding; the offsets always point to the full text. */
const MAX_SENTENCE_CHARS = 400;

/**
 * Every diagnosis mention in the notes, with its offsets, section, sentence, assertion,
 * modifiers and candidate codes. Pure: the lexicon is passed in.
 */
export function abstractNotes(notes: readonly Pick<Note, 'id' | 'text'>[], lexicon: Lexicon): Finding[] {
  const findings: Finding[] = [];
  for (const note of notes) {
    const text = note.text;
    for (const section of detectSections(text)) {
      for (const span of splitSentences(text, section.start, section.end)) {
        const sentence = text.slice(span.start, span.end);
        const tokens = tokenize(sentence);
        const matches = lexicon.match(tokens);
        if (matches.length === 0) continue;
        const ctx = analyzeSentence(sentence);
        const lower = sentence.toLowerCase();
        for (const m of matches) {
          const start = tokens[m.from]!.start;
          const end = tokens[m.to - 1]!.end;
          const { assertion, trigger } = assertConcept(ctx, start, end, section.name);
          const modifiers = findModifiers(lower, start, end);
          const entry = m.entry;
          let code = entry.code;
          let score = entry.source === 'starter' ? 0.9 : 0.85;
          if (entry.laterality) {
            const side = (modifiers.laterality ?? 'unspecified') as keyof NonNullable<typeof entry.laterality>;
            code = entry.laterality[side] ?? entry.laterality.unspecified ?? code;
            // An unspecified side is a guess the physician could settle.
            if (!modifiers.laterality) score = 0.6;
          }
          findings.push({
            kind: 'diagnosis',
            text: sentence.slice(start, end),
            noteId: note.id,
            start: span.start + start,
            end: span.start + end,
            section: section.name,
            sentence: sentence.length > MAX_SENTENCE_CHARS ? `${sentence.slice(0, MAX_SENTENCE_CHARS)}…` : sentence,
            assertion,
            ...(trigger ? { assertionTrigger: trigger } : {}),
            modifiers: entry.symptom ? { ...modifiers, symptom: 'true' } : modifiers,
            candidates: [{ code, system: 'ICD-10-CM', score, lexiconEntry: `${entry.source}: ${entry.term} → ${code} (${entry.title})` }],
          });
        }
      }
    }
  }
  return findings;
}
