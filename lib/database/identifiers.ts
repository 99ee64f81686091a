// A Postgres identifier (schema, table, database name) as SQL text, for the few statements that
// cannot take it as a bound parameter (create/drop database, COPY, truncate).
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
