// A figure the report states twice — once in its prose, once in its tables — with two values.
import type { FigureValues, OversightFlag } from './flag.ts';

export function proseChecks(tableFigures: FigureValues, proseFigures: FigureValues): OversightFlag[] {
  return [...proseFigures].flatMap(([key, prose]) => {
    const table = tableFigures.get(key);
    if (table === undefined || Math.abs(table - prose) < 1e-6) return [];
    return [
      {
        code: 'PROSE_CONTRADICTS_TABLE',
        severity: 'WARNING' as const,
        message: `正文所述 ${key} 为 ${prose}，与表格中的 ${table} 不一致`,
        figureKeys: [key],
        details: { proseValue: prose, tableValue: table },
      },
    ];
  });
}
