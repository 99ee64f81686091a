import pg from 'pg';
import { DATABASE_CONNECT_TIMEOUT_MS } from './availability.ts';
import { databaseName, databaseUrl } from './urls.ts';
import { quoteIdent } from './identifiers.ts';


/**
 * Creates the database named in `url` on its server unless it exists. The first thing every
 * command does with its database: a server that never answers fails it within the connect
 * timeout, as DATABASE_UNAVAILABLE, instead of the operating system's minutes.
 */
export async function ensureDatabase(url: string, template?: string): Promise<void> {
  const name = databaseName(url);
  const client = new pg.Client({ connectionString: databaseUrl(url, 'postgres'), connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`create database ${quoteIdent(name)}${template ? ` template ${quoteIdent(template)}` : ''}`);
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(url, 'postgres'), connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    await client.query(`drop database if exists ${quoteIdent(databaseName(url))} with (force)`);
  } finally {
    await client.end();
  }
}
