// The vocabulary shared by the subgraphs' answers and their writes (docs/performance.md, "The
// answer cache"). An answer says what it was computed from — region subtrees in some years —
// and a write says where it changed something; an answer is stale once a write touched a
// region in one of its subtrees in one of its years.
//
// Answers name the subtree they read: `r:430000@2024` (湖南 and everything under it, 2024),
// `r:430000@*` (every year). Writes name the region where the changed row lives:
// `w:430102@2024`, `w:430102@*` (every year: an agency moved, a lineage link), or `*`
// (everything: a restore, a seed, a subgraph restarted with new code). A write reaches the
// answers about every subtree that holds its region: its own, its city's, its province's and
// the country's (codes carry their ancestry, lib/regions/codes.ts).
import { NATIONAL } from '../auth/identity.ts';
import { ancestorCodeCandidates, isRegionCode } from '../regions/codes.ts';

/** A year, or null for every year. */
export type Years = number | null;

/** What one answer was computed from. */
export type Dependency = string;
/** Where one write changed something. */
export type Change = string;

export const EVERYTHING: Change = '*';

const yearPart = (year: Years): string => {
  if (year === null) return '*';
  if (!Number.isInteger(year)) throw new Error(`a cache year must be an integer, got ${year}`);
  return String(year);
};

const regionPart = (code: string): string => {
  if (code !== NATIONAL && !isRegionCode(code)) throw new Error(`'${code}' is not a region code`);
  return code;
};

/** An answer read the subtree of `code` (NATIONAL: the country) in `year` (null: every year). */
export const subtreeDependency = (code: string, year: Years): Dependency => `r:${regionPart(code)}@${yearPart(year)}`;

/** A write changed something at region `code` in `year` (null: every year). */
export const regionChange = (code: string, year: Years): Change => `w:${regionPart(code)}@${yearPart(year)}`;

/**
 * What a change makes stale, as dependency-side keys: for every subtree holding the region, the
 * subtree in that year and the subtree "in any year" (`@any`, what an `@*` answer is checked
 * against); a change of every year marks `@*`, which every year's answer is checked against.
 */
export function staleKeysOf(change: Change): string[] {
  if (change === EVERYTHING) return [EVERYTHING];
  const match = /^w:(\d{6})@(\*|\d+)$/.exec(change);
  if (!match) throw new Error(`'${change}' is not a cache change`);
  const [, code, year] = match as unknown as [string, string, string];
  const subtrees = code === NATIONAL ? [NATIONAL] : [...ancestorCodeCandidates(code), code, NATIONAL];
  return subtrees.flatMap((subtree) => [`r:${subtree}@${year}`, `r:${subtree}@any`]);
}

/**
 * The keys whose latest change decides whether an answer with this dependency is stale: the
 * subtree in its year and in every year; for an every-year dependency, any change in the subtree.
 */
export function keysCheckedFor(dependency: Dependency): string[] {
  const at = dependency.lastIndexOf('@');
  const subtree = dependency.slice(0, at);
  const year = dependency.slice(at + 1);
  return year === '*' ? [`${subtree}@any`, EVERYTHING] : [dependency, `${subtree}@*`, EVERYTHING];
}

/** The distinct changes of writes at regions in years (expanded nowhere: readers expand). */
export const regionChanges = (places: Iterable<readonly [code: string, year: Years]>): Change[] =>
  [...new Set([...places].map(([code, year]) => regionChange(code, year)))];
