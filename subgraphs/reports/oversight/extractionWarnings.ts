// The extractor's warnings that matter to an inspector, as flags on the stored report: figures
// that may be missing or misread, and identity the operator had to supply. Purely technical
// notes (the text's encoding) are not kept, and table inconsistencies are left to the
// subgraph's own checks (tableChecks), which see the stored figures.
import type { OversightFlag, Severity } from './flag.ts';

const KEPT: Record<string, { severity: Severity; message: string }> = {
  AMBIGUOUS_CELL_SPLIT: { severity: 'WARNING', message: '表格中数字粘连、无法唯一拆分，相关数字未录入，请核对原文' },
  UNREADABLE_TABLE_ROW: { severity: 'WARNING', message: '表格中有无法识读的行，相关数字未录入，请核对原文' },
  EXTRA_TABLE_CELLS: { severity: 'WARNING', message: '表格行的数字多于表头栏目，可能有数字误读，请核对原文' },
  BLANK_TABLE_CELLS: { severity: 'INFO', message: '表格行的数字少于表头栏目（有空白格），空白处未录入，请核对原文' },
  NO_TEXT_LAYER: { severity: 'WARNING', message: 'PDF 部分页面没有文字层（可能为扫描件），其中的数字未录入' },
  REGION_UNRESOLVED: { severity: 'INFO', message: '报告正文未写明所属行政区划，区划由录入人员指定' },
  YEAR_UNRESOLVED: { severity: 'INFO', message: '报告正文未写明统计年度，年度由录入人员指定' },
  REGION_NAME_CORRECTED: { severity: 'INFO', message: '报告中的地名经识别纠正后才与区划代码对应（疑似 OCR 错字）' },
  SUMMED_BREAKDOWN: { severity: 'INFO', message: '部分数字由正文中的分项相加得出，报告未直接给出合计' },
};

export function extractionWarningFlags(warnings: { code: string; message: string; figureKeys: string[] }[]): OversightFlag[] {
  return warnings.flatMap((warning) => {
    const kept = KEPT[warning.code];
    if (!kept) return [];
    return [
      {
        code: `EXTRACTION_${warning.code}`,
        severity: kept.severity,
        message: kept.message,
        figureKeys: warning.figureKeys,
        details: { extractor: warning.message },
      },
    ];
  });
}
