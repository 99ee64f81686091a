// Every table of the dashboard can be taken away as CSV or Excel. The file says what it is: a
// first block of lines names the table, the region, the year (or period) and the time of export
// (China Standard Time), then the table's header and rows exactly as shown.
import { zipSync, strToU8 } from 'fflate';
import { formatDateTime } from '../format/numbers';

export interface ExportColumn<Row> {
  label: string;
  /** The cell's value: numbers stay numbers in Excel. */
  value: (row: Row) => string | number | null | undefined;
}

export interface ExportTable<Row> {
  /** 表名, also the file's name: 排名_长沙市_2024 */
  title: string;
  region: string;
  /** 2024, or 2024-01-01 至 2024-06-30 */
  period: string;
  columns: ExportColumn<Row>[];
  rows: Row[];
}

type Cell = string | number | null;

function grid<Row>(table: ExportTable<Row>, exportedAt: Date): Cell[][] {
  return [
    [table.title],
    ['地区', table.region],
    ['年度/期间', table.period],
    ['导出时间', formatDateTime(exportedAt)],
    [],
    table.columns.map((column) => column.label),
    ...table.rows.map((row) => table.columns.map((column) => column.value(row) ?? null)),
  ];
}

const csvCell = (cell: Cell): string => {
  if (cell === null) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** UTF-8 with a byte-order mark, CRLF lines: what Excel and WPS open as Chinese text. */
export function toCsv<Row>(table: ExportTable<Row>, exportedAt = new Date()): Blob {
  const text = grid(table, exportedAt).map((line) => line.map(csvCell).join(',')).join('\r\n');
  return new Blob(['\uFEFF', text, '\r\n'], { type: 'text/csv;charset=utf-8' });
}

const xmlEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function sheetXml(cells: Cell[][]): string {
  const rows = cells.map((line, r) => {
    const body = line
      .map((cell, c) => {
        const ref = `${columnName(c)}${r + 1}`;
        if (cell === null) return '';
        if (typeof cell === 'number' && Number.isFinite(cell)) return `<c r="${ref}"><v>${cell}</v></c>`;
        return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(String(cell))}</t></is></c>`;
      })
      .join('');
    return `<row r="${r + 1}">${body}</row>`;
  });
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`;
}

/** An Office Open XML workbook of one sheet (inline strings: no shared-string table needed). */
export function toXlsx<Row>(table: ExportTable<Row>, exportedAt = new Date()): Blob {
  const sheetName = xmlEscape(table.title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1');
  const files = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': sheetXml(grid(table, exportedAt)),
  };
  const zipped = zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
  return new Blob([zipped as Uint8Array<ArrayBuffer>], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
