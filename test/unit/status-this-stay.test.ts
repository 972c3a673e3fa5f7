import { describe, expect, test } from 'vitest';
import { doneInThisEncounter } from '../../src/code/status-codes.js';

describe('a status code read from a procedure done in this encounter', () => {
  test('is the procedure, not the status, when the sentence says it is done now', () => {
    expect(doneInThisEncounter('Kidney transplant status', 'kidney transplant', 'He underwent a kidney transplant during this admission.', false)).toBe('underwent');
    expect(doneInThisEncounter('Colostomy status', 'colostomy', 'A colostomy was created.', false)).toBe('was created');
    expect(doneInThisEncounter('Vasectomy status', 'vasectomy', 'A vasectomy was performed today without complications.', false)).toBe('was performed');
  });

  test('stays a status when the mention is past, names the status, or nothing says it is done now', () => {
    // Historical ("in 2005", "history of"): what an earlier procedure left.
    expect(doneInThisEncounter('Kidney transplant status', 'kidney transplant', 'He underwent a kidney transplant in 2005.', true)).toBeUndefined();
    // Dated or put before in the sentence, though the assertion missed it.
    expect(doneInThisEncounter('Lung transplant status', 'lung transplant', 'She underwent a double lung transplant in March 2014.', false)).toBeUndefined();
    expect(doneInThisEncounter('Vasectomy status', 'vasectomy', 'He had previously undergone a vasectomy.', false)).toBeUndefined();
    expect(doneInThisEncounter('Colostomy status', 'colostomy status', 'Colostomy status was reviewed today.', false)).toBeUndefined();
    expect(doneInThisEncounter('Colostomy status', 'colostomy', 'She has a colostomy.', false)).toBeUndefined();
    expect(doneInThisEncounter('Kidney transplant status', 'kidney transplant recipient', 'Kidney transplant recipient seen today for fever.', false)).toBeUndefined();
    // Not a status code.
    expect(doneInThisEncounter('Acute appendicitis without perforation', 'appendicitis', 'Appendectomy was performed today.', false)).toBeUndefined();
  });
});
