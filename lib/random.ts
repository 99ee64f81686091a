// A small seeded PRNG (mulberry32): sample and synthetic data must come out the same every time.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `total` into parts proportional to `weights`, summing exactly to `total`. */
export function splitInteger(total: number, weights: readonly number[], random: () => number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  while (rest > 0) {
    parts[Math.floor(random() * parts.length)]! += 1;
    rest--;
  }
  return parts;
}

/** One of the choices, drawn with the given weights. */
export function weighted<T>(random: () => number, choices: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of choices) total += w;
  let x = random() * total;
  for (const [value, w] of choices) {
    x -= w;
    if (x < 0) return value;
  }
  return choices.at(-1)![0];
}

export const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
