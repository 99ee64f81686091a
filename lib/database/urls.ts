/** The same server, another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/**
 * DATABASE_READ_URL: a streaming replica of DATABASE_URL that the subgraphs' reads go to once it
 * has caught up (lib/database/readReplicaRouting.ts); unset, everything goes to DATABASE_URL.
 */
export const readDatabaseUrlFromEnv = (): string | undefined => process.env.DATABASE_READ_URL?.trim() || undefined;
