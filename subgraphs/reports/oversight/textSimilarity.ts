// Jaccard similarity of character 5-gram shingles, over the text with whitespace, digits and
// punctuation removed: a report that repeats last year's prose with new numbers still matches.
const SHINGLE = 5;

function shingles(text: string): Set<string> {
  const letters = text.replace(/[\s\d\p{P}\p{S}]/gu, '');
  const result = new Set<string>();
  for (let i = 0; i + SHINGLE <= letters.length; i++) result.add(letters.slice(i, i + SHINGLE));
  return result;
}

export function textSimilarity(a: string, b: string): number {
  const left = shingles(a);
  const right = shingles(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const shingle of left) if (right.has(shingle)) shared++;
  return shared / (left.size + right.size - shared);
}
