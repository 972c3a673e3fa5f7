import { icd10cmKey } from '../icd10cm-code.js';
import { CodeFileFormatError, readLines } from './line-reader.js';

/**
 * The ICD-10-CM order file (CMS "icd10cm_order_YYYY.txt"), fixed width:
 * 1–5 order number, 7–13 code without dot, 15 flag (0 header, 1 valid for HIPAA
 * transactions), 17–76 short description, 78– long description.
 */
export interface OrderEntry {
  order: number;
  key: string;
  billable: boolean;
  shortTitle: string;
  title: string;
}

const ORDER_LINE = /^(\d{5}) ([A-Z0-9]{3,7})\s* ([01]) (.{1,60}?)\s* (\S.*)$/;

export async function readIcd10cmOrder(file: string, fileName: string): Promise<OrderEntry[]> {
  const out: OrderEntry[] = [];
  for await (const { line, n } of readLines(file)) {
    if (line.trim() === '') continue;
    // Fixed columns first; the pattern checks the shape and tolerates a short last line.
    const m = ORDER_LINE.exec(line);
    const key = m ? icd10cmKey(m[2]!) : undefined;
    if (!m || !key) throw new CodeFileFormatError(`${fileName} line ${n}: not an ICD-10-CM order-file line (expected "NNNNN CODE    F short… long…")`);
    out.push({ order: Number(m[1]), key, billable: m[3] === '1', shortTitle: m[4]!.trim(), title: m[5]!.trim() });
  }
  if (out.length === 0) throw new CodeFileFormatError(`${fileName}: empty order file`);
  return out;
}
