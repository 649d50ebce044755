import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const ROLES = ['reporter', 'editor'] as const;
export type Role = (typeof ROLES)[number];

/** Someone in the newsroom: what they may do is their role's, whichever of their keys they use. */
export interface Person {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  /** Set when the person leaves: every key of theirs is refused from the next request on. */
  disabledAt?: string;
}

/** What is stored of a key: never the secret, only its hash. */
export interface ApiKeyRecord {
  id: string;
  /** Whose key it is; authorship and permissions follow the person, not the key. */
  personId: string;
  /** What the key is for ("laptop", "wire import"): a rotated key keeps it. */
  label: string;
  secretHash: string;
  createdAt: string;
  /** Updated at most once an hour, so it is a cheap "still in use?" hint rather than a log. */
  lastUsedAt?: string;
  revokedAt?: string;
  /**
   * Keys issued before people existed carried the name and role themselves. Such a key acts as a
   * person whose id is the key's own id (the id its articles and uploads were recorded under), so
   * data written before keeps working; rotating it makes that person a stored one.
   */
  legacyPerson?: { name: string; role: Role };
}

/** The identity a request acts as once its key is verified. */
export interface Principal {
  /** Who: what articles and uploads record and authorization compares. */
  personId: string;
  /** Which of their keys: for logs and the audit trail. */
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

export function newPersonId(): string {
  return `p${randomBytes(8).toString('hex')}`;
}

export function issueApiKey(personId: string, label: string, now = new Date()): IssuedKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `${id}.${secret}`, record: { id, personId, label, secretHash: hashSecret(secret), createdAt: now.toISOString() } };
}

/** Splits `<id>.<secret>`; undefined when the token cannot be a key at all. */
export function parseApiKey(token: string): { id: string; secret: string } | undefined {
  const match = /^([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

export function secretMatches(secret: string, record: Pick<ApiKeyRecord, 'secretHash'>): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(record.secretHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** A key's public face: everything but the secret's hash. */
export type KeyView = Omit<ApiKeyRecord, 'secretHash' | 'legacyPerson'>;

export function keyView(record: ApiKeyRecord): KeyView {
  const { secretHash: _hash, legacyPerson: _legacy, ...view } = record;
  return view;
}

/**
 * The person an article, a change or an upload was recorded under. Items stored before people
 * existed name only the key (`keyId`); that key acts as a person whose id is the key id (see
 * `ApiKeyRecord.legacyPerson`), so for them the key id is the person id and nothing needs migrating.
 */
export function recordedPersonId(by: { personId?: string | undefined; keyId: string }): string {
  return by.personId ?? by.keyId;
}
