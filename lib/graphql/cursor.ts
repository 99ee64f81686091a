// Opaque keyset cursors: base64url of JSON [kind, position], so a client cannot mistake them
// for offsets and a cursor of one list is refused by another. A cursor is the client's to
// forge: every number in a position is checked against the column it is compared with (an id
// beyond Postgres' integer, a time beyond what a Date holds), so that a forged one is
// BAD_USER_INPUT here and never an error from the database.
import { INT4_MAX } from './arguments.ts';
import { invalidArgument } from './errors.ts';

/** Longer than any cursor the hub hands out. */
const MAX_CURSOR_LENGTH = 512;

export const encodeCursor = (kind: string, position: unknown): string => Buffer.from(JSON.stringify([kind, position])).toString('base64url');

export function decodeCursor<T>(kind: string, cursor: string, isPosition: (value: unknown) => value is T, argument = 'after'): T {
  let decoded: unknown;
  if (cursor.length > MAX_CURSOR_LENGTH) throw invalidArgument(argument, `${argument} is not a cursor returned by this field`);
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

/** A position in an integer column (ids): 0 to Postgres' largest integer. */
export const isNonNegativeInteger = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= INT4_MAX;

/** Milliseconds since 1970 up to the year 9999: a time a Date, ISO 8601 and Postgres all hold. */
export const isEpochMillis = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 253_402_300_799_999;

