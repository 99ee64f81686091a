// What made-up tickets are about and who calls, for the start-up sample and the synthetic seed
// alike: plausible words, no real person.
export const TOPICS: Record<string, string[]> = {
  consultation: ['社保缴费', '户籍办理', '公积金提取', '入学政策', '医保报销'],
  help: ['停水停电', '道路积水', '路灯损坏', '困难救助'],
  complaint: ['噪音扰民', '物业管理', '消费纠纷', '拖欠工资', '占道经营'],
  tip: ['违章建筑', '食品安全', '非法经营', '环境污染'],
  suggestion: ['公交线路', '停车设施', '便民服务'],
  praise: ['窗口服务', '工作人员'],
  other: ['其他事项'],
};
export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '欧阳'];
export const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰'];

/** Weights of made-up tickets' lines, categories, channels, satisfaction ratings, and of who was dispatched. */
export const LINES = [['12345', 80], ['12315', 8], ['12365', 4], ['12369', 4], ['12350', 4]] as const;
export const CATEGORIES = [['consultation', 35], ['help', 15], ['complaint', 25], ['tip', 8], ['suggestion', 10], ['praise', 3], ['other', 4]] as const;
export const CHANNELS = [['phone', 60], ['web', 15], ['app', 10], ['wechat', 12], ['letter', 3]] as const;
/** An agency of the ticket's own region, of its city, of its province, or none. */
export const DISPATCH = [['own', 55], ['city', 25], ['province', 12], ['none', 8]] as const;
export const SATISFACTION = [['SATISFIED', 75], ['BASICALLY_SATISFIED', 17], ['DISSATISFIED', 8]] as const;

const HOUR = 3_600_000;
const MINUTE = 60_000;

export type MadeUpStatus = 'RECEIVED' | 'DISPATCHED' | 'IN_PROGRESS' | 'RETURNED' | 'RESOLVED' | 'CLOSED';

export interface MadeUpTimeline {
  dueAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  dispatchedAt: Date | null;
  status: MadeUpStatus;
  events: { status: MadeUpStatus; at: Date }[];
}

/**
 * When a made-up ticket is due, dispatched, resolved and closed, and its status history: due in
 * 1–5 days by category, about one in eight resolved late, most closed two days after.
 */
export function madeUpTimeline(
  random: () => number,
  ticket: { receivedAt: Date; categoryCode: string; dispatched: boolean; resolvedShare: number },
): MadeUpTimeline {
  const { receivedAt, categoryCode } = ticket;
  const dueHours = categoryCode === 'consultation' ? 24 : categoryCode === 'help' ? 72 : 120;
  const dueAt = new Date(receivedAt.getTime() + dueHours * HOUR);
  const resolved = random() < ticket.resolvedShare;
  const late = random() < 0.12;
  const hours = late ? dueHours * (1.1 + random() * 2) : dueHours * (0.05 + 0.9 * random() ** 2);
  const resolvedAt = resolved ? new Date(receivedAt.getTime() + Math.round(hours * 60) * MINUTE) : null;
  const closedAt = resolvedAt !== null && random() < 0.7 ? new Date(resolvedAt.getTime() + 48 * HOUR) : null;
  // dispatched within 4 hours, and before resolution
  const dispatchHours = random() * Math.min(4, resolvedAt ? hours / 2 : 4);
  const dispatchedAt = ticket.dispatched ? new Date(receivedAt.getTime() + Math.round(dispatchHours * 60) * MINUTE) : null;
  const events: MadeUpTimeline['events'] = [{ status: 'RECEIVED', at: receivedAt }];
  if (dispatchedAt) events.push({ status: 'DISPATCHED', at: dispatchedAt });
  if (dispatchedAt && !resolvedAt && random() < 0.1) {
    // returned by the first agency and dispatched again
    events.push({ status: 'RETURNED', at: new Date(dispatchedAt.getTime() + 6 * HOUR) });
    events.push({ status: 'DISPATCHED', at: new Date(dispatchedAt.getTime() + 8 * HOUR) });
  }
  let status: MadeUpStatus = ticket.dispatched ? (random() < 0.5 ? 'IN_PROGRESS' : 'DISPATCHED') : 'RECEIVED';
  if (resolvedAt) {
    events.push({ status: 'RESOLVED', at: resolvedAt });
    status = 'RESOLVED';
  }
  if (closedAt) {
    events.push({ status: 'CLOSED', at: closedAt });
    status = 'CLOSED';
  }
  return { dueAt, resolvedAt, closedAt, dispatchedAt, status, events };
}
