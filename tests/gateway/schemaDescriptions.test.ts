// The graph is the analysts' data dictionary (a GraphQL IDE's docs panel): every type, field,
// argument, enum value and input field of every SDL in schema/ says what it is, and every figure
// of a report names the Chinese label its table gives it in ../shared/docs/figures.md.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type DocumentNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schemaFile, type SchemaFileName } from '../../lib/graphql/sdl.ts';
import { applicationsView, feesAndCapacityView, hotlinesView, proactiveView, reviewView } from '../../subgraphs/reports/figures/views.ts';
import { headlineOf } from '../../subgraphs/reports/figures/headline.ts';

const schemaDir = fileURLToPath(new URL('../../schema/', import.meta.url));
const figuresMd = readFileSync(new URL('../../../shared/docs/figures.md', import.meta.url), 'utf8');

const SDL_FILES = readdirSync(schemaDir)
  .filter((file) => file.endsWith('.graphql'))
  .map((file) => file.replace(/\.graphql$/, '') as SchemaFileName);
const sdlOf = (name: SchemaFileName) => parse(readFileSync(schemaFile(name), 'utf8'));

/** Federation's own definitions (join__*, link__*) and entry points (_service, _entities, _Any…). */
const MACHINERY = /^(join__|link__|_)/;

/** Every type, field, argument, enum value and input field of the document without a description. */
function undocumented(document: DocumentNode): string[] {
  const missing: string[] = [];
  const need = (node: { description?: { value: string } | undefined }, what: string) => {
    if (!node.description?.value.trim()) missing.push(what);
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.DIRECTIVE_DEFINITION || !('name' in definition) || !definition.name) continue;
    const type = definition.name.value;
    if (MACHINERY.test(type)) continue;
    // `extend type` cannot carry a description; its fields still must.
    if ('description' in definition) need(definition, type);
    for (const field of ('fields' in definition ? definition.fields : undefined) ?? []) {
      if (MACHINERY.test(field.name.value)) continue;
      need(field, `${type}.${field.name.value}`);
      for (const argument of ('arguments' in field ? field.arguments : undefined) ?? []) {
        need(argument, `${type}.${field.name.value}(${argument.name.value}:)`);
      }
    }
    for (const value of ('values' in definition ? definition.values : undefined) ?? []) need(value, `${type}.${value.name.value}`);
  }
  return missing;
}

// --- the labels of ../shared/docs/figures.md --------------------------------------------------

interface Labels {
  /** What the table calls this very figure (本年新收政府信息公开申请数量, 结果维持). */
  leaf: string[];
  /** What it calls the group a row of figures belongs to (行政复议, 规章). */
  group: string[];
}

const CJK = /[\u3400-\u9fff]/;
const squeeze = (text: string) => text.replace(/\s+/g, '');

/** The Chinese of a label as it can be looked for (English words and spaces dropped); null for prose patterns (受理申请N件). */
function core(text: string): string | null {
  if (/[\u3400-\u9fff]N|N[\u3400-\u9fff]/.test(text)) return null;
  const chinese = squeeze(text.replace(/[A-Za-z][A-Za-z .,'-]*/g, '')).replace(/^[,:;、/]+|[,:;、/]+$/g, '');
  return CJK.test(chinese) ? chinese : null;
}

interface LabelRow {
  matches: (key: string) => boolean;
  labels: Labels;
}

/** One row of a `| key | label |` table: `a.b.c` / `.d` / `.e` | 前缀: 甲 / 乙 / 丙 (note); 别名 */
function labelRows(keyCell: string, labelCell: string): LabelRow[] {
  const tokens = [...keyCell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  const base = tokens[0]!.split('.').slice(0, -1).join('.');
  const keys = tokens.map((token) => (token.startsWith('.') ? `${base}${token}` : token));
  const text = labelCell.replace(/`[^`]*`/g, '').replace(/\([^)]*\)/g, '');
  const perKey: Labels[] = keys.map(() => ({ leaf: [], group: [] }));
  for (const alternative of text.split(';')) {
    const prefixed = /^([^:]*):\s(.*)$/.exec(alternative.trim());
    const [prefix, rest] = prefixed ? [prefixed[1]!, prefixed[2]!] : [null, alternative];
    const parts = rest.split(' / ');
    keys.forEach((key, i) => {
      const add = (list: string[], label: string | null) => label && list.push(label);
      if (key.endsWith('.*')) add(perKey[i]!.group, core(prefix ?? rest));
      else if (keys.length === 1) add(perKey[i]!.leaf, core(alternative));
      else if (parts.length === keys.length) {
        add(perKey[i]!.leaf, core(parts[i]!));
        add(perKey[i]!.group, prefix && core(prefix));
      } else add(perKey[i]!.group, core(prefix ?? rest));
    });
  }
  return keys.map((key, i) => ({
    matches: key.endsWith('.*') ? (k: string) => k.startsWith(key.slice(0, -1)) : (k: string) => k === key,
    labels: perKey[i]!,
  }));
}

function figureLabels(markdown: string) {
  const rows: LabelRow[] = [];
  let section = '';
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) section = line;
    if (!line.startsWith('| `') || section.includes('Report identity')) continue;
    const [keyCell, labelCell] = line.split('|').slice(1, 3).map((cell) => cell.trim()) as [string, string];
    if (section.includes('Hotlines')) {
      // `| metric | meaning |`: the metric of every line, hotline.<line>.<metric>
      const metric = /`([^`]+)`/.exec(keyCell)![1]!;
      const leaf = labelCell.match(/[\u3400-\u9fff][\u3400-\u9fff/、]*/g) ?? [];
      rows.push({ matches: (key) => new RegExp(`^hotline\\.[^.]+\\.${metric}$`).test(key), labels: { leaf, group: [] } });
    } else rows.push(...labelRows(keyCell, labelCell));
  }
  const applicants = new Map([...markdown.matchAll(/`@(\w+)`\s+([\u3400-\u9fff]+)/g)].map((m) => [m[1]!, m[2]!]));
  const totalColumn = /without\s+a\s+suffix\s+is\s+the\s+([\u3400-\u9fff]+)\s+column/.exec(markdown)?.[1];
  const labelsOf = (key: string): Labels => {
    const found = rows.filter((row) => row.matches(key)).map((row) => row.labels);
    return { leaf: found.flatMap((l) => l.leaf), group: found.flatMap((l) => l.group) };
  };
  return { labelsOf, applicants, totalColumn };
}

// --- which schema field shows which figure ------------------------------------------------------

/**
 * The figure keys behind each field, found by running the resolvers' own view builders on a
 * lookup that answers every key with a number standing for it: a field whose value is that
 * number shows that figure. Region.reportedHotlines sums the same hotline.<line>.<metric> figures
 * under the same field names (rollups/reportedHotlines.ts); DisclosureTotals are the headline
 * columns (figures/headline.ts).
 */
function figureFields(document: DocumentNode) {
  const types = new Map(
    document.definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION).map((d) => [d.name.value, d]),
  );
  const probed: string[] = [];
  const probe = (key: string) => probed.push(key);
  const keyOf = (value: unknown) => probed[(value as number) - 1]!;
  const headline = headlineOf(new (class extends Map<string, number> {
    override get(key: string) {
      return probe(key);
    }
  })());
  const roots: [string, unknown][] = [
    ['AnnualReport', { proactive: proactiveView(probe), applications: applicationsView(probe), review: reviewView(probe), feesAndCapacity: feesAndCapacityView(probe), hotlines: hotlinesView(probe) }],
    ['ReportedHotlineTotals', hotlinesView(probe)],
    ['DisclosureTotals', headline],
  ];

  /** field → the keys it shows; group field → the keys below it; ApplicantBreakdown fields → applicant suffixes. */
  const leaves = new Map<string, { field: FieldDefinitionNode; keys: Set<string> }>();
  const groups = new Map<string, { field: FieldDefinitionNode; keys: Set<string> }>();
  const columns = new Map<string, { field: FieldDefinitionNode; applicant: string | null }>();
  const named = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : named(type.type));
  const note = (into: Map<string, { field: FieldDefinitionNode; keys: Set<string> }>, at: string, field: FieldDefinitionNode, keys: string[]) => {
    const entry = into.get(at) ?? { field, keys: new Set<string>() };
    for (const key of keys) entry.keys.add(key);
    into.set(at, entry);
  };

  const walk = (value: unknown, typeName: string): string[] => {
    if (Array.isArray(value)) return value.flatMap((item) => walk(item, typeName));
    const type = types.get(typeName);
    if (!type || typeof value !== 'object' || value === null) return [];
    const record = value as Record<string, unknown>;
    const isBreakdown = Object.values(record).some((v) => typeof v === 'number' && keyOf(v).includes('@'));
    const below: string[] = [];
    for (const field of type.fields ?? []) {
      const v = record[field.name.value];
      const at = `${typeName}.${field.name.value}`;
      if (typeof v === 'number') {
        const key = keyOf(v);
        if (isBreakdown) columns.set(at, { field, applicant: key.split('@')[1] ?? null });
        else note(leaves, at, field, [key]);
        below.push(key);
      } else if (v !== null && typeof v === 'object') {
        const keys = walk(v, named(field.type));
        const breakdownTotal = !Array.isArray(v) && typeof (v as Record<string, unknown>).total === 'number' && keys.some((k) => k.includes('@'));
        if (breakdownTotal) note(leaves, at, field, [keyOf((v as Record<string, unknown>).total)]);
        else note(groups, at, field, keys);
        below.push(...keys);
      }
    }
    return below;
  };
  for (const [typeName, value] of roots) walk(value, typeName);
  return { leaves, groups, columns };
}

/** Every figure field of the document whose description does not name its figure's Chinese label. */
function unlabelled(document: DocumentNode): { problems: string[]; checked: number } {
  const { labelsOf, applicants, totalColumn } = figureLabels(figuresMd);
  const { leaves, groups, columns } = figureFields(document);
  const problems: string[] = [];
  const says = (field: FieldDefinitionNode, labels: string[]) => {
    const description = squeeze(field.description?.value ?? '');
    // 结果纠正（被依法纠错） may be named 结果纠正
    return labels.some((label) => description.includes(label) || description.includes(label.replace(/（[^）]*）/g, '') || label));
  };
  for (const [at, { field, keys }] of leaves) {
    const unnamed = new Map<string, string>();
    for (const key of keys) {
      const { leaf, group } = labelsOf(key);
      // A field shared by several groups (ReviewOutcome.upheld) names the figure; the group is named where it is chosen.
      const wanted = leaf.length ? leaf : keys.size === 1 ? group : [];
      if (!leaf.length && !group.length) problems.push(`${at}: ${key} has no label in figures.md`);
      else if (wanted.length && !says(field, wanted) && !unnamed.has(wanted.join(' or '))) unnamed.set(wanted.join(' or '), key);
    }
    // once per label: ReportedHotline.calls is hotline.<line>.calls of every line
    for (const [labels, key] of unnamed) problems.push(`${at} (${key}) does not name ${labels}`);
  }
  for (const [at, { field, keys }] of groups) {
    const shared = [...keys].map((key) => labelsOf(key).group).reduce((a, b) => a.filter((label) => b.includes(label)));
    if (shared.length && !says(field, shared)) problems.push(`${at} does not name ${shared.join(' or ')}`);
  }
  for (const [at, { field, applicant }] of columns) {
    const label = applicant === null ? totalColumn : applicants.get(applicant);
    if (!label) problems.push(`${at}: the applicant column ${applicant ?? 'total'} has no label in figures.md`);
    else if (!says(field, [label])) problems.push(`${at} does not name ${label}`);
  }
  return { problems, checked: leaves.size + groups.size + columns.size };
}

describe('the data dictionary: descriptions in schema/', () => {
  it.each(SDL_FILES)('%s.graphql describes every type, field, argument, enum value and input field', (name) => {
    expect(undocumented(sdlOf(name))).toEqual([]);
  });

  it('finds what is undocumented, federation machinery aside', () => {
    const sdl = parse(`
      "documented" type T { a: Int "b" b(x: Int, "y" y: Int): Int _service: String }
      enum E { "one" ONE TWO }
      input I { "p" p: Int q: Int }
      extend type U { "f" f: Int g: Int }
      scalar join__FieldSet
      directive @d on FIELD_DEFINITION`);
    expect(undocumented(sdl)).toEqual(['T.a', 'T.b(x:)', 'E', 'E.TWO', 'I', 'I.q', 'U.g']);
  });

  it.each(['reports', 'supergraph'] as const)('%s.graphql names the Chinese label of every figure it shows (figures.md)', (name) => {
    const { problems, checked } = unlabelled(sdlOf(name));
    expect(problems).toEqual([]);
    // applicationsReceived, the typed sections' fields, the applicant columns, the hotline metrics…
    expect(checked).toBeGreaterThan(100);
  });

  it('fails a figure field that does not name its label', () => {
    const sdl = readFileSync(schemaFile('reports'), 'utf8').replace(
      '"本年新收政府信息公开申请数量: applications received this year (件)."',
      '"Applications received this year (件)."',
    );
    expect(unlabelled(parse(sdl)).problems).toEqual([
      'DisclosureTotals.applicationsReceived (applications.received) does not name 收到申请数 or 本年新收政府信息公开申请数量',
    ]);
  });
});
