import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { extractDocument, extractText, UnreadableDocumentError } from '../../subgraphs/reports/extraction/index.ts';
import { fixturesDir } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('multi-report pages', () => {
  it('returns each report of a page that runs several together', () => {
    const text = readFileSync(`${fixturesDir}002_661ba67caf8b678d.txt`, 'utf8');
    const reports = extractText(text).reports;
    expect(reports.map((r) => [r.regionCode, r.level, r.year])).toEqual([
      ['430000', 'PROVINCE', 2009],
      ['445100', 'CITY', 2009],
      ['210700', 'CITY', 2009],
      ['210400', 'CITY', 2009],
    ]);
    expect(reports[0]!.agencyName).toBe('湖南省质量技术监督局');
    expect(reports[3]!.figures['proactive.cumulative']?.value).toBe(21870);
  });

  it('splits at a second, different title', () => {
    const text = [
      '大武口区人民政府2018年政府信息公开工作年度报告',
      '2018年，全区共受理政府信息公开申请5件。',
      '陕西省质量技术监督局2012年度政府信息公开工作报告',
      '2012年共主动公开信息1134条。',
    ].join('\n');
    const reports = extractText(text).reports;
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({ regionCode: '640202', year: 2018 });
    expect(reports[0]!.figures['applications.received']?.value).toBe(5);
    expect(reports[1]).toMatchObject({ regionCode: '610000', year: 2012 });
    expect(reports[1]!.figures['proactive.total']?.value).toBe(1134);
  });

  it('returns no report, with a warning, for text that is no report', () => {
    const result = extractText('今天天气很好。\n明天也会晴。');
    expect(result.reports).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toContain('NO_REPORT_FOUND');
  });
});

describe('HTML', () => {
  const row = (label: string, cells: number[]) => `<tr><td>${label}</td>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>大武口区人民政府2023年政府信息公开工作年度报告</title>
    <script>var x = "<tr><td>1</td></tr>";</script></head><body>
    <h1>大武口区人民政府2023年政府信息公开工作年度报告</h1>
    <p>二、主动公开政府信息情况</p>
    <table><tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr>
    ${row('规章', [1, 0, 11])}${row('行政规范性文件', [8, 26, 66])}</table>
    <p>三、收到和处理政府信息公开申请情况</p>
    <table>
    <tr><td colspan="2">申请人情况</td></tr>
    ${row('一、本年新收政府信息公开申请数量', [5, 1, 0, 0, 0, 0, 6])}
    ${row('二、上年结转政府信息公开申请数量', [0, 0, 0, 0, 0, 0, 0])}
    ${row('（一）予以公开', [5, 1, 0, 0, 0, 0, 6])}
    ${row('（七）总计', [5, 1, 0, 0, 0, 0, 6])}
    ${row('四、结转下年度继续办理', [0, 0, 0, 0, 0, 0, 0])}
    </table>
    <p>四、政府信息公开行政复议、行政诉讼情况</p>
    <table>${row('', [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2])}</table>
    <p>五、存在的主要问题及改进情况</p></body></html>`;

  it('keeps tables as tables', async () => {
    const result = await extractDocument({ fileName: 'report.html', bytes: enc(html) });
    expect(result.reports).toHaveLength(1);
    const r = result.reports[0]!;
    expect(r).toMatchObject({ regionCode: '640202', year: 2023, format: 'STD2021' });
    expect(r.figures['art20.normativeDocs.repealed']?.value).toBe(26);
    expect(r.figures['applications.received@business']?.value).toBe(1);
    expect(r.figures['applications.received']?.value).toBe(6);
    expect(r.figures['litigation.afterReview.total']?.value).toBe(2);
    expect(r.figures['litigation.total']?.value).toBe(2);
    expect(result.text).not.toContain('var x');
    const src = r.figures['applications.received']!.source!;
    expect(result.text.slice(src.start, src.end)).toBe(src.text);
  });

  it('decodes a GBK page', async () => {
    const gbk = Buffer.from('d5d4', 'hex'); // 赵 in GBK, invalid as UTF-8
    const page = Buffer.concat([Buffer.from('<html><head><meta charset="gbk"></head><body><p>'), gbk, Buffer.from('</p></body></html>')]);
    const result = await extractDocument({ fileName: 'a.htm', bytes: new Uint8Array(page) });
    expect(result.text).toBe('赵');
  });
});

describe('garbage in', () => {
  const fails = async (fileName: string, bytes: Uint8Array, code: string) => {
    const error = await extractDocument({ fileName, bytes }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnreadableDocumentError);
    expect((error as UnreadableDocumentError).code).toBe(code);
    expect((error as Error).message).toContain(fileName);
  };

  it('refuses an empty file', () => fails('empty.txt', new Uint8Array(), 'EMPTY_DOCUMENT'));
  it('refuses a whitespace-only file', () => fails('blank.txt', enc(' \n\n \t'), 'EMPTY_DOCUMENT'));
  it('refuses binary data', () => fails('data.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3]), 'BINARY_DOCUMENT'));
  it('refuses an office document', () => fails('report.docx', enc('PK\u0003\u0004rest'), 'UNSUPPORTED_TYPE'));
  it('refuses a broken PDF', () => fails('broken.pdf', enc('%PDF-1.4\nthis is not a pdf'), 'PDF_UNREADABLE'));
  it('refuses a PDF without a text layer', () => fails('scan.pdf', pdfWithoutText(), 'PDF_NO_TEXT_LAYER'));
});

/** A valid one-page PDF that only paints a rectangle, as a scan without OCR would only hold an image. */
function pdfWithoutText(): Uint8Array {
  const content = '0 0 1 rg 20 20 100 100 re f';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return enc(pdf);
}
