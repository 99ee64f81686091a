// Synthetic annual reports: for every agency and every year it was active, a report with the
// figures of the tables a rollup or a drill-down reads (the total column; docs/performance.md
// lists the keys), published on time or late, missing in some years, and now and then
// inconsistent — with the flags, `is_late`, `flag_count` and headline columns the reports
// subgraph's own code computes from those figures (its checks and headline functions are
// called here), so the data look exactly as if each report had been submitted.
//
// Deterministic: each agency draws from its own seeded PRNG, so the same scale and seed give the
// same rows, in the same order, on every machine — and every pass over the generator (one per
// table loaded) sees the same reports.
import { createHash } from 'node:crypto';
import { seededRandom, splitInteger } from '../lib/random.ts';
import { headlineOf, type Headline } from '../subgraphs/reports/figures/headline.ts';
import { crossYearChecks, type PreviousReport } from '../subgraphs/reports/oversight/crossYearChecks.ts';
import { isLate, reportDeadline, reporterKindOfSector } from '../subgraphs/reports/oversight/deadlines.ts';
import { SEVERITY_RANK, type OversightFlag } from '../subgraphs/reports/oversight/flag.ts';
import { tableChecks } from '../subgraphs/reports/oversight/tableChecks.ts';
import { timelinessChecks } from '../subgraphs/reports/oversight/timelinessChecks.ts';
import type { SyntheticAgency } from './agencies.ts';
import type { Scale } from './scales.ts';

export interface SyntheticReport {
  id: number;
  agencyId: number;
  agencyName: string;
  regionCode: string;
  year: number;
  version: number;
  format: 'PRE2019_TABLE' | 'STD2019' | 'STD2021';
  publishedOn: string | null;
  contentHash: string;
  correctionNote: string | null;
  submittedAt: string;
  supersededAt: string | null;
  headline: Headline;
  isLate: boolean | null;
  flagCount: number;
  figures: Map<string, number>;
  flags: OversightFlag[];
}

const SIZE_BY_LEVEL = { PROVINCE: 260, CITY: 110, COUNTY: 28 } as const;
const BUSY_SECTORS: Record<string, number> = { GOVERNMENT: 2.5, NATURAL_RESOURCES: 2.2, HOUSING: 2, PUBLIC_SECURITY: 1.6, HUMAN_RESOURCES: 1.3 };
/** Shares that fall over the years as the 条例 took hold: 2008 → 2024. */
const across = (year: number, first: number, last: number) => first + ((last - first) * (year - 2008)) / 16;
const MISSING = (year: number) => across(year, 0.1, 0.02);
const LATE = (year: number) => across(year, 0.3, 0.06);
const UNKNOWN_DATE = 0.015;
const INCONSISTENT = 0.02;
const REVIEW_INCONSISTENT = 0.005;
const CHAIN_BREAK = 0.01;
const CUMULATIVE_DROP = 0.005;
const CORRECTED = 0.01;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A standard normal draw (Box–Muller) from the seeded stream. */
const gaussian = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** A 32-bit seed from text (FNV-1a): one PRNG stream per agency, ticket region… */
export function seedOf(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const c of parts.join('/')) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

interface AgencyYear {
  report: SyntheticReport;
}

function formatOf(year: number): SyntheticReport['format'] {
  return year <= 2018 ? 'PRE2019_TABLE' : year <= 2020 ? 'STD2019' : 'STD2021';
}

function reviewGroup(random: () => number, prefix: string, total: number, out: Map<string, number>) {
  const [upheld, corrected, other, pending] = splitInteger(total, [60, 12, 13, 15], random);
  out.set(`${prefix}.total`, total);
  out.set(`${prefix}.upheld`, upheld!);
  out.set(`${prefix}.corrected`, corrected!);
  out.set(`${prefix}.other`, other!);
  out.set(`${prefix}.pending`, pending!);
}

/**
 * Every report of the agencies of one region, in agency then year order (predecessors before
 * successors, as seed/departments.ts orders them). `nextId` numbers the stored versions.
 */
export function* regionReports(scale: Scale, agencies: readonly SyntheticAgency[], seed: number, nextId: () => number): Generator<SyntheticReport> {
  const filed = new Map<number, Map<number, SyntheticReport>>();
  const [firstYear, lastYear] = scale.reportYears;
  for (const agency of agencies) {
    const random = seededRandom(seedOf(seed, 'reports', agency.id));
    const reporter = reporterKindOfSector(agency.sectorCode);
    const own = new Map<number, SyntheticReport>();
    filed.set(agency.id, own);
    const scaleFactor = SIZE_BY_LEVEL[agency.level] * (BUSY_SECTORS[agency.sectorCode] ?? 1) * Math.exp(0.6 * gaussian(random));
    const negligent = random() < 0.08; // some agencies miss and delay far more often than others
    const denialBias = 0.5 + random();
    for (let year = Math.max(firstYear, agency.activeFrom ?? 0); year <= Math.min(lastYear, agency.activeTo ?? 9999); year++) {
      // every draw is made whether or not the report is filed, so that one choice does not shift the others
      const missing = random() < MISSING(year) * (negligent ? 5 : 1);
      const growth = 0.35 + (0.65 * (year - 2008)) / 16;
      const size = scaleFactor * growth * (0.8 + 0.4 * random());
      const previousOwn = own.get(year - 1);
      const previousReport =
        previousOwn ??
        agency.predecessors
          .map((id) => filed.get(id)?.get(year - 1))
          .filter((r): r is SyntheticReport => r !== undefined)
          .sort((a, b) => a.agencyId - b.agencyId)[0];
      const standard = year >= 2019;
      const figures = new Map<string, number>();
      const received = Math.round(size * (0.7 + 0.6 * random()));
      const previousForward = previousReport?.figures.get('applications.carriedForward');
      let carriedOver = previousForward ?? Math.round(received * 0.03 * random());
      if (random() < CHAIN_BREAK && previousForward !== undefined) carriedOver += 1 + Math.floor(random() * 5);
      const carriedForward = Math.round(received * 0.06 * random());
      const handled = received + carriedOver - carriedForward;
      const [granted, partial, denied, unavailable, notProcessed, otherHandling] = splitInteger(
        handled,
        [48, 9, 6 * denialBias, 22, 10, 5],
        random,
      );
      const proactive = Math.round(size * (4 + 8 * random()));
      const previousCumulative = previousReport?.figures.get('proactive.cumulative');
      let cumulative = (previousCumulative ?? Math.round(proactive * (3 + 6 * random()))) + proactive;
      if (random() < CUMULATIVE_DROP && previousCumulative !== undefined) cumulative = Math.round(previousCumulative * 0.8);
      figures.set('proactive.total', proactive);
      figures.set('proactive.cumulative', cumulative);
      figures.set('applications.received', received);
      if (standard) figures.set('applications.carriedOver', carriedOver);
      figures.set('applications.outcome.granted', granted!);
      figures.set('applications.outcome.partial', partial!);
      figures.set('applications.outcome.denied', denied!);
      figures.set('applications.outcome.unavailable', unavailable!);
      figures.set('applications.outcome.notProcessed', notProcessed!);
      figures.set('applications.outcome.otherHandling', otherHandling!);
      figures.set('applications.outcome.total', handled);
      if (standard) figures.set('applications.carriedForward', carriedForward);
      reviewGroup(random, 'reconsideration', Math.round(size * 0.04 * random()), figures);
      reviewGroup(random, 'litigation', Math.round(size * 0.025 * random()), figures);
      figures.set('fees.amount', random() < 0.85 ? 0 : Math.round(random() * 2000) / 100);
      const inconsistent = random() < INCONSISTENT;
      const offBy = 1 + Math.floor(random() * 5);
      if (inconsistent) figures.set('applications.outcome.total', handled + offBy);
      const reviewInconsistent = random() < REVIEW_INCONSISTENT;
      if (reviewInconsistent) figures.set('litigation.total', figures.get('litigation.total')! + 1);

      const deadline = reportDeadline(year, reporter);
      const late = random() < LATE(year) * (negligent ? 3 : 1);
      const daysLate = 1 + Math.floor(random() ** 2 * 150);
      const daysEarly = Math.floor(random() * 60);
      const unknownDate = random() < UNKNOWN_DATE;
      const corrected = random() < CORRECTED;
      if (missing) continue;
      const firstDay = `${year + 1}-01-02`;
      const onTime = addDays(deadline, -daysEarly);
      const publishedOn = unknownDate ? null : late ? addDays(deadline, daysLate) : onTime < firstDay ? firstDay : onTime;
      const submittedAt = `${publishedOn ?? `${year + 1}-06-30`}T10:00:00+08:00`;

      const build = (values: Map<string, number>, version: number, checkTables: boolean, extra: Partial<SyntheticReport>): SyntheticReport => {
        const previous: PreviousReport | null = previousReport
          ? { id: previousReport.id, year: previousReport.year, figures: previousReport.figures, text: null }
          : null;
        const flags = [
          // a report generated consistent passes the table checks by construction (tests/seed proves it)
          ...(checkTables ? tableChecks(values) : []),
          ...timelinessChecks(year, reporter, publishedOn),
          ...crossYearChecks(values, null, previous),
        ];
        return {
          id: nextId(),
          agencyId: agency.id,
          agencyName: agency.name,
          regionCode: agency.regionCode,
          year,
          version,
          format: formatOf(year),
          publishedOn,
          contentHash: createHash('sha256').update(JSON.stringify([agency.id, year, version, [...values]])).digest('hex'),
          correctionNote: null,
          submittedAt,
          supersededAt: null,
          headline: headlineOf(values),
          isLate: isLate(year, reporter, publishedOn),
          flagCount: flags.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.WARNING).length,
          figures: values,
          flags,
          ...extra,
        };
      };
      if (corrected && !inconsistent) {
        // first published with an unbalanced table, corrected a month later
        const wrong = new Map(figures);
        wrong.set('applications.outcome.total', handled + offBy);
        const correctedAt = `${addDays((publishedOn ?? `${year + 1}-06-30`), 30)}T10:00:00+08:00`;
        yield build(wrong, 1, true, { supersededAt: correctedAt });
        const report = build(figures, 2, reviewInconsistent, { correctionNote: '更正办理结果总计', submittedAt: correctedAt });
        own.set(year, report);
        yield report;
      } else {
        const report = build(figures, 1, inconsistent || reviewInconsistent, {});
        own.set(year, report);
        yield report;
      }
    }
  }
}

export type { AgencyYear };
