// The backup file: pg_dump's plain SQL format, data only (`pg_dump --data-only --disable-triggers`
// writes the same shape). The tables themselves are made by each schema's migrations, so the file
// names, in comment lines of its header, the migrations every schema had when it was written:
// restore brings an empty database to exactly those before it loads the rows, and refuses a file
// that needs migrations the code does not have.
//
//   --
//   -- PostgreSQL database dump
//   --
//   -- gongkai backup format 1
//   -- gongkai migrations agencies: Migration20261122000000Initial Migration20261122010000DirectoryReadModel …
//   SET client_encoding = 'UTF8'; …
//   COPY agencies.agency (id, name, …) FROM stdin;
//   <rows in COPY text format>
//   \.
//   SELECT pg_catalog.setval('agencies.agency_id_seq', 42, true);
//   --
//   -- PostgreSQL database dump complete
//   --
import { quoteIdent } from '../identifiers.ts';

export const DUMP_TITLE = '-- PostgreSQL database dump';
/** pg_dump's last comment: a file without it was cut short. */
export const DUMP_COMPLETE = '-- PostgreSQL database dump complete';
export const FORMAT_LINE = '-- gongkai backup format 1';
const MIGRATIONS_PREFIX = '-- gongkai migrations ';
/** The table MikroORM records each schema's applied migrations in; its rows are the header's names. */
export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

export const migrationsLine = (schema: string, names: readonly string[]): string => `${MIGRATIONS_PREFIX}${schema}: ${names.join(' ')}`;

export function parseMigrationsLine(line: string): { schema: string; names: string[] } | null {
  if (!line.startsWith(MIGRATIONS_PREFIX)) return null;
  const match = /^([a-z_][a-z0-9_]*): ?(.*)$/.exec(line.slice(MIGRATIONS_PREFIX.length));
  if (!match) return null;
  return { schema: match[1]!, names: match[2]!.split(' ').filter((name) => name.length > 0) };
}


export interface QualifiedName {
  schema: string;
  name: string;
}

export const qualified = (table: QualifiedName): string => `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
/** `schema.table` as a person reads it. */
export const displayName = (table: QualifiedName): string => `${table.schema}.${table.name}`;

/**
 * Reads one identifier as pg_dump writes it (fmtId): "quoted" with "" for a quote, or bare and
 * then folded to lower case as Postgres folds it. Returns it and the position after it.
 */
function readIdent(text: string, at: number): { value: string; end: number } | null {
  if (text[at] === '"') {
    let value = '';
    let i = at + 1;
    for (;;) {
      const quote = text.indexOf('"', i);
      if (quote < 0) return null;
      value += text.slice(i, quote);
      if (text[quote + 1] === '"') {
        value += '"';
        i = quote + 2;
      } else return { value, end: quote + 1 };
    }
  }
  const match = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(at));
  return match ? { value: match[0].toLowerCase(), end: at + match[0].length } : null;
}

/** `schema.name` (either part may be quoted) at the start of `text`, and what follows it. */
export function readQualifiedName(text: string): { table: QualifiedName; rest: string } | null {
  const schema = readIdent(text, 0);
  if (!schema || text[schema.end] !== '.') return null;
  const name = readIdent(text, schema.end + 1);
  if (!name) return null;
  return { table: { schema: schema.value, name: name.value }, rest: text.slice(name.end) };
}

export interface CopyHeader {
  table: QualifiedName;
  columns: string[];
}

/** `COPY schema.table (a, b, "c") FROM stdin;` as pg_dump writes it. */
export function parseCopyLine(line: string): CopyHeader | null {
  if (!line.startsWith('COPY ')) return null;
  const target = readQualifiedName(line.slice(5));
  if (!target) return null;
  let rest = target.rest;
  const columns: string[] = [];
  if (rest.startsWith(' (')) {
    let at = 2;
    for (;;) {
      const column = readIdent(rest, at);
      if (!column) return null;
      columns.push(column.value);
      if (rest.startsWith(', ', column.end)) at = column.end + 2;
      else if (rest[column.end] === ')') {
        rest = rest.slice(column.end + 1);
        break;
      } else return null;
    }
  }
  return /^ +FROM stdin;$/.test(rest) ? { table: target.table, columns } : null;
}

/** `SELECT pg_catalog.setval('schema.seq', 42, true);` */
export function parseSetvalLine(line: string): { sequence: QualifiedName; value: string; isCalled: boolean } | null {
  const match = /^SELECT pg_catalog\.setval\('((?:[^']|'')+)', (-?[0-9]+), (true|false)\);$/.exec(line);
  if (!match) return null;
  const target = readQualifiedName(match[1]!.replace(/''/g, "'"));
  if (!target || target.rest !== '') return null;
  return { sequence: target.table, value: match[2]!, isCalled: match[3] === 'true' };
}

/**
 * Lines of a pg_dump file restore reads past: settings of pg_dump's own session (restore sets
 * its own), the trigger switches of --disable-triggers (restore loads with triggers off) and
 * psql's \restrict guards of pg_dump 17.6 and later.
 */
export const isSessionLine = (line: string): boolean =>
  /^SET [^;]*;$/.test(line) ||
  line === "SELECT pg_catalog.set_config('search_path', '', false);" ||
  /^ALTER TABLE (ONLY )?\S.* (DISABLE|ENABLE) TRIGGER ALL;$/.test(line) ||
  /^\\(un)?restrict [A-Za-z0-9]+$/.test(line);

/** The text of one value of COPY's text format. */
export function unescapeCopyValue(value: string): string | null {
  if (value === '\\N') return null;
  return value.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' })[c] ?? c);
}
