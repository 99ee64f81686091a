// The agencies a synthetic region gets: its people's government, then departments in this order,
// as many as the level has today (seed/scales.ts), with the predecessors of those. Predecessors come before their successors, and the
// reorganisations are the real ones (2018 机构改革: 质监 + 工商 + 食药监 → 市场监管, 安监 →
// 应急管理, 国土 → 自然资源, 环保 → 生态环境, 农业 → 农业农村, 卫计 → 卫健; 2021 扶贫办 →
// 乡村振兴局), so a county with 40 agencies has some that closed in 2018 and some that opened.
export interface DepartmentTemplate {
  /** Name after the region's name, at province level / at city and county level. */
  provincial: string;
  local: string;
  sector: string;
  activeFrom?: number;
  activeTo?: number;
  /** Index (in this list) of the department that took it over, and when. */
  successor?: number;
}

const D = (provincial: string, local: string, sector: string, extra: Partial<DepartmentTemplate> = {}): DepartmentTemplate => ({
  provincial,
  local,
  sector,
  ...extra,
});

export const DEPARTMENTS: readonly DepartmentTemplate[] = [
  D('人民政府', '人民政府', 'GOVERNMENT'), // 0 (named specially, see governmentName)
  D('人民政府办公厅', '人民政府办公室', 'GENERAL_OFFICE'),
  D('发展和改革委员会', '发展和改革局', 'DEVELOPMENT_REFORM'),
  D('教育厅', '教育局', 'EDUCATION'),
  D('公安厅', '公安局', 'PUBLIC_SECURITY'),
  D('质量技术监督局', '质量技术监督局', 'QUALITY_SUPERVISION', { activeTo: 2018, successor: 8 }), // 5
  D('工商行政管理局', '工商行政管理局', 'INDUSTRY_COMMERCE', { activeTo: 2018, successor: 8 }),
  D('食品药品监督管理局', '食品药品监督管理局', 'FOOD_DRUG', { activeTo: 2018, successor: 8 }),
  D('市场监督管理局', '市场监督管理局', 'MARKET_REGULATION', { activeFrom: 2018 }), // 8
  D('安全生产监督管理局', '安全生产监督管理局', 'WORK_SAFETY', { activeTo: 2018, successor: 10 }),
  D('应急管理厅', '应急管理局', 'EMERGENCY_MANAGEMENT', { activeFrom: 2018 }), // 10
  D('民政厅', '民政局', 'CIVIL_AFFAIRS'),
  D('司法厅', '司法局', 'JUSTICE'),
  D('财政厅', '财政局', 'FINANCE'),
  D('人力资源和社会保障厅', '人力资源和社会保障局', 'HUMAN_RESOURCES'),
  D('国土资源厅', '国土资源局', 'NATURAL_RESOURCES', { activeTo: 2018, successor: 16 }), // 15
  D('自然资源厅', '自然资源局', 'NATURAL_RESOURCES', { activeFrom: 2018 }),
  D('环境保护厅', '环境保护局', 'ECOLOGY_ENVIRONMENT', { activeTo: 2018, successor: 18 }),
  D('生态环境厅', '生态环境局', 'ECOLOGY_ENVIRONMENT', { activeFrom: 2018 }),
  D('住房和城乡建设厅', '住房和城乡建设局', 'HOUSING'),
  D('交通运输厅', '交通运输局', 'TRANSPORT'), // 20
  D('水利厅', '水利局', 'WATER'),
  D('农业厅', '农业局', 'AGRICULTURE', { activeTo: 2018, successor: 23 }),
  D('农业农村厅', '农业农村局', 'AGRICULTURE', { activeFrom: 2018 }),
  D('商务厅', '商务局', 'COMMERCE'),
  D('卫生和计划生育委员会', '卫生和计划生育局', 'HEALTH', { activeTo: 2018, successor: 26 }), // 25
  D('卫生健康委员会', '卫生健康局', 'HEALTH', { activeFrom: 2018 }),
  D('审计厅', '审计局', 'AUDIT'),
  D('统计局', '统计局', 'STATISTICS'),
  D('政务服务和数据管理局', '政务服务和数据管理局', 'GOVERNMENT_SERVICE', { activeFrom: 2019 }),
  D('科学技术厅', '科学技术局', 'OTHER'), // 30
  D('工业和信息化厅', '工业和信息化局', 'OTHER'),
  D('文化厅', '文化广电新闻出版局', 'OTHER', { activeTo: 2018, successor: 33 }),
  D('文化和旅游厅', '文化和旅游局', 'OTHER', { activeFrom: 2018 }),
  D('退役军人事务厅', '退役军人事务局', 'OTHER', { activeFrom: 2018 }),
  D('医疗保障局', '医疗保障局', 'OTHER', { activeFrom: 2018 }), // 35
  D('扶贫开发办公室', '扶贫开发办公室', 'OTHER', { activeTo: 2021, successor: 37 }),
  D('乡村振兴局', '乡村振兴局', 'OTHER', { activeFrom: 2021 }),
  D('林业局', '林业局', 'OTHER'),
  D('信访局', '信访局', 'OTHER'),
  D('民族宗教事务委员会', '民族宗教事务局', 'OTHER'), // 40
  D('体育局', '体育局', 'OTHER'),
  D('档案局', '档案馆', 'OTHER'),
  D('机关事务管理局', '机关事务服务中心', 'OTHER'),
  D('人民防空办公室', '人民防空办公室', 'OTHER'),
  D('国有资产监督管理委员会', '国有资产监督管理局', 'OTHER'), // 45
  D('地方金融监督管理局', '金融工作办公室', 'OTHER'),
  D('粮食和物资储备局', '粮食和物资储备局', 'OTHER'),
  D('外事办公室', '外事办公室', 'OTHER'),
  D('住房公积金管理中心', '住房公积金管理中心', 'OTHER'),
  D('公共资源交易中心', '公共资源交易中心', 'OTHER'), // 50
  D('知识产权局', '知识产权局', 'OTHER'),
  D('能源局', '能源局', 'OTHER'),
  D('药品监督管理局', '药品监督管理局', 'OTHER', { activeFrom: 2018 }),
  D('监狱管理局', '城市管理局', 'OTHER'),
  D('气象局', '气象局', 'OTHER'), // 55
  D('地震局', '地震局', 'OTHER'),
  D('侨务办公室', '侨务办公室', 'OTHER'),
  D('社会保险事业管理局', '社会保险事业管理局', 'HUMAN_RESOURCES'),
  D('供销合作社联合社', '供销合作社联合社', 'OTHER'),
  D('大数据中心', '大数据中心', 'OTHER', { activeFrom: 2019 }), // 60
  D('人民政府研究室', '人民政府研究室', 'OTHER'),
  D('人民政府参事室', '人民政府参事室', 'OTHER'),
  D('地方志编纂委员会办公室', '地方志编纂委员会办公室', 'OTHER'),
  D('口岸办公室', '口岸办公室', 'OTHER'),
  D('人民政府接待办公室', '人民政府接待办公室', 'OTHER'), // 65
  D('投资促进局', '投资促进局', 'OTHER'),
  D('国防动员办公室', '国防动员办公室', 'OTHER', { activeFrom: 2022 }),
  D('人民政府驻北京办事处', '人民政府驻省会城市办事处', 'OTHER'),
  D('邮政管理局', '邮政管理局', 'OTHER'),
];
