import { parseApiKey, secretMatches, type Principal } from '../auth/api-key.js';
import { AuthenticationError } from '../errors.js';
import type { KeyStore } from '../storage/ports.js';

const HINT = 'Send "Authorization: Bearer <key>" with a key issued by ops (see README, "API keys").';

/** Turns an Authorization header into a principal, or throws without saying which part was wrong. */
export async function authenticate(authorization: string | undefined, keys: KeyStore): Promise<Principal> {
  if (!authorization) throw new AuthenticationError(`Missing API key. ${HINT}`);
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  const parsed = match ? parseApiKey(match[1]!) : undefined;
  if (!parsed) throw new AuthenticationError(`Malformed API key. ${HINT}`);
  const record = await keys.getKey(parsed.id);
  if (!record || record.revokedAt || !secretMatches(parsed.secret, record)) {
    throw new AuthenticationError(`Invalid or revoked API key. ${HINT}`);
  }
  return { keyId: record.id, name: record.name, role: record.role };
}
