// The one document model every reader produces: the document's text and an ordered list of
// blocks (headings, paragraphs, tables → rows → cells), each with offsets into that text so a
// figure can always be quoted from where it was read. A table cell may be an unsplit run of
// digits (page dumps lose the separators between cells); the table matcher splits it.
import type { DocumentForm, ExtractionWarning } from '../types.ts';

export type { DocumentForm };

export interface Span {
  /** offset of the first character in DocumentModel.text */
  start: number;
  /** offset just past the last character */
  end: number;
}

export interface Cell extends Span {
  text: string;
}

export interface Row extends Span {
  /** label cells and value cells in reading order */
  cells: Cell[];
}

export type Block =
  | ({ kind: 'heading' | 'paragraph'; text: string } & Span)
  | ({ kind: 'table'; rows: Row[] } & Span);

export interface DocumentModel {
  form: DocumentForm;
  text: string;
  blocks: Block[];
  warnings: ExtractionWarning[];
}
