import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

type Row = Record<string, unknown>;

/** A cell's value as JSON data: formulas give their result, rich text and links their text. */
function plain(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return value;
  if ('result' in value) return plain(value.result as ExcelJS.CellValue);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value)
    return typeof value.text === 'string' ? value.text : plain(value.text as ExcelJS.CellValue);
  return undefined; // an error cell (#N/A, #DIV/0!) holds no value
}

/** The first worksheet's rows as objects keyed by the first row's headers. */
export async function xlsxRows(source: Readable): Promise<Row[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.read(source);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const headers: string[] = [];
  sheet.getRow(1).eachCell((cell, col) => {
    headers[col] = String(plain(cell.value) ?? '').trim();
  });
  const rows: Row[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const record: Row = {};
    row.eachCell((cell, col) => {
      const value = plain(cell.value);
      if (headers[col] && value !== undefined) record[headers[col]] = value;
    });
    if (Object.keys(record).length) rows.push(record);
  });
  return rows;
}
