// The original text cut into runs at the edges of the highlighted sources. Figure.source's
// start and end index the document text as JavaScript strings do (UTF-16 code units: the
// extractor slices the same string the API returns), so String.prototype.slice is exact here.

export interface SourceSpan {
  start: number;
  end: number;
  /** The figure (key) whose source it is. */
  key: string;
}

export interface TextRun {
  text: string;
  start: number;
  /** Keys of the figures whose sources cover this run; empty for plain text. */
  keys: string[];
}

export function textRuns(text: string, spans: readonly SourceSpan[]): TextRun[] {
  const inside = spans
    .map((span) => ({ ...span, start: Math.max(0, Math.min(span.start, text.length)), end: Math.max(0, Math.min(span.end, text.length)) }))
    .filter((span) => span.end > span.start);
  const edges = [...new Set([0, text.length, ...inside.flatMap((span) => [span.start, span.end])])].sort((a, b) => a - b);
  const runs: TextRun[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const start = edges[i]!;
    const end = edges[i + 1]!;
    const keys = inside.filter((span) => span.start <= start && span.end >= end).map((span) => span.key);
    const previous = runs.at(-1);
    // neighbouring runs of the same figures stay one mark
    if (previous && previous.keys.join() === keys.join()) previous.text += text.slice(start, end);
    else runs.push({ text: text.slice(start, end), start, keys });
  }
  return runs;
}
