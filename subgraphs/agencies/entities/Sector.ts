import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const SectorSchema = defineEntity({
  name: 'Sector',
  tableName: 'sector',
  properties: {
    code: p.string().primary(),
    name: p.string(),
    position: p.integer(),
  },
});

export type Sector = InferEntity<typeof SectorSchema>;
