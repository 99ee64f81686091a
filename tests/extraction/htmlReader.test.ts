import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { readHtml } from '../../subgraphs/reports/extraction/document/html.ts';
import { sniffHtml } from '../../subgraphs/reports/extraction/document/embeddedHtml.ts';
import { readDocument } from '../../subgraphs/reports/extraction/document/readDocument.ts';
import { renderHtmlPage } from '../../subgraphs/reports/extraction/document/renderHtml.ts';
import { readTextBlocks } from '../../subgraphs/reports/extraction/document/textBlocks.ts';
import type { Block, DocumentModel } from '../../subgraphs/reports/extraction/document/model.ts';
import { extractDocument } from '../../subgraphs/reports/extraction/index.ts';
import { fixturesDir, sharedDir } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const pageDumpsDir = `${sharedDir}fixtures/pagedumps/`;
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Every block's, row's and cell's offsets point at its text; rows are whole lines; blocks in order. */
function expectExactOffsets(model: DocumentModel): void {
  const { text } = model;
  let previousEnd = 0;
  for (const block of model.blocks) {
    expect(block.start).toBeGreaterThanOrEqual(previousEnd);
    previousEnd = block.end;
    if (block.kind !== 'table') {
      expect(text.slice(block.start, block.end)).toBe(block.text);
      continue;
    }
    expect(block.rows.length).toBeGreaterThan(0);
    expect(block.start).toBe(block.rows[0]!.start);
    expect(block.end).toBe(block.rows.at(-1)!.end);
    for (const row of block.rows) {
      expect(row.start === 0 || text[row.start - 1] === '\n').toBe(true);
      expect(row.end === text.length || text[row.end] === '\n').toBe(true);
      expect(text.slice(row.start, row.end)).not.toContain('\n');
      for (const cell of row.cells) {
        expect(text.slice(cell.start, cell.end)).toBe(cell.text);
        expect(cell.start).toBeGreaterThanOrEqual(row.start);
        expect(cell.end).toBeLessThanOrEqual(row.end);
      }
    }
  }
}

const cellTexts = (model: DocumentModel) => model.blocks.filter((b) => b.kind === 'table').map((t) => t.rows.map((r) => r.cells.map((c) => c.text)));
const textsOf = (model: DocumentModel, kind: 'heading' | 'paragraph') => model.blocks.flatMap((b) => (b.kind === kind ? [b.text] : []));

/** GBK bytes of a string, from the decoder's own table (Node encodes only UTF-8). */
function gbkEncoder(): (s: string) => Uint8Array {
  const decoder = new TextDecoder('gbk', { fatal: true });
  const codes = new Map<string, [number, number]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      try {
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (!codes.has(ch)) codes.set(ch, [lead, trail]);
      } catch {
        // not a GBK code
      }
    }
  }
  return (s) => new Uint8Array([...s].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : codes.get(ch) ?? [0x3f])));
}

describe('HTML reader', () => {
  const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>大武口区人民政府2023年政府信息公开工作年度报告</title>
    <style>td { color: red }</style><script>document.write("<tr><td>9</td></tr>");</script></head><body>
    <!-- <p>注释里的段落</p> -->
    <h1>大武口区人民政府 2023年 政府信息公开工作年度报告</h1>
    <div>一、总体情况<br/>全年共收到申请<b>6</b>件。</div>
    <p>二、主动公开政府信息情况</p>
    <table border="1">
      <caption>表一</caption>
      <thead><tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr></thead>
      <tbody>
        <tr><td>规章</td><td>1</td><td>0</td><td>11</td></tr>
        <tr><td colspan="2">行政规范性文件</td><td>26</td><td><p>66</p></td></tr>
      </tbody>
    </table>
    <noscript><p>请开启脚本</p></noscript><template><p>模板</p></template>
  </body></html>`;

  it('renders block elements as lines and table rows as `| … |` lines', () => {
    const model = readHtml(page);
    expect(model.form).toBe('html');
    expect(model.text.split('\n')).toEqual([
      '大武口区人民政府2023年政府信息公开工作年度报告',
      '大武口区人民政府 2023年 政府信息公开工作年度报告',
      '一、总体情况',
      '全年共收到申请6件。',
      '二、主动公开政府信息情况',
      '表一',
      '| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |',
      '| 规章 | 1 | 0 | 11 |',
      '| 行政规范性文件 | | 26 | 66 |',
    ]);
    expect(textsOf(model, 'heading')).toEqual(['大武口区人民政府 2023年 政府信息公开工作年度报告']);
    expect(cellTexts(model)).toEqual([
      [
        ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
        ['规章', '1', '0', '11'],
        ['行政规范性文件', '', '26', '66'],
      ],
    ]);
    expectExactOffsets(model);
  });

  it('takes the innermost rows of nested tables as the rows', () => {
    const model = readHtml(`<table width="100%"><tr><td>
        <p>三、收到和处理政府信息公开申请情况</p>
        <table><tr><td rowspan="2">申请人情况</td><td colspan="3">自然人</td></tr>
          <tr><td>一、本年新收政府信息公开申请数量</td><td>5</td><td>1</td></tr></table>
      </td></tr>
      <tr><td>四、结转下年度继续办理</td><td>0</td></tr></table>`);
    expect(textsOf(model, 'paragraph')).toEqual(['三、收到和处理政府信息公开申请情况']);
    expect(cellTexts(model)).toEqual([
      [
        ['申请人情况', '自然人', '', ''],
        ['一、本年新收政府信息公开申请数量', '5', '1'],
      ],
      [['四、结转下年度继续办理', '0']],
    ]);
    expectExactOffsets(model);
  });

  it('closes the cells and rows that pages leave open', () => {
    const model = readHtml('<table><tr><td>总计<td>7<td>2<tr><td>结转<td>0<td>0</table><p>完</p>');
    expect(cellTexts(model)).toEqual([[['总计', '7', '2'], ['结转', '0', '0']]]);
    expect(textsOf(model, 'paragraph')).toEqual(['完']);
    expectExactOffsets(model);
  });

  it('decodes entities and collapses every kind of white space', () => {
    const model = readHtml('<p>A&amp;B &lt;条例&gt; &#x4e2d;&#25991; &ldquo;公开&rdquo;&nbsp;&nbsp;共　　 3&ensp;件</p><table><tr><td>&nbsp;</td><td> 1&#12288;</td></tr></table>');
    expect(textsOf(model, 'paragraph')).toEqual(['A&B <条例> 中文 “公开” 共 3 件']);
    expect(cellTexts(model)).toEqual([[['', '1']]]);
    expectExactOffsets(model);
  });

  it('keeps preformatted lines apart', () => {
    expect(readHtml('<pre>第一行\n  第二行</pre>').text).toBe('第一行\n第二行');
  });
});

describe('reading a document', () => {
  it('decodes a GBK page by its declared charset', async () => {
    const gbk = gbkEncoder();
    const html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>平潭综合实验区2021年度政府信息公开工作年度报告</title></head>' +
      '<body><table><tr><td>（七）总计</td><td>70</td></tr></table></body></html>';
    const doc = await readDocument('report.htm', gbk(html));
    expect(doc.form).toBe('html');
    expect(doc.warnings).toEqual([]);
    expect(doc.text).toBe('平潭综合实验区2021年度政府信息公开工作年度报告\n| （七）总计 | 70 |');
    expectExactOffsets(doc);
  });

  it('reads a UTF-8 page as UTF-8 though it still declares GBK', async () => {
    const doc = await readDocument('saved.html', enc('<meta charset="gbk"><p>政府信息公开</p>'));
    expect(doc.text).toBe('政府信息公开');
  });

  it('reads a .txt that is really an HTML page', async () => {
    const doc = await readDocument('page.txt', enc('<!DOCTYPE html>\n<html><body><p>二、主动公开</p><table><tr><td>规章</td><td>1</td></tr></table></body></html>'));
    expect(doc.form).toBe('html');
    expect(doc.text).toBe('二、主动公开\n| 规章 | 1 |');
  });

  it('reads a .txt holding an HTML fragment dense in tags', async () => {
    const doc = await readDocument('fragment.txt', enc('<div class="content">\n<p>（一）予以公开</p>\n<p>共<span>5</span>件</p>\n</div>'));
    expect(doc.form).toBe('html');
    expect(doc.text).toBe('（一）予以公开\n共5件');
  });

  it('reads HTML kept in a JavaScript string, escaped quotes and <\\/td> undone', async () => {
    const script = String.raw`var title = '2021年度报告';
var content = "<p style=\"text-indent:2em\">三、收到和处理政府信息公开申请情况<\/p><table><tr><td class=\"x\">（七）总计<\/td><td>70<\/td><\/tr><\/table>";
document.getElementById("zoom").innerHTML = content;`;
    const doc = await readDocument('article.txt', enc(script));
    expect(doc.form).toBe('html');
    expect(textsOf(doc, 'paragraph')).toEqual(["var title = '2021年度报告';", '三、收到和处理政府信息公开申请情况']);
    expect(cellTexts(doc)).toEqual([[['（七）总计', '70']]]);
    expectExactOffsets(doc);
  });

  it('reads HTML written by document.write in single-quoted strings', () => {
    const script = String.raw`document.write('<table><tr><td>\'行政复议\'</td>');
document.write('<td>' + '2' + '</td></tr></table>');`;
    expect(sniffHtml(script)?.html).toBe("<table><tr><td>'行政复议'</td><td>2</td></tr></table>");
  });

  it('reads HTML kept in a JSON field', async () => {
    const json = JSON.stringify({ title: '平潭综合实验区2021年度政府信息公开工作年度报告', pubDate: '2022-02-08 16:34', content: '<table>\n<tr>\t<td>（七）总计</td><td>70</td></tr></table>' })
      .replaceAll('/', '\\/')
      .replace('平潭', '\\u5e73\\u6f6d');
    const doc = await readDocument('api.json', enc(json));
    expect(doc.form).toBe('html');
    expect(textsOf(doc, 'paragraph')).toEqual(['title: 平潭综合实验区2021年度政府信息公开工作年度报告', 'pubDate: 2022-02-08 16:34']);
    expect(cellTexts(doc)).toEqual([[['（七）总计', '70']]]);
    expectExactOffsets(doc);
  });

  it('keeps a page dump’s metadata header before the HTML it holds', async () => {
    const dump = readFileSync(`${pageDumpsDir}pingtan-guanweihui-2021.txt`, 'utf8');
    const header = dump.slice(0, dump.indexOf('\n', dump.indexOf('正文 ====')) + 1);
    const doc = await readDocument('page.txt', enc(`${header}<div class="TRS_Editor">\n<p>（七）总计</p>\n<table><tr><td>70</td><td>0</td></tr></table>\n</div>\n`));
    expect(doc.form).toBe('html');
    const headerLines = header.split('\n').map(collapse).filter(Boolean);
    expect(headerLines).toContain('发布时间: 2022-02-08 16:34');
    expect(textsOf(doc, 'paragraph')).toEqual([...headerLines, '（七）总计']);
    expect(cellTexts(doc)).toEqual([[['70', '0']]]);
    expectExactOffsets(doc);
  });

  it('leaves plain text, page dumps with stray HTML residue among them, as text', async () => {
    const files = [
      ...readdirSync(fixturesDir).filter((f) => f.endsWith('.txt')).map((f) => `${fixturesDir}${f}`),
      ...readdirSync(pageDumpsDir).filter((f) => f.endsWith('.txt')).map((f) => `${pageDumpsDir}${f}`),
      ...readdirSync(`${pageDumpsDir}unlabelled/`).map((f) => `${pageDumpsDir}unlabelled/${f}`),
    ];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(sniffHtml(text), file).toBeNull();
      const doc = await readDocument(file, enc(text));
      expect(doc.form, file).not.toBe('html');
      expect(doc.text, file).toBe(text.replace(/\r\n?/g, '\n'));
    }
  });

  it('tells Markdown by its pipe tables', async () => {
    const doc = await readDocument('ocr.txt', enc('# 报告\n\n| 项目 | 数量 |\n|---|---|\n| 总计 | 70 |\n'));
    expect(doc.form).toBe('markdown');
    expect((await readDocument('plain.txt', enc('全年共收到申请6件。'))).form).toBe('text');
  });

  it('reads a PDF from its text layer', async () => {
    const doc = await readDocument('report.pdf', new Uint8Array(readFileSync(`${fixturesDir}pdf/huaian-hongzequ-2023.pdf`)));
    expect(doc.form).toBe('pdf');
    expect(doc.text).toContain('政府信息公开工作年度报告');
  });
});

describe('rendering a document model as a page', () => {
  type Comparable = { kind: Block['kind']; text?: string; rows?: string[][] };
  const comparable = (blocks: Block[]) =>
    blocks.flatMap((b): Comparable[] => {
      if (b.kind === 'table') return b.rows.length > 0 ? [{ kind: b.kind, rows: b.rows.map((r) => r.cells.map((c) => collapse(c.text))) }] : [];
      return collapse(b.text) ? [{ kind: b.kind, text: collapse(b.text) }] : [];
    });

  it('reads back to the same model from an HTML page', () => {
    const model = readHtml('<title>标题 &amp; 副题</title><h3>一、总体情况</h3><p>共 <b>3</b> 件</p><table><tr><td colspan="3">合计</td></tr><tr><td>&lt;1&gt;</td><td>2</td><td></td></tr></table>');
    const again = readHtml(renderHtmlPage(model));
    expect(again).toEqual(model);
  });

  it.each(readdirSync(fixturesDir).filter((f) => f.endsWith('.txt')))('reads %s back with the same paragraphs and cells', (file) => {
    const model = readTextBlocks(readFileSync(`${fixturesDir}${file}`, 'utf8'), 'text');
    const again = readHtml(renderHtmlPage(model));
    expect(comparable(again.blocks)).toEqual(comparable(model.blocks));
    expectExactOffsets(again);
  });

  it.each(readdirSync(fixturesDir).filter((f) => f.endsWith('.txt')))('extracts the same reports from %s and from its rendering', async (file) => {
    const text = readFileSync(`${fixturesDir}${file}`, 'utf8');
    const reports = (result: Awaited<ReturnType<typeof extractDocument>>) =>
      result.reports.map((r) => ({
        identity: [r.agencyName, r.regionCode, r.level, r.year, r.publishedOn, r.format],
        figures: Object.fromEntries(Object.entries(r.figures).map(([k, f]) => [k, f.value])),
      }));
    const fromText = reports(await extractDocument({ fileName: file, bytes: enc(text) }));
    const page = renderHtmlPage(readTextBlocks(text, 'text'));
    const fromPage = reports(await extractDocument({ fileName: 'page.html', bytes: enc(page) }));
    expect(fromText.length).toBeGreaterThan(0);
    expect(fromPage).toEqual(fromText);
  });
});
