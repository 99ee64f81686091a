// The label → key vocabulary of docs/figures.md, in the order the standard tables print their
// rows. Order matters: rows are aligned to this list (see rowAlignment.ts), which is how a label
// that occurs twice (被依法纠错数 under 复议 and under 诉讼) or a bare row of numbers gets its key.

export interface VocabRow {
  key: string;
  labels: string[];
  /** a subtotal or optional row: missing it is normal */
  optional?: boolean;
}

/** Applicant columns of the STD2019/STD2021 table, in print order; the 7th column is 总计. */
export const APPLICANT_SUFFIXES = ['naturalPerson', 'business', 'research', 'nonprofit', 'legalService', 'otherOrg'] as const;

/** Rows of table 三 (收到和处理政府信息公开申请情况), STD2019 and STD2021. */
export const STD_APPLICATION_ROWS: VocabRow[] = [
  { key: 'applications.received', labels: ['本年新收政府信息公开申请数量'] },
  { key: 'applications.carriedOver', labels: ['上年结转政府信息公开申请数量'] },
  { key: 'applications.outcome.granted', labels: ['予以公开'] },
  { key: 'applications.outcome.partial', labels: ['部分公开（区分处理的，只计这一情形，不计其他情形）', '部分公开'] },
  { key: 'applications.outcome.denied', labels: ['不予公开'], optional: true },
  { key: 'applications.denied.stateSecret', labels: ['属于国家秘密'] },
  { key: 'applications.denied.otherLaw', labels: ['其他法律行政法规禁止公开'] },
  { key: 'applications.denied.securityStability', labels: ['危及“三安全一稳定”'] },
  { key: 'applications.denied.thirdParty', labels: ['保护第三方合法权益'] },
  { key: 'applications.denied.internalAffairs', labels: ['属于三类内部事务信息'] },
  { key: 'applications.denied.processInfo', labels: ['属于四类过程性信息'] },
  { key: 'applications.denied.enforcementFiles', labels: ['属于行政执法案卷'] },
  { key: 'applications.denied.queryMatters', labels: ['属于行政查询事项'] },
  { key: 'applications.outcome.unavailable', labels: ['无法提供'], optional: true },
  { key: 'applications.unavailable.notHeld', labels: ['本机关不掌握相关政府信息'] },
  { key: 'applications.unavailable.needsCreation', labels: ['没有现成信息需要另行制作'] },
  { key: 'applications.unavailable.unclear', labels: ['补正后申请内容仍不明确'] },
  { key: 'applications.outcome.notProcessed', labels: ['不予处理'], optional: true },
  { key: 'applications.notProcessed.petition', labels: ['信访举报投诉类申请'] },
  { key: 'applications.notProcessed.duplicate', labels: ['重复申请'] },
  { key: 'applications.notProcessed.publications', labels: ['要求提供公开出版物'] },
  { key: 'applications.notProcessed.abusive', labels: ['无正当理由大量反复申请'] },
  { key: 'applications.notProcessed.confirmation', labels: ['要求行政机关确认或重新出具已获取信息'] },
  { key: 'applications.outcome.otherHandling', labels: ['其他处理'], optional: true },
  {
    key: 'applications.otherHandling.noCorrection',
    labels: ['申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
  },
  {
    key: 'applications.otherHandling.feeUnpaid',
    labels: ['申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
  },
  { key: 'applications.otherHandling.other', labels: ['其他'] },
  { key: 'applications.outcome.total', labels: ['总计'] },
  { key: 'applications.carriedForward', labels: ['结转下年度继续办理'] },
];

/** Rows of the 2008-era national 政府信息公开情况统计表 (one value per row). */
export const PRE2019_TABLE_ROWS: VocabRow[] = [
  { key: 'proactive.total', labels: ['主动公开政府信息数'] },
  { key: 'proactive.normativeDocs', labels: ['其中：主动公开规范性文件数'] },
  { key: 'proactive.normativeDocsIssued', labels: ['制发规范性文件总数'] },
  { key: 'proactive.channel.gazette', labels: ['政府公报公开政府信息数'] },
  { key: 'proactive.channel.website', labels: ['政府网站公开政府信息数'] },
  { key: 'proactive.channel.weibo', labels: ['政务微博公开政府信息数'] },
  { key: 'proactive.channel.wechat', labels: ['政务微信公开政府信息数'] },
  { key: 'proactive.channel.media', labels: ['报刊、广播、电视公开政府信息数'], optional: true },
  { key: 'proactive.channel.other', labels: ['其他方式公开政府信息数'] },
  { key: 'response.hotTopics', labels: ['回应公众关注热点或重大舆情数'] },
  { key: 'response.pressConferences', labels: ['参加或举办新闻发布会总次数'] },
  { key: 'response.pressConferencesByHead', labels: ['其中：主要负责同志参加新闻发布会次数'] },
  { key: 'response.onlineInterviews', labels: ['政府网站在线访谈次数'] },
  { key: 'response.onlineInterviewsByHead', labels: ['其中：主要负责同志参加政府网站在线访谈次数'] },
  { key: 'response.interpretations', labels: ['政策解读稿件发布数'] },
  { key: 'response.socialMedia', labels: ['微博微信回应事件数'] },
  { key: 'response.other', labels: ['其他方式回应事件数'] },
  { key: 'applications.received', labels: ['收到申请数'] },
  { key: 'applications.channel.inPerson', labels: ['当面申请数'] },
  { key: 'applications.channel.fax', labels: ['传真申请数'] },
  { key: 'applications.channel.online', labels: ['网络申请数', '网络（含电子邮件）申请数'] },
  { key: 'applications.channel.letter', labels: ['信函申请数'] },
  { key: 'applications.channel.phone', labels: ['电话申请数'], optional: true },
  { key: 'applications.closed', labels: ['申请办结数'] },
  { key: 'applications.closedOnTime', labels: ['按时办结数'] },
  { key: 'applications.closedExtended', labels: ['延期办结数'] },
  { key: 'applications.answered', labels: ['申请答复数'] },
  { key: 'applications.outcome.alreadyPublic', labels: ['属于已主动公开范围数'] },
  { key: 'applications.outcome.granted', labels: ['同意公开答复数'] },
  { key: 'applications.outcome.partial', labels: ['同意部分公开答复数'] },
  { key: 'applications.outcome.denied', labels: ['不同意公开答复数'] },
  { key: 'applications.denied.stateSecret', labels: ['其中：涉及国家秘密', '涉及国家秘密'] },
  { key: 'applications.denied.commercialSecret', labels: ['涉及商业秘密'] },
  { key: 'applications.denied.privacy', labels: ['涉及个人隐私'] },
  { key: 'applications.denied.securityStability', labels: ['危及国家安全、公共安全、经济安全和社会稳定'] },
  { key: 'applications.denied.notGovInfo', labels: ['不是《条例》所指政府信息'] },
  { key: 'applications.denied.otherLaw', labels: ['法律法规规定的其他情形'] },
  { key: 'applications.outcome.notThisAgency', labels: ['不属于本行政机关公开数'] },
  { key: 'applications.outcome.notExist', labels: ['申请信息不存在数'] },
  { key: 'applications.outcome.clarify', labels: ['告知作出更改补充数'] },
  { key: 'applications.outcome.otherChannel', labels: ['告知通过其他途径办理数'] },
  { key: 'reconsideration.total', labels: ['行政复议数量'] },
  { key: 'reconsideration.upheld', labels: ['维持具体行政行为数'] },
  { key: 'reconsideration.corrected', labels: ['被依法纠错数'] },
  { key: 'reconsideration.other', labels: ['其他情形数'] },
  { key: 'litigation.total', labels: ['行政诉讼数量'] },
  { key: 'litigation.upheld', labels: ['维持具体行政行为或者驳回原告诉讼请求数'] },
  { key: 'litigation.corrected', labels: ['被依法纠错数'] },
  { key: 'litigation.other', labels: ['其他情形数'] },
  { key: 'complaints.total', labels: ['举报投诉数量'] },
  { key: 'fees.amount', labels: ['依申请公开信息收取的费用'] },
  { key: 'capacity.units', labels: ['政府信息公开工作专门机构数'] },
  { key: 'capacity.readingRooms', labels: ['设置政府信息公开查阅点数'] },
  { key: 'capacity.staff', labels: ['从事政府信息公开工作人员数'] },
  { key: 'capacity.fullTime', labels: ['专职人员数（不包括政府公报及政府网站工作人员数）', '专职人员数'] },
  { key: 'capacity.partTime', labels: ['兼职人员数'] },
  { key: 'capacity.budget', labels: ['政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面经费）', '政府信息公开专项经费'] },
  { key: 'training.meetings', labels: ['召开政府信息公开工作会议或专题会议数'] },
  { key: 'training.sessions', labels: ['举办各类培训班数'] },
  { key: 'training.trainees', labels: ['接受培训人员数'] },
];

/**
 * Article-20 rows (第二十条 tables). `columns` names the keys of a row's numbers by the header
 * word found above it; `defaults` is the STD2021 column order used when no header word is read.
 */
export interface Art20Row {
  key: string;
  label: RegExp;
  defaults: string[];
}

export const ART20_ROWS: Art20Row[] = [
  { key: 'art20.rules', label: /规章/, defaults: ['issued', 'repealed', 'inForce'] },
  { key: 'art20.normativeDocs', label: /规范性文件/, defaults: ['issued', 'repealed', 'inForce'] },
  { key: 'art20.licensing', label: /行政许可/, defaults: [''] },
  { key: 'art20.otherServices', label: /其他对外管理服务事项/, defaults: [''] },
  { key: 'art20.punishment', label: /行政处罚/, defaults: [''] },
  { key: 'art20.coercion', label: /行政强制/, defaults: [''] },
  { key: 'art20.feesCollected', label: /行政事业性收费/, defaults: [''] },
  { key: 'art20.procurement', label: /政府集中采购/, defaults: ['items', 'amount'] },
];

/** Header words of article-20 columns → key suffix ('' is the row key itself). */
export const ART20_COLUMNS: Array<[RegExp, string]> = [
  [/本年制发件数|本年新制作数量/, 'issued'],
  [/本年废止件数|本年新公开数量/, 'repealed'],
  [/现行有效件数|对外公开总数量/, 'inForce'],
  [/本年增/, 'added'],
  [/本年减/, 'removed'],
  [/处理决定数量|收费金额/, ''],
  [/项目数量/, 'items'],
  [/采购总金额/, 'amount'],
];

/** The three blocks of table 四 in print order, each 维持 / 纠正 / 其他 / 尚未审结 / 总计. */
export const REVIEW_BLOCKS = ['reconsideration', 'litigation.direct', 'litigation.afterReview'] as const;
export const REVIEW_COLUMNS = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;
