// The checks a municipal subgraph passes before it joins the graph, one by one, and who may
// register one (docs/subgraphs.md, docs/security.md).
import { readFileSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessRegistration, checkMunicipalSdl, keyChanges } from '../../gateway/registry/checks.ts';
import { registerSubgraph } from '../../gateway/registry/operations.ts';
import { openRegistryDatabase } from '../../gateway/registry/store.ts';
import type { Identity } from '../../lib/auth/identity.ts';
import { createTestDatabase } from '../support/database.ts';

const EXAMPLE = readFileSync(new URL('../../examples/city-hotline/schema.graphql', import.meta.url), 'utf8');
const HEADER = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@override", "@external"])\n';
const codes = (problems: { code: string }[]) => problems.map((p) => p.code);
const city = (sdl: string) => ({ name: 'city_hotline', url: 'http://localhost:1/graphql', ownerRegion: '430100', sdl });

describe('the rules for municipal SDL', () => {
  it('accepts the example', () => {
    expect(checkMunicipalSdl('city_hotline', EXAMPLE)).toEqual([]);
  });

  it('refuses a non-null field on Region, Agency or Query', () => {
    const problems = checkMunicipalSdl('city', `${HEADER}
      type Region @key(fields: "code") { code: ID! cityHotline: Int! }
      type Agency @key(fields: "id") { id: ID! rating: Float }
      type Query { cityNews: [String!]! }`);
    expect(codes(problems)).toEqual(['NON_NULL_FIELD', 'NON_NULL_FIELD']);
    expect(problems[0]!.message).toContain('Region.cityHotline must be nullable');
    expect(problems[1]!.message).toContain('Query.cityNews');
  });

  it("refuses a field the hub resolves, with or without @override", () => {
    const problems = checkMunicipalSdl('city', `${HEADER}
      type Region @key(fields: "code") { code: ID! name: String children: [Region!]! @override(from: "agencies") }`);
    expect(codes(problems)).toEqual(['HUB_FIELD_CLAIMED', 'HUB_FIELD_OVERRIDE']);
    expect(problems[0]!.message).toBe("Region.name is resolved by the hub's agencies subgraph; a municipal subgraph may declare only the key fields and fields of its own");
  });

  it('allows extending only Region and Agency, by their own keys', () => {
    expect(codes(checkMunicipalSdl('city', `${HEADER} type AnnualReport @key(fields: "id") { id: ID! note: String }`))).toEqual(['HUB_TYPE_EXTENDED']);
    expect(codes(checkMunicipalSdl('city', `${HEADER} type Region @key(fields: "name") { name: String! extra: Int }`))).toContain('KEY_MISMATCH');
    expect(codes(checkMunicipalSdl('agencies', EXAMPLE))).toEqual(['RESERVED_NAME']);
  });

  it('notices a changed @key on re-registration', () => {
    const before = `${HEADER} type Permit @key(fields: "id") { id: ID! }`;
    const after = `${HEADER} type Permit @key(fields: "number") { number: ID! }`;
    expect(keyChanges(before, after)).toEqual([{ code: 'KEY_CHANGED', message: 'the @key of Permit changed from id to number' }]);
    expect(keyChanges(before, before)).toEqual([]);
  });
});

describe('assessing a registration against the graph served', () => {
  it('composes the example with the hub', () => {
    const assessment = assessRegistration(city(EXAMPLE), []);
    expect(assessment.ok).toBe(true);
    if (assessment.ok) expect(assessment.composed.supergraphSdl).toContain('cityHotline: CityHotlineFigures');
  });

  it('refuses a retyped field as a breaking change', () => {
    const retyped = EXAMPLE.replace('cityHotline: CityHotlineFigures', 'cityHotline: Int');
    const assessment = assessRegistration(city(retyped), [city(EXAMPLE)]);
    expect(assessment.ok).toBe(false);
    if (assessment.ok) return;
    expect(assessment.error.extensions.code).toBe('BREAKING_CHANGE');
    const errors = assessment.error.extensions.errors as { code: string; message: string }[];
    expect(errors).toContainEqual({ code: 'FIELD_CHANGED_KIND', message: 'Region.cityHotline changed type from CityHotlineFigures to Int.' });
  });

  it('refuses a removed field as a breaking change', () => {
    const removed = EXAMPLE.replace(/\s+"What the city's own[^\n]*\n\s+cityHotline: CityHotlineFigures/, '\n  cityHotline2: CityHotlineFigures');
    const assessment = assessRegistration(city(removed), [city(EXAMPLE)]);
    expect(assessment.ok ? null : assessment.error.extensions.code).toBe('BREAKING_CHANGE');
    expect(assessment.ok ? '' : assessment.error.message).toContain('Region.cityHotline was removed');
  });

  it('reports composition errors readably, all at once', () => {
    const v2 = readFileSync(new URL('../../examples/city-hotline/schema-v2.graphql', import.meta.url), 'utf8');
    const assessment = assessRegistration(city(v2), [city(EXAMPLE)]);
    expect(assessment.ok).toBe(false);
    if (assessment.ok) return;
    expect(assessment.error.extensions.code).toBe('COMPOSITION_FAILED');
    expect(assessment.error.message).toMatch(/^city_hotline does not compose with the graph; the current graph is unchanged:\n  - \[/);
    expect(codes(assessment.error.extensions.errors as { code: string }[])).toContain('NON_NULL_FIELD');
  });
});

describe('who may register', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await openRegistryDatabase(await createTestDatabase());
  });
  afterAll(() => orm.close());
  // nothing answers there: every refusal below comes before the SDL is fetched
  const input = { name: 'city_hotline', url: 'http://127.0.0.1:9/graphql', ownerRegion: '430100' };
  const refusal = (identity: Identity, overrides: Partial<typeof input> = {}) =>
    registerSubgraph(orm.em, identity, { ...input, ...overrides }).then(
      () => 'registered',
      (error: { extensions: { code: string } }) => error.extensions.code,
    );

  it('refuses the public and non-admins', async () => {
    expect(await refusal({ subject: null, region: null, roles: [] })).toBe('UNAUTHENTICATED');
    expect(await refusal({ subject: 'ed', region: '430100', roles: ['editor', 'analyst', 'pii'] })).toBe('FORBIDDEN');
  });

  it("refuses an owner region outside the admin's jurisdiction, and national subgraphs to regional admins", async () => {
    expect(await refusal({ subject: 'js', region: '320000', roles: ['admin'] })).toBe('FORBIDDEN');
    expect(await refusal({ subject: 'hn', region: '430000', roles: ['admin'] }, { ownerRegion: null as unknown as string })).toBe('FORBIDDEN');
    // within it: refused only because nothing answers at the URL
    expect(await refusal({ subject: 'hn', region: '430000', roles: ['admin'] })).toBe('SUBGRAPH_UNREACHABLE');
    expect(await refusal({ subject: 'cn', region: '000000', roles: ['admin'] })).toBe('SUBGRAPH_UNREACHABLE');
    // national scope is the explicit claim: an admin whose token names no region covers nothing
    expect(await refusal({ subject: 'nowhere', region: null, roles: ['admin'] })).toBe('FORBIDDEN');
    expect(await refusal({ subject: 'nowhere', region: null, roles: ['admin'] }, { ownerRegion: null as unknown as string })).toBe('FORBIDDEN');
  });

  it('refuses an owner region that does not exist, and bad names and URLs', async () => {
    const national: Identity = { subject: 'cn', region: '000000', roles: ['admin'] };
    expect(await refusal(national, { ownerRegion: '439900' })).toBe('UNKNOWN_REGION');
    expect(await refusal(national, { name: 'City Hotline' })).toBe('BAD_USER_INPUT');
    expect(await refusal(national, { url: 'file:///etc/passwd' })).toBe('BAD_USER_INPUT');
  });
});

describe('the registry owns its schema', () => {
  it('names no subgraph schema in its SQL (only its own and the directory read model)', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = new URL('../../gateway/registry/', import.meta.url);
    const offences = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(new URL(file, dir), 'utf8').matchAll(/\b(agencies|reports|hotline)\.[a-z_]+\b/g)].map((m) => `${file}: ${m[0]}`))
      .filter((hit) => !/\.ts$/.test(hit));
    expect(offences).toEqual([]);
  });
});
