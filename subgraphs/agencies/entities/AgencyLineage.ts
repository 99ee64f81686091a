import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export type LineageKind = 'MERGED' | 'RENAMED' | 'SPLIT';

export const AgencyLineageSchema = defineEntity({
  name: 'AgencyLineage',
  tableName: 'agency_lineage',
  properties: {
    predecessorId: p.integer().primary(),
    successorId: p.integer().primary(),
    year: p.integer(),
    kind: p.string().$type<LineageKind>(),
  },
});

export type AgencyLineage = InferEntity<typeof AgencyLineageSchema>;
