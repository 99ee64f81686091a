// Page metadata: the "KEY: value" fields that government web pages, saved copies of them and
// archive dumps carry around a report (标题, 发布时间, 文号, 发布机构, 栏目, 原文链接, 索引号…),
// and the "来源：… 时间：…" strip under a page's headline. They describe the page, not the
// report: a metadata line is never a report title of its own (栏目: 政府信息公开年报 names a
// column, 标题: X is a field holding X). What they say is used as such: the 标题 value is the
// report's title, 发布时间/发布日期 its publication date, 发布机构/来源 the organ that posted it.
import { asciiDigits, DATE_PATTERN, isoOf } from './dates.ts';

export type MetaKind = 'title' | 'date' | 'publisher' | 'other';

/** Field names of page headers, longest first within a kind does not matter: matching is exact. */
const KEYS: Record<MetaKind, string[]> = {
  title: ['标题', '题名', '文章标题', '信息名称', '名称', 'title'],
  date: ['发布时间', '发布日期', '成文日期', '发文日期', '公开日期', '生成日期', '印发日期', '更新时间', '时间', '日期', 'date', 'published'],
  publisher: ['发布机构', '发文机关', '发布单位', '公开单位', '公开机构', '发文单位', '来源', '信息来源', '文章来源', 'publisher'],
  other: [
    '文号', '发文字号', '文件编号', '栏目', '所属栏目', '原文链接', '原文地址', '链接', '网址', '本地目录',
    '索引号', '主题分类', '主题词', '关键词', '关键字', '内容概述', '摘要', '时效', '有效性', '废止日期',
    '浏览次数', '点击数', '访问量', '阅读次数', '作者', '责任编辑', '编辑', '字号', '字体', '分类', '体裁分类',
    '组配分类', '服务对象分类', '公开方式', '公开范围', '公开类别', 'source', 'url', 'link',
    // breadcrumbs: 当前位置：首页 > 政务公开 > 政府信息公开年报
    '当前位置', '您当前的位置', '您的位置', '您现在的位置', '所在位置', '位置',
  ],
};

const KIND = new Map<string, MetaKind>();
for (const [kind, keys] of Object.entries(KEYS) as Array<[MetaKind, string[]]>) for (const k of keys) KIND.set(k.toLowerCase(), kind);

const ALL_KEYS = [...KIND.keys()].sort((a, b) => b.length - a.length).join('|');
/** A key at the start of a line. */
const LINE_KEY = new RegExp(`^\\s*(${ALL_KEYS})\\s*[:：]`, 'i');
/** A key after a field boundary inside a metadata line (索引号: … 发布机构: …). */
const NEXT_KEY = new RegExp(`(?:^|\\s|[|｜】\\]])(${ALL_KEYS})\\s*[:：]`, 'gi');

export interface MetaField {
  key: string;
  kind: MetaKind;
  value: string;
}

/** Whether the line is a metadata line: it starts with a known field name and a colon. */
export function isMetaLine(text: string): boolean {
  return LINE_KEY.test(text);
}

/** The fields of a metadata line (several may share it); [] for any other line. */
export function metaFields(text: string): MetaField[] {
  if (!isMetaLine(text)) return [];
  const hits = [...text.matchAll(NEXT_KEY)];
  const out: MetaField[] = [];
  hits.forEach((m, k) => {
    const key = m[1]!;
    const from = m.index + m[0].length;
    const to = k + 1 < hits.length ? hits[k + 1]!.index : text.length;
    out.push({ key, kind: KIND.get(key.toLowerCase())!, value: text.slice(from, to).trim() });
  });
  return out;
}

/** Date fields whose name says what the date is; 时间/日期 alone need a page-header position. */
const STRONG_DATE_KEYS = '发布时间|发布日期|成文日期|发文日期|公开日期|印发日期';
const STRONG_DATE = new RegExp(`(${STRONG_DATE_KEYS})[:：\\t \u3000]*`, 'g');
const PLAIN_DATE = /(?:^|[\s|｜】\]])(时间|日期)[\t \u3000]*[:：][\t \u3000]*/g;

/**
 * The publication date a page states: a 发布时间/发布日期/… field anywhere in `text`, or a bare
 * 时间：/日期： field within the first `headerChars` characters (the "来源：… 时间：…" strip under
 * a headline). Null when there is none.
 */
export function pageDate(text: string, headerChars = 3000): string | null {
  const flat = asciiDigits(text);
  for (const m of flat.matchAll(STRONG_DATE)) {
    const d = fieldDate(flat.slice(m.index + m[0].length, m.index + m[0].length + 60).split('\n')[0]!);
    if (d) return d;
  }
  for (const m of flat.slice(0, headerChars).matchAll(PLAIN_DATE)) {
    const d = fieldDate(flat.slice(m.index + m[0].length, m.index + m[0].length + 60).split('\n')[0]!);
    if (d) return d;
  }
  return null;
}

/** The date a field's value starts with, unless it starts a period (时间：2019年1月1日至…). */
function fieldDate(value: string): string | null {
  const m = new RegExp(`^\\s*(?:${DATE_PATTERN.source})`).exec(value);
  if (!m) return null;
  if (/^[\s\u3000]*[至到起止—\-~～－]/.test(value.slice(m[0].length))) return null;
  return isoOf(m);
}

const INLINE_PUBLISHER = /(?:^|[\s|｜】\]])(发布机构|发文机关|发布单位|公开单位|来源|信息来源|文章来源)[\t \u3000]*[:：][\t \u3000]*([^\s:：|｜]{2,40})/g;

/**
 * Who posted the page: the values of 发布机构/发文机关/来源… fields, whether on metadata lines or
 * in the strip under the headline ("来源：平潭县人民政府 时间：…"), in order of appearance.
 */
export function pagePublishers(text: string, headerChars = 3000): string[] {
  const out: string[] = [];
  for (const m of text.slice(0, headerChars).matchAll(INLINE_PUBLISHER)) {
    const v = m[2]!.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}
