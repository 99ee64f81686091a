// A PDF's text layer laid out as lines of text, like `pdftotext -layout`: text items that share
// a baseline form a line, ordered left to right; a wide horizontal gap becomes two or more
// spaces, which is what separates table cells for the table readers. Table rows and columns
// are thereby recovered from item positions alone (no ruling lines are needed).
// The text is read as pdf.js parses it (a stream of chunks), counted against the read budget:
// a page count past the limit is refused before any page is read, and a content stream that
// inflates to too many text items or characters is stopped at the first one too many.
import { getDocumentProxy } from 'unpdf';
import { UnreadableDocumentError } from '../types.ts';
import { ReadBudget } from '../limits.ts';

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

interface RawTextItem {
  str?: string;
  transform?: number[];
  width?: number;
}

export interface PdfText {
  text: string;
  pages: number;
  /** pages that carry no text at all (scans) */
  emptyPages: number;
}

export async function pdfToLayoutText(bytes: Uint8Array, budget: ReadBudget = new ReadBudget()): Promise<PdfText> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js may detach the buffer it is given: hand it a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 } as never);
  } catch (error) {
    throw new UnreadableDocumentError('PDF_UNREADABLE', `not a readable PDF: ${(error as Error).message}`);
  }
  let read = false;
  try {
    budget.pages(pdf.numPages);
    const pages: string[] = [];
    let emptyPages = 0;
    let length = 0;
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const items = await pageItems(page, budget);
      if (items.length === 0) emptyPages++;
      const text = layoutPage(items);
      // Layout adds spaces between items: the text as laid out is held to the limit too.
      length += text.length + 2;
      if (length > budget.limits.maxChars) budget.refuse('chars');
      pages.push(text);
      page.cleanup();
    }
    read = true;
    return { text: pages.join('\n\n'), pages: pdf.numPages, emptyPages };
  } finally {
    // Destroyed, not only cleaned up: a long-lived worker keeps no document. A page whose reading
    // was stopped mid-stream leaves a pdf.js task waiting for its reader, which destroying waits
    // for: the refusal does not wait (the pool ends a worker after a refusal).
    const destroyed = pdf.loadingTask.destroy();
    if (read) await destroyed;
    else destroyed.catch(() => {});
  }
}

type PdfPage = Awaited<ReturnType<Awaited<ReturnType<typeof getDocumentProxy>>['getPage']>>;

/** A page's text items, read chunk by chunk as pdf.js produces them, within the budget. */
async function pageItems(page: PdfPage, budget: ReadBudget): Promise<Item[]> {
  const items: Item[] = [];
  // Past the budget, reading stops here: pdf.js, which waits for its chunks to be read, parses
  // no further (cancelling the stream instead makes pdf.js enqueue into a closed stream later,
  // an uncaught error).
  const reader = page.streamTextContent().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const raw of value.items as RawTextItem[]) {
      budget.item(raw.str?.length ?? 0);
      if (!raw.str || !raw.transform || raw.str.trim() === '') continue;
      const [a = 0, b = 0, , d = 0, x = 0, y = 0] = raw.transform;
      if (![a, b, d, x, y].every(Number.isFinite)) continue;
      items.push({ str: raw.str, x, y, width: raw.width ?? 0, size: Math.max(Math.hypot(a, b), Math.abs(d), 1) });
    }
  }
  return items;
}

function layoutPage(items: Item[]): string {
  if (items.length === 0) return '';
  items.sort((p, q) => q.y - p.y || p.x - q.x);
  const lines: Item[][] = [];
  for (const item of items) {
    const line = lines.at(-1);
    const anchor = line?.[0];
    if (line && anchor && Math.abs(anchor.y - item.y) <= Math.max(2, 0.3 * Math.min(anchor.size, item.size))) line.push(item);
    else lines.push([item]);
  }
  let left = Infinity;
  for (const item of items) if (item.x < left) left = item.x;
  return lines.map((line) => renderLine(line, left)).join('\n');
}

/** Spaces a gap becomes at most (wider than any page's columns): coordinates are the document's to choose. */
const MAX_GAP = 200;

function renderLine(line: Item[], left: number): string {
  line.sort((p, q) => p.x - q.x);
  const first = line[0]!;
  let out = ' '.repeat(Math.min(60, Math.round((first.x - left) / (first.size / 2))));
  let cursor = first.x;
  for (const item of line) {
    const gap = item.x - cursor;
    if (cursor !== first.x || item !== first) {
      if (gap > 0.8 * item.size) out += ' '.repeat(Math.min(MAX_GAP, Math.max(2, Math.round(gap / (item.size / 2)))));
      else if (gap > 0.15 * item.size) out += ' ';
    }
    out += item.str;
    cursor = Math.max(cursor, item.x + item.width);
  }
  return out.trimEnd();
}
