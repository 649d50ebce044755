import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const ROLES = ['reporter', 'editor'] as const;
export type Role = (typeof ROLES)[number];

/** What is stored of a key: never the secret, only its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  secretHash: string;
  createdAt: string;
  revokedAt?: string;
}

/** The identity a request acts as once its key is verified. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

export interface IssuedKey {
  /** `<id>.<secret>`: shown once, to the person it is issued to. */
  token: string;
  record: ApiKeyRecord;
}

/** The secret has 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function issueApiKey(name: string, role: Role, now = new Date()): IssuedKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `${id}.${secret}`, record: { id, name, role, secretHash: hashSecret(secret), createdAt: now.toISOString() } };
}

/** Splits `<id>.<secret>`; undefined when the token cannot be a key at all. */
export function parseApiKey(token: string): { id: string; secret: string } | undefined {
  const match = /^([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

export function secretMatches(secret: string, record: ApiKeyRecord): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(record.secretHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
