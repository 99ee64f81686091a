// The change logs' guarantees as the writes see them — concurrent writers numbered in commit
// order without gaps, a rolled-back writer's number given to the next — and the bulk writes that
// replace everything: the synthetic seed records EVERYTHING in each owner's load; a restore
// copies the logs as they were, and the subgraphs record EVERYTHING when they start on them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { knownSchemas } from '../../cli/commands/restore.ts';
import { restoreBackup } from '../../lib/database/backup/restoreBackup.ts';
import { inspectBackup } from '../../lib/database/backup/readBackup.ts';
import { writeBackup } from '../../lib/database/backup/writeBackup.ts';
import { dropDatabase, ensureDatabase } from '../../lib/database/createDatabase.ts';
import { databaseUrl } from '../../lib/database/urls.ts';
import { SCALES } from '../../seed/scales.ts';
import { seedSynthetic } from '../../seed/seed.ts';
import { createAgency } from '../../subgraphs/agencies/directory/agencyWrites.ts';
import { SUBGRAPH_MODULES } from '../../subgraphs/modules.ts';
import { startSubgraph } from '../../lib/runtime/subgraph.ts';
import { newInternalKey } from '../../lib/auth/internalSignature.ts';
import type { SubgraphName } from '../../lib/config.ts';
import { lastGeneration, openSubgraph, query, recordedSince } from './changesRecordedSupport.ts';

let url: string;
let agencies: () => EntityManager;
beforeAll(async () => {
  url = await createTestDatabase();
  agencies = await openSubgraph(url, 'agencies');
});

/** Until a statement waits for the lock on the generation row (a writer recording behind another). */
async function waitForRecordingBlocked(): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [row] = await query<{ n: number }>(
      url,
      `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%cache_generation set value%'`,
    );
    if (row!.n > 0) return;
    if (Date.now() > deadline) throw new Error('the second writer never waited for the first');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const create = (em: EntityManager, name: string, regionCode: string) => createAgency(em, { name, regionCode, sector: 'COMMERCE' });

describe('the change logs under concurrent writers', () => {
  it('number writers in commit order without gaps: the second waits for the first, and takes back a rolled-back number', async () => {
    const before = await lastGeneration(url, 'agencies');

    const rolledBack = agencies();
    await rolledBack.begin();
    await create(rolledBack, '并发测试甲局', '430102');
    const waiting = create(agencies(), '并发测试乙局', '430103');
    await waitForRecordingBlocked();
    await rolledBack.rollback();
    await waiting;
    expect(await recordedSince(url, 'agencies', before)).toEqual([['w:430103@*']]);

    const committed = agencies();
    await committed.begin();
    await create(committed, '并发测试丙局', '430104');
    const next = create(agencies(), '并发测试丁局', '430105');
    await waitForRecordingBlocked();
    await committed.commit();
    await next;
    expect(await recordedSince(url, 'agencies', before)).toEqual([['w:430103@*'], ['w:430104@*'], ['w:430105@*']]);
    expect(await lastGeneration(url, 'agencies')).toBe(before + 3);
  });
});

describe('bulk writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-changes-'));
  const restored = databaseUrl(inject('pgServerUrl'), `gongkai_test_changes_restored_${process.pid}`);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(restored);
  });

  it('a restore copies the change logs as they were, and each subgraph records EVERYTHING when it starts on them', async () => {
    const backedUp = { agencies: await lastGeneration(url, 'agencies'), reports: await lastGeneration(url, 'reports'), hotline: await lastGeneration(url, 'hotline') };
    const file = join(dir, 'backup.sql');
    await writeBackup({ url, file });
    await ensureDatabase(restored);
    await restoreBackup({ url: restored, info: await inspectBackup(file), known: knownSchemas() });
    const internalKey = Buffer.from(newInternalKey(), 'base64');
    for (const module of SUBGRAPH_MODULES) {
      const schema = module.name as SubgraphName;
      expect(await lastGeneration(restored, schema), schema).toBe(backedUp[schema]);
      const running = await startSubgraph(module, { databaseUrl: restored, port: 0, internalKey, sampleData: false, log: () => {} });
      await running.close();
      expect(await recordedSince(restored, schema, backedUp[schema]), schema).toEqual([['*']]);
    }
  });

  it('the synthetic seed records EVERYTHING in each owner’s log', { timeout: 60_000 }, async () => {
    const before = { agencies: await lastGeneration(url, 'agencies'), reports: await lastGeneration(url, 'reports'), hotline: await lastGeneration(url, 'hotline') };
    await seedSynthetic({ databaseUrl: url, scale: SCALES.tiny!, reset: true });
    expect(await recordedSince(url, 'agencies', before.agencies)).toEqual([['*']]);
    expect(await recordedSince(url, 'reports', before.reports)).toEqual([['*']]);
    // its year rollups are refreshed from stale (computed from the tickets until then): nothing more
    expect(await recordedSince(url, 'hotline', before.hotline)).toEqual([['*']]);
    expect(await query(url, `select count(*)::int as n from hotline.year_rollup_state where refreshed_generation = generation`)).toEqual([{ n: 2 }]);
  });
});
