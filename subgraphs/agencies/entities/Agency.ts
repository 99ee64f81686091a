import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export type DataOrigin = 'OFFICIAL' | 'SAMPLE' | 'SYNTHETIC';
/** PENDING_REVIEW: registered by ingestion from a name the extractor read, not yet confirmed by an editor. */
export type ReviewStatus = 'CONFIRMED' | 'PENDING_REVIEW';

export const AgencySchema = defineEntity({
  name: 'Agency',
  tableName: 'agency',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string(),
    aliases: p.array().$type<string[]>().default([]),
    sectorCode: p.string(),
    regionCode: p.string(),
    activeFrom: p.integer().nullable(),
    activeTo: p.integer().nullable(),
    dataOrigin: p.string().$type<DataOrigin>().default('OFFICIAL'),
    reviewStatus: p.string().$type<ReviewStatus>().default('CONFIRMED'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type Agency = InferEntity<typeof AgencySchema>;
