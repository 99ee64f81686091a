// Who may see callers' personal data (names, phone numbers, ticket texts) in clear: holders of
// the pii role (or admin) whose jurisdiction covers the ticket's region (lib/auth/policy.ts).
// Everyone else gets masked values, and every read in clear is written to the audit log.
// Rollups never carry personal data at all.
import { may } from '../../../lib/auth/policy.ts';
import type { HotlineContext } from '../loaders.ts';
import { decryptPersonal } from './crypto.ts';

interface TicketPersonalData {
  id: string;
  region_code: string;
}

export const canReadPersonalData = ({ identity }: HotlineContext, ticket: TicketPersonalData): boolean =>
  may(identity, 'read-personal-data', ticket.region_code);

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

/** The clear value for one allowed to read it (the read audited), or what `mask` leaves of it. */
async function personal(
  context: HotlineContext,
  ticket: TicketPersonalData,
  field: 'caller_name' | 'caller_phone' | 'content',
  stored: Buffer | null,
  mask: (clear: string | null) => string | null,
): Promise<string | null> {
  const clear = decryptPersonal(field, stored);
  if (!canReadPersonalData(context, ticket)) return mask(clear);
  if (clear !== null) await context.loaders.recordPersonalDataRead.load(`${ticket.id}:${field}`);
  return clear;
}

export const callerName = (context: HotlineContext, ticket: TicketPersonalData, stored: Buffer | null) =>
  personal(context, ticket, 'caller_name', stored, maskName);

export const callerPhone = (context: HotlineContext, ticket: TicketPersonalData, stored: Buffer | null) =>
  personal(context, ticket, 'caller_phone', stored, maskPhone);

/** The ticket text is withheld entirely (null) from callers who may not read personal data. */
export const ticketText = (context: HotlineContext, ticket: TicketPersonalData, stored: Buffer | null) =>
  personal(context, ticket, 'content', stored, () => null);
