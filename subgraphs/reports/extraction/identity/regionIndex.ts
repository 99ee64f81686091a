// Finds region names of the registry (lib/regions/divisions.ts) in text. Only full names are
// matched (潮州市, 大兴安岭地区): short forms like 潮州 also start words (潮州日报) and would
// resolve regions the text never meant. Names shared by several regions (鼓楼区) and two-letter
// names that are also common words (城区, 和县) count only when their parent is named too.
//
// Some bodies that publish reports are not registry units (平潭综合实验区 runs 平潭县): their
// names come from nonRegistryBodies.json and resolve to the region they administer, like any
// registry name (docs/regions.md, "Bodies that are not registry units").
import { readFileSync } from 'node:fs';
import { allDivisions, type Division } from '../../../../lib/regions/divisions.ts';

export interface RegionMention {
  division: Division;
  start: number;
  end: number;
}

interface Index {
  byCode: Map<string, Division>;
  byName: Map<string, Division[]>;
  /** names by first character, longest first */
  byFirstChar: Map<string, string[]>;
}

let index: Index | undefined;

/** A body that is not a registry unit, and the registry region whose area it administers. */
export interface NonRegistryBody {
  name: string;
  aliases?: string[];
  /** 6-digit code of the registry region it administers */
  code: string;
  /** that region's registry name, a check that the code is the one meant */
  administers: string;
  note?: string;
}

let bodies: NonRegistryBody[] | undefined;

/** The entries of nonRegistryBodies.json, checked against the registry (a bad entry throws). */
export function nonRegistryBodies(): NonRegistryBody[] {
  bodies ??= loadBodies();
  return bodies;
}

function loadBodies(): NonRegistryBody[] {
  const file = new URL('./nonRegistryBodies.json', import.meta.url);
  const data = JSON.parse(readFileSync(file, 'utf8')) as { bodies: NonRegistryBody[] };
  const registry = new Map(allDivisions().map((d) => [d.code, d]));
  const registryNames = new Set(allDivisions().map((d) => d.name));
  const seen = new Set<string>();
  for (const b of data.bodies) {
    const d = registry.get(b.code);
    if (!d || d.name !== b.administers) {
      throw new Error(`nonRegistryBodies.json: ${b.name} → ${b.code} (${b.administers}) is not that region of the registry${d ? ` (${b.code} is ${d.name})` : ''}`);
    }
    for (const name of [b.name, ...(b.aliases ?? [])]) {
      if (registryNames.has(name)) throw new Error(`nonRegistryBodies.json: ${name} is a registry name already; it needs no entry`);
      if (name.length < 3) throw new Error(`nonRegistryBodies.json: ${name} is too short to be told from ordinary words`);
      if (seen.has(name)) throw new Error(`nonRegistryBodies.json: ${name} is listed twice`);
      seen.add(name);
    }
  }
  return data.bodies;
}

function build(): Index {
  const byCode = new Map<string, Division>();
  const byName = new Map<string, Division[]>();
  for (const d of allDivisions()) {
    byCode.set(d.code, d);
    const list = byName.get(d.name) ?? [];
    list.push(d);
    byName.set(d.name, list);
  }
  // A body's names stand for the region it administers: a mention of 平潭综合实验区 is one of 平潭县.
  for (const b of nonRegistryBodies()) {
    const d = byCode.get(b.code)!;
    for (const name of [b.name, ...(b.aliases ?? [])]) byName.set(name, [d]);
  }
  const byFirstChar = new Map<string, string[]>();
  for (const name of byName.keys()) {
    const list = byFirstChar.get(name[0]!) ?? [];
    list.push(name);
    byFirstChar.set(name[0]!, list);
  }
  for (const list of byFirstChar.values()) list.sort((a, b) => b.length - a.length);
  return { byCode, byName, byFirstChar };
}

function idx(): Index {
  index ??= build();
  return index;
}

export const divisionByCode = (code: string): Division | undefined => idx().byCode.get(code);
export const divisionsNamed = (name: string): Division[] => idx().byName.get(name) ?? [];
export const allRegionNames = (): IterableIterator<string> => idx().byName.keys();

const lineages = new Map<string, string[]>();

/** The region and all its ancestors' codes (remembered: mentions ask for them again and again). */
export function lineage(d: Division): string[] {
  const known = lineages.get(d.code);
  if (known) return [...known];
  const codes = [d.code];
  let parent = d.parentCode;
  while (parent) {
    codes.push(parent);
    parent = divisionByCode(parent)?.parentCode ?? null;
  }
  lineages.set(d.code, codes);
  return [...codes];
}

/** One is the other or an ancestor of it. */
export function compatible(a: Division, b: Division): boolean {
  if (a.code === b.code) return true;
  lineage(a);
  lineage(b);
  return lineages.get(a.code)!.includes(b.code) || lineages.get(b.code)!.includes(a.code);
}

/** Every registry name in `text` (longest match at each position), before disambiguation. */
function rawMentions(text: string, offset: number): Array<{ name: string; start: number; end: number }> {
  const { byFirstChar } = idx();
  const out: Array<{ name: string; start: number; end: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const names = byFirstChar.get(text[i]!);
    if (!names) continue;
    const hit = names.find((n) => text.startsWith(n, i));
    if (!hit) continue;
    out.push({ name: hit, start: offset + i, end: offset + i + hit.length });
    i += hit.length - 1;
  }
  return out;
}

/** The regions that mentions name unambiguously (a name of one region, longer than two letters). */
function codesNamed(mentions: Array<{ name: string }>): Set<string> {
  const namedCodes = new Set<string>();
  for (const m of mentions) {
    const ds = divisionsNamed(m.name);
    if (ds.length === 1 && m.name.length > 2) namedCodes.add(ds[0]!.code);
  }
  return namedCodes;
}

/** The same for a context, remembered for the last one: callers pass the whole document for every line. */
let lastContext: { text: string; codes: Set<string> } | null = null;

function contextCodes(context: string): Set<string> {
  if (lastContext?.text !== context) lastContext = { text: context, codes: codesNamed(rawMentions(context, 0)) };
  return lastContext.codes;
}

/**
 * Region mentions in `text`. A name that several regions share, or a two-letter name, is kept
 * only when a parent (or ancestor) of exactly one of its regions is named right before it or
 * anywhere in `context` (defaults to the text itself).
 */
export function findRegionMentions(text: string, offset = 0, context?: string): RegionMention[] {
  const raw = rawMentions(text, offset);
  const namedCodes = context === undefined ? codesNamed(raw) : contextCodes(context);
  const out: RegionMention[] = [];
  raw.forEach((m, k) => {
    const ds = divisionsNamed(m.name);
    const risky = ds.length > 1 || m.name.length <= 2;
    if (!risky) {
      out.push({ division: ds[0]!, start: m.start, end: m.end });
      return;
    }
    const prev = raw[k - 1];
    const adjacentParent = prev && prev.end === m.start ? divisionsNamed(prev.name).map((d) => d.code) : [];
    const fits = ds.filter((d) => {
      const ancestors = lineage(d).slice(1);
      return ancestors.some((c) => adjacentParent.includes(c)) || (m.name.length > 2 && ancestors.some((c) => namedCodes.has(c)));
    });
    if (fits.length === 1) out.push({ division: fits[0]!, start: m.start, end: m.end });
  });
  return out;
}

// Glyphs OCR confuses with each other; used only to choose among one-letter-off region names.
const CONFUSABLE = ['沐沭', '己已巳', '未末', '土士', '曰日', '戊戌戍', '侯候', '汨汩', '祗祇', '棘辣', '折拆', '天夭', '又叉', '人入八'];

function confusable(a: string, b: string): boolean {
  return CONFUSABLE.some((group) => group.includes(a) && group.includes(b));
}

/**
 * An OCR-garbled name (沐阳县 for 沭阳县): registry names of the same length and suffix that
 * differ in one letter. Chosen when exactly one is also written correctly somewhere in
 * `documentText`, or else when exactly one differs by a known OCR confusion.
 */
export function correctGarbledName(name: string, documentText: string): Division | null {
  if (name.length < 3 || divisionsNamed(name).length > 0) return null;
  const candidates: Array<{ name: string; diffAt: number }> = [];
  for (const other of allRegionNames()) {
    if (other.length !== name.length || other.at(-1) !== name.at(-1)) continue;
    let diffAt = -1;
    let diffs = 0;
    for (let i = 0; i < name.length; i++) {
      if (name[i] !== other[i]) {
        diffs++;
        diffAt = i;
      }
    }
    if (diffs === 1) candidates.push({ name: other, diffAt });
  }
  const unique = (list: typeof candidates) => {
    if (list.length !== 1) return null;
    const ds = divisionsNamed(list[0]!.name);
    return ds.length === 1 ? ds[0]! : null;
  };
  return (
    unique(candidates.filter((c) => documentText.includes(c.name))) ??
    unique(candidates.filter((c) => confusable(c.name[c.diffAt]!, name[c.diffAt]!)))
  );
}
