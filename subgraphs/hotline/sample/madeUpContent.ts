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
