// Figures stated in prose (2008-era reports, and the 总体情况 of the standard ones). Each number
// is read with the words just before it (its "lead", back to the previous number in the same
// sentence): the label vocabulary of figures.md decides the key. Rules are ordered from the
// specific (a channel, 累计) to the general; the first statement of a key in a report wins.
// Statements that something did not happen (未收到申请, 没有发生行政复议) give 0.
import { FigureSet } from '../figureSet.ts';
import { numbersIn, sentenceSource, sentences, type NumberHit, type ProseStream, type Sentence } from './proseStream.ts';

interface ProseRule {
  key: string;
  lead: RegExp;
  units: RegExp;
  notLead?: RegExp;
  sentence?: RegExp;
  /** the sentence's section heading must match */
  heading?: RegExp;
  /** the label may stand in the previous sentence when this one only says 举办/召开 N 次 */
  carry?: boolean;
}

const ITEMS = /^(条|件|篇)$/;
const CASES = /^(件|个|宗|例|条|次|起)$/;
const TIMES = /^(次|场|期)$/;
const INFO_END = /(信息|文件|稿件)$/;

const RULES: ProseRule[] = [
  {
    key: 'proactive.cumulative',
    // 累计主动公开政府信息N条, 累计达到N条 — not 累计主动公开采购信息N条 (one kind of information).
    lead: /累计[^，；]{0,4}(主动)?公开的?(政府|政务)?(信息|文件)?(总数|数量|总量)?(共|为|达|达到)?$|累计(达到|达|为)?$/,
    sentence: /主动公开|公开(政府|政务)信息/,
    units: ITEMS,
    notLead: /申请/,
  },
  // 通过《政府公报》公开…文件，…，以及…等政府信息 123 条: the list may run over several clauses.
  { key: 'proactive.channel.gazette', lead: /公报[^；]*(信息|文件)$/, units: ITEMS },
  { key: 'proactive.channel.website', lead: /(网站|门户网)[^，；]*(公开|发布)[^，；]{0,8}(信息|文件)$/, units: ITEMS, notLead: /申请/ },
  { key: 'proactive.channel.weibo', lead: /微博[^，；]{0,12}$/, units: ITEMS },
  { key: 'proactive.channel.wechat', lead: /微信[^，；]{0,12}$/, units: ITEMS },
  { key: 'proactive.channel.media', lead: /(报刊|报纸|广播|电视|电台|日报|媒体)[^，；]*(信息|新闻|稿件)$/, units: ITEMS },
  // A count since some earlier year (累计…) is not this year's.
  { key: 'proactive.total', lead: /(主动公开|公开政务信息|公开政府信息|公布政府信息)[^，；]{0,8}$/, units: ITEMS, notLead: /申请|累计/ },
  // 全年主动公开本区各级单位政府信息1234条: who published stands between the verb and 信息.
  { key: 'proactive.total', lead: /主动公开[^，；]{0,12}(政府|政务)信息$/, units: ITEMS, notLead: /申请|其他/ },
  { key: 'proactive.total', lead: /共[^，；]{0,6}信息$/, units: ITEMS, heading: /主动公开/, notLead: /申请/ },
  { key: 'response.pressConferences', lead: /新闻发布会[^，；]{0,6}$/, units: TIMES, carry: true },
  { key: 'response.onlineInterviews', lead: /在线访谈[^，；]{0,6}$/, units: TIMES },
  { key: 'response.interpretations', lead: /解读[^，；]{0,8}$/, units: /^(条|篇|个|件)$/ },
  { key: 'applications.channel.inPerson', lead: /当面(申请|提出)?[^，；]{0,3}$/, units: CASES },
  { key: 'applications.channel.online', lead: /(网络|网上|在线|电子邮件|邮件|网站)(申请|提出)[^，；]{0,3}$/, units: CASES },
  { key: 'applications.channel.letter', lead: /(信函|邮寄)(申请|提出)?[^，；]{0,3}$/, units: CASES },
  { key: 'applications.channel.fax', lead: /传真(申请|提出)?[^，；]{0,3}$/, units: CASES },
  { key: 'applications.channel.phone', lead: /电话(申请|提出)[^，；]{0,3}$/, units: CASES },
  { key: 'applications.carriedOver', lead: /上年度?结转[^，；]{0,6}$/, units: CASES },
  { key: 'applications.outcome.partial', lead: /部分公开[”"’]?的?$/, units: CASES },
  { key: 'applications.outcome.denied', lead: /(不予公开|不同意公开)[”"’]?的?$/, units: CASES },
  { key: 'applications.outcome.granted', lead: /(同意公开|予以公开)[”"’]?的?$/, units: CASES, notLead: /(部分|不予|不同意)公开[”"’]?的?$/ },
  { key: 'applications.outcome.notExist', lead: /信息不存在[”"’]?的?$/, units: CASES },
  { key: 'applications.outcome.notThisAgency', lead: /(非本机关|不属于本(行政)?机关)[^，；]{0,10}$/, units: CASES },
  {
    key: 'applications.received',
    lead: /(受理|收到|接到|接收)[^，；]{0,20}申请[^，；]{0,12}$/,
    sentence: /公开/,
    units: CASES,
    notLead: /复议|诉讼|投诉|举报|咨询|结转/,
  },
  { key: 'applications.answered', lead: /答复[^，；]{0,3}$/, sentence: /申请/, units: CASES },
  { key: 'applications.closed', lead: /办结[^，；]{0,3}$/, sentence: /申请/, units: CASES, notLead: /复议|诉讼|热线|信箱|投诉|举报/ },
  { key: 'reconsideration.total', lead: /行政复议[^，；]{0,10}$/, units: CASES },
  { key: 'litigation.total', lead: /行政诉讼[^，；]{0,10}$/, units: CASES },
  { key: 'capacity.staff', lead: /工作人员[^，；]{0,2}$/, sentence: /信息公开|政务公开/, units: /^(人|名)$/ },
];

/** Results of 复议/诉讼 cases listed after their total: 其中结果维持 72 件，结果纠正 64 件… */
const CASE_RESULTS: Array<[RegExp, string]> = [
  [/维持[^，；]{0,6}$/, 'upheld'],
  [/(纠正|纠错)[^，；]{0,6}$/, 'corrected'],
  [/其他(结果|情形)[^，；]{0,4}$/, 'other'],
  [/尚未审结[^，；]{0,4}$/, 'pending'],
];

const FEES = /(信息处理费|收取[^，；]{0,8}费用?|收费)[^，；]{0,8}$/;

function ruleMatches(rule: ProseRule, lead: string, sentence: string, inHeading: (re: RegExp) => boolean): boolean {
  if (!rule.lead.test(lead)) return false;
  if (rule.notLead?.test(lead)) return false;
  if (rule.sentence && !rule.sentence.test(sentence)) return false;
  if (rule.heading && !inHeading(rule.heading)) return false;
  return true;
}

/**
 * What readNumber asks of a sentence before each of its numbers, found once per sentence: a
 * sentence may hold thousands of numbers, and asking its text up to each one again made the
 * work grow with the square of its length.
 */
class SentenceIndex {
  readonly sentence: Sentence;
  private readonly breakdownAt: number;
  private readonly cases: { reconsideration: number[]; litigation: number[] };
  private readonly headingEnds = new Map<RegExp, number>();

  constructor(sentence: Sentence) {
    this.sentence = sentence;
    const at = sentence.text.indexOf('其中');
    this.breakdownAt = at < 0 ? Infinity : at + 2;
    this.cases = { reconsideration: occurrences(sentence.text, '复议'), litigation: occurrences(sentence.text, '诉讼') };
  }

  /** Whether 其中 stands before offset `at` (a breakdown has begun). */
  breakdownBefore(at: number): boolean {
    return this.breakdownAt <= at;
  }

  /** The case kind (复议 or 诉讼) named last before offset `at`, if any. */
  lastCaseBefore(at: number): 'reconsideration' | 'litigation' | null {
    const r = lastBefore(this.cases.reconsideration, at - 2);
    const l = lastBefore(this.cases.litigation, at - 2);
    if (r < 0 && l < 0) return null;
    return r >= l ? 'reconsideration' : 'litigation';
  }

  /**
   * Whether `re` (a word of a heading: it matches within a line) is in the section heading or in
   * the sentence before offset `at` (a heading whose line break was lost stands there).
   */
  headingHas(re: RegExp, heading: string, at: number): boolean {
    if (re.test(heading)) return true;
    let end = this.headingEnds.get(re);
    if (end === undefined) {
      const m = re.exec(this.sentence.text);
      end = m ? m.index + m[0].length : Infinity;
      this.headingEnds.set(re, end);
    }
    return end <= at;
  }
}

/** Where `word` starts in `text`, in order. */
function occurrences(text: string, word: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) out.push(at);
  return out;
}

/** The last of the sorted `positions` that is at most `limit` (-1: none). */
function lastBefore(positions: number[], limit: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (positions[mid]! <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? positions[lo - 1]! : -1;
}

const SECTION_HEADING = /^[#]*([（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．])/;

interface Candidate {
  key: string;
  value: number;
  approx: boolean;
  sentence: Sentence;
  /** a number of a breakdown (after 其中), not a statement of the whole */
  inBreakdown: boolean;
  /** a count that can be added to others of its kind (not a "did not happen" zero) */
  summable: boolean;
}

export function readProseFigures(stream: ProseStream, out: FigureSet): void {
  let heading = '';
  let paragraph: Candidate[] = [];
  let breakdown = false;
  const flush = () => {
    addParagraph(stream, paragraph, out);
    paragraph = [];
    breakdown = false;
  };
  for (const s of sentences(stream)) {
    if (!s.previous) flush();
    if (SECTION_HEADING.test(s.text) && s.text.length <= 30) heading = s.text;
    const index = new SentenceIndex(s);
    for (const hit of numbersIn(s.text)) {
      const found = readNumber(index, hit, heading);
      const inBreakdown = breakdown || index.breakdownBefore(hit.at);
      if (found) paragraph.push({ ...found, approx: hit.approx, sentence: s, inBreakdown, summable: true });
    }
    for (const key of zeroStatements(s.text)) {
      paragraph.push({ key, value: 0, approx: false, sentence: s, inBreakdown: false, summable: false });
    }
    if (s.text.includes('其中')) breakdown = true;
  }
  flush();
}

/**
 * The first statement of each key wins, except when a paragraph gives a figure only as the
 * parts of a breakdown (其中，A 同意公开 1 件；B 1 件；C 8 件): then the parts are added up.
 */
function addParagraph(stream: ProseStream, candidates: Candidate[], out: FigureSet): void {
  const byKey = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const list = byKey.get(c.key) ?? [];
    list.push(c);
    byKey.set(c.key, list);
  }
  for (const [key, list] of byKey) {
    const first = list[0]!;
    if (list.length >= 2 && list.every((c) => c.summable && c.inBreakdown)) {
      const last = list.at(-1)!;
      const start = sentenceSource(stream, first.sentence);
      const end = sentenceSource(stream, last.sentence);
      const total = list.reduce((sum, c) => sum + c.value, 0);
      out.add(key, total, { text: stream.documentText.slice(start.start, end.end), start: start.start, end: end.end }, list.some((c) => c.approx));
      out.warn('SUMMED_BREAKDOWN', `${key} = ${list.map((c) => c.value).join(' + ')}: the text gives only its parts`, [key]);
    } else {
      out.add(key, first.value, sentenceSource(stream, first.sentence), first.approx);
    }
  }
}

function readNumber(index: SentenceIndex, hit: NumberHit, heading: string): { key: string; value: number } | null {
  const s = index.sentence;
  const lead = hit.lead;
  if (hit.unit === '元' || hit.unit === '万元') {
    if (FEES.test(lead) && /申请|信息公开|处理费/.test(s.text)) {
      return { key: 'fees.amount', value: hit.unit === '元' ? hit.value / 10_000 : hit.value };
    }
    return null;
  }
  // The case-results of review and litigation take their prefix from the last one named.
  const prefix = index.lastCaseBefore(hit.at);
  if (prefix !== null && CASES.test(hit.unit)) {
    for (const [re, suffix] of CASE_RESULTS) if (re.test(lead)) return { key: `${prefix}.${suffix}`, value: hit.value };
  }
  // A heading whose line break was lost stands at the start of the sentence itself.
  const inHeading = (re: RegExp) => index.headingHas(re, heading, hit.at);
  for (const rule of RULES) {
    if (!rule.units.test(hit.unit)) continue;
    let matched = ruleMatches(rule, lead, s.text, inHeading);
    if (!matched && rule.carry && s.previous && /^[^，；]{0,8}(举办|召开|举行|组织)[^，；]{0,4}$/.test(lead)) {
      matched = rule.lead.test(s.previous.text);
    }
    if (matched) return { key: rule.key, value: hit.value };
  }
  return null;
}

// ---------------------------------------------------------------- "did not happen" → 0

const NEG = '(未|没有|无|不曾)';
const RECONSIDERATION = /行政复议/;
const LITIGATION = /行政诉讼/;

function zeroStatements(text: string): string[] {
  const keys: string[] = [];
  const hits = numbersIn(text);
  // Asked once per kind, not once per clause: a sentence may have as many clauses as numbers.
  const numberFor = new Map<RegExp, boolean>();
  const hasNumberFor = (re: RegExp) => {
    let found = numberFor.get(re);
    if (found === undefined) numberFor.set(re, (found = hits.some((h) => re.test(h.lead) && CASES.test(h.unit))));
    return found;
  };
  for (const clause of text.split(/[，,]/)) {
    if (new RegExp(`${NEG}(收到|接到|受理|接收)[^，；]{0,40}申请`).test(clause) && !/复议|诉讼|投诉|举报/.test(clause) && /公开/.test(clause)) {
      keys.push('applications.received');
    }
    const negated = new RegExp(`${NEG}[^，；]{0,30}`).exec(clause);
    const afterNeg = negated ? clause.slice(negated.index) : '';
    const saysZero = (word: RegExp) =>
      (negated !== null && word.test(afterNeg)) || new RegExp(`${word.source}[^，；]{0,10}(为零|为0|是零)`).test(clause);
    if (saysZero(RECONSIDERATION) && !hasNumberFor(RECONSIDERATION)) keys.push('reconsideration.total');
    if (saysZero(LITIGATION) && !hasNumberFor(LITIGATION)) keys.push('litigation.total');
    if (negated && /人大代表[^，；]{0,4}建议/.test(afterNeg)) keys.push('proposals.npc');
    if (negated && /政协[^，；]{0,4}提案/.test(afterNeg)) keys.push('proposals.cppcc');
    if (negated && /举报/.test(afterNeg) && /复议|诉讼/.test(afterNeg)) keys.push('complaints.total');
  }
  if (/不收取|未收取|无收取|没有[^，；。]{0,20}收取|免费|未收费|不收费|零收费/.test(text) && /费/.test(text) && /申请|信息公开|公开事项|办理|提供|信息处理费/.test(text)) {
    if (!hits.some((h) => h.unit === '元' || h.unit === '万元')) keys.push('fees.amount');
  }
  return keys;
}
