// A report's figures in the order of the report itself (docs/figures.md, ../shared/docs): 主动公开,
// 依申请公开, 复议诉讼, 费用与能力, then hotlines and anything a later vocabulary adds.
import type { Applicant, ReportFormat } from '../../gql/graphql';

export interface FigureSection {
  id: string;
  title: string;
  /** For the jump links above the list. */
  short: string;
  /** Key prefixes (up to the first dot) that belong here. */
  prefixes: readonly string[];
}

export const FIGURE_SECTIONS: readonly FigureSection[] = [
  { id: 'proactive', title: '二、主动公开政府信息情况', short: '主动公开', prefixes: ['proactive', 'art20', 'response'] },
  { id: 'applications', title: '三、收到和处理政府信息公开申请情况', short: '依申请公开', prefixes: ['applications'] },
  { id: 'review', title: '四、行政复议、行政诉讼情况', short: '复议诉讼', prefixes: ['reconsideration', 'litigation', 'complaints'] },
  { id: 'fees', title: '费用、机构人员与培训', short: '费用与能力', prefixes: ['fees', 'capacity', 'training', 'proposals'] },
  { id: 'hotline', title: '热线与投诉渠道', short: '热线', prefixes: ['hotline'] },
];

const OTHER: FigureSection = { id: 'other', title: '其他', short: '其他', prefixes: [] };

export function sectionOf(key: string): FigureSection {
  const prefix = key.split('.')[0] ?? '';
  return FIGURE_SECTIONS.find((section) => section.prefixes.includes(prefix)) ?? OTHER;
}

/** The sections in report order, each with its figures (in the API's key order); empty ones left out. */
export function bySection<F extends { key: string }>(figures: readonly F[]): { section: FigureSection; figures: F[] }[] {
  return [...FIGURE_SECTIONS, OTHER]
    .map((section) => ({ section, figures: figures.filter((figure) => sectionOf(figure.key) === section) }))
    .filter((group) => group.figures.length > 0);
}

export const APPLICANT_LABELS: Readonly<Record<Applicant, string>> = {
  NATURAL_PERSON: '自然人',
  BUSINESS: '商业企业',
  RESEARCH: '科研机构',
  NONPROFIT: '社会公益组织',
  LEGAL_SERVICE: '法律服务机构',
  OTHER_ORG: '其他',
};

export const FORMAT_LABELS: Readonly<Record<ReportFormat, string>> = {
  PRE2019_TABLE: '2008 年版（统计表）',
  PRE2019_PROSE: '2008 年版（文字）',
  STD2019: '2019 年试行格式',
  STD2021: '2021 年标准格式',
};
