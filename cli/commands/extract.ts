// `gongkai extract FILE [--json]`: runs the report extractor on one document.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT, printJson, wantsJson } from '../outcome.ts';
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
  usage:
    'gongkai extract FILE [--json]\n\n' +
    '  --json   print one JSON object {ok, exitCode, form, reports, warnings} on stdout\n' +
    'Exit code: 0 the document was read, 2 it could not be or holds no report (the reason on stderr; with --json also as error {code, message}).',
  async run(args: string[]): Promise<number> {
    const json = wantsJson(args);
    const files = args.filter((a) => !a.startsWith('-'));
    const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
    if (unknown.length > 0) throw new CliError('USAGE', `extract: unknown option ${unknown[0]}; the only option is --json`);
    if (files.length !== 1) throw new CliError('USAGE', 'extract: give exactly one FILE (gongkai extract FILE [--json])');
    const file = files[0]!;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException).code;
      if (errno === 'ENOENT') throw new CliError('FILE_NOT_FOUND', `extract: no such file: ${file}; check the path`);
      throw new CliError('FILE_UNREADABLE', `extract: cannot read ${file} (${errno ?? 'unreadable'}): give this user read access to it`);
    }
    let result: ExtractionResult;
    try {
      result = await extractDocument({ fileName: basename(file), bytes });
    } catch (error) {
      // One document, not read: nothing was done (exit 2).
      if (error instanceof UnreadableDocumentError) throw new CliError(error.code, `extract: ${error.message}`);
      throw error;
    }
    // A document that reads but holds no report: as for ingest, nothing was done (exit 2); the
    // warnings are still printed, they say what was found instead.
    const noReport = result.reports.length === 0 ? (result.warnings.find((w) => w.code === 'NO_REPORT_FOUND') ?? { code: 'NO_REPORT_FOUND', message: 'no disclosure report was found in the document' }) : null;
    const exitCode = noReport ? EXIT.nothingDone : EXIT.ok;
    if (json) printJson({ ok: noReport === null, exitCode, ...(noReport ? { error: { code: noReport.code, message: noReport.message } } : {}), ...toJson(result) });
    else process.stdout.write(`${summary(file, result)}\n`);
    if (noReport) console.error(`gongkai: extract: ${file}: ${noReport.message}; check that it is a 政府信息公开工作年度报告 (${noReport.code})`);
    return exitCode;
  },
};

export default command;
