// Callers' names, phone numbers and ticket texts never leave the subgraph unmasked to anyone
// without the pii role, and are not in the database in clear. (tests/security/ holds the
// access matrix, the pii role's reads in clear and their audit.)
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, Kind, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode, type TypeNode } from 'graphql';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { readSchemaFile } from '../../lib/graphql/sdl.ts';
import { importFiles } from '../../subgraphs/hotline/import/importTickets.ts';
import { decryptPersonal } from '../../subgraphs/hotline/personalData/crypto.ts';
import { maskName, maskPhone } from '../../subgraphs/hotline/personalData/access.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { query, tempDir, useTestKey } from './support.ts';
import { token } from '../support/auth.ts';

const PEOPLE = [
  { platformId: 'PII-1', callerName: '欧阳测试甲', callerPhone: '13912345678', text: '秘密诉求：住在幸福小区三栋二单元', masked: ['欧*', '139****5678'] },
  { platformId: 'PII-2', callerName: '司马测乙', callerPhone: '+86 025-8333-1234', text: '举报邻居违章搭建，电话请勿外泄', masked: ['司*', '860****1234'] },
  { platformId: 'PII-3', callerName: 'Zhang Weiwei', callerPhone: '8333 9876', text: 'private complaint text', masked: ['Z*', '****9876'] },
];
/** Everything that must never appear: the clear values and telling parts of them. */
const SECRETS = PEOPLE.flatMap((p) => [p.callerName, p.callerName.slice(1), p.callerPhone, p.callerPhone.replace(/\D/g, ''), p.text, p.text.slice(0, 6)]);

let hub: TestHub;
beforeAll(async () => {
  useTestKey();
  hub = await startTestHub();
  const dir = tempDir();
  const file = join(dir, 'pii.jsonl');
  writeFileSync(
    file,
    PEOPLE.map((p, i) =>
      JSON.stringify({ ...p, masked: undefined, line: '12345', regionCode: ['320813', '320800', '320102'][i], receivedAt: '2024-04-0' + (i + 1) + ' 09:00', dueAt: '2024-04-10', category: '投诉', statusHistory: [{ status: '已受理', at: '2024-04-01 09:00' }] }),
    ).join('\n'),
  );
  const [summary] = await importFiles(hub.subgraphs.hotline.orm.em.fork() as EntityManager, [file]);
  expect(summary).toMatchObject({ inserted: 3, rejected: 0 });
});

// The hotline SDL, so that a field added later is checked without editing this test.
const sdl = parse(readSchemaFile('hotline'));
const objectTypes = new Map<string, (ObjectTypeDefinitionNode | ObjectTypeExtensionNode)['fields']>();
for (const def of sdl.definitions) {
  if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) objectTypes.set(def.name.value, def.fields);
}
const named = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : named(type.type));
const ARGUMENTS: Record<string, string> = { regionCode: '"320000"', year: '2024', metric: 'RECEIVED', code: '"320000"' };

/** Every field of a hotline type, recursively (entities owned elsewhere: their hotline fields only). */
function selection(typeName: string, depth: number): string {
  const fields = objectTypes.get(typeName) ?? [];
  return fields
    // internal fields (@inaccessible: Query._listSizes, for the gateway's cost limit) are not in the public graph
    .filter((field) => !field.directives?.some((d) => d.name.value === 'inaccessible'))
    .flatMap((field) => {
      const args = (field.arguments ?? []).filter((a) => ARGUMENTS[a.name.value] !== undefined).map((a) => `${a.name.value}: ${ARGUMENTS[a.name.value]}`);
      const call = `${field.name.value}${args.length > 0 ? `(${args.join(', ')})` : ''}`;
      const type = named(field.type);
      if (!objectTypes.has(type)) return [call];
      if (depth === 0) return [];
      const inner = selection(type, depth - 1);
      return inner ? [`${call} { ${inner} }`] : [];
    })
    .join(' ');
}

describe('personal data in API answers', () => {
  it('is masked or withheld in every field of every hotline query, for an analyst and for the public', async () => {
    const analyst = await token({ sub: 'analyst-js', region: '320000', roles: ['analyst'] });
    const rootFields = objectTypes.get('Query')!.map((f) => f.name.value);
    const texts = [
      `{ ${selection('Query', 4)} }`,
      `{ hotlineRanking(regionCode: "320000", year: 2024, metric: RECEIVED, by: AGENCIES) { ${selection('HotlineRankingEntry', 3)} } }`,
      `{ region(code: "320800") { hotline(year: 2024) { ${selection('HotlineFigures', 2)} } } }`,
    ];
    expect(texts[0]).toContain('callerPhone');
    expect(rootFields).toEqual(expect.arrayContaining(['tickets', 'hotlineRanking']));
    const answers: string[] = [];
    for (const text of texts) {
      const response = await hub.query(text, {}, analyst);
      expect(response.errors).toBeUndefined();
      answers.push(JSON.stringify(response));
      // the public is refused the internal fields; whatever it gets carries no personal data either
      answers.push(JSON.stringify(await hub.query(text)));
    }
    const all = answers.join('\n');
    for (const secret of SECRETS) expect([secret, all.includes(secret)]).toEqual([secret, false]);
    // the tickets are there, masked
    for (const p of PEOPLE) for (const masked of p.masked) expect(all).toContain(`"${masked}"`);
    const { data } = await hub.query(`{ tickets(regionCode: "320000", year: 2024) { nodes { platformId text personalDataMasked } } }`, {}, analyst);
    expect(data.tickets.nodes).toHaveLength(3);
    for (const t of data.tickets.nodes) expect(t).toMatchObject({ text: null, personalDataMasked: true });
  });

  it('masks names to the first character and phones to 3+4 digits', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧*');
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('025-83331234')).toBe('025****1234');
    expect(maskPhone('83331234')).toBe('****1234');
    expect(maskPhone('110')).toBe('****');
  });
});

describe('personal data in the database', () => {
  it('is stored encrypted: no table of the hotline schema holds it in clear', async () => {
    const tables = await query<{ table_name: string }>(hub.databaseUrl, `select table_name from information_schema.tables where table_schema = 'hotline'`);
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['ticket', 'ticket_status_change']));
    let dump = '';
    for (const { table_name } of tables) {
      dump += (await query<{ row: string }>(hub.databaseUrl, `select x::text as row from hotline."${table_name}" x`)).map((r) => r.row).join('\n');
    }
    expect(dump).toContain('PII-1');
    for (const secret of SECRETS) {
      expect([secret, dump.includes(secret)]).toEqual([secret, false]);
      // bytea shows as hex: the UTF-8 bytes of a value must not be there either
      expect([secret, dump.includes(Buffer.from(secret).toString('hex'))]).toEqual([secret, false]);
    }
    // …and the key reads it back
    const [row] = await query<{ caller_name_enc: Buffer; caller_phone_enc: Buffer; content_enc: Buffer }>(
      hub.databaseUrl,
      `select caller_name_enc, caller_phone_enc, content_enc from hotline.ticket where platform_id = 'PII-1'`,
    );
    expect(decryptPersonal('caller_name', row!.caller_name_enc)).toBe(PEOPLE[0]!.callerName);
    expect(decryptPersonal('caller_phone', row!.caller_phone_enc)).toBe(PEOPLE[0]!.callerPhone);
    expect(decryptPersonal('content', row!.content_enc)).toBe(PEOPLE[0]!.text);
    // a value cannot be moved to another column: the column is authenticated with it
    expect(() => decryptPersonal('caller_phone', row!.caller_name_enc)).toThrow(/cannot be decrypted/);
  });
});
