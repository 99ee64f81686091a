// The gold annotations of ../shared/fixtures/reports, read where they live (never copied).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const fixturesDir = fileURLToPath(new URL('../../../shared/fixtures/reports/', import.meta.url));

export interface GoldReport {
  file: string;
  agencyName: string;
  regionCode: string | null;
  level: 'PROVINCE' | 'CITY' | 'COUNTY' | null;
  year: number | null;
  publishedOn: string[];
  format: string;
  figures: Record<string, number>;
}

export function goldReports(): GoldReport[] {
  return readdirSync(fixturesDir)
    .filter((name) => name.endsWith('.gold.json'))
    .sort()
    .flatMap((name) => {
      const gold = JSON.parse(readFileSync(`${fixturesDir}${name}`, 'utf8'));
      return gold.reports.map((report: Omit<GoldReport, 'file'>) => ({ file: gold.file, ...report }));
    });
}

export const goldReport = (file: string): GoldReport => goldReports().find((report) => report.file === file)!;
