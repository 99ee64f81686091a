// Figures the prose states that the table prints too, read only to choose among the readings of
// run-together table cells (never stored from here): 现行有效行政规范性文件105件 settles which
// cut of `1210105` the 第二十条 table means. Everything the prose readers read is an anchor as well.
import { numbersIn, sentences, type ProseStream } from './proseStream.ts';

const ART20: Array<[RegExp, string]> = [
  [/(制发|出台|印发)[^，；。]{0,12}规范性文件$/, 'art20.normativeDocs.issued'],
  [/废止[^，；。]{0,12}规范性文件$/, 'art20.normativeDocs.repealed'],
  [/现行有效[^，；。]{0,8}规范性文件$/, 'art20.normativeDocs.inForce'],
  [/(制发|出台|印发)[^，；。]{0,12}规章$/, 'art20.rules.issued'],
  [/废止[^，；。]{0,12}规章$/, 'art20.rules.repealed'],
  [/现行有效[^，；。]{0,8}规章$/, 'art20.rules.inForce'],
];

export function readTableAnchors(stream: ProseStream): Map<string, number> {
  const anchors = new Map<string, number>();
  for (const s of sentences(stream)) {
    for (const hit of numbersIn(s.text)) {
      if (hit.approx || !/^(件|个|部)$/.test(hit.unit)) continue;
      const rule = ART20.find(([re]) => re.test(hit.lead));
      if (rule && !anchors.has(rule[1])) anchors.set(rule[1], hit.value);
    }
  }
  return anchors;
}
