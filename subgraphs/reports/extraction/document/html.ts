// HTML → the document model. The page is parsed (htmlparser2, which also decodes entities) and
// rendered to text as the line-based readers expect it: one line per heading or paragraph, and
// each table row as one `| cell | cell |` line, the form Markdown and scraped pages have too.
// The blocks are built while the text is written, so every cell's offsets are exact.
// The page is parsed within the read budget (its elements and their nesting counted as they are
// opened), so the walks below recurse no deeper than the nesting limit.
import { Parser } from 'htmlparser2';
import { DomHandler, isTag, isText, type ChildNode, type Document, type Element } from 'domhandler';
import type { Block, DocumentModel, Row, Span } from './model.ts';
import { ReadBudget } from '../limits.ts';

type TableBlock = Extract<Block, { kind: 'table' }>;
type TextKind = 'heading' | 'paragraph';

/** Never rendered: code, and content a browser would not show. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Elements that start and end a line of text (anything else flows inline). */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'head', 'header', 'hr', 'html', 'li', 'main', 'nav', 'ol', 'p',
  'pre', 'section', 'summary', 'td', 'th', 'title', 'ul',
  ...HEADINGS,
]);
const TABLE_SECTIONS = new Set(['thead', 'tbody', 'tfoot']);
const CELLS = new Set(['td', 'th']);
/** A colspan beyond this is a layout trick, not columns of figures. */
const MAX_COLSPAN = 20;

/** Whitespace as a browser shows it: any run (U+3000 and no-break spaces too) is one space. */
const collapseSpace = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The text and blocks, appended line by line with their offsets. */
class PageWriter {
  private parts: string[] = [];
  private length = 0;
  private table: TableBlock | null = null;
  readonly blocks: Block[] = [];
  /** The page's text is held to the character limit as it is written (markup is not text). */
  private readonly budget: ReadBudget;

  constructor(budget: ReadBudget) {
    this.budget = budget;
  }

  get text(): string {
    return this.parts.join('');
  }

  paragraph(kind: TextKind, raw: string): void {
    const text = collapseSpace(raw);
    if (text === '') return;
    this.table = null;
    this.blocks.push({ kind, text, ...this.line(text) });
  }

  row(cells: string[]): void {
    const start = this.length + (this.length > 0 ? 1 : 0);
    let line = '|';
    const rowCells = cells.map((text) => {
      line += ' ';
      const cell = { text, start: start + line.length, end: start + line.length + text.length };
      line += text === '' ? '|' : `${text} |`;
      return cell;
    });
    const row: Row = { cells: rowCells, ...this.line(line) };
    if (!this.table) {
      this.table = { kind: 'table', rows: [], start: row.start, end: row.end };
      this.blocks.push(this.table);
    }
    this.table.rows.push(row);
    this.table.end = row.end;
  }

  /** Rows written after this belong to a new table block. */
  endTable(): void {
    this.table = null;
  }

  private line(s: string): Span {
    if (this.length > 0) this.append('\n');
    const start = this.length;
    this.append(s);
    return { start, end: this.length };
  }

  private append(s: string): void {
    this.budget.addChars(s.length);
    this.parts.push(s);
    this.length += s.length;
  }
}

/** Walks the parsed page in document order, gathering inline text until a block boundary. */
class PageRenderer {
  private pending = '';
  private kind: TextKind = 'paragraph';
  private preformatted = 0;
  readonly page: PageWriter;

  constructor(budget: ReadBudget) {
    this.page = new PageWriter(budget);
  }

  flow(node: ChildNode): void {
    if (isText(node)) return this.addText(node.data);
    if (!isTag(node) || SKIPPED.has(node.name)) return; // comments, doctype, CDATA
    const { name } = node;
    if (name === 'table') return this.table(node);
    if (name === 'tr') return this.row(node); // a row outside any table still holds cells
    if (name === 'br') return this.flush();
    const block = BLOCKS.has(name);
    if (block) this.flush();
    const outerKind = this.kind;
    if (HEADINGS.has(name)) this.kind = 'heading';
    if (name === 'pre') this.preformatted++;
    for (const child of node.children) this.flow(child);
    if (name === 'pre') this.preformatted--;
    if (block) this.flush();
    this.kind = outerKind;
  }

  flush(): void {
    this.page.paragraph(this.kind, this.pending);
    this.pending = '';
  }

  private addText(data: string): void {
    if (this.preformatted === 0) {
      this.pending += data;
      return;
    }
    const [first = '', ...rest] = data.split('\n');
    this.pending += first;
    for (const line of rest) {
      this.flush();
      this.pending = line;
    }
  }

  private table(table: Element): void {
    this.flush();
    this.page.endTable();
    this.tableContent(table);
    this.flush();
    this.page.endTable();
  }

  private tableContent(parent: Element): void {
    for (const child of parent.children) {
      if (!isTag(child)) this.flow(child);
      else if (child.name === 'tr') this.row(child);
      else if (child.name === 'table') this.table(child);
      else if (TABLE_SECTIONS.has(child.name) || contains(child, 'tr')) this.tableContent(child);
      else this.flow(child);
    }
  }

  private row(tr: Element): void {
    this.flush();
    const cells = cellsOf(tr);
    if (cells.some((cell) => contains(cell, 'table'))) {
      // A layout row: its cells are containers, and the tables nested in them hold the rows.
      this.page.endTable();
      for (const cell of cells) this.flow(cell);
      this.page.endTable();
      return;
    }
    if (cells.length === 0) return;
    this.page.row(cells.flatMap((cell) => [cellText(cell), ...Array<string>(colspanOf(cell) - 1).fill('')]));
  }
}

function cellsOf(parent: Element): Element[] {
  return parent.children.filter(isTag).flatMap((child) => (CELLS.has(child.name) ? [child] : child.name === 'table' ? [] : cellsOf(child)));
}

/** Whether an element holds `name` at any depth; remembered, so that nested rows do not walk their subtrees again. */
const containing = new WeakMap<Element, Map<string, boolean>>();

function contains(parent: Element, name: string): boolean {
  let known = containing.get(parent);
  if (!known) containing.set(parent, (known = new Map()));
  let found = known.get(name);
  if (found === undefined) {
    found = parent.children.some((child) => isTag(child) && (child.name === name || contains(child, name)));
    known.set(name, found);
  }
  return found;
}

function colspanOf(cell: Element): number {
  const span = Number.parseInt(cell.attribs['colspan'] ?? '', 10);
  return Number.isFinite(span) ? Math.min(Math.max(span, 1), MAX_COLSPAN) : 1;
}

/** A cell's text on one line: line breaks and inner blocks become spaces. */
function cellText(cell: Element): string {
  const parts: string[] = [];
  const walk = (node: ChildNode): void => {
    if (isText(node)) parts.push(node.data);
    else if (isTag(node) && !SKIPPED.has(node.name)) {
      const separate = node.name === 'br' || BLOCKS.has(node.name);
      if (separate) parts.push(' ');
      node.children.forEach(walk);
      if (separate) parts.push(' ');
    }
  };
  cell.children.forEach(walk);
  return collapseSpace(parts.join(''));
}

/**
 * Reads an HTML page or fragment. `before` is plain text that preceded the HTML in the file (a
 * crawler's metadata header: title, publication time); its lines are kept as paragraphs first.
 */
export function readHtml(html: string, before = '', budget: ReadBudget = new ReadBudget()): DocumentModel {
  const renderer = new PageRenderer(budget);
  for (const line of before.split('\n')) renderer.page.paragraph('paragraph', line);
  for (const node of parsePage(html, budget).children) renderer.flow(node);
  renderer.flush();
  const { page } = renderer;
  return { form: 'html', text: page.text, blocks: page.blocks, warnings: [] };
}

/** The DOM handler of htmlparser2's parseDocument, counting elements and their depth as they open. */
class BudgetedDomHandler extends DomHandler {
  private readonly budget: ReadBudget;

  constructor(budget: ReadBudget) {
    super();
    this.budget = budget;
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs);
    this.budget.item(0);
    // tagStack holds the document root below the open elements.
    this.budget.nesting(this.tagStack.length - 1);
  }
}

function parsePage(html: string, budget: ReadBudget): Document {
  const handler = new BudgetedDomHandler(budget);
  new Parser(handler).end(html);
  return handler.root;
}

/** The charset an HTML document declares for itself in a <meta> tag, if any. */
export function declaredCharset(head: string): string | null {
  const found: { charset?: string } = {};
  const parser = new Parser({
    onopentag(name, attribs) {
      if (found.charset || name !== 'meta') return;
      // <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gbk">
      found.charset = attribs['charset']?.trim() || /charset\s*=\s*["']?([\w-]+)/i.exec(attribs['content'] ?? '')?.[1];
    },
  });
  parser.end(head);
  return found.charset?.toLowerCase() || null;
}
