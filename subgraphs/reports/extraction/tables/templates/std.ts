// The standard tables of the 2019 trial format (国办公开办函〔2019〕60号) and the 2021 format
// (国办公开办函〔2021〕30号): the 第二十条 tables of section 二, the application table of section 三
// with its applicant columns, and the review/litigation table of section 四.
import type { IdentitySpec, TableTemplate, TemplateRow } from './types.ts';

/** Applicant columns in print order; the 7th column is 总计 (the key without a suffix). */
export const APPLICANT_SUFFIXES = ['naturalPerson', 'business', 'research', 'nonprofit', 'legalService', 'otherOrg'] as const;

const byApplicant = (key: string) => [...APPLICANT_SUFFIXES.map((s) => `${key}@${s}`), key];

const appRow = (id: string, key: string, labels: string[], extra: Partial<TemplateRow> = {}): TemplateRow => ({
  id,
  labels,
  keys: byApplicant(key),
  ...extra,
});

const DENIED = ['stateSecret', 'otherLaw', 'securityStability', 'thirdParty', 'internalAffairs', 'processInfo', 'enforcementFiles', 'queryMatters'];
const UNAVAILABLE = ['notHeld', 'needsCreation', 'unclear'];
const NOT_PROCESSED = ['petition', 'duplicate', 'publications', 'abusive', 'confirmation'];
const OTHER_HANDLING = ['noCorrection', 'feeUnpaid', 'otherReason'];

const headRows: TemplateRow[] = [
  appRow('received', 'applications.received', ['本年新收政府信息公开申请数量', '本年新收申请数量']),
  appRow('carriedOver', 'applications.carriedOver', ['上年结转政府信息公开申请数量', '上年结转申请数量']),
  appRow('granted', 'applications.outcome.granted', ['予以公开']),
  appRow('partial', 'applications.outcome.partial', ['部分公开（区分处理的，只计这一情形，不计其他情形）', '部分公开']),
  appRow('denied', 'applications.outcome.denied', ['不予公开'], { optional: true, parts: DENIED }),
  appRow('stateSecret', 'applications.denied.stateSecret', ['属于国家秘密']),
  appRow('otherLaw', 'applications.denied.otherLaw', ['其他法律行政法规禁止公开']),
  appRow('securityStability', 'applications.denied.securityStability', ['危及“三安全一稳定”', '危及三安全一稳定']),
  appRow('thirdParty', 'applications.denied.thirdParty', ['保护第三方合法权益']),
  appRow('internalAffairs', 'applications.denied.internalAffairs', ['属于三类内部事务信息']),
  appRow('processInfo', 'applications.denied.processInfo', ['属于四类过程性信息']),
  appRow('enforcementFiles', 'applications.denied.enforcementFiles', ['属于行政执法案卷']),
  appRow('queryMatters', 'applications.denied.queryMatters', ['属于行政查询事项']),
  appRow('unavailable', 'applications.outcome.unavailable', ['无法提供'], { optional: true, parts: UNAVAILABLE }),
  appRow('notHeld', 'applications.unavailable.notHeld', ['本机关不掌握相关政府信息']),
  appRow('needsCreation', 'applications.unavailable.needsCreation', ['没有现成信息需要另行制作']),
  appRow('unclear', 'applications.unavailable.unclear', ['补正后申请内容仍不明确']),
  appRow('notProcessed', 'applications.outcome.notProcessed', ['不予处理'], { optional: true, parts: NOT_PROCESSED }),
  appRow('petition', 'applications.notProcessed.petition', ['信访举报投诉类申请']),
  appRow('duplicate', 'applications.notProcessed.duplicate', ['重复申请']),
  appRow('publications', 'applications.notProcessed.publications', ['要求提供公开出版物']),
  appRow('abusive', 'applications.notProcessed.abusive', ['无正当理由大量反复申请']),
  appRow('confirmation', 'applications.notProcessed.confirmation', ['要求行政机关确认或重新出具已获取信息']),
];

const tailRows: TemplateRow[] = [
  appRow('total', 'applications.outcome.total', ['总计']),
  appRow('carriedForward', 'applications.carriedForward', ['结转下年度继续办理']),
];

const OUTCOMES = ['granted', 'partial', 'denied', 'unavailable', 'notProcessed', 'otherHandling'];

const applicationIdentities: IdentitySpec[] = [
  { kind: 'rowTotal' },
  { kind: 'balance', left: ['received', 'carriedOver'], right: ['total', 'carriedForward'] },
  { kind: 'partsSum', total: 'total', parts: OUTCOMES },
];

const applicationColumns = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];

/** 2021: 其他处理 is a subtotal of three reasons. */
export const APPLICATIONS_2021: TableTemplate = {
  id: 'STD2021_APPLICATIONS',
  era: 'STD2021',
  title: '收到和处理政府信息公开申请情况',
  section: 'applications',
  columns: applicationColumns,
  rows: [
    ...headRows,
    appRow('otherHandling', 'applications.outcome.otherHandling', ['其他处理'], { optional: true, parts: OTHER_HANDLING }),
    appRow('noCorrection', 'applications.otherHandling.noCorrection', ['申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请']),
    appRow('feeUnpaid', 'applications.otherHandling.feeUnpaid', ['申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请']),
    appRow('otherReason', 'applications.otherHandling.other', ['其他']),
    ...tailRows,
  ],
  identities: applicationIdentities,
};

/** 2019 trial format: 其他处理 is one row. */
export const APPLICATIONS_2019: TableTemplate = {
  id: 'STD2019_APPLICATIONS',
  era: 'STD2019',
  title: '收到和处理政府信息公开申请情况',
  section: 'applications',
  columns: applicationColumns,
  rows: [...headRows, appRow('otherHandling', 'applications.outcome.otherHandling', ['其他处理']), ...tailRows],
  identities: applicationIdentities,
};

const REVIEW_COLUMNS = ['upheld', 'corrected', 'other', 'pending', 'total'];
const reviewRow = (id: string, prefix: string, labels: string[]): TemplateRow => ({
  id,
  labels,
  keys: REVIEW_COLUMNS.map((c) => `${prefix}.${c}`),
});

export const REVIEW: TableTemplate = {
  id: 'STD_REVIEW',
  title: '政府信息公开行政复议、行政诉讼情况',
  section: 'review',
  columns: ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
  rows: [
    reviewRow('reconsideration', 'reconsideration', ['行政复议']),
    reviewRow('direct', 'litigation.direct', ['行政诉讼未经复议直接起诉', '未经复议直接起诉']),
    reviewRow('afterReview', 'litigation.afterReview', ['复议后起诉']),
  ],
  identities: [{ kind: 'rowTotal' }],
  wide: true,
};

/** figures.md: litigation.* of the standard tables counts every suit, direct and after review. */
export const REVIEW_SUMS = REVIEW_COLUMNS.map((c) => ({ key: `litigation.${c}`, of: [`litigation.direct.${c}`, `litigation.afterReview.${c}`] }));

/** 规章 and 规范性文件: three counts (issued, repealed, in force), however the era names the columns. */
const documentCounts = (id: 'rules' | 'normativeDocs', labels: string[]): TemplateRow => ({
  id,
  labels,
  keys: ['issued', 'repealed', 'inForce'].map((c) => `art20.${id}.${c}`),
});

const single = (id: string, key: string | null, labels: string[], columns = 1): TemplateRow => ({
  id,
  labels,
  keys: [...Array.from({ length: columns - 1 }, () => null), key],
});

export const ART20_2021: TableTemplate = {
  id: 'STD2021_ART20',
  era: 'STD2021',
  title: '主动公开政府信息情况（第二十条）',
  section: 'art20',
  columns: ['本年制发件数', '本年废止件数', '现行有效件数'],
  rows: [
    documentCounts('rules', ['规章']),
    documentCounts('normativeDocs', ['行政规范性文件', '规范性文件']),
    single('licensing', 'art20.licensing', ['行政许可']),
    single('punishment', 'art20.punishment', ['行政处罚']),
    single('coercion', 'art20.coercion', ['行政强制']),
    single('feesCollected', 'art20.feesCollected', ['行政事业性收费']),
  ],
  identities: [],
  headerWords: /本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额/,
};

export const ART20_2019: TableTemplate = {
  id: 'STD2019_ART20',
  era: 'STD2019',
  title: '主动公开政府信息情况（第二十条，试行）',
  section: 'art20',
  columns: ['本年新制作数量', '本年新公开数量', '对外公开总数量'],
  rows: [
    documentCounts('rules', ['规章']),
    documentCounts('normativeDocs', ['规范性文件']),
    // 上一年项目数量 | 本年增/减 | 处理决定数量: only the decisions have a key.
    single('licensing', 'art20.licensing', ['行政许可'], 3),
    single('otherServices', 'art20.otherServices', ['其他对外管理服务事项'], 3),
    single('punishment', 'art20.punishment', ['行政处罚'], 3),
    single('coercion', 'art20.coercion', ['行政强制'], 3),
    single('fees', null, ['行政事业性收费'], 2),
    { id: 'procurement', labels: ['政府集中采购'], keys: ['art20.procurement.items', 'art20.procurement.amount'] },
  ],
  identities: [],
  headerWords: /本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增\/?减|采购项目数量/,
};
