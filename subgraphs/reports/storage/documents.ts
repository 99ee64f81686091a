// The original documents reports were read from, kept byte for byte and deduplicated by hash,
// with the text that figures' source offsets point into.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../../lib/database/sql.ts';

export interface DocumentInput {
  fileName: string;
  mediaType: string;
  bytes: Uint8Array;
  text: string | null;
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Stores the document unless the same bytes are already stored; returns its id either way. */
export async function storeDocument(em: EntityManager, document: DocumentInput): Promise<{ id: number; sha256: string; created: boolean }> {
  const sha256 = sha256Of(document.bytes);
  const inserted = await sql<{ id: number }>(
    em,
    `insert into reports.document (sha256, file_name, media_type, byte_size, content, text)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (sha256) do nothing
     returning id`,
    [sha256, document.fileName, document.mediaType, document.bytes.byteLength, Buffer.from(document.bytes), document.text],
  );
  if (inserted[0]) return { id: inserted[0].id, sha256, created: true };
  const [existing] = await sql<{ id: number }>(em, `select id from reports.document where sha256 = $1`, [sha256]);
  return { id: existing!.id, sha256, created: false };
}
