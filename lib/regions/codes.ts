// GB/T 2260 codes carry their own ancestry: 43 is 湖南省, 4301 长沙市, 430102 芙蓉区. These
// helpers read it, so that any subgraph can select a region's subtree by code prefix alone.
import type { RegionLevel } from './divisions.ts';

const CODE = /^[0-9]{6}$/;

export const isRegionCode = (code: string): boolean => CODE.test(code) && !code.startsWith('00');

export function levelOfCode(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'PROVINCE';
  if (code.endsWith('00')) return 'CITY';
  return 'COUNTY';
}

/** The same rule as levelOfCode, as a SQL expression over a code column. */
export const levelOfCodeSql = (column: string): string =>
  `(case when ${column} like '__0000' then 'PROVINCE' when ${column} like '____00' then 'CITY' else 'COUNTY' end)`;

/** The prefix every code in the region's subtree (itself included) starts with. */
export function subtreePrefix(code: string): string {
  switch (levelOfCode(code)) {
    case 'PROVINCE':
      return code.slice(0, 2);
    case 'CITY':
      return code.slice(0, 4);
    case 'COUNTY':
      return code;
  }
}

/**
 * The codes a region's ancestors can have, province first. A county under a placeholder
 * city (110101 under 1101 市辖区) has no city ancestor: the caller drops codes with no region.
 */
export function ancestorCodeCandidates(code: string): string[] {
  const level = levelOfCode(code);
  if (level === 'PROVINCE') return [];
  const province = `${code.slice(0, 2)}0000`;
  return level === 'CITY' ? [province] : [province, `${code.slice(0, 4)}00`];
}


/**
 * Bind parameters for `unnest(?::text[], ?::text[]) as r(code, prefix)`: one row per region of a
 * batch with the prefix of its subtree, so one statement can aggregate many subtrees at once.
 */
export const subtreeBatchParams = (codes: readonly string[]): [string[], string[]] => [[...codes], codes.map(subtreePrefix)];

/**
 * SQL: the regions of a batch whose subtree may hold the code in `column` — its province, its
 * city, itself — as a `values` list for `cross join lateral … as c(code)`, with only the levels
 * the batch has (a batch of counties needs the code itself only). Joined to the batch by
 * equality, each row of the batch's union range finds the regions it rolls up into with a hash
 * join, where a `code like prefix || '%'` join compares every row with every region
 * (docs/performance.md). The candidates are of distinct levels, so none is counted twice.
 */
export function subtreeRootsSql(column: string, batch: readonly string[]): string {
  return rootsSql(column, new Set(batch.map(levelOfCode)));
}

/** subtreeRootsSql for a batch of every level; a root that does not apply is null. */
export const everySubtreeRootSql = (column: string): string => rootsSql(column, new Set(['PROVINCE', 'CITY', 'COUNTY']));

function rootsSql(column: string, levels: ReadonlySet<RegionLevel>): string {
  const candidates = [
    levels.has('PROVINCE') ? `(left(${column}, 2) || '0000')` : null,
    levels.has('CITY') ? `(case when ${column} not like '__0000' then left(${column}, 4) || '00' end)` : null,
    levels.has('COUNTY') ? `(case when ${column} not like '____00' then ${column} end)` : null,
  ].filter((c): c is string => c !== null);
  return `(values ${candidates.join(', ')})`;
}

/**
 * [lo, hi) of the C-collated codes holding every subtree of the batch: a constant range the
 * planner can estimate and scan with an index (`4301` .. `4301:` is the subtree of 430100).
 */
export function subtreesRange(codes: readonly string[]): [string, string] {
  const prefixes = codes.map(subtreePrefix);
  const lo = prefixes.reduce((a, b) => (b < a ? b : a));
  const hi = prefixes.map((p) => `${p}:`).reduce((a, b) => (b > a ? b : a));
  return [lo, hi];
}
