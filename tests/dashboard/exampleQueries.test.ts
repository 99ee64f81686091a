// Every example query of the IDE (examples/queries/*.graphql, its tabs) runs on the sample data
// within the gateway's limits: no error and some data, as a user with the token its
// `# token: <roles> <region>` line asks for (public otherwise).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, OperationTypeNode, Kind } from 'graphql';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { token } from '../support/auth.ts';
import { projectRoot } from '../support/cli.ts';

const directory = join(projectRoot, 'examples', 'queries');
const examples = readdirSync(directory)
  .filter((file) => file.endsWith('.graphql'))
  .sort()
  .map((file) => ({ file, text: readFileSync(join(directory, file), 'utf8') }));

/** The user an example runs as, from its `# token: analyst 430000` line. */
function tokenLine(text: string): { roles: string[]; region: string } | null {
  const match = /^#\s*token:\s*(\S+)\s+(\d{6})\s*$/m.exec(text);
  return match ? { roles: match[1]!.split(','), region: match[2]! } : null;
}

/** Something other than null, [] or an object of nothing but those. */
function hasData(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some(hasData);
  if (typeof value === 'object') return Object.values(value).some(hasData);
  return true;
}

/** The last `cursor` or `endCursor` in an answer: where its next page starts. */
function lastCursor(value: unknown): string | null {
  if (Array.isArray(value)) return value.reduce<string | null>((found, item) => lastCursor(item) ?? found, null);
  if (value === null || typeof value !== 'object') return null;
  let found: string | null = null;
  for (const [key, item] of Object.entries(value)) {
    if ((key === 'cursor' || key === 'endCursor') && typeof item === 'string') found = item;
    else found = lastCursor(item) ?? found;
  }
  return found;
}

describe('the example queries of examples/queries', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ sampleData: true });
  });

  it('are 5 to 10 named queries, each with a comment line first saying what it asks in Chinese and English', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples.length).toBeLessThanOrEqual(10);
    for (const { file, text } of examples) {
      const firstLine = text.split('\n')[0]!;
      expect(firstLine, file).toMatch(/^# .*\p{Script=Han}.*\/ [A-Z][^\p{Script=Han}]+$/u);
      const operations = parse(text).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
      expect(operations, file).toHaveLength(1);
      expect(operations[0]!.operation, file).toBe(OperationTypeNode.QUERY);
      expect(operations[0]!.name?.value, `${file}: a named operation (the IDE's tab title)`).toBeTruthy();
    }
  });

  it.each(examples.map((example) => [example.file, example.text] as const))('%s answers data and no error', async (file, text) => {
    const user = tokenLine(text);
    const bearer = user ? await token({ sub: 'example-reader', region: user.region, roles: user.roles }) : undefined;
    const response = await hub.query(text, {}, bearer);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(hasData(response.data)).toBe(true);
    // a paged one (variable $after) gives its next page from the last cursor of the first
    if (/\$after\b/.test(text)) {
      const cursor = lastCursor(response.data);
      expect(cursor, 'a cursor to page on').toBeTruthy();
      const next = await hub.query(text, { after: cursor }, bearer);
      expect(next.errors, JSON.stringify(next.errors)).toBeUndefined();
      expect(hasData(next.data)).toBe(true);
      expect(JSON.stringify(next.data)).not.toBe(JSON.stringify(response.data));
    }
    // a query that needs a token must say so: without one it is refused
    if (user) {
      const anonymous = await hub.query(text);
      expect(anonymous.errors?.map((error) => error.extensions?.code)).toContain('UNAUTHENTICATED');
    }
  });
});
