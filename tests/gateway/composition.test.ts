import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../gateway/composeSupergraph.ts';
import { readSchemaFile, schemaFile } from '../../lib/graphql/sdl.ts';

describe('the supergraph', () => {
  it('composes from schema/*.graphql', () => {
    const outcome = composeSupergraph();
    expect(outcome.ok ? [] : outcome.errors.map((e) => e.message)).toEqual([]);
  });

  it('is committed up to date (run `npm run compose` after changing a subgraph SDL)', () => {
    const outcome = composeSupergraph();
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(readFileSync(schemaFile('supergraph'), 'utf8')).toBe(outcome.supergraphSdl);
  });

  it('fails composition when a subgraph contradicts another', () => {
    // The same check composeSupergraph runs, fed a reports SDL that retypes Region.code.
    const broken = readSchemaFile('reports').replace('code: ID!', 'code: Int!');
    const result = composeServices([
      { name: 'agencies', typeDefs: parse(readSchemaFile('agencies')), url: 'http://localhost:1/graphql' },
      { name: 'reports', typeDefs: parse(broken), url: 'http://localhost:2/graphql' },
    ]);
    expect(result.errors?.length).toBeGreaterThan(0);
  });
});
