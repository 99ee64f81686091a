// The sizes `gongkai seed --synthetic --scale NAME` generates. `national` is the benchmark's
// dataset (docs/performance.md); `demo` is the size of the start-up sample (江苏 and 湖南, a few
// agencies per region, three years); `tiny` is for tests.
export interface Scale {
  name: string;
  /** Two-digit province prefixes; null: every province. */
  provinces: string[] | null;
  /** Agencies existing today per region of each level (seed/departments.ts; closed predecessors come on top). */
  agenciesPerRegion: { PROVINCE: number; CITY: number; COUNTY: number };
  /** Report years, both included. */
  reportYears: [number, number];
  tickets: number;
  /** Ticket years, both included (received times spread over them). */
  ticketYears: [number, number];
}

export const SCALES: Record<string, Scale> = {
  national: {
    name: 'national',
    provinces: null,
    agenciesPerRegion: { PROVINCE: 60, CITY: 50, COUNTY: 40 },
    reportYears: [2008, 2024],
    tickets: 10_000_000,
    ticketYears: [2023, 2024],
  },
  demo: {
    name: 'demo',
    provinces: ['32', '43'],
    agenciesPerRegion: { PROVINCE: 6, CITY: 6, COUNTY: 1 },
    reportYears: [2022, 2024],
    tickets: 3000,
    ticketYears: [2023, 2024],
  },
  tiny: {
    name: 'tiny',
    provinces: ['64'],
    agenciesPerRegion: { PROVINCE: 30, CITY: 26, COUNTY: 4 },
    reportYears: [2016, 2024],
    tickets: 2000,
    ticketYears: [2023, 2024],
  },
};
