export type Severity = 'INFO' | 'WARNING' | 'ERROR';

/** What an inspector must look at: a stable code, a severity, a message in Chinese, the figures involved. */
export interface OversightFlag {
  code: string;
  severity: Severity;
  message: string;
  figureKeys: string[];
  details: Record<string, unknown>;
}

/** A report's figures by full key (`applications.received@naturalPerson`). */
export type FigureValues = ReadonlyMap<string, number>;

export const SEVERITY_RANK: Record<Severity, number> = { INFO: 0, WARNING: 1, ERROR: 2 };

const APPLICANT_NAMES: Record<string, string> = {
  '': '总计',
  naturalPerson: '自然人',
  business: '商业企业',
  research: '科研机构',
  nonprofit: '社会公益组织',
  legalService: '法律服务机构',
  otherOrg: '其他',
};

export const applicantColumnName = (applicant: string): string => APPLICANT_NAMES[applicant] ?? applicant;

/** `key` for the total column, `key@applicant` for an applicant's. */
export const columnKey = (key: string, applicant: string): string => (applicant ? `${key}@${applicant}` : key);
