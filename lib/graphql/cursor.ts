// Opaque keyset cursors: base64 of "<kind>:<id>", so a client cannot mistake them for offsets.
import { invalidArgument } from './errors.ts';

export const encodeCursor = (kind: string, id: number): string => Buffer.from(`${kind}:${id}`).toString('base64url');

export function decodeCursor(kind: string, cursor: string, argument = 'after'): number {
  const [prefix, raw] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const id = Number(raw);
  if (prefix !== kind || !Number.isSafeInteger(id) || id < 0) {
    throw invalidArgument(argument, `${argument} is not a cursor returned by this field`);
  }
  return id;
}
