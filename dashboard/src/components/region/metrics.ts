// What the region panels call each figure, in the words of the report templates, and how each is
// shown. Rates of the disclosure rollup and of Query.ranking are percent (0–100); the hotline's
// are shares (0–1): each metric says which.
import { formatCount, formatDecimal, formatRate, formatYuan } from '../../format/numbers';
import type { RankingMetric, RegionLevel } from '../../gql/graphql';

export type Unit = 'count' | 'percent' | 'share' | 'wanYuan' | 'hours' | 'decimal';

export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return formatCount(value);
  switch (unit) {
    case 'count':
      return formatCount(value);
    case 'percent':
      return formatRate(value / 100);
    case 'share':
      return formatRate(value);
    // the reports state fees in 万元
    case 'wanYuan':
      return formatYuan(Math.round(value * 10_000 * 100) / 100);
    case 'hours':
      return `${formatDecimal(value)} 小时`;
    case 'decimal':
      return formatDecimal(value);
  }
}

export const LEVEL_NAMES: Record<RegionLevel, string> = { PROVINCE: '省级', CITY: '市级', COUNTY: '县级' };

export const LEVELS: RegionLevel[] = ['PROVINCE', 'CITY', 'COUNTY'];

/** The levels at and below a region's (what its ranking can rank agencies of). */
export const levelsFrom = (level: RegionLevel): RegionLevel[] => LEVELS.slice(LEVELS.indexOf(level));

export interface MetricInfo {
  label: string;
  unit: Unit;
  /** true when a higher value is better (colours the change and the tiles). */
  higherIsBetter: boolean;
}

export const RANKING_METRICS: Record<RankingMetric, MetricInfo> = {
  FILING_RATE: { label: '报送率', unit: 'percent', higherIsBetter: true },
  MISSING_COUNT: { label: '未报送数', unit: 'count', higherIsBetter: false },
  LATE_COUNT: { label: '逾期报送数', unit: 'count', higherIsBetter: false },
  FLAGGED_COUNT: { label: '问题年报数', unit: 'count', higherIsBetter: false },
  APPLICATIONS_RECEIVED: { label: '新收申请（件）', unit: 'count', higherIsBetter: true },
  APPLICATIONS_PER_AGENCY: { label: '每个机关新收申请（件）', unit: 'decimal', higherIsBetter: true },
  DENIAL_RATE: { label: '不予公开率', unit: 'percent', higherIsBetter: false },
  CORRECTION_RATE: { label: '纠错率', unit: 'percent', higherIsBetter: false },
};

/** 热线 lines as Region.reportedHotlines names them. */
export const REPORTED_LINE_NAMES: Record<string, string> = {
  '12345': '12345 政务服务便民热线',
  '12365': '12365 质量监督（市场监管）热线',
  '12350': '12350 安全生产举报热线',
  '12315': '12315 消费者投诉举报热线',
  '12369': '12369 环保举报热线',
  line: '政风行风热线',
  mailbox: '领导信箱',
  disclosure: '政务公开咨询电话',
  online: '网上咨询投诉平台',
  other: '其他渠道',
};
