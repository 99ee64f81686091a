// Reads an uploaded document into the document model. PDFs are read from their text layer laid
// out by position; HTML is recognised by its content as well as its name (pages saved as .txt,
// or kept in a script's or a JSON response's string); Markdown by its pipe tables. Chinese
// government pages still come in GBK, so text that is not valid UTF-8 is tried as GB18030.
// Input that yields no text at all is refused with an UnreadableDocumentError saying why.
import { UnreadableDocumentError, type ExtractionWarning } from '../types.ts';
import { ReadBudget } from '../limits.ts';
import { declaredCharset, readHtml } from './html.ts';
import { htmlInScripts, sniffHtml } from './embeddedHtml.ts';
import type { DocumentModel } from './model.ts';
import { pdfToLayoutText } from './pdfPositions.ts';
import { readTextBlocks } from './textBlocks.ts';

/** What the name and magic bytes say; the content of text decides further (see readText). */
type FileKind = 'text' | 'html' | 'pdf';

const startsWith = (bytes: Uint8Array, ascii: string) => ascii.split('').every((c, i) => bytes[i] === c.charCodeAt(0));

const extensionOf = (fileName: string): string => /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';

function kindOf(fileName: string, bytes: Uint8Array): FileKind {
  const ext = extensionOf(fileName);
  if (startsWith(bytes, '%PDF')) return 'pdf';
  if (ext === 'pdf') return 'pdf';
  if (['html', 'htm', 'shtml', 'xhtml'].includes(ext)) return 'html';
  if (['txt', 'text', 'md', 'markdown', 'csv', 'json', 'js', ''].includes(ext)) return 'text';
  if (startsWith(bytes, 'PK\u0003\u0004') || startsWith(bytes, '\u00d0\u00cf\u0011\u00e0')) {
    throw new UnreadableDocumentError('UNSUPPORTED_TYPE', `${fileName}: office documents are not supported; upload the report as .pdf, .html or .txt`);
  }
  throw new UnreadableDocumentError('UNSUPPORTED_TYPE', `${fileName}: unsupported file type .${ext}; expected .txt, .html or .pdf`);
}

/** Binary data: NUL bytes, or many control characters that text never has. */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 8 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return control > sample.length * 0.05;
}

function decodeText(bytes: Uint8Array, declared: string | null): { text: string; warnings: ExtractionWarning[] } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  // UTF-8 first, whatever the page declares: crawlers re-save GBK pages as UTF-8 and keep the
  // <meta charset="gbk">, while GBK text of any length is never valid UTF-8.
  const utf8 = decodeStrict(body, 'utf-8');
  if (utf8 !== null) return { text: utf8, warnings: [] };
  if (declared && /gb|big5/.test(declared)) {
    try {
      return { text: new TextDecoder(declared === 'gb2312' ? 'gbk' : declared).decode(body), warnings: [] };
    } catch {
      // an unknown label: fall through to detection
    }
  }
  const gb = decodeStrict(body, 'gb18030');
  if (gb !== null) return { text: gb, warnings: [{ code: 'DECODED_AS_GB18030', message: 'the text is not UTF-8; it was read as GB18030' }] };
  return {
    text: new TextDecoder('utf-8').decode(body),
    warnings: [{ code: 'INVALID_ENCODING', message: 'the text is neither UTF-8 nor GB18030; undecodable bytes were replaced' }],
  };
}

function decodeStrict(bytes: Uint8Array, encoding: string): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A Markdown pipe table's delimiter row, `|---|:---:|` (no two runs of blanks side by side: linear on a long blank line). */
const PIPE_TABLE_RULE = /^[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+(?:\|[ \t]*)?$/m;

/** Decoded text by its content: HTML (whole, a fragment, or in string literals), Markdown, or text. */
/** A page, or the report body its scripts hold when the page itself shows little (its text kept before it). */
function readPage(html: string, before: string, budget: ReadBudget): DocumentModel {
  const page = readHtml(html, before, budget);
  const inScript = htmlInScripts(html, page.text, budget);
  return inScript === null ? page : readHtml(inScript, `${page.text}\n`, budget);
}

function readText(text: string, kind: FileKind, ext: string, budget: ReadBudget): DocumentModel {
  const sniffed = sniffHtml(text, budget);
  if (sniffed) return readPage(sniffed.html, sniffed.before, budget);
  if (kind === 'html') return readPage(text, '', budget);
  // Plain text is the text: held to the character limit before it is read (a page's markup is not, its text is as it is written).
  budget.text(text);
  if (ext === 'md' || ext === 'markdown' || PIPE_TABLE_RULE.test(text)) return readTextBlocks(text, 'markdown');
  return readTextBlocks(text, 'text');
}

/**
 * Reads a document within its budget (limits.ts): its size is checked before anything, a PDF's
 * pages before any is read and its text items as they are read, a page's elements and their
 * nesting as it is parsed and its text as it is written, a plain text's characters before its
 * lines are read.
 */
export async function readDocument(fileName: string, bytes: Uint8Array, budget: ReadBudget = new ReadBudget(undefined, fileName)): Promise<DocumentModel> {
  if (bytes.length === 0) throw new UnreadableDocumentError('EMPTY_DOCUMENT', `${fileName}: the file is empty`);
  budget.bytes(bytes.length);
  const kind = kindOf(fileName, bytes);
  if (kind === 'pdf') {
    if (!startsWith(bytes, '%PDF')) throw new UnreadableDocumentError('PDF_UNREADABLE', `${fileName}: not a PDF (no %PDF header)`);
    const pdf = await pdfToLayoutText(bytes, budget).catch((error: unknown) => {
      if (error instanceof UnreadableDocumentError && error.code !== 'DOCUMENT_TOO_COMPLEX') throw new UnreadableDocumentError(error.code, `${fileName}: ${error.message}`);
      throw error;
    });
    if (pdf.text.trim() === '') {
      throw new UnreadableDocumentError(
        'PDF_NO_TEXT_LAYER',
        `${fileName}: the PDF has no text layer (${pdf.pages} page(s) of images?); OCR it first`,
      );
    }
    const warnings: ExtractionWarning[] =
      pdf.emptyPages > 0 ? [{ code: 'NO_TEXT_LAYER', message: `${pdf.emptyPages} of ${pdf.pages} PDF pages have no text layer and were skipped` }] : [];
    const model = readTextBlocks(pdf.text, 'pdf');
    return { ...model, warnings: [...warnings, ...model.warnings] };
  }
  if (looksBinary(bytes)) throw new UnreadableDocumentError('BINARY_DOCUMENT', `${fileName}: binary data, not a text or HTML document`);
  // The charset a page declares is read from its first bytes, ASCII in every encoding it may name.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const { text: decoded, warnings } = decodeText(bytes, declaredCharset(head));
  const model = readText(decoded.replace(/\r\n?/g, '\n'), kind, extensionOf(fileName), budget);
  if (model.text.trim() === '') throw new UnreadableDocumentError('EMPTY_DOCUMENT', `${fileName}: the document contains no text`);
  return { ...model, warnings: [...warnings, ...model.warnings] };
}
