import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const AnnualReportSchema = defineEntity({
  name: 'AnnualReport',
  tableName: 'annual_report',
  properties: {
    id: p.integer().primary().autoincrement(),
    agencyId: p.integer(),
    regionCode: p.string(),
    year: p.integer(),
    version: p.integer().default(1),
    format: p.string().nullable(),
    publishedOn: p.date().nullable(),
    dataOrigin: p.string().default('OFFICIAL'),
    createdAt: p.datetime().onCreate(() => new Date()),
    supersededAt: p.datetime().nullable(),
  },
});

export type AnnualReport = InferEntity<typeof AnnualReportSchema>;
