#!/usr/bin/env node
// `npm run score [-- --verbose]`: scores the extractor (./bin/gongkai.js extract --json) with
// ../shared/tools/score-extraction.mjs on every labelled fixture (../shared/fixtures/reports and
// ../shared/fixtures/pagedumps), grouped by the form of the text, because each form fails in
// its own way:
//
//   seed prose  text of older web pages as first scraped (no page header, no layout)
//   pdftotext   `pdftotext -layout` output: columns and tables laid out with runs of spaces
//   OCR         OCR output, often converted to Markdown (pipe tables, # headings)
//   page dump   an archive's dump of a web page: a `source:` line, then a metadata header
//               (标题: …, 发布时间: …, 栏目: …) and the page text
//
// The form is what the extractor reports in its JSON (`form`) when it reports one, else it is
// read from the text, never from the file's name (formOfText). For each form the script links
// the form's .txt and .gold.json files into a temporary folder, runs the scorer on it and prints
// the scorer's per-file lines and summary line; the last line sums up all forms. Each text is
// extracted once: the scorer is handed that run's output (`score.mjs --replay`), so grouping
// costs no second extraction. Options after `--` go to the scorer (--verbose).
// Exit status 0 whatever the scores; 1 only when the scorer cannot be run.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '..', 'shared');
const scorer = join(shared, 'tools', 'score-extraction.mjs');
const fixtureDirs = [join(shared, 'fixtures', 'reports'), join(shared, 'fixtures', 'pagedumps')];
const extractor = [join(root, 'bin', 'gongkai.js'), 'extract', '--json'];

const FORMS = ['seed prose', 'pdftotext', 'OCR', 'page dump'];
/** The extractor's document forms (DocumentForm), by group. */
const FORM_OF_MODEL = { text: 'seed prose', html: 'seed prose', pdftotext: 'pdftotext', pdf: 'pdftotext', markdown: 'OCR', ocr: 'OCR', pageDump: 'page dump' };

const META_KEY = /^\s*(标题|题名|发布时间|发布日期|成文日期|文号|发布机构|发文机关|栏目|原文链接|来源|索引号)\s*[:：]/;

/** The form of a text from its content (when the extractor does not say). */
function formOfText(text) {
  const lines = text.split('\n');
  const head = lines.slice(0, 16);
  const first = head.find((l) => l.trim()) ?? '';
  // An archive's page dump: a provenance line, then the page's metadata fields.
  if (/^\s*source\s*:/i.test(first) && head.filter((l) => META_KEY.test(l)).length >= 2) return 'page dump';
  // OCR: said so in the provenance, or Markdown as OCR tools write it (pipe tables with a ruler).
  const nonEmpty = lines.filter((l) => l.trim());
  const pipeRows = nonEmpty.filter((l) => /^\s*\|.*\|\s*$/.test(l)).length;
  const ruler = nonEmpty.some((l) => /^\s*\|?\s*:?-{3,}:?\s*\|/.test(l));
  if (/\bOCR\b/i.test(head.join('\n')) || (pipeRows >= 3 && ruler)) return 'OCR';
  // pdftotext -layout: page breaks (form feeds), many lines with long runs of spaces inside.
  const spaced = nonEmpty.filter((l) => /\S[ \u3000]{3,}\S/.test(l)).length;
  if (text.includes('\f') || (spaced >= 5 && spaced >= 0.1 * nonEmpty.length)) return 'pdftotext';
  return 'seed prose';
}

/** Where the run of a text is kept: its real path (the scorer sees a link), hashed. */
const runKey = (txt) => createHash('sha1').update(realpathSync(txt)).digest('hex');

function run(cmd, args) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => done({ status: null, stdout, stderr, error }));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** `fn` over `items`, at most `n` at a time; results in order. */
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** `score.mjs --replay DIR FILE`, what the scorer runs: the kept run of the extractor on FILE. */
function replay(dir, file) {
  const kept = JSON.parse(readFileSync(join(dir, runKey(file)), 'utf8'));
  process.stdout.write(kept.stdout);
  process.stderr.write(kept.stderr);
  process.exitCode = kept.status ?? 1;
}

async function main(scorerOptions) {
  if (!existsSync(scorer)) {
    console.error(`score: the scorer is not at ${scorer}`);
    return 1;
  }
  const fixtures = [];
  for (const dir of fixtureDirs.filter((d) => existsSync(d))) {
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.gold.json')).sort()) {
      const gold = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      fixtures.push({ gold: join(dir, name), txt: join(dir, gold.file), file: gold.file, form: '' });
    }
  }
  if (fixtures.length === 0) {
    console.error(`score: no *.gold.json in ${fixtureDirs.join(', ')}`);
    return 1;
  }

  // Extract each text once; keep the run for the scorer and read the form from it.
  const parallel = Math.max(1, availableParallelism());
  const runs = mkdtempSync(join(tmpdir(), 'gongkai-score-runs-'));
  const dirs = [runs];
  try {
    await pool(fixtures, parallel, async (f) => {
      const r = await run(extractor[0], [...extractor.slice(1), f.txt]);
      const kept = { status: r.error ? 127 : r.status, stdout: r.stdout, stderr: r.error ? String(r.error.message) : r.stderr };
      writeFileSync(join(runs, runKey(f.txt)), JSON.stringify(kept));
      let said;
      try {
        said = JSON.parse(r.stdout).form;
      } catch {
        said = undefined;
      }
      f.textForm = formOfText(readFileSync(f.txt, 'utf8'));
      f.said = typeof said === 'string' ? said : null;
      f.form = (f.said && (FORM_OF_MODEL[f.said] ?? f.said)) || f.textForm;
    });

    // One folder of links per form (a second one if two fixtures of a form share a file name).
    const groups = [];
    const forms = [...FORMS, ...new Set(fixtures.map((f) => f.form).filter((x) => !FORMS.includes(x)))];
    for (const form of forms) {
      const batches = [];
      for (const f of fixtures.filter((x) => x.form === form)) {
        let batch = batches.find((b) => !b.names.has(f.file) && !b.names.has(basename(f.gold)));
        if (!batch) {
          batch = { dir: mkdtempSync(join(tmpdir(), 'gongkai-score-')), names: new Set() };
          dirs.push(batch.dir);
          batches.push(batch);
        }
        symlinkSync(f.txt, join(batch.dir, f.file));
        symlinkSync(f.gold, join(batch.dir, basename(f.gold)));
        batch.names.add(f.file).add(basename(f.gold));
      }
      for (const b of batches) groups.push({ form, dir: b.dir });
    }

    const replayCmd = [process.execPath, fileURLToPath(import.meta.url), '--replay', runs];
    const results = await pool(groups, parallel, (g) => run(process.execPath, [scorer, ...scorerOptions, '--fixtures', g.dir, '--', ...replayCmd]));

    const FILE_LINE = /: figures right (\d+), wrong (\d+), missed (\d+); identity (\d+)\/(\d+)$/;
    const total = { files: 0, unreadable: 0, right: 0, wrong: 0, missed: 0, idOk: 0, idAll: 0 };
    let failed = false;
    groups.forEach((g, i) => {
      const r = results[i];
      const out = r.stdout.trimEnd().split('\n');
      const summary = out.at(-1) ?? '';
      if (r.error || !summary.startsWith('files ')) {
        failed = true;
        console.log(`== ${g.form}: the scorer did not run (${r.error?.message ?? `exit ${r.status}`}) ${r.stderr.trim().split('\n').pop() ?? ''}`);
        return;
      }
      console.log(`== ${g.form}`);
      const first = groups.findIndex((x) => x.form === g.form) === i;
      for (const f of first ? fixtures.filter((x) => x.form === g.form && x.textForm !== x.form) : []) {
        console.log(`  ${f.file}: the extractor says form "${f.said}"; its text reads as ${f.textForm}`);
      }
      for (const line of out.slice(0, -1)) {
        console.log(line);
        const m = FILE_LINE.exec(line);
        if (m && !line.startsWith(' ')) {
          total.files++;
          total.right += Number(m[1]);
          total.wrong += Number(m[2]);
          total.missed += Number(m[3]);
          total.idOk += Number(m[4]);
          total.idAll += Number(m[5]);
        } else if (/: no JSON report list/.test(line) && !line.startsWith(' ')) total.unreadable++;
      }
      console.log(`${g.form}: ${summary}`);
    });

    const precision = total.right + total.wrong ? total.right / (total.right + total.wrong) : 0;
    const recall = total.right + total.missed ? total.right / (total.right + total.missed) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    const identity = total.idAll ? total.idOk / total.idAll : 0;
    const fmt = (x) => x.toFixed(3);
    const counts = forms.map((form) => `${form} ${fixtures.filter((f) => f.form === form).length}`).join(', ');
    console.log(`== overall (${counts})`);
    console.log(`overall: files ${total.files}, unreadable ${total.unreadable}; figures precision ${fmt(precision)} recall ${fmt(recall)} F1 ${fmt(f1)}; identity ${fmt(identity)}`);
    return failed ? 1 : 0;
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--replay') replay(args[1], args[2]);
else process.exitCode = await main(args.filter((a) => a !== '--'));
