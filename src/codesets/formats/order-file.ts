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

const ORDER_HEAD = /^(\d{5}) ([A-Z0-9]{3,7}) *([01]) /;

export async function readIcd10cmOrder(file: string, fileName: string): Promise<OrderEntry[]> {
  const out: OrderEntry[] = [];
  for await (const { line, n } of readLines(file)) {
    if (line.trim() === '') continue;
    const m = ORDER_HEAD.exec(line);
    const key = m ? icd10cmKey(m[2]!) : undefined;
    const title = line.slice(77).trim();
    if (!m || !key || m[0].length !== 16 || title === '') {
      throw new CodeFileFormatError(`${fileName} line ${n}: not an ICD-10-CM order-file line (fixed columns: order 1–5, code 7–13, flag 15, short title 17–76, long title 78–)`);
    }
    out.push({ order: Number(m[1]), key, billable: m[3] === '1', shortTitle: line.slice(16, 76).trim(), title });
  }
  if (out.length === 0) throw new CodeFileFormatError(`${fileName}: empty order file`);
  return out;
}
