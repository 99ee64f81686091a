// Encryption of personal data at rest: AES-256-GCM with a random 96-bit nonce per value.
// Stored layout (bytea): version byte 0x01 | 12-byte nonce | ciphertext | 16-byte tag.
// The column name is bound in as additional data, so a value cannot be moved to another column.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { clientError } from '../../../lib/graphql/errors.ts';
import { personalDataKeys } from './keys.ts';

const VERSION = 0x01;

export type PersonalDataColumn = 'caller_name' | 'caller_phone' | 'content';

export function encryptPersonal(column: PersonalDataColumn, clear: string | null): Buffer | null {
  if (clear == null || clear === '') return null;
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', personalDataKeys().encryption, nonce);
  cipher.setAAD(Buffer.from(column));
  const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]);
}

export function decryptPersonal(column: PersonalDataColumn, stored: Buffer | null): string | null {
  if (stored == null) return null;
  try {
    if (stored[0] !== VERSION || stored.length < 29) throw new Error('unknown format');
    const decipher = createDecipheriv('aes-256-gcm', personalDataKeys().encryption, stored.subarray(1, 13));
    decipher.setAAD(Buffer.from(column));
    decipher.setAuthTag(stored.subarray(stored.length - 16));
    return Buffer.concat([decipher.update(stored.subarray(13, stored.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw clientError(
      'PERSONAL_DATA_UNREADABLE',
      `personal data cannot be decrypted with the current key (${personalDataKeys().fingerprint}); was GONGKAI_PII_KEY changed?`,
    );
  }
}

/** Digits only, a leading + kept: "+86 138-1234-5678" and "+8613812345678" are one number. */
export const normalisePhone = (phone: string): string => phone.replace(/[^0-9+]/g, '').replace(/(?!^)\+/g, '');

/** Keyed MAC of a phone number: equal numbers give equal MACs, and without the key nothing can be learnt. */
export function phoneMac(phone: string | null): Buffer | null {
  if (phone == null || phone === '') return null;
  return createHmac('sha256', personalDataKeys().mac).update(`phone:${normalisePhone(phone)}`).digest();
}

/** Keyed digest of an imported row (clear personal data included): detects an unchanged row. */
export function rowDigest(values: readonly unknown[]): Buffer {
  return createHmac('sha256', personalDataKeys().mac).update(JSON.stringify(values)).digest();
}
