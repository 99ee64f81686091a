// Shared by the extraction tests: where the fixtures live, and a synthetic standard-format report.
import { fileURLToPath } from 'node:url';

/** ../shared relative to the project root (the fixtures are never copied into the project). */
export const sharedDir = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const fixturesDir = `${sharedDir}fixtures/reports/`;
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A minimal STD2021 report whose application rows are given as printed (cells as strings). */
export function stdReport(rows: { received: string; carriedOver?: string; granted: string; total: string; carriedForward?: string }): string {
  return [
    '大武口区人民政府2023年政府信息公开工作年度报告',
    '三、收到和处理政府信息公开申请情况',
    `一、本年新收政府信息公开申请数量   ${rows.received}`,
    `二、上年结转政府信息公开申请数量   ${rows.carriedOver ?? '0 0 0 0 0 0 0'}`,
    `（一）予以公开   ${rows.granted}`,
    `（七）总计   ${rows.total}`,
    `四、结转下年度继续办理   ${rows.carriedForward ?? '0 0 0 0 0 0 0'}`,
    '四、政府信息公开行政复议、行政诉讼情况',
    '五、存在的主要问题及改进情况',
  ].join('\n');
}
