// The sample annual reports loaded on first start: STD2021-format reports for 2022–2024 of the
// sample agencies in the directory, with plausible figures whose tables add up — except for a
// few deliberately late, missing or inconsistent ones, so that a newcomer sees the oversight
// flags at work. Every report is stored with data_origin = 'SAMPLE', through the same checks
// and storage as a real submission.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';
import { seededRandom, splitInteger } from '../../../lib/random.ts';
import { levelOfCode } from '../../../lib/regions/codes.ts';
import { APPLICANTS } from '../figures/vocabulary.ts';
import { reportDeadline, reporterKindOfSector } from '../oversight/deadlines.ts';
import { storeReport } from '../storage/storeReport.ts';
import { checkSubmission, type FigureInput } from '../storage/submission.ts';

const YEARS = [2022, 2023, 2024];
const MISSING_SHARE = 0.06;
const LATE_SHARE = 0.08;
const INCONSISTENT_SHARE = 0.03;
const SIZE_BY_LEVEL = { PROVINCE: 400, CITY: 150, COUNTY: 40 } as const;
const APPLICANT_WEIGHTS = [78, 12, 2, 2, 3, 3];
const OUTCOME_WEIGHTS = { granted: 45, partial: 10, denied: 5, unavailable: 25, notProcessed: 10, otherHandling: 5 };
const REASONS = {
  denied: ['stateSecret', 'otherLaw', 'securityStability', 'thirdParty', 'internalAffairs', 'processInfo', 'enforcementFiles', 'queryMatters'],
  unavailable: ['notHeld', 'needsCreation', 'unclear'],
  notProcessed: ['petition', 'duplicate', 'publications', 'abusive', 'confirmation'],
  otherHandling: ['noCorrection', 'feeUnpaid', 'other'],
} as const;

interface SampleAgency {
  id: number;
  region_code: string;
  sector_code: string;
  active_from: number | null;
  active_to: number | null;
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** One applicant column of the STD2021 application table, by figure key; its identities hold. */
function applicationColumn(random: () => number, received: number, carriedOver: number, carriedForward: number): Record<string, number> {
  const handled = received + carriedOver - carriedForward;
  const [granted, partial, ...groups] = splitInteger(handled, Object.values(OUTCOME_WEIGHTS), random);
  const column: Record<string, number> = {
    'applications.received': received,
    'applications.carriedOver': carriedOver,
    'applications.outcome.granted': granted!,
    'applications.outcome.partial': partial!,
    'applications.outcome.total': handled,
    'applications.carriedForward': carriedForward,
  };
  Object.entries(REASONS).forEach(([group, reasons], i) => {
    column[`applications.outcome.${group}`] = groups[i]!;
    splitInteger(groups[i]!, reasons.map(() => 1), random).forEach((value, j) => (column[`applications.${group}.${reasons[j]}`] = value));
  });
  return column;
}

function applicationFigures(random: () => number, size: number, carriedOver: number[]): { figures: FigureInput[]; carriedForward: number[] } {
  const received = splitInteger(Math.round(size * (0.6 + random() * 0.8)), APPLICANT_WEIGHTS, random);
  const carriedForward = received.map((r) => Math.round(r * 0.05 * random()));
  const columns = APPLICANTS.map((_, i) => applicationColumn(random, received[i]!, carriedOver[i]!, carriedForward[i]!));
  const figures: FigureInput[] = [];
  for (const key of Object.keys(columns[0]!)) {
    APPLICANTS.forEach((applicant, i) => figures.push({ key: `${key}@${applicant}`, value: columns[i]![key]! }));
    figures.push({ key, value: columns.reduce((sum, column) => sum + column[key]!, 0) });
  }
  return { figures, carriedForward };
}

function reviewFigures(random: () => number, size: number): FigureInput[] {
  const figures: FigureInput[] = [];
  const group = (prefix: string, total: number) => {
    const [upheld, corrected, other, pending] = splitInteger(total, [60, 10, 15, 15], random);
    figures.push(
      { key: `${prefix}.upheld`, value: upheld! },
      { key: `${prefix}.corrected`, value: corrected! },
      { key: `${prefix}.other`, value: other! },
      { key: `${prefix}.pending`, value: pending! },
      { key: `${prefix}.total`, value: total },
    );
    return [upheld!, corrected!, other!, pending!, total];
  };
  group('reconsideration', Math.round(size * 0.05 * random()));
  const direct = group('litigation.direct', Math.round(size * 0.03 * random()));
  const afterReview = group('litigation.afterReview', Math.round(size * 0.01 * random()));
  ['upheld', 'corrected', 'other', 'pending', 'total'].forEach((result, i) =>
    figures.push({ key: `litigation.${result}`, value: direct[i]! + afterReview[i]! }),
  );
  return figures;
}

export async function loadSampleReports(em: EntityManager): Promise<number> {
  const [existing] = await sql<{ any: boolean }>(em, `select exists (select 1 from reports.annual_report) as any`);
  if (existing!.any) return 0;
  const agencies = await sql<SampleAgency>(
    em,
    `select id, region_code, sector_code, active_from, active_to from directory.agency where data_origin = 'SAMPLE' order by id`,
  );
  let stored = 0;
  for (const agency of agencies) {
    const random = seededRandom(agency.id * 7919);
    const size = SIZE_BY_LEVEL[levelOfCode(agency.region_code)] * (agency.sector_code === 'GOVERNMENT' ? 2 : 1);
    let carriedOver = APPLICANTS.map(() => Math.round(random() * 3));
    let cumulative = Math.round(size * 40 * (1 + random()));
    for (const year of YEARS) {
      if ((agency.active_from ?? 0) > year || (agency.active_to ?? 9999) < year) continue;
      const applications = applicationFigures(random, size, carriedOver);
      carriedOver = applications.carriedForward;
      const proactiveTotal = Math.round(size * (3 + random() * 5));
      cumulative += proactiveTotal;
      if (random() < MISSING_SHARE) continue;
      const figures: FigureInput[] = [
        { key: 'proactive.total', value: proactiveTotal },
        { key: 'proactive.cumulative', value: cumulative },
        { key: 'fees.amount', value: Math.round(random() * 50) / 100 },
        ...applications.figures,
        ...reviewFigures(random, size),
      ];
      if (random() < INCONSISTENT_SHARE) {
        const broken = figures.find((f) => f.key === 'applications.outcome.total')!;
        broken.value += 1 + Math.floor(random() * 5);
      }
      const deadline = reportDeadline(year, reporterKindOfSector(agency.sector_code));
      const publishedOn = random() < LATE_SHARE ? addDays(deadline, 5 + Math.floor(random() * 60)) : addDays(deadline, -Math.floor(random() * 40));
      await storeReport(
        em,
        checkSubmission({ agencyId: agency.id, year, format: 'STD2021', publishedOn, figures }, 'SAMPLE'),
      );
      stored++;
    }
  }
  return stored;
}
