// Hostile report documents, built in memory: small uploads that expand into far more work than
// their size suggests (docs/security.md, extraction limits). Shared by the security tests and by
// load tests that send them in a loop; nothing here touches the disk or the network.
import { createDeflate, deflateSync } from 'node:zlib';

export interface HostilePdfOptions {
  /** text runs (one `Tj` each, on its own baseline) in every page's content stream; default 500 000 */
  runs?: number;
  /** pages, all showing the same content stream (it is in the file once); default 1 */
  pages?: number;
  /** what every run shows; default a run of digits like a table cell */
  run?: (index: number) => string;
}

/**
 * A valid PDF whose page content is one FlateDecode stream of many small text runs, each on a
 * baseline of its own. Repetitive content deflates ~250:1: the default (500 000 runs, one
 * page) is ~40 KB on the wire and ~10 MB of content stream, half a million text items for the
 * PDF reader and as many lines for the layout (the "37 KB PDF" of issue 13). Refused by the
 * text-item limit (GONGKAI_EXTRACT_MAX_ITEMS) in a second or two of a worker's time.
 */
export function hostilePdf(options: HostilePdfOptions = {}): Buffer {
  const runs = options.runs ?? 500_000;
  const pages = options.pages ?? 1;
  const run = options.run ?? ((i: number) => String(100 + (i % 9)));
  const parts: string[] = ['BT /F1 1 Tf 1 0 0 1 20 800 Tm'];
  for (let i = 0; i < runs; i++) parts.push(`0 -0.001 Td (${run(i)}) Tj`);
  parts.push('ET');
  return pdfWithContent(deflateSync(Buffer.from(parts.join('\n'), 'latin1'), { level: 9 }), pages);
}

/**
 * A PDF of one page whose content stream inflates to `megabytes` MB of blanks: no text at all,
 * only memory for the reader to inflate it into (~1 KB per MB on the wire). Built in chunks,
 * never holding the inflated stream.
 */
export async function inflationBombPdf(megabytes = 512): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const blanks = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < megabytes; i++) {
    if (!deflate.write(blanks)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return pdfWithContent(Buffer.concat(out), 1);
}

/** A valid PDF of `pages` pages sharing one FlateDecode content stream (already deflated). */
function pdfWithContent(stream: Buffer, pages: number): Buffer {
  // Objects: 1 catalog, 2 page tree, 3 font, 4 the shared content stream, 5.. the pages.
  const pageIds = Array.from({ length: pages }, (_, i) => 5 + i);
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
    Buffer.concat([Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`), stream, Buffer.from('\nendstream')]),
    ...pageIds.map(() =>
      Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>'),
    ),
  ];
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    chunks.push(chunk);
    length += chunk.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(chunks);
}

/** A page dump line of `runs` digit runs (a table row whose values never end): `项目 12 345 6 …`. */
export function digitRunsText(runs = 400_000): string {
  const parts: string[] = ['某某县人民政府2023年政府信息公开工作年度报告', '三、收到和处理政府信息公开申请情况', '（一）予以公开'];
  for (let i = 0; i < runs; i++) parts.push(String((i * 7919) % 1000));
  return `${parts.slice(0, 2).join('\n')}\n${parts.slice(2).join(' ')}\n`;
}

/** An HTML page whose body is `depth` nested elements (a parser or renderer that recurses overflows). */
export function deeplyNestedHtml(depth = 100_000): string {
  return `<!DOCTYPE html><html><body>${'<div><span>'.repeat(depth / 2)}1${'</span></div>'.repeat(depth / 2)}</body></html>`;
}

/** An HTML page with one table of `rows` × `columns` numeric cells. */
export function hugeHtmlTable(rows = 100_000, columns = 8): string {
  const row = (r: number) => `<tr><td>（${r}）项目</td>${Array.from({ length: columns }, (_, c) => `<td>${(r * 31 + c) % 1000}</td>`).join('')}</tr>`;
  const body: string[] = [];
  for (let r = 0; r < rows; r++) body.push(row(r));
  return `<!DOCTYPE html><html><body><h1>某某县人民政府2023年政府信息公开工作年度报告</h1><table>${body.join('')}</table></body></html>`;
}
