// Which years the region page asks Region.disclosureTrend for (dashboard/src/components/region/years.ts):
// all years that can hold reports on a first visit, no more than the parent's subtree held on
// the way down, and the same window again for a region seen before (so a kept answer is reused).
import { describe, expect, it } from 'vitest';
import {
  FIRST_REPORT_YEAR,
  fullWindow,
  heldRange,
  lastStatisticalYear,
  parseYear,
  rememberHeld,
  trendWindow,
} from '../../dashboard/src/components/region/years.ts';

const trend = (filed: Record<number, number>) => Object.entries(filed).map(([year, count]) => ({ year: Number(year), filed: count }));

describe('region page years', () => {
  it('takes the statistical year before the current one in China Standard Time', () => {
    // 31 December 17:00 UTC is already 1 January in Beijing
    expect(lastStatisticalYear(new Date('2026-12-31T17:00:00Z'))).toBe(2026);
    expect(lastStatisticalYear(new Date('2026-12-31T15:00:00Z'))).toBe(2025);
  });

  it('asks a region first seen for every year that can hold reports, at most 30', () => {
    const window = fullWindow();
    expect(window.to).toBe(lastStatisticalYear());
    expect(window.from).toBe(Math.max(FIRST_REPORT_YEAR, window.to - 29));
    expect(trendWindow('440000', 2024)).toEqual(window);
  });

  it('finds the years held from the years with filed reports only', () => {
    expect(heldRange(trend({ 2021: 0, 2022: 179, 2023: 0, 2024: 188, 2025: 0 }))).toEqual({ from: 2022, to: 2024 });
    expect(heldRange(trend({ 2024: 0 }))).toBeNull();
  });

  it('narrows a descendant to the years its ancestor held, widened to the year shown and the one before', () => {
    const first = fullWindow();
    rememberHeld('430000', 'PROVINCE', { from: 2022, to: 2024 }, first);
    expect(trendWindow('430100', 2024)).toEqual({ from: 2022, to: 2024 });
    expect(trendWindow('430102', 2022)).toEqual({ from: 2021, to: 2024 });
    // 429004 (a county under Hubei's placeholder) is not in Hunan's subtree
    expect(trendWindow('429004', 2024)).toEqual(first);
    // the province itself gets the window it was asked for the first time
    expect(trendWindow('430000', 2023)).toEqual(first);
    // a city seen with nothing held still gives its county a window holding the year shown
    rememberHeld('431300', 'CITY', null, { from: 2022, to: 2024 });
    expect(trendWindow('431321', 2024)).toEqual({ from: 2023, to: 2024 });
  });

  it('reads ?year= as a statistical year the API takes', () => {
    expect(parseYear('2024')).toBe(2024);
    expect(parseYear(['2023', '2024'])).toBe(2023);
    expect(parseYear('1948')).toBeNull();
    expect(parseYear('24')).toBeNull();
    expect(parseYear(undefined)).toBeNull();
  });
});
