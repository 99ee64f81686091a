// Random consistent official tables, rendered the way a website's page dump prints them (cells
// run together, sometimes a few separating spaces kept), for the splitter's property test. Every
// generated table satisfies every identity its template states (templates/*.ts); the truth of
// each cell is kept by figure key. The labels come from the templates themselves, so a label
// variant added there is exercised here too.
import {
  APPLICATIONS_2019,
  APPLICATIONS_2021,
  REVIEW,
} from '../../subgraphs/reports/extraction/tables/templates/std.ts';
import { NATIONAL, PROVINCIAL } from '../../subgraphs/reports/extraction/tables/templates/pre2019.ts';
import type { TableTemplate, TemplateRow } from '../../subgraphs/reports/extraction/tables/templates/types.ts';
import { pick, seededRandom } from '../../lib/random.ts';

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const chance = (rng: Rng, p: number) => rng() < p;

/** How busy the reporting body is: a table is mostly zeros, with a few larger counts. */
interface Profile {
  zero: number;
  small: number;
  medium: number;
}
const PROFILES: Profile[] = [
  { zero: 0.8, small: 0.97, medium: 1 }, // a small office: 0 and 1–9
  { zero: 0.6, small: 0.85, medium: 0.98 },
  { zero: 0.45, small: 0.7, medium: 0.93 },
  { zero: 0.3, small: 0.5, medium: 0.85 }, // a city government: counts in the hundreds
];

/** 0 mostly, some 1–9, some 10–999, occasionally 1,000–99,999. */
function skewed(rng: Rng, p: Profile, damp = 1): number {
  const r = rng();
  if (r < 1 - (1 - p.zero) * damp) return 0;
  const s = rng();
  if (s < p.small) return 1 + int(rng, 9);
  if (s < p.medium) return 10 + int(rng, 990);
  return 1000 + int(rng, 99_000);
}

/** A value in [0, max], mostly 0 or small. */
function upTo(rng: Rng, max: number): number {
  if (max <= 0) return 0;
  const r = rng();
  if (r < 0.4) return 0;
  if (r < 0.7) return Math.min(max, 1 + int(rng, 9));
  if (r < 0.85) return max;
  return int(rng, max + 1);
}

export interface GeneratedTable {
  templateId: string;
  /** every cell's true value by figure key (rows that share a key summed), printed or not */
  truth: Map<string, number>;
  /** the keys whose cells the page prints */
  printed: Set<string>;
}

export interface GeneratedPage {
  text: string;
  tables: GeneratedTable[];
}

/** How a row's cells are joined: no separator, or a random share of the spaces kept. */
interface Spacing {
  keep: number;
  /** a space between a label and its cells */
  afterLabel: number;
  /** a space before the next label */
  beforeLabel: number;
}

function spacing(rng: Rng): Spacing {
  const r = rng();
  const keep = r < 0.5 ? 0 : r < 0.9 ? 0.1 + 0.8 * rng() : 1;
  return { keep, afterLabel: chance(rng, 0.3) ? rng() : 0, beforeLabel: chance(rng, 0.2) ? rng() : 0 };
}

function cells(rng: Rng, values: number[], s: Spacing): string {
  let out = String(values[0]);
  for (let i = 1; i < values.length; i++) out += (chance(rng, s.keep) ? ' ' : '') + String(values[i]);
  return out;
}

/** label + cells, with the spaces the spacing keeps around them. */
function row(rng: Rng, label: string, values: number[] | null, s: Spacing): string {
  const lead = chance(rng, s.beforeLabel) ? ' ' : '';
  if (!values) return lead + label;
  return lead + label + (chance(rng, s.afterLabel) ? ' ' : '') + cells(rng, values, s);
}

const labelOf = (rng: Rng, r: TemplateRow) => (chance(rng, 0.8) ? r.labels[0]! : pick(rng, r.labels));
const rowById = (t: TableTemplate, id: string) => t.rows.find((r) => r.id === id)!;
const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

const AGENCIES = ['大武口区人民政府', '陕西省质量技术监督局', '湖南省质量技术监督局'];
const title = (rng: Rng, year: number) => `${pick(rng, AGENCIES)}${year}年${chance(rng, 0.5) ? '度' : ''}政府信息公开工作年度报告`;

// ───────────────────────── standard application table ─────────────────────────

const APPLICANTS = 6;
/** How often each applicant column is used: 自然人 by far the most; a busy office hears from all. */
const COLUMN_ACTIVITY = [1, 0.35, 0.08, 0.08, 0.12, 0.2];
const BUSY_COLUMN_ACTIVITY = [1, 0.8, 0.4, 0.4, 0.6, 0.7];

const OUTCOME_GROUPS: Array<{ id: string; parts: string[] }> = [
  { id: 'denied', parts: ['stateSecret', 'otherLaw', 'securityStability', 'thirdParty', 'internalAffairs', 'processInfo', 'enforcementFiles', 'queryMatters'] },
  { id: 'unavailable', parts: ['notHeld', 'needsCreation', 'unclear'] },
  { id: 'notProcessed', parts: ['petition', 'duplicate', 'publications', 'abusive', 'confirmation'] },
];
const OTHER_HANDLING_2021 = ['noCorrection', 'feeUnpaid', 'otherReason'];
/** Reasons most reports leave at 0 are damped; 本机关不掌握 and 予以公开 are the common ones. */
const DAMP: Record<string, number> = { granted: 1, partial: 0.5, notHeld: 0.8, duplicate: 0.3, unclear: 0.3, petition: 0.3, otherReason: 0.3 };

/** Per row id: the seven cells (six applicant columns, then 总计). */
function applicationValues(rng: Rng, era: 2019 | 2021): Map<string, number[]> {
  const profile = pick(rng, PROFILES);
  // A busy office fills many cells of a row: the rows whose runs read several ways.
  const busy = chance(rng, 0.35);
  const activity = busy ? BUSY_COLUMN_ACTIVITY : COLUMN_ACTIVITY;
  const damp = (id: string) => Math.min(1, (DAMP[id] ?? 0.15) * (busy ? 3 : 1));
  const leaves = ['granted', 'partial', ...OUTCOME_GROUPS.flatMap((g) => g.parts), ...(era === 2021 ? OTHER_HANDLING_2021 : ['otherHandling'])];
  const values = new Map<string, number[]>();
  const column = (c: number) => (id: string) => (chance(rng, activity[c]!) ? skewed(rng, profile, damp(id)) : 0);
  for (const id of leaves) values.set(id, []);
  for (const id of ['denied', 'unavailable', 'notProcessed', 'total', 'received', 'carriedOver', 'carriedForward', ...(era === 2021 ? ['otherHandling'] : [])]) values.set(id, []);
  for (let c = 0; c < APPLICANTS; c++) {
    const v = column(c);
    for (const id of leaves) values.get(id)!.push(v(id));
    const sum = (ids: string[]) => ids.reduce((n, id) => n + values.get(id)![c]!, 0);
    for (const g of OUTCOME_GROUPS) values.get(g.id)!.push(sum(g.parts));
    if (era === 2021) values.get('otherHandling')!.push(sum(OTHER_HANDLING_2021));
    const total = sum(['granted', 'partial', 'denied', 'unavailable', 'notProcessed', 'otherHandling']);
    values.get('total')!.push(total);
    const forward = chance(rng, 0.25) ? skewed(rng, profile, 0.5) : 0;
    values.get('carriedForward')!.push(forward);
    const over = chance(rng, 0.25) ? upTo(rng, total + forward) : 0;
    values.get('carriedOver')!.push(over);
    values.get('received')!.push(total + forward - over);
  }
  for (const list of values.values()) list.push(list.reduce((a, b) => a + b, 0));
  return values;
}

const APPLICATION_HEADER = [
  '申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他',
  '申请人情况 自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他',
];

function applicationTable(rng: Rng, era: 2019 | 2021): { text: string; table: GeneratedTable } {
  const template = era === 2021 ? APPLICATIONS_2021 : APPLICATIONS_2019;
  const values = applicationValues(rng, era);
  const s = spacing(rng);
  const truth = new Map<string, number>();
  const printed = new Set<string>();
  const parts: string[] = [];
  const print = (id: string, label: string, withValues = true) => {
    const r = rowById(template, id);
    const v = values.get(id)!;
    r.keys.forEach((k, col) => truth.set(k!, v[col]!));
    if (withValues) r.keys.forEach((k) => printed.add(k!));
    parts.push(row(rng, label, withValues ? v : null, s));
  };
  /** A subtotal row with reasons: most reports print no cells on it, some do. */
  const printsSubtotals = chance(rng, 0.2);
  /** 1. 2. … as most publishers print it, or 1、 1． */
  const dot = chance(rng, 0.8) ? '.' : pick(rng, ['、', '．']);
  /** （一） full width, or (一) */
  const [open, close] = chance(rng, 0.85) ? ['（', '）'] : ['(', ')'];
  const group = (numeral: string, id: string, reasons: string[]) => {
    const r = rowById(template, id);
    print(id, `${open}${numeral}${close}${labelOf(rng, r)}`, printsSubtotals);
    reasons.forEach((reason, i) => print(reason, `${i + 1}${dot}${labelOf(rng, rowById(template, reason))}`));
  };
  parts.push(`三、收到和处理政府信息公开申请情况${chance(rng, 0.5) ? '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）' : ''}`);
  parts.push(pick(rng, APPLICATION_HEADER));
  print('received', `一、${labelOf(rng, rowById(template, 'received'))}`);
  print('carriedOver', `二、${labelOf(rng, rowById(template, 'carriedOver'))}`);
  parts.push('三、本年度办理结果');
  print('granted', `${open}一${close}予以公开`);
  print('partial', `${open}二${close}${labelOf(rng, rowById(template, 'partial'))}`);
  OUTCOME_GROUPS.forEach((g, i) => {
    // Some pages repeat the header cell 三、本年度办理结果 where the printed table breaks.
    if (i === 1 && chance(rng, 0.1)) parts.push('三、本年度办理结果');
    group(CN[i + 2]!, g.id, g.parts);
  });
  if (era === 2021) group('六', 'otherHandling', OTHER_HANDLING_2021);
  else print('otherHandling', `${open}六${close}其他处理`);
  print('total', `${open}七${close}总计`);
  print('carriedForward', `四、${labelOf(rng, rowById(template, 'carriedForward'))}`);
  const join = chance(rng, 0.3) ? ' ' : '';
  return { text: parts.join(join), table: { templateId: template.id, truth, printed } };
}

// ───────────────────────── review / litigation table ─────────────────────────

const REVIEW_HEADER = '行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计';

function reviewTable(rng: Rng): { text: string; table: GeneratedTable } {
  const profile = pick(rng, PROFILES);
  const truth = new Map<string, number>();
  const printed = new Set<string>();
  const all: number[] = [];
  const blocks: number[][] = [];
  for (const r of REVIEW.rows) {
    const active = chance(rng, 0.5);
    const four = Array.from({ length: 4 }, () => (active ? skewed(rng, profile, 0.6) : 0));
    const block = [...four, four.reduce((a, b) => a + b, 0)];
    blocks.push(block);
    r.keys.forEach((k, col) => {
      truth.set(k!, block[col]!);
      printed.add(k!);
    });
    all.push(...block);
  }
  // figures.md: litigation.* = direct + after review (readTables.ts addSums).
  for (const [i, c] of ['upheld', 'corrected', 'other', 'pending', 'total'].entries()) {
    truth.set(`litigation.${c}`, blocks[1]![i]! + blocks[2]![i]!);
    printed.add(`litigation.${c}`);
  }
  const s = spacing(rng);
  const header = chance(rng, 0.5) ? REVIEW_HEADER : REVIEW_HEADER.replace('行政诉讼', ' 行政诉讼 ').replace('未经复议直接起诉复议后起诉', ' 未经复议直接起诉 复议后起诉 ');
  const heading = `四、政府信息公开行政复议、行政诉讼情况${chance(rng, 0.5) ? ' ' : ''}`;
  return {
    text: heading + header + (chance(rng, s.afterLabel) ? ' ' : '') + cells(rng, all, s),
    table: { templateId: REVIEW.id, truth, printed },
  };
}

const AFTER_REVIEW = '五、存在的主要问题及改进情况（一）存在的主要问题：政策解读形式不够丰富。（二）改进措施：进一步加强政务公开工作。六、其他需要报告的事项本年度无收取信息处理费情况。';

/** A standard-format report: the application table of that era, then the review table. */
export function standardPage(seed: number, era: 2019 | 2021): GeneratedPage {
  const rng = seededRandom(seed);
  const apps = applicationTable(rng, era);
  const review = reviewTable(rng);
  const year = era === 2021 ? 2021 + int(rng, 4) : 2019 + int(rng, 2);
  const sep = chance(rng, 0.5) ? ' ' : '';
  const body = ['一、总体情况本年度，我单位认真贯彻落实《条例》要求。', apps.text, review.text, AFTER_REVIEW].join(sep);
  return { text: `${title(rng, year)}\n${body}\n`, tables: [apps.table, review.table] };
}

// ───────────────────────── 2008-era provincial table (本年度 / 历年累计) ─────────────────────────

/** A row's pair: 本年度 ≤ 历年累计. */
interface Pair {
  year: number;
  cumulative: number;
}

function pairFrom(rng: Rng, profile: Profile): Pair {
  const year = skewed(rng, profile);
  return { year, cumulative: year + (chance(rng, 0.6) ? skewed(rng, profile) * (1 + int(rng, 5)) : 0) };
}

/** A pair bounded by another (a channel of a total): part.year ≤ whole.year, part.cumulative ≤ whole.cumulative. */
function pairWithin(rng: Rng, whole: Pair): Pair {
  const year = upTo(rng, whole.year);
  return { year, cumulative: year + upTo(rng, whole.cumulative - whole.year) };
}

/** Parts whose sum stays within the whole: the whole is built on them. */
function wholeOver(rng: Rng, profile: Profile, parts: Pair[]): Pair {
  const slackYear = chance(rng, 0.7) ? 0 : skewed(rng, profile);
  const slackCumulative = slackYear + (chance(rng, 0.5) ? 0 : skewed(rng, profile));
  return {
    year: parts.reduce((n, p) => n + p.year, 0) + slackYear,
    cumulative: parts.reduce((n, p) => n + p.cumulative, 0) + slackCumulative,
  };
}

const UNIT_OF: Record<string, string> = { feeWaivers: '元', suitsAndTips: '件', reconsideration: '件', litigation: '件', appeals: '件' };

export function provincialPage(seed: number): GeneratedPage {
  const rng = seededRandom(seed);
  const profile = pick(rng, PROFILES);
  const t = PROVINCIAL;
  const present = new Set(t.rows.map((r) => r.id).filter((id) => chance(rng, ['proactive', 'received', 'answered'].includes(id) ? 0.95 : 0.6)));
  // Rows that print one number for two channels stand in for them, never beside them.
  if (present.has('letterOrFax')) {
    present.delete('letter');
    present.delete('fax');
  }
  // A breakdown (其中：1. …) is printed under its total: no total, no breakdown.
  const HEADS: Record<string, string[]> = {
    proactive: ['website', 'gazette', 'otherChannels'],
    received: ['inPerson', 'fax', 'email', 'online', 'letter', 'letterOrFax', 'otherForm'],
    answered: ['granted', 'partial', 'denied', 'otherAnswer'],
  };
  for (const [head, subs] of Object.entries(HEADS)) if (!present.has(head)) for (const sub of subs) present.delete(sub);
  const pairs = new Map<string, Pair>();
  const proactive = pairFrom(rng, profile);
  pairs.set('proactive', proactive);
  for (const id of ['website', 'gazette', 'otherChannels']) pairs.set(id, pairWithin(rng, proactive));
  const channels = ['inPerson', 'fax', 'email', 'online', 'letter', 'letterOrFax', 'otherForm'];
  const answers = ['granted', 'partial', 'denied', 'otherAnswer'];
  const small = { ...profile, zero: Math.max(profile.zero, 0.6) };
  for (const id of [...channels, ...answers]) pairs.set(id, present.has(id) ? pairFrom(rng, small) : { year: 0, cumulative: 0 });
  pairs.set('received', wholeOver(rng, small, channels.map((id) => pairs.get(id)!)));
  pairs.set('answered', wholeOver(rng, small, answers.map((id) => pairs.get(id)!)));
  for (const id of ['feeWaivers', 'suitsAndTips', 'reconsideration', 'litigation', 'appeals']) pairs.set(id, pairFrom(rng, small));

  const s = spacing(rng);
  const withUnits = chance(rng, 0.85);
  const truth = new Map<string, number>();
  const printed = new Set<string>();
  const parts: string[] = [];
  const year = 2008 + int(rng, 9);
  parts.push(`五、政府信息公开情况统计表${chance(rng, 0.5) ? ' ' : ''}指标名称计量单位${year}年度历年累计`);
  /** 其中：1. 2. … under a total: each group numbered from 1 (printed or not, its total heads it). */
  const GROUP_OF = new Map<string, string>([
    ...['website', 'gazette', 'otherChannels'].map((id) => [id, 'proactive'] as const),
    ...channels.map((id) => [id, 'received'] as const),
    ...answers.map((id) => [id, 'answered'] as const),
  ]);
  let group: string | undefined;
  let item = 0;
  for (const r of t.rows) {
    if (!present.has(r.id)) continue;
    const p = pairs.get(r.id)!;
    let prefix = '';
    const inGroup = GROUP_OF.get(r.id);
    if (inGroup !== group) item = 0;
    group = inGroup;
    if (inGroup) {
      item++;
      prefix = `${item === 1 ? '其中：' : ''}${item}${pick(rng, ['.', '、'])}`;
    }
    const unit = withUnits ? (UNIT_OF[r.id] ?? '条') : '';
    parts.push(row(rng, `${prefix}${labelOf(rng, r)}${unit}`, [p.year, p.cumulative], s));
    r.keys.forEach((k, col) => {
      if (k === null) return;
      truth.set(k, (truth.get(k) ?? 0) + (col === 0 ? p.year : p.cumulative));
      printed.add(k);
    });
  }
  const body = `一、概述本年度，我单位政府信息公开工作稳步开展。${parts.join(chance(rng, 0.3) ? ' ' : '')}`;
  return { text: `${title(rng, year)}\n${body}\n`, tables: [{ templateId: t.id, truth, printed }] };
}

// ───────────────────────── 2008-era national table (统计数) ─────────────────────────

/** The national table as printed: its group headings, numbering and units, row by row. */
const NATIONAL_LAYOUT: Array<[string | null, string, string]> = [
  [null, '一、主动公开情况', ''],
  ['proactive.total', '（一）', '条'],
  ['proactive.normativeDocs', '', '条'],
  ['proactive.normativeDocsIssued', '', '件'],
  [null, '（二）通过不同渠道和方式公开政府信息的情况', ''],
  ['proactive.channel.gazette', '1.', '条'],
  ['proactive.channel.website', '2.', '条'],
  ['proactive.channel.weibo', '3.', '条'],
  ['proactive.channel.wechat', '4.', '条'],
  ['proactive.channel.media', '#', '条'],
  ['proactive.channel.other', '#', '条'],
  [null, '二、回应解读情况', ''],
  ['response.hotTopics', '（一）', '次'],
  [null, '（二）通过不同方式回应解读的情况', ''],
  ['response.pressConferences', '1.', '次'],
  ['response.pressConferencesByHead', '', '次'],
  ['response.onlineInterviews', '2.', '次'],
  ['response.onlineInterviewsByHead', '', '次'],
  ['response.interpretations', '3.', '篇'],
  ['response.socialMedia', '4.', '次'],
  ['response.other', '5.', '次'],
  [null, '三、依申请公开情况', ''],
  ['applications.received', '（一）', '件'],
  ['applications.channel.inPerson', '1.', '件'],
  ['applications.channel.fax', '2.', '件'],
  ['applications.channel.online', '3.', '件'],
  ['applications.channel.letter', '4.', '件'],
  ['applications.channel.phone', '5.', '件'],
  ['applications.closed', '（二）', '件'],
  ['applications.closedOnTime', '1.', '件'],
  ['applications.closedExtended', '2.', '件'],
  ['applications.answered', '（三）', '件'],
  ['applications.outcome.alreadyPublic', '1.', '件'],
  ['applications.outcome.granted', '2.', '件'],
  ['applications.outcome.partial', '3.', '件'],
  ['applications.outcome.denied', '4.', '件'],
  ['applications.denied.stateSecret', '', '件'],
  ['applications.denied.commercialSecret', '', '件'],
  ['applications.denied.privacy', '', '件'],
  ['applications.denied.securityStability', '', '件'],
  ['applications.denied.notGovInfo', '', '件'],
  ['applications.denied.otherLaw', '', '件'],
  ['applications.outcome.notThisAgency', '5.', '件'],
  ['applications.outcome.notExist', '6.', '件'],
  ['applications.outcome.clarify', '7.', '件'],
  ['applications.outcome.otherChannel', '8.', '件'],
  ['reconsideration.total', '四、', '件'],
  ['reconsideration.upheld', '（一）', '件'],
  ['reconsideration.corrected', '（二）', '件'],
  ['reconsideration.other', '（三）', '件'],
  ['litigation.total', '五、', '件'],
  ['litigation.upheld', '（一）', '件'],
  ['litigation.corrected', '（二）', '件'],
  ['litigation.other', '（三）', '件'],
  ['complaints.total', '六、', '件'],
  ['fees.amount', '七、', '万元'],
  [null, '八、机构建设和保障经费情况', ''],
  ['capacity.units', '（一）', '个'],
  ['capacity.readingRooms', '（二）', '个'],
  ['capacity.staff', '（三）', '人'],
  ['capacity.fullTime', '1.', '人'],
  ['capacity.partTime', '2.', '人'],
  ['capacity.budget', '（四）', '万元'],
  [null, '九、政府信息公开会议和培训情况', ''],
  ['training.meetings', '（一）', '次'],
  ['training.sessions', '（二）', '次'],
  ['training.trainees', '（三）', '人次'],
];

const NATIONAL_SUMS: Array<[string, string[]]> = [
  ['applications.closed', ['applications.closedOnTime', 'applications.closedExtended']],
  ['applications.outcome.denied', ['applications.denied.stateSecret', 'applications.denied.commercialSecret', 'applications.denied.privacy', 'applications.denied.securityStability', 'applications.denied.notGovInfo', 'applications.denied.otherLaw']],
  ['reconsideration.total', ['reconsideration.upheld', 'reconsideration.corrected', 'reconsideration.other']],
  ['litigation.total', ['litigation.upheld', 'litigation.corrected', 'litigation.other']],
];
const NATIONAL_AT_MOST: Array<[string, string[]]> = [
  ['proactive.total', ['proactive.normativeDocs']],
  ['applications.received', ['applications.channel.inPerson', 'applications.channel.fax', 'applications.channel.online', 'applications.channel.letter', 'applications.channel.phone']],
  ['capacity.staff', ['capacity.fullTime', 'capacity.partTime']],
];
const MONEY = new Set(['fees.amount', 'capacity.budget']);

export function nationalPage(seed: number): GeneratedPage {
  const rng = seededRandom(seed);
  const profile = pick(rng, PROFILES);
  const rows = new Map(NATIONAL.rows.map((r) => [r.keys[0]!, r]));
  const values = new Map<string, number>();
  for (const key of rows.keys()) {
    values.set(key, MONEY.has(key) && chance(rng, 0.3) ? (1 + int(rng, 999)) / (chance(rng, 0.5) ? 10 : 100) : skewed(rng, profile));
  }
  for (const [total, parts] of NATIONAL_SUMS) values.set(total, parts.reduce((n, k) => n + values.get(k)!, 0));
  for (const [whole, parts] of NATIONAL_AT_MOST) values.set(whole, parts.reduce((n, k) => n + values.get(k)!, 0) + (chance(rng, 0.6) ? 0 : skewed(rng, profile)));
  // 主动公开 is the busiest row of the table.
  values.set('proactive.total', values.get('proactive.total')! + skewed(rng, profile) * 10);

  const withMedia = chance(rng, 0.3);
  const withPhone = chance(rng, 0.3);
  const s = spacing(rng);
  const truth = new Map<string, number>();
  const printed = new Set<string>();
  const parts: string[] = [];
  let channelItem = 4;
  const dot = chance(rng, 0.8) ? '.' : '、';
  for (const [key, numbering, unit] of NATIONAL_LAYOUT) {
    if (key === null) {
      parts.push(numbering);
      continue;
    }
    const r = rows.get(key)!;
    if (key === 'proactive.channel.media' && !withMedia) continue;
    if (key === 'applications.channel.phone' && !withPhone) continue;
    const number = (numbering === '#' ? `${++channelItem}.` : numbering).replace('.', dot);
    const v = values.get(key)!;
    truth.set(key, v);
    printed.add(key);
    parts.push(row(rng, `${number}${labelOf(rng, r)}${chance(rng, 0.5) ? unit : ''}`, [v], s));
  }
  const year = 2015 + int(rng, 4);
  const heading = `附件政府信息公开情况统计表（${year}年度）${chance(rng, 0.5) ? ' ' : ''}统计指标单位统计数`;
  const body = `一、概述本年度，我单位政府信息公开工作稳步开展。${heading}${parts.join(chance(rng, 0.3) ? ' ' : '')}`;
  // Only the table's own rows are known; a row the prose states again is not generated.
  return { text: `${title(rng, year)}\n${body}\n`, tables: [{ templateId: NATIONAL.id, truth, printed }] };
}

/** The figure keys each template can report (with the review table's litigation sums). */
export function templateKeys(templateId: string): Set<string> {
  const all = [APPLICATIONS_2021, APPLICATIONS_2019, REVIEW, NATIONAL, PROVINCIAL].find((t) => t.id === templateId)!;
  const keys = new Set(all.rows.flatMap((r) => r.keys).filter((k): k is string => k !== null));
  if (templateId === REVIEW.id) for (const c of ['upheld', 'corrected', 'other', 'pending', 'total']) keys.add(`litigation.${c}`);
  return keys;
}

/** What the extractor made of one generated table. */
export interface TableScore {
  /** cells read with their true value */
  recovered: number;
  /** cells left out, each named by a warning */
  leftOut: number;
  /** cells read with a value that is not the truth */
  wrong: Array<{ key: string; read: number; truth: number }>;
  /** cells left out that no warning names */
  silent: string[];
  /** keys the page does not print that were reported anyway, with another value than the truth */
  invented: Array<{ key: string; read: number; truth: number | undefined }>;
}

/** Warnings that say a cell was left out. */
export const LEFT_OUT_CODES = new Set(['AMBIGUOUS_CELL_SPLIT', 'UNREADABLE_TABLE_ROW', 'BLANK_TABLE_CELLS']);

/** A summed key (litigation.* of the review table) is read from its parts: it is as covered as they are. */
const SUM_PARTS: Record<string, string[]> = Object.fromEntries(
  ['upheld', 'corrected', 'other', 'pending', 'total'].map((c) => [`litigation.${c}`, [`litigation.direct.${c}`, `litigation.afterReview.${c}`]]),
);

export function scoreTable(
  table: GeneratedTable,
  report: { figures: Record<string, { value: number }>; warnings: Array<{ code: string; figureKeys?: string[] }> } | undefined,
): TableScore {
  const score: TableScore = { recovered: 0, leftOut: 0, wrong: [], silent: [], invented: [] };
  const named = new Set(report?.warnings.filter((w) => LEFT_OUT_CODES.has(w.code)).flatMap((w) => w.figureKeys ?? []) ?? []);
  const covered = (key: string): boolean => named.has(key) || (SUM_PARTS[key]?.some((p) => !report?.figures[p] && covered(p)) ?? false);
  for (const key of table.printed) {
    const read = report?.figures[key];
    const truth = table.truth.get(key)!;
    if (!read) {
      if (covered(key)) score.leftOut++;
      else score.silent.push(key);
    } else if (Math.abs(read.value - truth) > 1e-9) score.wrong.push({ key, read: read.value, truth });
    else score.recovered++;
  }
  for (const key of templateKeys(table.templateId)) {
    if (table.printed.has(key)) continue;
    const read = report?.figures[key];
    if (read && read.value !== table.truth.get(key)) score.invented.push({ key, read: read.value, truth: table.truth.get(key) });
  }
  return score;
}
