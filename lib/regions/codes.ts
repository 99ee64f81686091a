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
