// `gongkai extract FILE [--json]`: runs the report extractor on one document.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import {
  extractDocument,
  UnreadableDocumentError,
  type ExtractedReport,
  type ExtractionResult,
  type ExtractionWarning,
} from '../../subgraphs/reports/extraction/index.ts';

function toJson(result: ExtractionResult): object {
  return {
    form: result.form,
    reports: result.reports.map((r) => ({
      agencyName: r.agencyName,
      regionCode: r.regionCode,
      level: r.level,
      year: r.year,
      publishedOn: r.publishedOn,
      format: r.format,
      selfCheck: r.selfCheck,
      figures: r.figures,
      warnings: r.warnings,
    })),
    warnings: result.warnings,
  };
}

const warningLine = (w: ExtractionWarning) => `  ! ${w.code}: ${w.message}${w.figureKeys ? ` [${w.figureKeys.slice(0, 4).join(', ')}${w.figureKeys.length > 4 ? ', …' : ''}]` : ''}`;

function summary(file: string, result: ExtractionResult): string {
  const out: string[] = [`${file}: ${result.reports.length} report(s)`];
  for (const w of result.warnings) out.push(warningLine(w));
  result.reports.forEach((r: ExtractedReport, i) => {
    out.push('', `[${i + 1}] ${r.agencyName ?? '(agency unknown)'}`);
    out.push(`    region ${r.regionCode ?? 'unknown'} (${r.level ?? '?'}), year ${r.year ?? 'unknown'}, published ${r.publishedOn ?? 'unknown'}, format ${r.format ?? 'unknown'}`);
    const keys = Object.keys(r.figures);
    out.push(`    ${keys.length} figure(s)`);
    for (const key of keys) {
      const f = r.figures[key]!;
      const snippet = f.source ? f.source.text.replace(/\s+/g, ' ').slice(0, 60) : '';
      out.push(`    ${key.padEnd(48)} ${String(f.value).padStart(10)}${f.approx ? ' ≈' : '  '}  ${snippet}`);
    }
    for (const w of r.warnings) out.push(warningLine(w));
  });
  return out.join('\n');
}

// `summary` is also listed by the dispatcher; kept here so the module describes itself.
const command: Command & { summary: string } = {
  summary: 'Extract the reports and figures of an annual report (.txt, .html, .pdf)',
  usage: 'gongkai extract FILE [--json]\n\n  --json   print one JSON object {reports, warnings} on stdout',
  async run(args: string[]): Promise<number> {
    const json = args.includes('--json');
    const files = args.filter((a) => !a.startsWith('--'));
    const unknown = args.filter((a) => a.startsWith('--') && a !== '--json');
    if (unknown.length > 0) throw new CliError('USAGE', `extract: unknown option ${unknown[0]}`);
    if (files.length !== 1) throw new CliError('USAGE', 'extract: give exactly one FILE (gongkai extract FILE [--json])');
    const file = files[0]!;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (error) {
      throw new CliError('FILE_UNREADABLE', `extract: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 1);
    }
    let result: ExtractionResult;
    try {
      result = await extractDocument({ fileName: basename(file), bytes });
    } catch (error) {
      if (error instanceof UnreadableDocumentError) throw new CliError(error.code, `extract: ${error.message}`, 1);
      throw error;
    }
    process.stdout.write(json ? `${JSON.stringify(toJson(result))}\n` : `${summary(file, result)}\n`);
    return 0;
  },
};

export default command;
