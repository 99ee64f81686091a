// Who may see callers' personal data (names, phone numbers, ticket texts) in clear. The
// access-control issue plugs its decision in here; until then nobody may, so every API answer
// masks them. Rollups never carry personal data at all.
import type { BaseContext } from '@apollo/server';
import { decryptPersonal } from './crypto.ts';

export function canReadPersonalData(_context: BaseContext): boolean {
  return false;
}

/** 张三 → 张*, 欧阳娜娜 → 欧*: the first character and one asterisk, whatever the length. */
export function maskName(name: string | null): string | null {
  if (name == null) return null;
  const first = [...name.trim()][0];
  return first === undefined ? null : `${first}*`;
}

/**
 * 13812341234 → 138****1234. Numbers shorter than 11 digits (landlines without area code) keep
 * only their last 4 digits (****1234); under 7 digits nothing is shown (****).
 */
export function maskPhone(phone: string | null): string | null {
  if (phone == null) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 0) return null;
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 7) return `****${digits.slice(-4)}`;
  return '****';
}

export function callerName(context: BaseContext, stored: Buffer | null): string | null {
  const clear = decryptPersonal('caller_name', stored);
  return canReadPersonalData(context) ? clear : maskName(clear);
}

export function callerPhone(context: BaseContext, stored: Buffer | null): string | null {
  const clear = decryptPersonal('caller_phone', stored);
  return canReadPersonalData(context) ? clear : maskPhone(clear);
}

/** The ticket text is withheld entirely (null) from callers who may not read personal data. */
export function ticketText(context: BaseContext, stored: Buffer | null): string | null {
  if (!canReadPersonalData(context)) return null;
  return decryptPersonal('content', stored);
}
