// Composition runs in a worker thread, not on the gateway's event loop (issue 16: reloads stalled
// the gateway): the event loop keeps turning while a large composition runs, the worker's result
// is the in-thread composition's, and a composition that fails comes back as the same report.
import { readFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { assessRegistration } from '../../gateway/registry/checks.ts';
import { composeGraphAfresh, compositionsComposedHere, forgetRecentCompositions } from '../../gateway/registry/compose.ts';
import { composeInWorker, compositionWorkerState, precomposeRegistration, stopCompositionWorker } from '../../gateway/registry/composeWorker.ts';
import type { MunicipalDefinition } from '../../gateway/registry/store.ts';

const EXAMPLE = readFileSync(new URL('../../examples/city-hotline/schema.graphql', import.meta.url), 'utf8');
const EXAMPLE_V2 = readFileSync(new URL('../../examples/city-hotline/schema-v2.graphql', import.meta.url), 'utf8');
const HEADER = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n';

const city = (sdl: string, url = 'http://localhost:1/graphql'): MunicipalDefinition => ({ name: 'city_hotline', url, ownerRegion: '430100', sdl, address: '127.0.0.1' });

/** Many subgraphs, each extending Region and Agency with types of its own: a composition that takes a while. */
const manySubgraphs = (count: number, tag: string): MunicipalDefinition[] =>
  Array.from({ length: count }, (_, i) => ({
    name: `county_${tag}_${i}`,
    url: `http://localhost:${2000 + i}/graphql`,
    ownerRegion: '430100',
    address: '127.0.0.1',
    sdl: `${HEADER}
      type Region @key(fields: "code") { code: ID! county${i}Figures(year: Int): County${i}Figures county${i}Offices: [County${i}Office!] }
      type Agency @key(fields: "id") { id: ID! county${i}Rating: Float }
      type County${i}Figures { year: Int! permits: Int complaints: Int resolvedRate: Float office: County${i}Office }
      type County${i}Office { name: String! address: String phone: String hours: [String!] kind: County${i}OfficeKind }
      enum County${i}OfficeKind { HALL KIOSK ONLINE }
      type Query { county${i}Office(name: String!): County${i}Office }`,
  }));

afterAll(() => stopCompositionWorker());

describe('composition in a worker thread', () => {
  it('leaves the event loop free while it composes, and composes nothing on it', async () => {
    const subgraphs = manySubgraphs(12, `loop${process.pid}`);
    const composedHere = compositionsComposedHere();
    const inWorker = compositionWorkerState().composed;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const composed = await composeInWorker(subgraphs);
      expect(composed.ok).toBe(true);
    } finally {
      clearInterval(timer);
    }
    // a composition on this thread would have let no timer run until it returned
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(compositionsComposedHere()).toBe(composedHere);
    expect(compositionWorkerState()).toEqual({ running: true, composed: inWorker + 1 });
  });

  it('gives what the composition on this thread gives: the same supergraph and API schema', async () => {
    const subgraphs = [city(EXAMPLE, `http://localhost:3/graphql?same=${process.pid}`), ...manySubgraphs(2, `same${process.pid}`)];
    forgetRecentCompositions();
    const fromWorker = await composeInWorker(subgraphs);
    const here = composeGraphAfresh(subgraphs);
    expect(fromWorker.ok && here.ok).toBe(true);
    if (!fromWorker.ok || !here.ok) return;
    expect(fromWorker.supergraphSdl).toBe(here.supergraphSdl);
    expect(printSchema(fromWorker.apiSchema)).toBe(printSchema(here.apiSchema));
  });

  it('prepares both graphs a registration compares, so that its checks compose nothing here, with the same verdict', async () => {
    const current = [city(EXAMPLE, `http://localhost:4/graphql?ok=${process.pid}`)];
    const candidate = { ...city(EXAMPLE, `http://localhost:5/graphql?ok=${process.pid}`), sdl: EXAMPLE.replace('website: String', 'website: String\n  fax: String') };
    const inThread = assessRegistration(candidate, current);
    forgetRecentCompositions();
    await precomposeRegistration(candidate, current);
    const composedHere = compositionsComposedHere();
    const prepared = assessRegistration(candidate, current);
    expect(compositionsComposedHere()).toBe(composedHere);
    expect(inThread.ok && prepared.ok).toBe(true);
    if (inThread.ok && prepared.ok) expect(prepared.composed.supergraphSdl).toBe(inThread.composed.supergraphSdl);
  });

  it('reports a composition failure in the worker as the same COMPOSITION_FAILED report', async () => {
    const current = [city(EXAMPLE, `http://localhost:6/graphql?fail=${process.pid}`)];
    const candidate = city(EXAMPLE_V2, `http://localhost:7/graphql?fail=${process.pid}`);
    const inThread = assessRegistration(candidate, current);
    forgetRecentCompositions();
    const inWorker = compositionWorkerState().composed;
    await precomposeRegistration(candidate, current);
    expect(compositionWorkerState().composed).toBe(inWorker + 2);
    const composedHere = compositionsComposedHere();
    const fromWorker = assessRegistration(candidate, current);
    expect(compositionsComposedHere()).toBe(composedHere);
    expect(inThread.ok || fromWorker.ok).toBe(false);
    if (inThread.ok || fromWorker.ok) return;
    expect(fromWorker.error.extensions.code).toBe('COMPOSITION_FAILED');
    expect(fromWorker.error.message).toBe(inThread.error.message);
    expect(fromWorker.error.extensions).toEqual(inThread.error.extensions);
    expect(fromWorker.error.message).toContain('Region.code');
  });

  it('a worker stopped mid-composition fails the composition with a one-line error, and the next one starts a new worker', async () => {
    const failed = expect(composeInWorker(manySubgraphs(12, `stop${process.pid}`))).rejects.toThrow(/^composition stopped: its worker thread was stopped; the current graph is unchanged$/);
    await stopCompositionWorker();
    await failed;
    const composed = await composeInWorker([city(EXAMPLE, `http://localhost:8/graphql?again=${process.pid}`)]);
    expect(composed.ok).toBe(true);
    expect(compositionWorkerState().running).toBe(true);
  });
});
