// The sections a benchmark subset (`npm run bench -- dashboard|reloads|slow-city|…`) writes into
// bench/RESULTS.md between its own markers, leaving the rest of the file as it was.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface SectionMarkers {
  start: string;
  end: string;
}

/** The file's text, or an empty results file. */
export const resultsText = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n<!-- notes -->\n');

/** The lines between the markers (markers included), or null when the file has no such section. */
export function existingSection(text: string, markers: SectionMarkers): string | null {
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end);
  return start >= 0 && end > start ? text.slice(start, end + markers.end.length) : null;
}

/** The section as a subset last wrote it, as lines with a blank line after, for the whole benchmark to keep; none when absent. */
export function previousSection(file: string, markers: SectionMarkers): string[] {
  const section = existingSection(resultsText(file), markers);
  return section ? [...section.split('\n'), ''] : [];
}

/** Puts `block` (markers included) in place of the previous section, else before the goals or the notes. */
export function writeSection(file: string, markers: SectionMarkers, block: string): void {
  const text = resultsText(file);
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end);
  let next: string;
  if (start >= 0 && end > start) next = `${text.slice(0, start)}${block}${text.slice(end + markers.end.length)}`;
  else {
    const at = [text.indexOf('## Goals'), text.indexOf('<!-- notes -->')].find((index) => index >= 0) ?? text.length;
    next = `${text.slice(0, at)}${block}\n\n${text.slice(at)}`;
  }
  writeFileSync(file, next);
}
