// The synthetic agency directory: for every region of the scale, its government and departments
// (seed/departments.ts) — N that exist today per level, and those the 2018 (and 2021)
// reorganisations closed, with their lineage.
// Ids are assigned here, in region order, so reports and tickets can name them without a
// round trip; the seed loads into an emptied table and moves the identity past them.
import type { Division } from '../lib/regions/divisions.ts';
import { DEPARTMENTS, type DepartmentTemplate } from './departments.ts';
import type { Scale } from './scales.ts';

export interface SyntheticAgency {
  id: number;
  name: string;
  sectorCode: string;
  regionCode: string;
  level: Division['level'];
  activeFrom: number | null;
  activeTo: number | null;
  /** Ids of the agencies it took over (same region). */
  predecessors: number[];
}

export interface SyntheticLineage {
  predecessorId: number;
  successorId: number;
  year: number;
  kind: 'MERGED' | 'RENAMED';
}

function governmentName(region: Division, parent: Division | undefined): string {
  if (region.level === 'COUNTY' && parent?.level === 'CITY') return `${parent.name}${region.name}人民政府`;
  if (/(地区|盟)$/.test(region.name)) return `${region.name}行政公署`;
  return `${region.name}人民政府`;
}

/**
 * The departments of a region with `current` agencies today: the first `current` of the list that
 * still exist, with the predecessors (closed in a reorganisation) of those among them — so a
 * county of 40 agencies also has the 10 or so its 2018 reorganisation closed.
 */
export function departmentsOf(current: number): (DepartmentTemplate | undefined)[] {
  let seen = 0;
  let end = 0;
  while (end < DEPARTMENTS.length && seen < current) if (DEPARTMENTS[end++]!.activeTo === undefined) seen++;
  // a predecessor comes with its successor only; the list keeps its indices (successor refers to them)
  return DEPARTMENTS.slice(0, end).map((d) => (d.successor === undefined || d.successor < end ? d : undefined));
}

export function scaleDivisions(scale: Scale, divisions: readonly Division[]): Division[] {
  return divisions.filter((d) => scale.provinces === null || scale.provinces.includes(d.code.slice(0, 2)));
}

export function syntheticAgencies(scale: Scale, divisions: readonly Division[]): { agencies: SyntheticAgency[]; lineage: SyntheticLineage[] } {
  const byCode = new Map(divisions.map((d) => [d.code, d]));
  const agencies: SyntheticAgency[] = [];
  const lineage: SyntheticLineage[] = [];
  for (const region of divisions) {
    const templates = departmentsOf(scale.agenciesPerRegion[region.level]);
    const ids: number[] = [];
    templates.forEach((template, index) => {
      if (!template) return;
      const id = agencies.length + 1;
      ids[index] = id;
      const name =
        index === 0
          ? governmentName(region, region.parentCode ? byCode.get(region.parentCode) : undefined)
          : `${region.name}${region.level === 'PROVINCE' ? template.provincial : template.local}`;
      agencies.push({
        id,
        name,
        sectorCode: template.sector,
        regionCode: region.code,
        level: region.level,
        activeFrom: template.activeFrom ?? null,
        activeTo: template.activeTo ?? null,
        predecessors: [],
      });
    });
    templates.forEach((template, index) => {
      if (!template || template.successor === undefined || ids[template.successor] === undefined) return;
      const successor = agencies[ids[template.successor]! - 1]!;
      successor.predecessors.push(ids[index]!);
      const merged = templates.filter((t) => t?.successor === template.successor).length > 1;
      lineage.push({ predecessorId: ids[index]!, successorId: successor.id, year: template.activeTo!, kind: merged ? 'MERGED' : 'RENAMED' });
    });
  }
  return { agencies, lineage };
}
