// The sector an agency's name says it belongs to, for agencies registered from the reports
// they publish (名称 → 人民政府, 市场监督管理局 → 市场监管…). OTHER when the name does not say.
const RULES: [RegExp, string][] = [
  [/(人民政府|行政公署)(办公厅|办公室)?$/, 'GOVERNMENT'],
  [/市场监督管理/, 'MARKET_REGULATION'],
  [/质量技术监督/, 'QUALITY_SUPERVISION'],
  [/工商行政管理/, 'INDUSTRY_COMMERCE'],
  [/食品药品监督/, 'FOOD_DRUG'],
  [/安全生产监督/, 'WORK_SAFETY'],
  [/应急管理/, 'EMERGENCY_MANAGEMENT'],
  [/商务/, 'COMMERCE'],
  [/发展和改革|发展改革/, 'DEVELOPMENT_REFORM'],
  [/教育/, 'EDUCATION'],
  [/公安/, 'PUBLIC_SECURITY'],
  [/民政/, 'CIVIL_AFFAIRS'],
  [/司法/, 'JUSTICE'],
  [/财政/, 'FINANCE'],
  [/人力资源和社会保障|人力资源社会保障/, 'HUMAN_RESOURCES'],
  [/自然资源|国土资源/, 'NATURAL_RESOURCES'],
  [/生态环境|环境保护/, 'ECOLOGY_ENVIRONMENT'],
  [/住房和城乡建设|住房城乡建设/, 'HOUSING'],
  [/交通运输/, 'TRANSPORT'],
  [/水利|水务/, 'WATER'],
  [/农业农村|农业/, 'AGRICULTURE'],
  [/卫生健康|卫生和计划生育/, 'HEALTH'],
  [/税务/, 'TAXATION'],
  [/统计/, 'STATISTICS'],
  [/审计/, 'AUDIT'],
  [/政务服务|数据管理|大数据/, 'GOVERNMENT_SERVICE'],
];

export const sectorOfName = (name: string): string => RULES.find(([pattern]) => pattern.test(name))?.[1] ?? 'OTHER';
