// Whatever the extractor reports from the page dumps must be consistent with itself. The
// identities below are written from the official tables' definitions in terms of figure keys
// (docs/figures.md), independently of the extractor's templates: every identity whose keys were
// all reported must hold, unless the report says it does not (a TABLE_IDENTITY_MISMATCH warning
// naming its keys — the document itself is inconsistent there). Page dumps are where cells run
// together, so this catches a wrong split even on files that have no gold.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractDocument, type ExtractedReport } from '../../subgraphs/reports/extraction/index.ts';
import { sharedDir } from './helpers.ts';

const PAGEDUMPS = `${sharedDir}fixtures/pagedumps/`;
const files = [
  ...readdirSync(PAGEDUMPS).filter((f) => f.endsWith('.txt')),
  ...readdirSync(`${PAGEDUMPS}unlabelled/`)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => `unlabelled/${f}`),
].sort();

/** Σ left = Σ right, or Σ left ≤ Σ right. */
interface Identity {
  label: string;
  left: string[];
  right: string[];
  relation: '=' | '<=';
}

const eq = (label: string, left: string[], right: string[]): Identity => ({ label, left, right, relation: '=' });
const atMost = (label: string, left: string[], right: string[]): Identity => ({ label, left, right, relation: '<=' });

/** '' is the 总计 column; the others are the applicant columns of the standard application table. */
const SUFFIXES = ['', '@naturalPerson', '@business', '@research', '@nonprofit', '@legalService', '@otherOrg'];
const APPLICANTS = SUFFIXES.slice(1);

/** The outcome groups of the standard application table and the reasons each one adds up. */
const STD_GROUPS: Record<string, string[]> = {
  'applications.outcome.denied': ['stateSecret', 'otherLaw', 'securityStability', 'thirdParty', 'internalAffairs', 'processInfo', 'enforcementFiles', 'queryMatters'].map((r) => `applications.denied.${r}`),
  'applications.outcome.unavailable': ['notHeld', 'needsCreation', 'unclear'].map((r) => `applications.unavailable.${r}`),
  'applications.outcome.notProcessed': ['petition', 'duplicate', 'publications', 'abusive', 'confirmation'].map((r) => `applications.notProcessed.${r}`),
  'applications.outcome.otherHandling': ['noCorrection', 'feeUnpaid', 'other'].map((r) => `applications.otherHandling.${r}`),
};
const STD_OUTCOMES = ['applications.outcome.granted', 'applications.outcome.partial', ...Object.keys(STD_GROUPS)];
/** Every row of the standard application table (a row's 总计 is the sum of its applicant columns). */
const STD_ROWS = [
  'applications.received',
  'applications.carriedOver',
  ...STD_OUTCOMES,
  ...Object.values(STD_GROUPS).flat(),
  'applications.outcome.total',
  'applications.carriedForward',
];
const REVIEW_COLUMNS = ['upheld', 'corrected', 'other', 'pending'];

/** The identities of a report, given what it reported (a subtotal not reported stands for the sum of its reasons). */
function identitiesOf(report: ExtractedReport): Identity[] {
  const has = (k: string) => k in report.figures;
  const out: Identity[] = [];
  const standard = report.format === 'STD2019' || report.format === 'STD2021';
  if (standard) {
    for (const s of SUFFIXES) {
      const k = (key: string) => key + s;
      out.push(eq(`新收 + 上年结转 = 总计 + 结转下年度 (${s || '总计'})`, [k('applications.received'), k('applications.carriedOver')], [k('applications.outcome.total'), k('applications.carriedForward')]));
      const outcomes = STD_OUTCOMES.flatMap((o) => (has(k(o)) || !STD_GROUPS[o] ? [k(o)] : STD_GROUPS[o]!.map(k)));
      out.push(eq(`（七）总计 = the outcomes (${s || '总计'})`, [k('applications.outcome.total')], outcomes));
      for (const [group, reasons] of Object.entries(STD_GROUPS)) out.push(eq(`${group} = its reasons (${s || '总计'})`, [k(group)], reasons.map(k)));
    }
    for (const row of STD_ROWS) out.push(eq(`${row}: 总计 = the applicant columns`, [row], APPLICANTS.map((a) => row + a)));
    for (const prefix of ['reconsideration', 'litigation.direct', 'litigation.afterReview', 'litigation']) {
      out.push(eq(`${prefix}.total = 维持 + 纠正 + 其他 + 尚未审结`, [`${prefix}.total`], REVIEW_COLUMNS.map((c) => `${prefix}.${c}`)));
    }
    for (const c of [...REVIEW_COLUMNS, 'total']) out.push(eq(`litigation.${c} = direct + after review`, [`litigation.${c}`], [`litigation.direct.${c}`, `litigation.afterReview.${c}`]));
  } else {
    // The 2008-era tables (national and provincial).
    out.push(eq('reconsideration.total = 维持 + 纠错 + 其他', ['reconsideration.total'], ['upheld', 'corrected', 'other'].map((c) => `reconsideration.${c}`)));
    out.push(eq('litigation.total = 维持 + 纠错 + 其他', ['litigation.total'], ['upheld', 'corrected', 'other'].map((c) => `litigation.${c}`)));
    out.push(eq('申请办结数 = 按时 + 延期', ['applications.closed'], ['applications.closedOnTime', 'applications.closedExtended']));
    out.push(
      eq('不同意公开 = its reasons', ['applications.outcome.denied'], ['stateSecret', 'commercialSecret', 'privacy', 'securityStability', 'notGovInfo', 'otherLaw'].map((r) => `applications.denied.${r}`)),
    );
    out.push(atMost('答复 ≥ 同意 + 部分 + 不同意', ['applications.outcome.granted', 'applications.outcome.partial', 'applications.outcome.denied'], ['applications.answered']));
    out.push(atMost('工作人员 ≥ 专职 + 兼职', ['capacity.fullTime', 'capacity.partTime'], ['capacity.staff']));
    out.push(atMost('主动公开 ≥ 规范性文件', ['proactive.normativeDocs'], ['proactive.total']));
  }
  out.push(atMost('主动公开 本年 ≤ 历年累计', ['proactive.total'], ['proactive.cumulative']));
  out.push(atMost('网站公开 ≤ 主动公开', ['proactive.channel.website'], ['proactive.total']));
  out.push(atMost('政府公报公开 ≤ 主动公开', ['proactive.channel.gazette'], ['proactive.total']));
  // The channels of the applications received (the standard tables have none; a report that
  // prints them beside its standard tables states them in its 2008-era form).
  const channels = ['inPerson', 'fax', 'online', 'letter', 'phone'].map((c) => `applications.channel.${c}`).filter(has);
  if (channels.length > 0) out.push(atMost('申请 ≥ its channels', channels, ['applications.received']));
  return out;
}

interface Violation {
  label: string;
  left: number;
  right: number;
  keys: string[];
}

/** The identities whose keys were all reported and that do not hold, less those the report flags. */
function violations(report: ExtractedReport): Violation[] {
  const flagged = new Set(report.warnings.filter((w) => w.code === 'TABLE_IDENTITY_MISMATCH').flatMap((w) => w.figureKeys ?? []));
  const value = (k: string) => report.figures[k]!.value;
  const out: Violation[] = [];
  for (const id of identitiesOf(report)) {
    const keys = [...id.left, ...id.right];
    if (!keys.every((k) => k in report.figures)) continue;
    const left = id.left.reduce((n, k) => n + value(k), 0);
    const right = id.right.reduce((n, k) => n + value(k), 0);
    const holds = id.relation === '=' ? Math.abs(left - right) < 1e-6 : left <= right + 1e-6;
    if (holds || keys.every((k) => flagged.has(k))) continue;
    out.push({ label: id.label, left, right, keys });
  }
  return out;
}

describe('page dumps: what is extracted satisfies the tables’ identities', () => {
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('the check itself: a broken identity is caught, unless the report flags it', () => {
    const figure = (value: number) => ({ value, approx: false, source: null });
    const report: ExtractedReport = {
      agencyName: null,
      regionCode: null,
      level: null,
      year: 2021,
      publishedOn: null,
      format: 'STD2021',
      selfCheck: null,
      figures: {
        'applications.received': figure(5),
        'applications.carriedOver': figure(0),
        'applications.outcome.total': figure(4),
        'applications.carriedForward': figure(0),
      },
      warnings: [],
    };
    expect(violations(report).map((v) => v.label)).toEqual(['新收 + 上年结转 = 总计 + 结转下年度 (总计)']);
    report.warnings.push({ code: 'TABLE_IDENTITY_MISMATCH', message: '', figureKeys: Object.keys(report.figures) });
    expect(violations(report)).toEqual([]);
  });

  for (const file of files) {
    it(file, async () => {
      const result = await extractDocument({ fileName: file.split('/').at(-1)!, bytes: readFileSync(PAGEDUMPS + file) });
      expect(result.reports.length).toBeGreaterThan(0);
      let checked = 0;
      for (const report of result.reports) {
        for (const id of identitiesOf(report)) if ([...id.left, ...id.right].every((k) => k in report.figures)) checked++;
        const bad = violations(report).map((v) => ({ ...v, values: Object.fromEntries(v.keys.map((k) => [k, report.figures[k]!.value])) }));
        expect(bad, `${file} (${report.year}, ${report.format})`).toEqual([]);
        for (const [key, f] of Object.entries(report.figures)) expect(f.value, key).toBeGreaterThanOrEqual(0);
      }
      // Each page dump holds an official table: some identity must have been checked.
      console.log(`${file}: ${checked} identities checked`);
      expect(checked).toBeGreaterThan(0);
    });
  }
});
