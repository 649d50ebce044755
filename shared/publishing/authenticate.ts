import { parseApiKey, secretMatches, type ApiKeyRecord, type Principal } from '../auth/api-key.js';
import { AuthenticationError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PeopleStore } from '../storage/ports.js';

const HINT = 'Send "Authorization: Bearer <key>" with a key an editor (or ops) issued to you (see README, "People and keys").';

/** How stale `lastUsedAt` may get: it is a hint ("is this key still used?"), so one write an hour per key is plenty. */
export const LAST_USED_INTERVAL_MS = 3600_000;

export interface AuthenticateDeps {
  people: PeopleStore;
  logger?: Logger;
  now?: () => Date;
}

/**
 * Turns an Authorization header into a principal, or throws without saying which part was wrong.
 * The key and its person are read strongly consistently, so a revoked key or a disabled person is
 * refused on the very next request.
 */
export async function authenticate(authorization: string | undefined, deps: AuthenticateDeps): Promise<Principal> {
  if (!authorization) throw new AuthenticationError(`Missing API key. ${HINT}`);
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  const parsed = match ? parseApiKey(match[1]!) : undefined;
  if (!parsed) throw new AuthenticationError(`Malformed API key. ${HINT}`);
  const refused = () => new AuthenticationError(`Invalid or revoked API key. ${HINT}`);
  const record = await deps.people.getKey(parsed.id);
  if (!record || record.revokedAt || !secretMatches(parsed.secret, record)) throw refused();
  const now = (deps.now ?? (() => new Date()))();
  // The use is noted alongside the person's read, so it adds no round trip of its own.
  const [person] = await Promise.all([record.legacyPerson ? undefined : deps.people.getPerson(record.personId), noteUse(record, now, deps)]);
  if (record.legacyPerson) return { personId: record.personId, keyId: record.id, ...record.legacyPerson };
  if (!person || person.disabledAt) throw refused();
  return { personId: person.id, keyId: record.id, name: person.name, role: person.role };
}

/** Records the key's use at most once an interval; a failure to record it never refuses the request. */
async function noteUse(record: ApiKeyRecord, now: Date, deps: AuthenticateDeps): Promise<void> {
  const staleBefore = new Date(now.getTime() - LAST_USED_INTERVAL_MS).toISOString();
  if (record.lastUsedAt && record.lastUsedAt >= staleBefore) return;
  try {
    await deps.people.touchKey(record.id, now.toISOString(), staleBefore);
  } catch (error) {
    deps.logger?.warn('could not record the key’s last use', { keyId: record.id, error });
  }
}
