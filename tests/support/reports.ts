// Helpers for tests that file reports through the gateway.
import type { TestHub } from './hub.ts';
import { ADMIN } from './auth.ts';
import { sectorOfName } from '../../subgraphs/agencies/directory/sectorOfName.ts';

export async function createAgency(hub: TestHub, name: string, regionCode: string, extra: Record<string, unknown> = {}): Promise<string> {
  const sector = sectorOfName(name.replace(/（.*）$/, ''));
  const { data, errors } = await hub.query(
    'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { id } }',
    { input: { name, regionCode, sector, ...extra } },
    ADMIN,
  );
  if (errors) throw new Error(`createAgency ${name}: ${JSON.stringify(errors)}`);
  return data.createAgency.id;
}

export const SUBMIT = `mutation ($input: SubmitAnnualReportInput!) {
  submitAnnualReport(input: $input) { outcome report { id version isCurrent flags { code severity message figures { key value } } } }
}`;

export const figureList = (figures: Record<string, number>) => Object.entries(figures).map(([key, value]) => ({ key, value }));

export async function submit(hub: TestHub, input: Record<string, unknown>) {
  return hub.query(SUBMIT, { input }, ADMIN);
}
