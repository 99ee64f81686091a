// `gongkai hotline import`: streaming, idempotent bulk import with rejects by line number.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createTestDatabase } from '../support/database.ts';
import { runCli } from '../support/cli.ts';
import { hotlineSubgraph } from '../../subgraphs/hotline/subgraph.ts';
import { importFiles, type ImportSummary } from '../../subgraphs/hotline/import/importTickets.ts';
import { CsvParser } from '../../subgraphs/hotline/import/csv.ts';
import { decryptPersonal } from '../../subgraphs/hotline/personalData/crypto.ts';
import { csvField, loadSampleDirectory, openOrm, query, tempDir, useTestKey } from './support.ts';

let url: string;
let em: () => EntityManager;
let dir: string;
let counties: string[];
let directory: { id: string; name: string; region_code: string }[];

beforeAll(async () => {
  useTestKey();
  url = await createTestDatabase();
  await loadSampleDirectory(url);
  const orm = await openOrm(url, hotlineSubgraph);
  em = () => orm.em.fork() as EntityManager;
  dir = tempDir();
  counties = (await query<{ code: string }>(url, `select code from directory.region where level = 'COUNTY' and left(code, 2) in ('32', '43') order by code`)).map((r) => r.code);
  directory = await query(url, `select id::text as id, name, region_code from directory.agency where active_to is null order by id`);
});

function readRejects(file: string): { line: number; reason: string; fields: string[] }[] {
  const parser = new CsvParser();
  const records = [...parser.push(readFileSync(file, 'utf8')), ...parser.end()];
  const [header, ...rows] = records;
  expect(header!.fields.slice(-2)).toEqual(['_line', '_reason']);
  return rows.map((r) => ({ line: Number(r.fields.at(-2)), reason: r.fields.at(-1)!, fields: r.fields }));
}

const HEADER = ['工单编号', '热线', '渠道', '诉求类型', '诉求分类', '区划代码', '承办单位', '承办单位编号', '办理方式', '受理时间', '办理时限', '办结时间', '工单状态', '回访满意度', '来电人', '来电号码', '诉求内容'];

const BAD_KINDS = [
  { reason: /^missing platformId$/, apply: (row: string[]) => (row[0] = '') },
  { reason: /^unknown region '329999'$/, apply: (row: string[]) => (row[5] = '329999') },
  { reason: /^resolvedAt .* is before receivedAt/, apply: (row: string[]) => (row[11] = '2023-12-31 08:00:00') },
  { reason: /^unparseable receivedAt '2024-13-45 10:00'/, apply: (row: string[]) => (row[9] = '2024-13-45 10:00') },
  { reason: /^unknown category '乱码'/, apply: (row: string[]) => (row[3] = '乱码') },
  { reason: /^unknown agency '不存在的局'/, apply: (row: string[]) => ((row[6] = '不存在的局'), (row[7] = '')) },
];

describe('importing a large export', () => {
  it('loads 100 000 tickets, rejects exactly the bad rows by line, and a second import changes nothing', async () => {
    const file = join(dir, 'tickets-100k.csv');
    const lines: string[] = [HEADER.join(',')];
    let lineNo = 1;
    const bad = new Map<number, RegExp>();
    for (let i = 0; i < 100_000; i++) {
      const region = counties[i % counties.length]!;
      const agency = directory[(i * 7) % directory.length]!;
      const received = new Date(Date.UTC(2024, 0, 1) + (i % 700) * 86_400_000 + (i % 1440) * 60_000);
      const stamp = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      const resolved = i % 5 === 0 ? '' : stamp(new Date(received.getTime() + ((i % 200) + 1) * 3_600_000));
      // every 50th text has a comma, a quote and a line break: the record spans two lines
      const text = i % 50 === 0 ? `噪音扰民, "夜间施工"\n第${i}号` : `第${i}号诉求`;
      const row = [
        `P${String(i).padStart(7, '0')}`,
        ['12345', '12315', '12365'][i % 3]!,
        ['电话', '微信', 'web', 'APP', '来信'][i % 5]!,
        ['咨询', '求助', '投诉', '举报', '建议', '表扬', '其他'][i % 7]!,
        '物业管理',
        region,
        i % 3 === 0 ? agency.name : '',
        i % 3 === 1 ? agency.id : '',
        i % 2 === 0 ? '直办' : '转办',
        stamp(received),
        stamp(new Date(received.getTime() + 120 * 3_600_000)).slice(0, 10),
        resolved,
        resolved ? '已办结' : '办理中',
        resolved ? ['满意', '基本满意', '不满意', ''][i % 4]! : '',
        `测试${i}`,
        `139${String(i).padStart(8, '0')}`,
        text,
      ];
      if (i % 333 === 17) {
        const kind = BAD_KINDS[Math.floor(i / 333) % BAD_KINDS.length]!;
        kind.apply(row);
        bad.set(lineNo + 1, kind.reason);
      }
      lines.push(row.map(csvField).join(','));
      lineNo += 1 + (text.match(/\n/g)?.length ?? 0);
    }
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    expect(bad.size).toBeGreaterThan(250);

    const started = Date.now();
    const progress: number[] = [];
    const [first] = await importFiles(em(), [file], { onProgress: (p) => progress.push(p.rows) });
    const seconds = (Date.now() - started) / 1000;
    console.log(`imported 100 000 rows in ${seconds.toFixed(1)} s`);
    expect(first!.error).toBeNull();
    expect(first!.rows).toBe(100_000);
    expect(first!.rejected).toBe(bad.size);
    expect(first!.inserted).toBe(100_000 - bad.size);
    expect(first!.updated + first!.unchanged).toBe(0);
    expect(progress.at(-1)).toBe(100_000);

    const rejects = readRejects(first!.rejectsFile!);
    expect(first!.rejectsFile).toBe(`${file}.rejects.csv`);
    expect(statSync(first!.rejectsFile!).mode & 0o777).toBe(0o600);
    expect(rejects.map((r) => r.line).sort((a, b) => a - b)).toEqual([...bad.keys()]);
    for (const r of rejects) expect(r.reason).toMatch(bad.get(r.line)!);
    // the rejected row is copied whole, so it can be fixed and imported again
    expect(rejects[0]!.fields.length).toBe(HEADER.length + 2);

    const [{ n }] = await query<{ n: number }>(url, `select count(*)::int as n from hotline.ticket`) as [{ n: number }];
    expect(n).toBe(100_000 - bad.size);
    const [{ dispatched }] = (await query<{ dispatched: number }>(url, `select count(*)::int as dispatched from hotline.ticket where agency_id is not null`)) as [{ dispatched: number }];
    // agencies given by name (i % 3 == 0) and by id (i % 3 == 1) resolve; the others have none
    expect(dispatched).toBeGreaterThan(60_000);
    const events = (await query<{ n: number }>(url, `select count(*)::int as n from hotline.ticket_status_change`))[0]!.n;

    const [second] = await importFiles(em(), [file]);
    expect({ inserted: second!.inserted, updated: second!.updated, unchanged: second!.unchanged, rejected: second!.rejected }).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 100_000 - bad.size,
      rejected: bad.size,
    });
    expect((await query<{ n: number }>(url, `select count(*)::int as n from hotline.ticket_status_change`))[0]!.n).toBe(events);
  }, 400_000); // two imports of 100 000 rows: ~40 s on a quiet machine, minutes on a busy one
});

describe('updating a ticket from a later export', () => {
  const row = (fields: Record<string, unknown>) =>
    JSON.stringify({ platformId: 'U-1', line: '12345', regionCode: '320813', receivedAt: '2024-05-01 09:00', ...fields });

  async function importJsonl(name: string, ...rows: string[]): Promise<ImportSummary> {
    const file = join(dir, name);
    writeFileSync(file, rows.join('\n'));
    const [summary] = await importFiles(em(), [file]);
    expect(summary!.error).toBeNull();
    return summary!;
  }

  const history = async () =>
    (await query<{ status: string }>(url, `select h.status from hotline.ticket_status_change h join hotline.ticket t on t.id = h.ticket_id where t.platform_id = 'U-1' order by h.at, h.id`)).map((r) => r.status);
  const ticket = async () =>
    (await query<Record<string, any>>(url, `select t.*, a.name as agency_name from hotline.ticket t left join directory.agency a on a.id = t.agency_id where platform_id = 'U-1'`))[0]!;

  it('appends to the status history and keeps what the new row leaves out', async () => {
    const first = await importJsonl(
      'u1.jsonl',
      row({ status: '已派单', dispatchedAt: '2024-05-01 10:00', agencyName: '淮安市洪泽区人民政府', callerName: '王小明', callerPhone: '13900001111', text: '路灯不亮', category: '求助' }),
    );
    expect(first.inserted).toBe(1);
    expect(await history()).toEqual(['RECEIVED', 'DISPATCHED']);

    const later = row({ status: '已办结', resolvedAt: '2024-05-03 09:00', satisfaction: '满意' });
    const second = await importJsonl('u2.jsonl', later);
    expect([second.inserted, second.updated, second.unchanged]).toEqual([0, 1, 0]);
    expect(await history()).toEqual(['RECEIVED', 'DISPATCHED', 'RESOLVED']);
    const t = await ticket();
    expect(t.status).toBe('RESOLVED');
    expect(t.satisfaction).toBe('SATISFIED');
    expect(t.agency_name).toBe('淮安市洪泽区人民政府');
    expect(t.category_code).toBe('help');
    expect(decryptPersonal('caller_name', t.caller_name_enc)).toBe('王小明');
    expect(decryptPersonal('content', t.content_enc)).toBe('路灯不亮');

    const third = await importJsonl('u3.jsonl', later);
    expect([third.inserted, third.updated, third.unchanged]).toEqual([0, 0, 1]);
    expect(await history()).toEqual(['RECEIVED', 'DISPATCHED', 'RESOLVED']);

    // a status without a time is placed at the row's latest time: it cannot overtake a later event
    const untimed = row({ status: '退回' });
    expect((await importJsonl('u4.jsonl', untimed)).updated).toBe(1);
    expect((await importJsonl('u5.jsonl', untimed)).unchanged).toBe(1);
    expect(await history()).toEqual(['RECEIVED', 'RETURNED', 'DISPATCHED', 'RESOLVED']);
    expect((await ticket()).status).toBe('RESOLVED');

    // with its time, it is the latest event: the current status
    const returned = row({ status: '退回', statusAt: '2024-05-04 10:00' });
    expect((await importJsonl('u6.jsonl', returned)).updated).toBe(1);
    expect((await importJsonl('u7.jsonl', returned)).unchanged).toBe(1);
    expect(await history()).toEqual(['RECEIVED', 'RETURNED', 'DISPATCHED', 'RESOLVED', 'RETURNED']);
    expect((await ticket()).status).toBe('RETURNED');
  });

  it('merges two rows of the same ticket in one file', async () => {
    const summary = await importJsonl(
      'twice.jsonl',
      JSON.stringify({ platformId: 'TW-1', line: '12345', regionCode: '430102', receivedAt: '2025-01-02T08:00:00+08:00' }),
      JSON.stringify({ platformId: 'TW-1', line: '12345', regionCode: '430102', receivedAt: '2025-01-02T08:00:00+08:00', resolvedAt: '2025-01-02T12:00:00+08:00' }),
    );
    expect([summary.inserted, summary.updated]).toEqual([1, 1]);
    const [t] = await query<{ status: string }>(url, `select status from hotline.ticket where platform_id = 'TW-1'`);
    expect(t!.status).toBe('RESOLVED');
  });
});

describe('what a rejected row says', () => {
  const header = 'platformId,line,regionCode,receivedAt,resolvedAt,text';

  it('gives times in the file\'s zone: +08:00, or the zone the import names', async () => {
    const file = join(dir, 'zone.csv');
    writeFileSync(file, `${header}\nZ-1,12345,320813,2024-03-01 10:00,2024-03-01 09:30,x\n`);
    const [cst] = await importFiles(em(), [file]);
    expect(cst!.rejections).toEqual([{ line: 2, reason: 'resolvedAt 2024-03-01 09:30:00+08:00 is before receivedAt 2024-03-01 10:00:00+08:00' }]);
    const [utc] = await importFiles(em(), [file], { zoneMinutes: 0 });
    expect(utc!.rejections).toEqual([{ line: 2, reason: 'resolvedAt 2024-03-01 09:30:00+00:00 is before receivedAt 2024-03-01 10:00:00+00:00' }]);
  });

  it('calls an undecodable line an encoding problem and says how to choose the encoding', async () => {
    // UTF-8 for the first 64 KB, then a line saved as GBK
    const good = Array.from({ length: 900 }, (_, i) => `E-${i},12345,320813,2024-03-01 10:00,,噪音扰民，夜间施工，请尽快处理第${i}号`);
    const gbk = Buffer.from([...Buffer.from('E-GBK,12345,320813,2024-03-01 10:00,,'), 0xd4, 0xeb, 0xd2, 0xf4, 0x0a]);
    const file = join(dir, 'mixed-encoding.csv');
    writeFileSync(file, Buffer.concat([Buffer.from(`${header}\n${good.join('\n')}\n`), gbk]));
    expect(Buffer.byteLength(good.join('\n'))).toBeGreaterThan(65_536);
    const [summary] = await importFiles(em(), [file]);
    expect(summary!.encoding).toBe('utf8');
    expect(summary!.rejections).toEqual([{ line: 902, reason: expect.stringMatching(/^encoding problem: bytes that are not UTF-8 .*--encoding gb18030/) }]);
  });

  it('keeps _line and _reason in their own columns for short and long rows', async () => {
    const file = join(dir, 'ragged.csv');
    writeFileSync(file, `${header}\nS-1,12345\nS-2,12345,320813,2024-03-01 10:00,,x,surplus\n`);
    const [summary] = await importFiles(em(), [file]);
    const rows = readRejects(summary!.rejectsFile!);
    expect(rows.map((r) => r.fields)).toEqual([
      ['S-1', '12345', '', '', '', '', '2', '2 fields where the header has 6'],
      ['S-2', '12345', '320813', '2024-03-01 10:00', '', 'x', '3', '7 fields where the header has 6', 'surplus'],
    ]);
    // once the rows are fixed, the rejects file of the earlier run goes
    writeFileSync(file, `${header}\nS-1,12345,320813,2024-03-01 10:00,,x\n`);
    const [fixed] = await importFiles(em(), [file]);
    expect(fixed!.rejectsFile).toBeNull();
    expect(existsSync(summary!.rejectsFile!)).toBe(false);
  });
});

describe('the gongkai hotline import command', () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['hotline', 'import', ...args], { DATABASE_URL: url, ...env });

  it('maps a platform\'s own column names with --map and a mapping file, and reports ignored columns', () => {
    const file = join(dir, 'own-columns.csv');
    writeFileSync(
      file,
      ['单号,来电日期,所属区县,事项类别,答复日期,处理结果,备注', 'M-1,2024/3/1 8:05,320813,投诉,2024/3/2 9:00,满意,无', 'M-2,2024年3月2日 10:00,430102,咨询,,,'].join('\n'),
    );
    const mapFile = join(dir, 'mapping.json');
    writeFileSync(mapFile, JSON.stringify({ 所属区县: 'regionCode', 事项类别: 'category', 答复日期: 'resolvedAt', 处理结果: 'satisfaction' }));
    const result = cli([file, '--map', '单号=platformId,来电日期=receivedAt', '--map-file', mapFile, '--line', '12345', '--json']);
    expect(result.stderr).toContain('ignoring columns 备注');
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ ok: true, exitCode: 0, total: { read: 2, inserted: 2, rejected: 0 } });
    expect(summary.files).toEqual([
      expect.objectContaining({ file, read: 2, inserted: 2, updated: 0, unchanged: 0, rejected: 0, rejectsFile: null, format: 'csv', encoding: 'utf8', error: null }),
    ]);
    expect(summary.rollups).toMatchObject({ skipped: 0 });

    // the same file again: every row unchanged, still exit 0
    const again = JSON.parse(cli([file, '--map', '单号=platformId,来电日期=receivedAt', '--map-file', mapFile, '--line', '12345', '--json']).stdout);
    expect(again).toMatchObject({ ok: true, exitCode: 0, total: { inserted: 0, updated: 0, unchanged: 2 } });
  });

  it('exits 2 when every row is rejected, with the reasons in --json', async () => {
    const file = join(dir, 'all-bad.csv');
    writeFileSync(file, 'platformId,line,regionCode,receivedAt\nA-1,12345,329999,2024-01-01 10:00\nA-2,12345,320813,\n');
    const result = cli([file, '--json']);
    expect(result.status).toBe(2);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ ok: false, exitCode: 2, total: { read: 2, rejected: 2, inserted: 0 } });
    expect(summary.files[0].rejections).toEqual([
      { line: 2, reason: "unknown region '329999'" },
      { line: 3, reason: 'missing receivedAt' },
    ]);
    expect(summary.files[0].rejectsFile).toBe(`${file}.rejects.csv`);
    // the run recorded for /metrics: the file done, its rows all rejected
    const [run] = await query(url, `select file, format, rows_read::int, inserted::int, rejected::int, result from hotline.import_run order by id desc limit 1`);
    expect(run).toEqual({ file: 'all-bad.csv', format: 'csv', rows_read: 2, inserted: 0, rejected: 2, result: 'DONE' });
  });

  it('without a database: exit 2 and one line, no driver message', () => {
    const file = join(dir, 'no-db.csv');
    writeFileSync(file, 'platformId,line,regionCode,receivedAt\nN-1,12345,320813,2024-01-01 10:00\n');
    const result = runCli(['hotline', 'import', file, '--json'], { DATABASE_URL: 'postgres://gongkai@127.0.0.1:9/none' });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'DATABASE_UNAVAILABLE' } });
    expect(result.stderr).not.toMatch(/ECONNREFUSED|\n\s+at /);
  });

  it('prints a summary and a progress line on stderr', () => {
    const file = join(dir, 'small.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ platformId: 'J-1', line: '12345', regionCode: '320813', receivedAt: '2024-06-01 10:00' }),
        '{ this is not json',
        JSON.stringify({ platformId: 'J-2', line: '12345', regionCode: '110100', receivedAt: '2024-06-01 10:00' }),
        JSON.stringify(['an', 'array']),
      ].join('\n'),
    );
    const result = cli([file]);
    expect(result.status).toBe(1); // some rows rejected
    expect(result.stdout).toContain(`${file}: 4 rows (jsonl, utf8): 1 inserted, 0 updated, 0 unchanged, 3 rejected`);
    expect(result.stdout).toMatch(/line 2: not valid JSON/);
    expect(result.stdout).toContain("line 3: unknown region '110100'");
    expect(result.stdout).toContain('line 4: a JSON Lines row must be an object');
    expect(result.stdout).toContain(`rejected rows saved to ${file}.rejects.jsonl`);
    expect(result.stdout).toContain('total: 1 inserted, 0 updated, 0 unchanged, 3 rejected');
    expect(result.stderr).toMatch(/small\.jsonl +100% 4 rows [\d,]+ rows\/s, 3 rejected, done/);
    const rejected = readFileSync(`${file}.rejects.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejected.map((r) => r._line)).toEqual([2, 3, 4]);
    expect(rejected[1].platformId).toBe('J-2');
  });

  it('refuses garbage with a clear message and goes on with the other files', () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const binary = join(dir, 'export.dat');
    writeFileSync(binary, Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10, 0x80, 0x90]));
    const pdf = join(dir, 'report.csv');
    writeFileSync(pdf, '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
    const noId = join(dir, 'no-id.csv');
    writeFileSync(noId, '名称,时间\n甲,2024-01-01\n');
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'platformId,line,regionCode,receivedAt\nG-1,12345,320813,2024-01-01T10:00:00+08:00\n');
    const result = cli([empty, binary, pdf, noId, good]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`${empty}: not imported: empty file`);
    expect(result.stdout).toContain(`${binary}: not imported: not a text file (a NUL byte at offset 0)`);
    expect(result.stdout).toContain(`${pdf}: not imported: not a CSV or JSON Lines file: it is a PDF document`);
    expect(result.stdout).toContain(`${noId}: not imported: no column for platformId, regionCode, receivedAt, line in the header (名称, 时间)`);
    expect(result.stdout).toContain(`${good}: 1 rows (csv, utf8): 1 inserted`);
  });

  it('explains its usage errors', () => {
    expect(runCli(['hotline']).stderr).toContain('give a subcommand');
    expect(cli([]).stderr).toContain('give at least one FILE');
    expect(cli(['x.csv', '--map', 'a=nothing']).stderr).toContain("'nothing' is not a ticket field");
    const bogus = cli(['x.csv', '--bogus']);
    expect(bogus.stderr).toContain('unknown option --bogus');
    expect(bogus.status).toBe(2);
    expect(cli(['x.csv', '--zone', 'Beijing']).stderr).toContain("--zone is an offset such as +08:00 or Z, not 'Beijing'");
  });

  it('without GONGKAI_PII_KEY, creates a development key file (0600) and warns once', () => {
    const dataDir = join(dir, 'data');
    const file = join(dir, 'dev-key.csv');
    writeFileSync(file, 'platformId,line,regionCode,receivedAt,callerPhone\nK-1,12345,320813,2024-01-01 10:00,13700001234\nK-2,12345,320813,2024-01-01 10:00,13700001235\n');
    const result = cli([file], { GONGKAI_PII_KEY: '', GONGKAI_DATA_DIR: dataDir });
    expect(result.status).toBe(0);
    const keyFile = join(dataDir, 'pii.key');
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(result.stderr.match(/GONGKAI_PII_KEY is not set/g)).toHaveLength(1);
    expect(cli([join(dir, 'missing.csv')], { GONGKAI_PII_KEY: 'too short' }).stderr).toContain('GONGKAI_PII_KEY must be 32 bytes');
  });
});
