/**
 * Characters no field of an export may carry into a record: C0 controls other than tab,
 * line feed and carriage return, and DEL. Text fields lose them (a NUL inside "denies" must
 * not defeat negation); identifiers, codes, names and dates holding them are refused
 * (`INGEST_INVALID_CHARACTERS`), whatever the format the record came in.
 */
export const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const CONTROL_ALL = new RegExp(CONTROL.source, 'g');
