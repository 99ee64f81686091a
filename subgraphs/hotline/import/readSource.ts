// Reading an export file as a stream of rows: refuses what is not text (empty, binary, a
// spreadsheet), detects UTF-8 or GB18030 (Excel in China saves CSV as GBK), CSV (comma or tab)
// or JSON Lines, and yields each row with the line it starts on. Nothing holds the whole file.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { TextDecoder } from 'node:util';
import { CsvParser } from './csv.ts';

export type SourceFormat = 'csv' | 'jsonl';
export type SourceEncoding = 'utf8' | 'gb18030';

export class ImportFileError extends Error {}

export type SourceRow =
  | { kind: 'csv'; line: number; fields: string[] }
  | { kind: 'jsonl'; line: number; value: unknown; raw: string; error?: string };

export interface SourceInfo {
  format: SourceFormat;
  encoding: SourceEncoding;
  size: number;
  /** CSV only: the header row. */
  header: string[] | null;
}

const MAGIC: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (an .xlsx workbook? save it as CSV UTF-8)'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel/Office file (.xls? save it as CSV UTF-8)'],
  [[0x1f, 0x8b], 'a gzip archive (decompress it first)'],
];

function refuseBinary(head: Buffer): void {
  for (const [magic, what] of MAGIC) {
    if (magic.every((byte, i) => head[i] === byte)) throw new ImportFileError(`not a CSV or JSON Lines file: it is ${what}`);
  }
  const nul = head.indexOf(0);
  if (nul >= 0) throw new ImportFileError(`not a text file (a NUL byte at offset ${nul}); expected CSV or JSON Lines`);
  let control = 0;
  for (const byte of head) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x1b) control++;
  if (control > head.length / 100 + 1) throw new ImportFileError(`not a text file (${control} control bytes in the first ${head.length}); expected CSV or JSON Lines`);
}

function validUtf8Prefix(head: Buffer): boolean {
  // A chunk may end inside a multi-byte character: drop up to 3 trailing bytes before checking.
  for (let cut = 0; cut <= Math.min(3, head.length); cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // try a shorter prefix
    }
  }
  return false;
}

export async function* readSource(
  file: string,
  options: { format?: SourceFormat | null; encoding?: SourceEncoding | 'auto' | null; onBytes?: (read: number, size: number) => void; onInfo?: (info: SourceInfo) => void },
): AsyncGenerator<SourceRow> {
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new ImportFileError('is a directory');
    size = info.size;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(`cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (size === 0) throw new ImportFileError('empty file (no header, no rows)');

  let decoder: TextDecoder | undefined;
  let info: SourceInfo | undefined;
  let csv: CsvParser | undefined;
  let pendingLine = '';
  let lineNo = 0;
  let read = 0;
  let sawContent = false;
  const ext = extname(file).toLowerCase();

  function* jsonLines(text: string, final: boolean): Generator<SourceRow> {
    pendingLine += text;
    let start = 0;
    for (;;) {
      const nl = pendingLine.indexOf('\n', start);
      if (nl < 0) break;
      yield* jsonLine(pendingLine.slice(start, nl));
      start = nl + 1;
    }
    pendingLine = pendingLine.slice(start);
    if (final && pendingLine !== '') {
      yield* jsonLine(pendingLine);
      pendingLine = '';
    }
  }
  function* jsonLine(raw: string): Generator<SourceRow> {
    lineNo++;
    const trimmed = raw.replace(/^\uFEFF/, '').trim();
    if (trimmed === '') return;
    try {
      yield { kind: 'jsonl', line: lineNo, value: JSON.parse(trimmed), raw: trimmed };
    } catch (error) {
      yield { kind: 'jsonl', line: lineNo, value: undefined, raw: trimmed, error: `not valid JSON (${(error as Error).message})` };
    }
  }

  function* consume(text: string, final: boolean): Generator<SourceRow> {
    if (!info) return;
    if (info.format === 'jsonl') {
      yield* jsonLines(text, final);
      return;
    }
    const records = [...csv!.push(text), ...(final ? csv!.end() : [])];
    for (const record of records) {
      if (info.header === null) {
        info.header = record.fields.map((f) => f.trim());
        options.onInfo?.(info);
        continue;
      }
      yield { kind: 'csv', line: record.line, fields: record.fields };
    }
  }

  let buffered = '';
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    read += chunk.length;
    if (!decoder) {
      refuseBinary(chunk.subarray(0, 8192));
      const bom = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      const encoding: SourceEncoding =
        options.encoding && options.encoding !== 'auto' ? options.encoding : bom || validUtf8Prefix(chunk.subarray(0, 65536)) ? 'utf8' : 'gb18030';
      decoder = new TextDecoder(encoding === 'utf8' ? 'utf-8' : 'gb18030');
      info = { format: 'csv', encoding, size, header: null };
    }
    let text = decoder.decode(chunk, { stream: true });
    if (!sawContent) {
      // The format is decided on the first non-blank character (unless given or implied by the name).
      buffered += text;
      const first = buffered.replace(/^\uFEFF/, '').trimStart()[0];
      if (first === undefined) continue;
      sawContent = true;
      text = buffered;
      buffered = '';
      const format: SourceFormat =
        options.format ?? (ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.csv' || ext === '.tsv' ? 'csv' : first === '{' ? 'jsonl' : 'csv');
      info!.format = format;
      if (format === 'csv') {
        const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!;
        const tabs = firstLine.split('\t').length;
        csv = new CsvParser(tabs > firstLine.split(',').length ? '\t' : ',');
        text = text.replace(/^\uFEFF/, '');
      } else options.onInfo?.(info!);
    }
    yield* consume(text, false);
    options.onBytes?.(read, size);
  }
  if (!sawContent) throw new ImportFileError('empty file (only blank lines)');
  yield* consume(decoder!.decode(), true);
  if (info!.format === 'csv' && info!.header === null) throw new ImportFileError('empty file (no header)');
  options.onBytes?.(read, size);
}
