// The canonical figure keys of ../shared/docs/figures.md, the contract between the extractor,
// the database and the schema. A key not listed here is refused when a report is submitted.
export type FigureUnit = 'COUNT' | 'AMOUNT' | 'PERCENT';

export interface FigureDefinition {
  key: string;
  label: string;
  unit: FigureUnit;
  /** STD2019/STD2021 tables give this figure per applicant kind: KEY@naturalPerson … */
  perApplicant?: boolean;
}

export const APPLICANTS = ['naturalPerson', 'business', 'research', 'nonprofit', 'legalService', 'otherOrg'] as const;
export type Applicant = (typeof APPLICANTS)[number];

const count = (key: string, label: string, perApplicant = false): FigureDefinition => ({ key, label, unit: 'COUNT', perApplicant });
const amount = (key: string, label: string): FigureDefinition => ({ key, label, unit: 'AMOUNT' });
const percent = (key: string, label: string): FigureDefinition => ({ key, label, unit: 'PERCENT' });
const applicantCount = (key: string, label: string) => count(key, label, true);

const REVIEW_RESULTS = [
  ['total', '总计'],
  ['upheld', '结果维持'],
  ['corrected', '结果纠正'],
  ['other', '其他结果'],
  ['pending', '尚未审结'],
] as const;

export const HOTLINE_LINES = ['12345', '12365', '12350', '12315', '12369', 'line', 'mailbox', 'disclosure', 'online', 'other'] as const;
export const HOTLINE_METRICS = [
  ['calls', '来电/接听总数', 'COUNT'],
  ['consultations', '咨询', 'COUNT'],
  ['complaints', '投诉', 'COUNT'],
  ['tips', '举报', 'COUNT'],
  ['accepted', '受理', 'COUNT'],
  ['resolved', '办结', 'COUNT'],
  ['referred', '转办', 'COUNT'],
  ['cases', '立案', 'COUNT'],
  ['handlingRate', '办结率（%）', 'PERCENT'],
  ['satisfaction', '满意率（%）', 'PERCENT'],
] as const;

const DEFINITIONS: FigureDefinition[] = [
  count('proactive.total', '主动公开政府信息数'),
  count('proactive.cumulative', '累计主动公开'),
  count('proactive.normativeDocs', '其中：主动公开规范性文件数'),
  count('proactive.normativeDocsIssued', '制发规范性文件总数'),
  count('proactive.channel.gazette', '政府公报公开政府信息数'),
  count('proactive.channel.website', '政府网站公开政府信息数'),
  count('proactive.channel.weibo', '政务微博公开政府信息数'),
  count('proactive.channel.wechat', '政务微信公开政府信息数'),
  count('proactive.channel.media', '报刊、广播、电视'),
  count('proactive.channel.other', '其他方式公开政府信息数'),

  count('art20.rules.issued', '规章 本年制发件数'),
  count('art20.rules.repealed', '规章 本年废止件数'),
  count('art20.rules.inForce', '规章 现行有效件数'),
  count('art20.normativeDocs.issued', '行政规范性文件 本年制发件数'),
  count('art20.normativeDocs.repealed', '行政规范性文件 本年废止件数'),
  count('art20.normativeDocs.inForce', '行政规范性文件 现行有效件数'),
  count('art20.licensing', '行政许可 本年处理决定数量'),
  count('art20.licensing.added', '行政许可 本年增'),
  count('art20.licensing.removed', '行政许可 本年减'),
  count('art20.otherServices', '其他对外管理服务事项'),
  count('art20.punishment', '行政处罚 本年处理决定数量'),
  count('art20.coercion', '行政强制 本年处理决定数量'),
  amount('art20.feesCollected', '行政事业性收费 本年收费金额（万元）'),
  count('art20.procurement.items', '政府集中采购 项目数量'),
  amount('art20.procurement.amount', '政府集中采购 采购总金额（万元）'),

  count('response.hotTopics', '回应公众关注热点或重大舆情数'),
  count('response.pressConferences', '参加或举办新闻发布会总次数'),
  count('response.pressConferencesByHead', '其中：主要负责同志参加新闻发布会次数'),
  count('response.onlineInterviews', '政府网站在线访谈次数'),
  count('response.onlineInterviewsByHead', '其中：主要负责同志参加政府网站在线访谈次数'),
  count('response.interpretations', '政策解读稿件发布数'),
  count('response.socialMedia', '微博微信回应事件数'),
  count('response.other', '其他方式回应事件数'),

  applicantCount('applications.received', '本年新收政府信息公开申请数量'),
  applicantCount('applications.carriedOver', '上年结转政府信息公开申请数量'),
  count('applications.channel.inPerson', '当面申请数'),
  count('applications.channel.fax', '传真申请数'),
  count('applications.channel.online', '网络申请数'),
  count('applications.channel.letter', '信函申请数'),
  count('applications.channel.phone', '电话申请数'),
  count('applications.closed', '申请办结数'),
  count('applications.closedOnTime', '按时办结数'),
  count('applications.closedExtended', '延期办结数'),
  count('applications.answered', '申请答复数'),
  count('applications.outcome.alreadyPublic', '属于已主动公开范围数'),
  applicantCount('applications.outcome.granted', '予以公开'),
  applicantCount('applications.outcome.partial', '部分公开'),
  applicantCount('applications.outcome.denied', '不予公开'),
  applicantCount('applications.denied.stateSecret', '属于国家秘密'),
  count('applications.denied.commercialSecret', '涉及商业秘密'),
  count('applications.denied.privacy', '涉及个人隐私'),
  applicantCount('applications.denied.securityStability', '危及“三安全一稳定”'),
  count('applications.denied.notGovInfo', '不是《条例》所指政府信息'),
  applicantCount('applications.denied.otherLaw', '其他法律行政法规禁止公开'),
  applicantCount('applications.denied.thirdParty', '保护第三方合法权益'),
  applicantCount('applications.denied.internalAffairs', '属于三类内部事务信息'),
  applicantCount('applications.denied.processInfo', '属于四类过程性信息'),
  applicantCount('applications.denied.enforcementFiles', '属于行政执法案卷'),
  applicantCount('applications.denied.queryMatters', '属于行政查询事项'),
  count('applications.outcome.notThisAgency', '不属于本行政机关公开数'),
  count('applications.outcome.notExist', '申请信息不存在数'),
  count('applications.outcome.clarify', '告知作出更改补充数'),
  count('applications.outcome.otherChannel', '告知通过其他途径办理数'),
  applicantCount('applications.outcome.unavailable', '无法提供'),
  applicantCount('applications.unavailable.notHeld', '本机关不掌握相关政府信息'),
  applicantCount('applications.unavailable.needsCreation', '没有现成信息需要另行制作'),
  applicantCount('applications.unavailable.unclear', '补正后申请内容仍不明确'),
  applicantCount('applications.outcome.notProcessed', '不予处理'),
  applicantCount('applications.notProcessed.petition', '信访举报投诉类申请'),
  applicantCount('applications.notProcessed.duplicate', '重复申请'),
  applicantCount('applications.notProcessed.publications', '要求提供公开出版物'),
  applicantCount('applications.notProcessed.abusive', '无正当理由大量反复申请'),
  applicantCount('applications.notProcessed.confirmation', '要求行政机关确认或重新出具已获取信息'),
  applicantCount('applications.outcome.otherHandling', '其他处理'),
  applicantCount('applications.otherHandling.noCorrection', '申请人无正当理由逾期不补正、行政机关不再处理'),
  applicantCount('applications.otherHandling.feeUnpaid', '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理'),
  applicantCount('applications.otherHandling.other', '其他'),
  applicantCount('applications.outcome.total', '总计'),
  applicantCount('applications.carriedForward', '结转下年度继续办理'),

  ...REVIEW_RESULTS.map(([result, label]) => count(`reconsideration.${result}`, `行政复议 ${label}`)),
  ...REVIEW_RESULTS.map(([result, label]) => count(`litigation.${result}`, `行政诉讼 ${label}`)),
  ...REVIEW_RESULTS.map(([result, label]) => count(`litigation.direct.${result}`, `未经复议直接起诉 ${label}`)),
  ...REVIEW_RESULTS.map(([result, label]) => count(`litigation.afterReview.${result}`, `复议后起诉 ${label}`)),
  count('complaints.total', '举报投诉数量'),

  amount('fees.amount', '依申请公开信息收取的费用（万元）'),
  count('capacity.units', '政府信息公开工作专门机构数'),
  count('capacity.readingRooms', '设置政府信息公开查阅点数'),
  count('capacity.staff', '从事政府信息公开工作人员数'),
  count('capacity.fullTime', '专职人员数'),
  count('capacity.partTime', '兼职人员数'),
  amount('capacity.budget', '政府信息公开专项经费（万元）'),
  count('training.meetings', '召开政府信息公开工作会议或专题会议数'),
  count('training.sessions', '举办各类培训班数'),
  count('training.trainees', '接受培训人员数（人次）'),
  count('proposals.npc', '人大代表建议'),
  count('proposals.cppcc', '政协委员提案'),

  ...HOTLINE_LINES.flatMap((line) =>
    HOTLINE_METRICS.map(([metric, label, unit]) => ({ key: `hotline.${line}.${metric}`, label: `${line} ${label}`, unit }) as FigureDefinition),
  ),
];

export const FIGURES: ReadonlyMap<string, FigureDefinition> = new Map(DEFINITIONS.map((d) => [d.key, d]));

export interface ParsedKey {
  baseKey: string;
  applicant: Applicant | null;
  definition: FigureDefinition;
}

/** Splits `KEY@applicant`; null when the key (or its applicant suffix) is not in the vocabulary. */
export function parseFigureKey(key: string): ParsedKey | null {
  const [baseKey, applicant, ...rest] = key.split('@');
  const definition = FIGURES.get(baseKey!);
  if (!definition || rest.length) return null;
  if (applicant === undefined) return { baseKey: baseKey!, applicant: null, definition };
  if (!definition.perApplicant || !(APPLICANTS as readonly string[]).includes(applicant)) return null;
  return { baseKey: baseKey!, applicant: applicant as Applicant, definition };
}
