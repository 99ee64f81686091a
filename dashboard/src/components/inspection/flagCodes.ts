// What an inspector reads for a flag's code and severity. The codes are the stable ones of
// Query.flags (schema: Flag.code, docs/reports.md); a code added later still shows, under its
// own name, until it gets a label here.
import type { Severity } from '../../gql/graphql';

export const FLAG_CODE_LABELS: Readonly<Record<string, string>> = {
  MISSING_REPORT: '缺失（未报送）',
  LATE_PUBLICATION: '逾期发布',
  APPLICATION_IDENTITY: '申请办理数不平衡',
  APPLICANT_ROW_TOTAL: '申请人分栏合计不符',
  SUBTOTAL_MISMATCH: '小计与分项不符',
  OUTCOME_TOTAL_MISMATCH: '办理结果总计不符',
  REVIEW_TOTAL_MISMATCH: '复议诉讼总计不符',
  PROSE_CONTRADICTS_TABLE: '正文与表格矛盾',
  CARRY_OVER_CHAIN: '结转数与上年不衔接',
  CUMULATIVE_DECREASE: '累计公开数减少',
  NEAR_DUPLICATE_TEXT: '与上年报告雷同',
  NEEDS_REVIEW: '识读自检未通过',
  EXTRACTION_AMBIGUOUS_CELL_SPLIT: '识读：数字粘连',
  EXTRACTION_UNREADABLE_TABLE_ROW: '识读：表格行无法识读',
  EXTRACTION_EXTRA_TABLE_CELLS: '识读：数字多于栏目',
  EXTRACTION_BLANK_TABLE_CELLS: '识读：表格有空白格',
  EXTRACTION_NO_TEXT_LAYER: '识读：PDF 无文字层',
  EXTRACTION_REGION_UNRESOLVED: '识读：区划为人工指定',
  EXTRACTION_YEAR_UNRESOLVED: '识读：年度为人工指定',
  EXTRACTION_REGION_NAME_CORRECTED: '识读：地名经纠正',
  EXTRACTION_SUMMED_BREAKDOWN: '识读：合计由分项相加',
};

export const flagCodeLabel = (code: string): string => FLAG_CODE_LABELS[code] ?? code;

export const SEVERITIES: readonly Severity[] = ['ERROR', 'WARNING', 'INFO'];

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = { ERROR: '严重', WARNING: '警告', INFO: '提示' };

/** Element Plus tag colours: red for what contradicts or is missing, amber to check, grey to know. */
export const SEVERITY_TAG_TYPES: Readonly<Record<Severity, 'danger' | 'warning' | 'info'>> = { ERROR: 'danger', WARNING: 'warning', INFO: 'info' };

export const isSeverity = (value: unknown): value is Severity => typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
