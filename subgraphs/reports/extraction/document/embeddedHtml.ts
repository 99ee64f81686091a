// Finds HTML in text by its content, whatever the file is called: crawlers save pages as .txt,
// sometimes after a metadata header (标题: …, 发布时间: …), and some sites ship the report body
// inside a script (`var content = "<p>…<\/p>"`, `document.write('<table>…')`) or a JSON API
// response (`"content":"<table>…"`), escaped as a string literal.
import { Parser } from 'htmlparser2';
import { ReadBudget } from '../limits.ts';

export interface SniffedHtml {
  /** the HTML to read, string escapes undone */
  html: string;
  /** plain text that preceded it (a metadata header), kept for its page metadata */
  before: string;
}

/** Element names that mark HTML; single letters other than p are left out, as text has `<b` too. */
const HTML_ELEMENTS = new Set([
  'html', 'head', 'body', 'title', 'meta', 'link', 'script', 'style', 'p', 'div', 'span', 'br', 'hr', 'font', 'strong',
  'em', 'img', 'center', 'section', 'article', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote',
]);
/** A fragment is HTML when it has at least this many tags… */
const MIN_TAGS = 4;
/** …and one tag per this many characters at least (stray residue in a text dump is far sparser). */
const CHARS_PER_TAG = 200;
/** Tags inside string literals: enough to be content rather than a snippet of page script. */
const MIN_EMBEDDED_TAGS = 2;

interface Tag {
  index: number;
  name: string;
}

interface Literal {
  /** offset of the opening quote */
  start: number;
  /** offset just past the closing quote */
  end: number;
  value: string;
}

/** HTML elements' start and (explicit) end tags, and a doctype, where the parser meets them. */
function scanTags(text: string, budget: ReadBudget): Tag[] {
  const tags: Tag[] = [];
  const scan = budget.markupScan();
  const parser: Parser = new Parser({
    onopentagname(name) {
      scan.open();
      if (HTML_ELEMENTS.has(name)) tags.push({ index: parser.startIndex, name });
    },
    onclosetag(name, isImplied) {
      scan.close();
      if (!isImplied && HTML_ELEMENTS.has(name)) tags.push({ index: parser.startIndex, name });
    },
    onprocessinginstruction(name) {
      if (name.toLowerCase() === '!doctype') tags.push({ index: parser.startIndex, name: '!doctype' });
    },
  });
  parser.end(text);
  return tags;
}

const lineStart = (text: string, index: number): number => text.lastIndexOf('\n', index - 1) + 1;

/** A whole page: `<!DOCTYPE html>` or `<html>` opening a line. */
function fullPage(text: string, tags: Tag[]): SniffedHtml | null {
  const first = tags.find((tag) => tag.name === '!doctype' || tag.name === 'html');
  if (!first) return null;
  const start = lineStart(text, first.index);
  if (text.slice(start, first.index).trim() !== '') return null;
  return { html: text.slice(start), before: text.slice(0, start) };
}

/** A fragment without a page around it, dense in tags from its first line on. */
function fragment(text: string, tags: Tag[]): SniffedHtml | null {
  if (tags.length < MIN_TAGS) return null;
  const start = lineStart(text, tags[0]!.index);
  if (tags.length * CHARS_PER_TAG < text.length - start) return null;
  return { html: text.slice(start), before: text.slice(0, start) };
}

const JS_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** A JavaScript string literal's body with its escapes undone (what JSON.parse cannot read). */
function unescapeJs(body: string): string {
  return body.replace(/\\(u\{[0-9a-f]+\}|u[0-9a-f]{4}|x[0-9a-f]{2}|\r\n|[\s\S])/gi, (_, e: string) => {
    if (e.length > 1 && (e[0] === 'u' || e[0] === 'x')) return String.fromCodePoint(parseInt(e.replace(/[ux{}]/g, ''), 16));
    if (e === '\n' || e === '\r\n' || e === '\r') return ''; // a line continuation
    return JS_ESCAPES[e] ?? e;
  });
}

function unescapeLiteral(raw: string): string {
  if (raw[0] === '"') {
    try {
      return JSON.parse(raw) as string;
    } catch {
      // JavaScript escapes JSON lacks (\' \x3c), or a raw tab: undone by hand below
    }
  }
  return unescapeJs(raw.slice(1, -1));
}

/**
 * The quoted strings of script or JSON text, in order. Only a backquote string may run over a
 * line end; a quote that finds no partner on its line is an apostrophe, not a string.
 */
function stringLiterals(text: string): Literal[] {
  const literals: Literal[] = [];
  for (let i = 0; i < text.length; i++) {
    const quote = text[i]!;
    if (quote !== '"' && quote !== "'" && quote !== '`') continue;
    let j = i + 1;
    while (j < text.length && text[j] !== quote && (quote === '`' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
    if (text[j] !== quote) continue;
    literals.push({ start: i, end: j + 1, value: unescapeLiteral(text.slice(i, j + 1)) });
    i = j;
  }
  return literals;
}

const KEY_COLON = /\s*:/y;

/** `"key": value` pairs and bare strings on the line before the HTML, as `key: value` lines. */
function metadataOf(text: string, literals: Literal[]): string[] {
  const lines: string[] = [];
  let key: string | null = null;
  for (const literal of literals) {
    KEY_COLON.lastIndex = literal.end;
    if (KEY_COLON.test(text)) {
      key = literal.value;
      continue;
    }
    lines.push(key === null ? literal.value : `${key}: ${literal.value}`);
    key = null;
  }
  return lines;
}

/**
 * HTML held in string literals: most of the text's tags are inside them once unescaped. The
 * literals with tags are joined in order, with any literal `+`-concatenated to them.
 */
function embedded(text: string, tags: Tag[], budget: ReadBudget): SniffedHtml | null {
  const literals = stringLiterals(text);
  const withTags = new Map(literals.filter((literal) => literal.value.includes('<')).map((literal) => [literal, scanTags(literal.value, budget).length]));
  const inside = [...withTags.values()].reduce((sum, n) => sum + n, 0);
  if (inside < MIN_EMBEDDED_TAGS) return null;
  let k = 0;
  const outside = tags.filter((tag) => {
    while (k < literals.length && literals[k]!.end <= tag.index) k++;
    return !(k < literals.length && literals[k]!.start <= tag.index);
  }).length;
  if (outside >= inside) return null;

  const first = literals.findIndex((literal) => (withTags.get(literal) ?? 0) > 0);
  const included = new Set<Literal>();
  literals.forEach((literal, i) => {
    const previous = literals[i - 1];
    const joined = previous !== undefined && included.has(previous) && text.slice(previous.end, literal.start).trim() === '+';
    if (i >= first && ((withTags.get(literal) ?? 0) > 0 || joined)) included.add(literal);
  });
  const parts = [...included].map((literal) => literal.value);
  const html = literals[first]!;
  const start = lineStart(text, html.start);
  const sameLine = literals.filter((literal) => literal.start >= start && literal.start < html.start);
  const before = text.slice(0, start) + metadataOf(text, sameLine).map((line) => `${line}\n`).join('');
  return { html: parts.join(''), before };
}

/** The HTML a text holds, or null when it is plain text (stray tags in a page dump stay text). */
export function sniffHtml(text: string, budget: ReadBudget = new ReadBudget()): SniffedHtml | null {
  const tags = scanTags(text, budget);
  return fullPage(text, tags) ?? embedded(text, tags, budget) ?? fragment(text, tags);
}

const cjk = (s: string) => (s.match(/[\u3400-\u9fff]/g) ?? []).length;

/**
 * A page that ships its report body in a script (`var content = "<table>…"`) shows almost
 * nothing without it: the HTML in its scripts' strings, when that holds more Chinese text than
 * the page shows. Null when the page's own text is the report.
 */
export function htmlInScripts(page: string, shownText: string, budget: ReadBudget = new ReadBudget()): string | null {
  const scripts: string[] = [];
  let inScript = false;
  let current = '';
  const scan = budget.markupScan();
  const parser = new Parser({
    onopentagname(name) {
      scan.open();
      inScript = name === 'script';
      current = '';
    },
    ontext(text) {
      if (inScript) current += text;
    },
    onclosetag(name) {
      scan.close();
      if (name === 'script' && inScript) scripts.push(current);
      inScript = false;
    },
  });
  parser.end(page);
  let best: string | null = null;
  for (const script of scripts) {
    const found = embedded(script, scanTags(script, budget), budget);
    if (found && cjk(found.html) > cjk(best ?? '')) best = found.html;
  }
  return best !== null && cjk(best) > cjk(shownText) ? best : null;
}
