// Every write of the agencies subgraph records where it changed something in the agencies'
// change log, in its transaction: an agency's region(s) in every year, both ends of a lineage
// link, EVERYTHING for the sample and a changed region registry — and nothing for a write that
// was refused or changed nothing.
import type { EntityManager } from '@mikro-orm/postgresql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { confirmAgency, createAgency, updateAgency } from '../../subgraphs/agencies/directory/agencyWrites.ts';
import { loadSampleAgencies } from '../../subgraphs/agencies/sample/sampleAgencies.ts';
import { removeSampleAgencies } from '../../subgraphs/agencies/sample/removeSample.ts';
import { syncRegionRegistry } from '../../subgraphs/agencies/regions/syncRegionRegistry.ts';
import { lastGeneration, openSubgraph, query, recordedBy, recordedSince } from './changesRecordedSupport.ts';

let url: string;
let em: () => EntityManager;
beforeAll(async () => {
  url = await createTestDatabase();
  em = await openSubgraph(url, 'agencies');
});

const recorded = (write: () => Promise<unknown>) => recordedBy(url, 'agencies', write);

describe('the agencies change log', () => {
  it('records an agency created, edited, moved, linked and unlinked at its regions in every year', async () => {
    let first = 0;
    expect(await recorded(async () => (first = (await createAgency(em(), { name: '芙蓉区测试局', regionCode: '430102', sector: 'COMMERCE' })).id))).toEqual([
      ['w:430102@*'],
    ]);
    // a successor in another county: both ends of the link
    let second = 0;
    expect(
      await recorded(
        async () =>
          (second = (
            await createAgency(em(), {
              name: '天心区测试局',
              regionCode: '430103',
              sector: 'COMMERCE',
              predecessors: [{ predecessorId: String(first), year: 2020, kind: 'MERGED' }],
            })
          ).id),
      ),
    ).toEqual([['w:430102@*', 'w:430103@*']]);
    expect(await recorded(() => updateAgency(em(), first, { aliases: ['芙蓉测试局'] }))).toEqual([['w:430102@*']]);
    // a move: the region it leaves and the one it enters
    expect(await recorded(() => updateAgency(em(), first, { regionCode: '430104' }))).toEqual([['w:430102@*', 'w:430104@*']]);
    // the same values again, and the same links again: nothing changed, nothing recorded
    expect(await recorded(() => updateAgency(em(), first, { regionCode: '430104', aliases: ['芙蓉测试局'] }))).toEqual([]);
    expect(await recorded(() => updateAgency(em(), second, { predecessors: [{ predecessorId: String(first), year: 2020, kind: 'MERGED' }] }))).toEqual([]);
    // unlinked: the successor and the predecessor, now in 430104
    expect(await recorded(() => updateAgency(em(), second, { predecessors: [] }))).toEqual([['w:430103@*', 'w:430104@*']]);
    // a county's agency moved to its city: the hotline's figures by level of every region whose
    // tickets went to it change, which no region's change reaches
    expect(await recorded(() => updateAgency(em(), first, { regionCode: '430100' }))).toEqual([['*']]);
  });

  it('records a confirmation once, and nothing for a write that was refused', async () => {
    let pending = 0;
    await recorded(async () => (pending = (await createAgency(em(), { name: '雨花区测试局', regionCode: '430111', sector: 'COMMERCE' }, { reviewStatus: 'PENDING_REVIEW' })).id));
    expect(await recorded(() => confirmAgency(em(), pending))).toEqual([['w:430111@*']]);
    expect(await recorded(() => confirmAgency(em(), pending))).toEqual([]);

    const before = await lastGeneration(url, 'agencies');
    await expect(createAgency(em(), { name: '雨花区测试局', regionCode: '430111', sector: 'COMMERCE' })).rejects.toMatchObject({
      extensions: { code: 'DUPLICATE_AGENCY_NAME' },
    });
    // refused by jurisdiction after the checks, before anything is written
    await expect(
      updateAgency(em(), pending, { regionCode: '320102' }, { authorize: (code) => { if (code === '320102') throw new Error('FORBIDDEN'); } }),
    ).rejects.toThrow('FORBIDDEN');
    expect(await lastGeneration(url, 'agencies')).toBe(before);
    expect(await recordedSince(url, 'agencies', before)).toEqual([]);
  });

  it('records EVERYTHING for the sample directory loaded and removed, and for a changed region registry only', async () => {
    expect(await recorded(() => loadSampleAgencies(em()))).toEqual([['*']]);
    expect(await recorded(() => removeSampleAgencies(em(), []))).toEqual([['*']]);
    // a second removal finds nothing to remove
    expect(await recorded(() => removeSampleAgencies(em(), []))).toEqual([]);

    expect(await recorded(() => syncRegionRegistry(em()))).toEqual([]);
    await query(url, `update agencies.region set name = '旧名' where code = '430102'`);
    expect(await recorded(() => syncRegionRegistry(em()))).toEqual([['*']]);
  });
});
