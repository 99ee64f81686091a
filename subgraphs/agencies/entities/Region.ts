import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { RegionLevel } from '../../../lib/regions/divisions.ts';

export const RegionSchema = defineEntity({
  name: 'Region',
  tableName: 'region',
  properties: {
    code: p.string().primary(),
    name: p.string(),
    level: p.string().$type<RegionLevel>(),
    parentCode: p.string().nullable(),
  },
});

export type Region = InferEntity<typeof RegionSchema>;
