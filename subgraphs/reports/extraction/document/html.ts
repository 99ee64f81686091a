// HTML to text with its tables kept as tables: each <tr> becomes one `| cell | cell |` line, the
// form the table readers take from Markdown and scraped pages too. Block elements become line
// breaks; scripts, styles and comments go.

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ensp: ' ', emsp: ' ', middot: '·', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', mdash: '—', hellip: '…' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const BLOCK = /^(p|div|br|h[1-6]|li|ul|ol|section|article|header|footer|table|tbody|thead|title|blockquote|pre|dd|dt|center)$/i;

/** Text of an HTML fragment without tags, whitespace collapsed (cell contents). */
function inlineText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<head\b[\s\S]*?<\/head\s*>/gi, (head) => {
      const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(head);
      return title ? `\n${title[1]}\n` : '\n';
    });
  // Innermost rows first, so a row of a nested table is not swallowed by its container's row.
  s = s.replace(/<tr\b[^>]*>((?:(?!<tr\b)[\s\S])*?)<\/tr\s*>/gi, (_row, inner: string) => {
    const cells = [...inner.matchAll(/<t[dh]\b([^>]*)>([\s\S]*?)(?=<t[dh]\b|$)/gi)].map((m) => {
      const span = /colspan\s*=\s*["']?(\d+)/i.exec(m[1] ?? '');
      const text = inlineText((m[2] ?? '').replace(/<\/t[dh]\s*>[\s\S]*$/i, ''));
      return Array.from({ length: span ? Math.min(Number(span[1]), 20) : 1 }, (_, k) => (k === 0 ? text : ''));
    });
    return `\n| ${cells.flat().join(' | ')} |\n`;
  });
  s = s.replace(/<\/?([a-z][a-z0-9]*)\b[^>]*>/gi, (_tag, name: string) => (BLOCK.test(name) ? '\n' : ''));
  s = decodeEntities(s).replace(/\u00a0/g, ' ');
  return s
    .split('\n')
    .map((line) => line.replace(/[ \t\u3000]+/g, ' ').trim())
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();
}

/** The charset an HTML document declares for itself, if any. */
export function declaredCharset(head: string): string | null {
  const m = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head);
  return m ? m[1]!.toLowerCase() : null;
}
