// The sample agency directory loaded on first start, so a newcomer sees data: the governments
// of every region of 江苏省 and 湖南省, and at province and city level the departments whose
// 2018 reorganisation shows lineage (质监 → 市场监管, 安监 → 应急管理) plus 商务.
// Every row is written with data_origin = 'SAMPLE'; nothing here is presented as official.
// One transaction, which records EVERYTHING in the agencies' change log: a whole directory arrived.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChanges } from '../../../lib/cache/changeLog.ts';
import { EVERYTHING } from '../../../lib/cache/changes.ts';
import { allDivisions, type Division } from '../../../lib/regions/divisions.ts';
import { AgencySchema, type Agency } from '../entities/Agency.ts';
import { AgencyLineageSchema } from '../entities/AgencyLineage.ts';

export const SAMPLE_PROVINCES = ['320000', '430000'];
const REORGANISATION_YEAR = 2018;

function governmentName(region: Division, parent: Division | undefined): string {
  if (region.level === 'COUNTY' && parent?.level === 'CITY') return `${parent.name}${region.name}人民政府`;
  if (/(地区|盟)$/.test(region.name)) return `${region.name}行政公署`;
  return `${region.name}人民政府`;
}

/** Provincial departments are 厅 or 局 by name; a city's are all 局. */
function departments(region: Division) {
  const bureau = (provincial: string, local: string) => `${region.name}${region.level === 'PROVINCE' ? provincial : local}`;
  return {
    quality: { name: bureau('质量技术监督局', '质量技术监督局'), sector: 'QUALITY_SUPERVISION', activeTo: REORGANISATION_YEAR },
    market: { name: bureau('市场监督管理局', '市场监督管理局'), sector: 'MARKET_REGULATION', activeFrom: REORGANISATION_YEAR },
    workSafety: { name: bureau('安全生产监督管理局', '安全生产监督管理局'), sector: 'WORK_SAFETY', activeTo: REORGANISATION_YEAR },
    emergency: { name: bureau('应急管理厅', '应急管理局'), sector: 'EMERGENCY_MANAGEMENT', activeFrom: REORGANISATION_YEAR },
    commerce: { name: bureau('商务厅', '商务局'), sector: 'COMMERCE' },
  };
}

export async function loadSampleAgencies(em: EntityManager): Promise<number> {
  return em.transactional((tx) => writeSampleAgencies(tx));
}

async function writeSampleAgencies(em: EntityManager): Promise<number> {
  const divisions = allDivisions().filter((d) => SAMPLE_PROVINCES.includes(`${d.code.slice(0, 2)}0000`));
  const byCode = new Map(divisions.map((d) => [d.code, d]));
  const created: Agency[] = [];
  const lineage: [Agency, Agency][] = [];
  const add = (region: Division, spec: { name: string; sector: string; activeFrom?: number; activeTo?: number }) => {
    const agency = em.create(AgencySchema, {
      name: spec.name,
      regionCode: region.code,
      sectorCode: spec.sector,
      activeFrom: spec.activeFrom ?? null,
      activeTo: spec.activeTo ?? null,
      aliases: [],
      dataOrigin: 'SAMPLE',
    });
    created.push(agency);
    return agency;
  };

  for (const region of divisions) {
    const parent = region.parentCode ? byCode.get(region.parentCode) : undefined;
    const government = add(region, { name: governmentName(region, parent), sector: 'GOVERNMENT' });
    if (region.level === 'COUNTY' && parent?.level === 'CITY') government.aliases = [`${region.name}人民政府`];
    if (region.level === 'COUNTY') continue;
    const d = departments(region);
    lineage.push([add(region, d.quality), add(region, d.market)]);
    lineage.push([add(region, d.workSafety), add(region, d.emergency)]);
    add(region, d.commerce);
  }
  await em.flush();
  for (const [predecessor, successor] of lineage) {
    em.create(AgencyLineageSchema, {
      predecessorId: predecessor.id,
      successorId: successor.id,
      year: REORGANISATION_YEAR,
      kind: 'MERGED',
    });
  }
  await em.flush();
  await recordChanges(em, 'agencies', [EVERYTHING]);
  return created.length;
}
