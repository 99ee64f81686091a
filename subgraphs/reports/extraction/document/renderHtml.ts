// A document model as a plain HTML page, for checking that the extractor reads the same figures
// whatever form a report comes in: its text, and the same report as a web page.
import type { Block, DocumentModel } from './model.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const escapeText = (s: string): string => s.replace(/[&<>]/g, (c) => ESCAPES[c]!);

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `<h2>${escapeText(block.text)}</h2>`;
    case 'paragraph':
      return `<p>${escapeText(block.text)}</p>`;
    case 'table': {
      const rows = block.rows.map((row) => `<tr>${row.cells.map((cell) => `<td>${escapeText(cell.text)}</td>`).join('')}</tr>`);
      return ['<table>', ...rows, '</table>'].join('\n');
    }
  }
}

export function renderHtmlPage(model: DocumentModel): string {
  return ['<!DOCTYPE html>', '<html>', '<head><meta charset="utf-8"></head>', '<body>', ...model.blocks.map(renderBlock), '</body>', '</html>', ''].join('\n');
}
