// Reads an uploaded document into plain text: .txt as is, .html with tables as `| … |` rows,
// .pdf from its text layer laid out by position. Chinese government pages still come in GBK,
// so text that is not valid UTF-8 is tried as GB18030. Input that yields no text at all is
// refused with an UnreadableDocumentError saying why.
import { UnreadableDocumentError, type ExtractionWarning } from '../types.ts';
import { declaredCharset, htmlToText } from './html.ts';
import { pdfToLayoutText } from './pdfPositions.ts';

export type DocumentKind = 'text' | 'html' | 'pdf';

export interface ReadDocument {
  kind: DocumentKind;
  text: string;
  warnings: ExtractionWarning[];
}

const startsWith = (bytes: Uint8Array, ascii: string) => ascii.split('').every((c, i) => bytes[i] === c.charCodeAt(0));

function kindOf(fileName: string, bytes: Uint8Array): DocumentKind {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (startsWith(bytes, '%PDF')) return 'pdf';
  if (ext === 'pdf') return 'pdf';
  if (['html', 'htm', 'shtml', 'xhtml'].includes(ext)) return 'html';
  if (['txt', 'text', 'md', 'markdown', 'csv', ''].includes(ext)) {
    const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
    return head.startsWith('<!doctype html') || head.startsWith('<html') ? 'html' : 'text';
  }
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
  const warnings: ExtractionWarning[] = [];
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (declared && /gb|big5/.test(declared)) {
    try {
      return { text: new TextDecoder(declared === 'gb2312' ? 'gbk' : declared).decode(body), warnings };
    } catch {
      // an unknown label: fall through to detection
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), warnings };
  } catch {
    try {
      const text = new TextDecoder('gb18030', { fatal: true }).decode(body);
      warnings.push({ code: 'DECODED_AS_GB18030', message: 'the text is not UTF-8; it was read as GB18030' });
      return { text, warnings };
    } catch {
      warnings.push({ code: 'INVALID_ENCODING', message: 'the text is neither UTF-8 nor GB18030; undecodable bytes were replaced' });
      return { text: new TextDecoder('utf-8').decode(body), warnings };
    }
  }
}

export async function readDocument(fileName: string, bytes: Uint8Array): Promise<ReadDocument> {
  if (bytes.length === 0) throw new UnreadableDocumentError('EMPTY_DOCUMENT', `${fileName}: the file is empty`);
  const kind = kindOf(fileName, bytes);
  if (kind === 'pdf') {
    if (!startsWith(bytes, '%PDF')) throw new UnreadableDocumentError('PDF_UNREADABLE', `${fileName}: not a PDF (no %PDF header)`);
    const pdf = await pdfToLayoutText(bytes).catch((error: unknown) => {
      if (error instanceof UnreadableDocumentError) throw new UnreadableDocumentError(error.code, `${fileName}: ${error.message}`);
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
    return { kind, text: pdf.text, warnings };
  }
  if (looksBinary(bytes)) throw new UnreadableDocumentError('BINARY_DOCUMENT', `${fileName}: binary data, not a text or HTML document`);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const { text: decoded, warnings } = decodeText(bytes, kind === 'html' ? declaredCharset(head) : null);
  const text = (kind === 'html' ? htmlToText(decoded) : decoded).replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new UnreadableDocumentError('EMPTY_DOCUMENT', `${fileName}: the document contains no text`);
  return { kind, text, warnings };
}
