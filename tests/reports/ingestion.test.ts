import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstRow } from '../support/database.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { runCli } from '../support/cli.ts';
import { fixturesDir } from '../support/goldReports.ts';


let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});

const count = async (sql: string): Promise<number> => (await firstRow(hub.databaseUrl, sql)).n;

const ingest = (...args: string[]) => runCli(['ingest', ...args], { DATABASE_URL: hub.databaseUrl });
const summaryOf = (stdout: string) => stdout.trim().split('\n').at(-1);

describe('gongkai ingest', () => {
  it('stores the fixture reports once: a second run changes nothing', { timeout: 180_000 }, async () => {
    const first = ingest(fixturesDir);
    // 003's only report is not stored: one document failed, the others were stored (exit 1)
    expect(first.status, first.stderr).toBe(1);
    // 9 texts (12 reports) and 3 PDFs of three of them; the report whose text names no city fails.
    expect(summaryOf(first.stdout)).toBe('documents 12 (unreadable 0); reports new 11, updated 0, unchanged 3, failed 1');
    expect(first.stdout).toContain('003_ffc513a89b62c6fb.txt: 市安全生产监督管理局');
    expect(first.stdout).toContain('REGION_UNRESOLVED');
    expect(first.stderr).toContain('ingest 12/12 (100%)');
    const counts = async () => ({
      reports: await count('select count(*)::int as n from reports.annual_report'),
      documents: await count('select count(*)::int as n from reports.document'),
      agencies: await count('select count(*)::int as n from directory.agency'),
      figures: await count('select count(*)::int as n from reports.figure'),
    });
    const afterFirst = await counts();
    expect(afterFirst.reports).toBe(11);
    expect(afterFirst.documents).toBe(11); // the PDFs matched reports already stored: nothing of theirs kept

    const second = ingest(fixturesDir);
    expect(second.status).toBe(1);
    expect(summaryOf(second.stdout)).toBe('documents 12 (unreadable 0); reports new 0, updated 0, unchanged 14, failed 1');
    expect(await counts()).toEqual(afterFirst);

    // what the extractor read is what the graph shows, with the sentence each figure came from
    const { data } = await hub.query(
      `{ agencies(search: "淮安市人民政府") { nodes { name reports { year format document { fileName mediaType } figure(key: "applications.received") { value source { text start end } } } } } }`,
    );
    const huaian = data.agencies.nodes.find((a: { name: string }) => a.name === '淮安市人民政府');
    const report = huaian.reports[0];
    expect(report).toMatchObject({ year: 2024, format: 'STD2021', figure: { value: 3119 } });
    expect(report.document.fileName).toMatch(/huaian-shi-2024\.(txt|pdf)$/);
    const text = readFileSync(join(fixturesDir, 'huaian-shi-2024.txt'), 'utf8');
    expect(report.figure.source.text.length).toBeGreaterThan(0);
    expect(report.figure.source.end).toBeGreaterThan(report.figure.source.start);
    expect(text.replace(/\s+/g, '')).toContain(report.figure.source.text.replace(/\s+/g, ''));
  });

  it('gives a clear message per bad file; exit 2 when no document could be stored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-garbage-'));
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, 'binary.txt'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    writeFileSync(join(dir, 'scan.pdf'), '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const onlyGarbage = ingest(dir);
    expect(onlyGarbage.status).toBe(2);
    expect(onlyGarbage.stdout).toMatch(/empty\.txt: not read: .*\(EMPTY_DOCUMENT\)/);
    expect(onlyGarbage.stdout).toMatch(/binary\.txt: not read: .*\(BINARY_DOCUMENT\)/);
    expect(onlyGarbage.stdout).toMatch(/scan\.pdf: not read: .*\((PDF_NO_TEXT_LAYER|PDF_UNREADABLE)\)/);

    copyFileSync(join(fixturesDir, '003_ffc513a89b62c6fb.txt'), join(dir, 'no-region.txt'));
    const mixed = ingest(dir, '--region', '999999', '--year', '2017');
    expect(mixed.status).toBe(2);
    expect(mixed.stdout).toMatch(/no-region\.txt: .*not stored: .*\(UNKNOWN_REGION\)/);

    const missing = ingest(join(dir, 'nope'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
  });
});
