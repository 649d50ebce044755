import type { Principal } from '../auth/api-key.js';
import type { Logger } from '../log.js';
import type { AuditStore } from '../storage/ports.js';

export const AUDIT_ACTIONS = [
  'article.saved',
  'article.submitted',
  'article.scheduled',
  'article.published',
  'article.returned',
  'article.updated',
  'article.corrected',
  'article.taken-down',
  'article.purged',
  'article.preview-issued',
  'article.preview-revoked',
  'media.upload-requested',
  'person.created',
  'person.disabled',
  'key.created',
  'key.revoked',
  'key.rotated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What a write was about: the article (and the version it made), the upload, or the person and key. */
export interface AuditTarget {
  articleId?: string;
  version?: number;
  /** A takedown's or purge's reason, in the editor's words: the lasting record of why. */
  reason?: string;
  /** A purge's photos (media ids), every stored version of which it deleted. */
  photos?: string[];
  /** Object versions and delete markers a purge deleted from the media bucket. */
  objectVersionsDeleted?: number;
  mediaId?: string;
  personId?: string;
  keyId?: string;
  /** The key a rotation revoked. */
  replacedKeyId?: string;
}

/** One write: who (person and key), when, what, and the request that did it (to find its logs). */
export interface AuditEntry extends AuditTarget {
  at: string;
  action: AuditAction;
  requestId: string;
  by: { personId: string; keyId: string; name: string };
}

/** Records one write of the current request. */
export type Auditor = (action: AuditAction, target: AuditTarget) => Promise<void>;

/**
 * The auditor of one request. DynamoDB here has no transactions (see DESIGN.md), so the entry is
 * appended right after the change committed. If that append fails, the change stands (undoing a
 * publish or a takedown because its record failed would be worse) and the entry goes to the log
 * instead, as an error carrying the whole entry, so the trail can be completed from the log; the
 * client still gets the change's answer, so it does not repeat the change.
 */
export function auditorFor(store: AuditStore, principal: Principal, requestId: string, logger: Logger, now: () => Date = () => new Date()): Auditor {
  return async (action, target) => {
    const entry: AuditEntry = { at: now().toISOString(), action, requestId, by: { personId: principal.personId, keyId: principal.keyId, name: principal.name }, ...target };
    try {
      await store.append(entry);
    } catch (error) {
      logger.error('audit entry not stored; it is this log line', { audit: entry, error });
    }
  };
}
