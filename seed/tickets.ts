// Synthetic hotline tickets: spread over the regions of the scale in proportion to a seeded
// "population" weight (most coded to counties, some to cities and provinces), received evenly
// over the ticket years, dispatched to agencies of the region, its city or its province (8 %
// undispatched), with due times, resolutions (some late, some still open), callback ratings and
// returned tickets — the shape of the start-up sample, at any size.
//
// Personal data: callers are made up, and stored encrypted with the hotline subgraph's own
// crypto module and key, like imported data. Encrypting 3 values per ticket costs ~40 µs
// (measured), 7 minutes of one core for 10 million tickets; the seed therefore encrypts a pool
// of 1024 made-up callers and texts once per run and reuses those ciphertexts, which decrypt
// and mask like any other (docs/performance.md).
import { pick, seededRandom, weighted } from '../lib/random.ts';
import { levelOfCode } from '../lib/regions/codes.ts';
import type { Division } from '../lib/regions/divisions.ts';
import { encryptPersonal, phoneMac } from '../subgraphs/hotline/personalData/crypto.ts';
import type { SyntheticAgency } from './agencies.ts';
import { seedOf } from './reports.ts';
import type { Scale } from './scales.ts';
import { CATEGORIES, CHANNELS, DISPATCH, GIVEN, LINES, SATISFACTION, SURNAMES, TOPICS, madeUpTimeline } from '../subgraphs/hotline/sample/madeUpContent.ts';

export interface SyntheticTicket {
  id: number;
  lineCode: string;
  platformId: string;
  channelCode: string;
  categoryCode: string;
  topic: string;
  regionCode: string;
  agencyId: number | null;
  dispatchMode: 'DIRECT' | 'REFERRED' | null;
  receivedAt: Date;
  dispatchedAt: Date | null;
  dueAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  status: string;
  satisfaction: string | null;
  callerNameEnc: Buffer | null;
  callerPhoneEnc: Buffer | null;
  callerPhoneMac: Buffer | null;
  contentEnc: Buffer | null;
  events: { status: string; at: Date }[];
}

const MINUTE = 60_000;


const POOL = 1024;

interface Caller {
  name: Buffer | null;
  phone: Buffer | null;
  mac: Buffer | null;
}

/** Made-up callers and texts, encrypted once per run with the hotline's key. */
function personalDataPool(seed: number) {
  const random = seededRandom(seedOf(seed, 'callers'));
  const callers: Caller[] = Array.from({ length: POOL }, () => {
    const name = `${pick(random, SURNAMES)}${pick(random, GIVEN)}${random() < 0.5 ? pick(random, GIVEN) : ''}`;
    const phone = `1${pick(random, ['38', '39', '58', '86', '77'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    return { name: encryptPersonal('caller_name', name), phone: encryptPersonal('caller_phone', phone), mac: phoneMac(phone) };
  });
  const texts = new Map(
    Object.values(TOPICS)
      .flat()
      .map((topic) => [topic, encryptPersonal('content', `关于${topic}的诉求：请有关部门核实处理。（合成数据，非真实来电）`)]),
  );
  return { callers, texts };
}

/** How many tickets each region's own code gets: largest remainder over seeded weights. */
export function ticketCounts(scale: Scale, divisions: readonly Division[], seed: number): Map<string, number> {
  const weight = new Map<string, number>();
  const childrenOf = new Map<string, Division[]>();
  for (const d of divisions) if (d.parentCode) childrenOf.set(d.parentCode, [...(childrenOf.get(d.parentCode) ?? []), d]);
  const lognormal = (code: string) => {
    const random = seededRandom(seedOf(seed, 'weight', code));
    return Math.exp(0.7 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
  };
  for (const d of divisions) if (d.level === 'COUNTY') weight.set(d.code, lognormal(d.code));
  for (const d of divisions) {
    if (d.level !== 'CITY') continue;
    const below = (childrenOf.get(d.code) ?? []).reduce((sum, c) => sum + weight.get(c.code)!, 0);
    weight.set(d.code, below > 0 ? 0.14 * below : 3 * lognormal(d.code));
  }
  for (const d of divisions) {
    if (d.level !== 'PROVINCE') continue;
    const below = divisions.filter((x) => x.code !== d.code && x.code.startsWith(d.code.slice(0, 2))).reduce((sum, x) => sum + weight.get(x.code)!, 0);
    weight.set(d.code, 0.03 * below);
  }
  const total = [...weight.values()].reduce((a, b) => a + b, 0);
  const exact = divisions.map((d) => ({ code: d.code, share: (scale.tickets * weight.get(d.code)!) / total }));
  const counts = new Map(exact.map((e) => [e.code, Math.floor(e.share)]));
  let rest = scale.tickets - [...counts.values()].reduce((a, b) => a + b, 0);
  for (const e of [...exact].sort((a, b) => b.share - Math.floor(b.share) - (a.share - Math.floor(a.share)) || a.code.localeCompare(b.code))) {
    if (rest-- <= 0) break;
    counts.set(e.code, counts.get(e.code)! + 1);
  }
  return counts;
}

/** Every ticket, region by region in code order; ids from 1. */
export function* syntheticTickets(
  scale: Scale,
  divisions: readonly Division[],
  agencies: readonly SyntheticAgency[],
  seed: number,
): Generator<SyntheticTicket> {
  const counts = ticketCounts(scale, divisions, seed);
  const pool = personalDataPool(seed);
  const [firstYear, lastYear] = scale.ticketYears;
  const active = new Map<string, SyntheticAgency[]>();
  for (const a of agencies) {
    if ((a.activeTo ?? 9999) < firstYear || (a.activeFrom ?? 0) > lastYear) continue;
    active.set(a.regionCode, [...(active.get(a.regionCode) ?? []), a]);
  }
  const start = Date.parse(`${firstYear}-01-01T00:00:00+08:00`);
  const minutes = (Date.parse(`${lastYear + 1}-01-01T00:00:00+08:00`) - start) / MINUTE;
  let id = 0;
  for (const region of divisions) {
    const count = counts.get(region.code) ?? 0;
    const random = seededRandom(seedOf(seed, 'tickets', region.code));
    const level = levelOfCode(region.code);
    const cityCode = `${region.code.slice(0, 4)}00`;
    const provinceCode = `${region.code.slice(0, 2)}0000`;
    for (let i = 0; i < count; i++) {
      id++;
      const lineCode = weighted(random, LINES);
      const categoryCode = weighted(random, CATEGORIES);
      const channelCode = weighted(random, CHANNELS);
      const topic = pick(random, TOPICS[categoryCode]!);
      const receivedAt = new Date(start + Math.floor(random() * minutes) * MINUTE);
      const to = weighted(random, DISPATCH);
      const candidates =
        to === 'own'
          ? active.get(region.code)
          : to === 'city' && level === 'COUNTY'
            ? active.get(cityCode)
            : to === 'province' || (to === 'city' && level !== 'COUNTY')
              ? active.get(provinceCode)
              : undefined;
      const agency = candidates && candidates.length > 0 ? pick(random, candidates) : null;
      const { dueAt, resolvedAt, closedAt, dispatchedAt, status, events } = madeUpTimeline(random, {
        receivedAt,
        categoryCode,
        dispatched: agency !== null,
        resolvedShare: 0.9,
      });
      const rated = resolvedAt !== null && random() < 0.8;
      const satisfaction = rated ? weighted(random, SATISFACTION) : null;
      const caller = random() < 0.15 ? null : pool.callers[Math.floor(random() * POOL)]!; // some callers stay anonymous
      yield {
        id,
        lineCode,
        platformId: `SYN-${region.code}-${String(i + 1).padStart(7, '0')}`,
        channelCode,
        categoryCode,
        topic,
        regionCode: region.code,
        agencyId: agency?.id ?? null,
        dispatchMode: agency ? (agency.regionCode === region.code ? 'DIRECT' : 'REFERRED') : null,
        receivedAt,
        dispatchedAt,
        dueAt,
        resolvedAt,
        closedAt,
        status,
        satisfaction,
        callerNameEnc: caller?.name ?? null,
        callerPhoneEnc: caller?.phone ?? null,
        callerPhoneMac: caller?.mac ?? null,
        contentEnc: pool.texts.get(topic) ?? null,
        events,
      };
    }
  }
}
