// Validation of the arguments clients send: a bad value is a BAD_USER_INPUT error naming the
// argument, never a database error or a silently empty answer.
import { invalidArgument } from './errors.ts';
import { isRegionCode } from '../regions/codes.ts';

export function regionCodeArgument(argument: string, code: string): string {
  const trimmed = code.trim();
  if (!isRegionCode(trimmed)) {
    throw invalidArgument(argument, `${argument} must be a 6-digit GB/T 2260 code such as 430000, got '${code}'`);
  }
  return trimmed;
}

export function searchArgument(argument: string, search: string | null | undefined): string | null {
  if (search == null) return null;
  const trimmed = search.trim();
  if (trimmed.length === 0) return null;
  if (trimmed.length > 100) throw invalidArgument(argument, `${argument} is limited to 100 characters`);
  return trimmed;
}

export function pageSizeArgument(argument: string, first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw invalidArgument(argument, `${argument} must be between 1 and ${max}, got ${first}`);
  }
  return first;
}

/** The largest Postgres `integer`: every id column of the hub's is one, or a bigint. */
export const INT4_MAX = 2_147_483_647;

/**
 * An id as a client sends it (an ID is a string): a positive integer that fits the id columns,
 * so that an absurd one is BAD_USER_INPUT here rather than "out of range for type integer" from
 * Postgres.
 */
export function idArgument(argument: string, id: string | number): number {
  const text = String(id);
  const value = /^\s*\d{1,10}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > INT4_MAX) throw invalidArgument(argument, `${argument} '${text.slice(0, 40)}' is not an id`);
  return value;
}

export function yearArgument(argument: string, year: number | null | undefined): number | null {
  if (year == null) return null;
  if (!Number.isInteger(year) || year < 1949 || year > 2100) {
    throw invalidArgument(argument, `${argument} must be a year between 1949 and 2100, got ${year}`);
  }
  return year;
}
