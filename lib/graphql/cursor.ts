// Opaque keyset cursors: base64url of JSON [kind, position], so a client cannot mistake them
// for offsets and a cursor of one list is refused by another.
import { invalidArgument } from './errors.ts';

export const encodeCursor = (kind: string, position: unknown): string => Buffer.from(JSON.stringify([kind, position])).toString('base64url');

export function decodeCursor<T>(kind: string, cursor: string, isPosition: (value: unknown) => value is T, argument = 'after'): T {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (!Array.isArray(decoded) || decoded[0] !== kind || !isPosition(decoded[1])) {
    throw invalidArgument(argument, `${argument} is not a cursor returned by this field`);
  }
  return decoded[1];
}

export const isNonNegativeInteger = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
