import type { HotlineContext, ReferenceKind } from '../loaders.ts';
import type { Figures } from '../rollups/rollupSql.ts';

interface Count {
  kind: ReferenceKind;
  code: string | null;
  received: number;
}

const withKind = (kind: ReferenceKind, counts: { code: string | null; received: number }[]): Count[] =>
  counts.map((c) => ({ kind, ...c }));

export const figuresResolvers = {
  byCategory: (f: Figures) => withKind('category', f.byCategory),
  byLine: (f: Figures) => withKind('line', f.byLine),
  byChannel: (f: Figures) => withKind('channel', f.byChannel),
};

export const countResolvers = {
  name: async (c: Count, _: unknown, { loaders }: HotlineContext) => (await loaders.referenceRow(c.kind, c.code))?.name ?? null,
};
