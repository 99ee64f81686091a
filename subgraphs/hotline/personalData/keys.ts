// The key that protects callers' personal data at rest. Production sets GONGKAI_PII_KEY (32
// bytes, base64 or hex); for local development and tests, when it is unset, a random key is
// created once in $GONGKAI_DATA_DIR/pii.key (mode 0600) and a warning is printed once.
// Two subkeys are derived from it with HKDF: one encrypts (AES-256-GCM), one MACs (HMAC-SHA256
// of phone numbers for lookups and of imported rows for change detection), so neither use
// weakens the other. docs/hotline.md describes the scheme and how to keep the key.
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../../../lib/config.ts';

export interface PersonalDataKeys {
  encryption: Buffer;
  mac: Buffer;
  /** First 8 hex digits of a hash of the master key: names the key in messages, reveals nothing. */
  fingerprint: string;
  source: string;
}

let cached: PersonalDataKeys | undefined;
let warned = false;

export class PersonalDataKeyError extends Error {}

export function parseKey(raw: string, name: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(text) && !/^[A-Za-z0-9+/_-]{43}=?$/.test(text))) {
    throw new PersonalDataKeyError(`${name} must be 32 bytes written as 64 hex digits or base64 (openssl rand -base64 32)`);
  }
  return key;
}

function derive(master: Buffer, source: string): PersonalDataKeys {
  return {
    encryption: Buffer.from(hkdfSync('sha256', master, 'gongkai-hotline', 'pii-encryption-v1', 32)),
    mac: Buffer.from(hkdfSync('sha256', master, 'gongkai-hotline', 'pii-mac-v1', 32)),
    fingerprint: createHash('sha256').update(master).digest('hex').slice(0, 8),
    source,
  };
}

/** The development key file: created with a random key when missing, always mode 0600. */
export function developmentKeyFile(): string {
  return join(dataDir(), 'pii.key');
}

function loadOrCreateKeyFile(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return parseKey(readFileSync(file, 'utf8'), file);
}

export function personalDataKeys(warn: (line: string) => void = (line) => console.warn(line)): PersonalDataKeys {
  if (cached) return cached;
  const fromEnv = process.env.GONGKAI_PII_KEY;
  if (fromEnv) {
    cached = derive(parseKey(fromEnv, 'GONGKAI_PII_KEY'), 'GONGKAI_PII_KEY');
  } else {
    const file = developmentKeyFile();
    cached = derive(loadOrCreateKeyFile(file), file);
    if (!warned) {
      warned = true;
      warn(
        `[hotline] GONGKAI_PII_KEY is not set: callers' personal data is encrypted with the development key in ${file}. ` +
          'Set GONGKAI_PII_KEY (32 bytes, base64 or hex) in any real deployment and keep it apart from database backups.',
      );
    }
  }
  return cached;
}

/** For tests that change GONGKAI_PII_KEY or GONGKAI_DATA_DIR within one process. */
export function forgetPersonalDataKeys(): void {
  cached = undefined;
  warned = false;
}
