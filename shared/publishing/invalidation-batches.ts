import * as z from 'zod/mini';
import type { InvalidationRequest } from '../storage/ports.js';

/** CloudFront's most paths in one CreateInvalidation. */
export const CLOUDFRONT_MAX_PATHS = 3_000;

/**
 * CloudFront allows 15 wildcard paths in progress per distribution: one batch takes at most a
 * third of them, so a few batches in a row can be in flight before any is refused.
 */
export const MAX_WILDCARDS_PER_BATCH = 5;

/** One queue message, by its id (what SQS retries) and the paths it asks to forget. */
export interface QueuedInvalidation {
  messageId: string;
  paths: string[];
}

/** One CreateInvalidation: its paths, and every message that a failure of it leaves unfinished. */
export interface InvalidationBatch {
  paths: string[];
  messageIds: string[];
}

const isWildcard = (path: string) => path.includes('*');

/**
 * Merges the messages that arrived together into as few CreateInvalidation calls as CloudFront's
 * limits allow, each path once. A message whose paths land in several batches is named by each,
 * so it is retried (all of it: a repeat is harmless) unless every one of them lands.
 */
export function planInvalidationBatches(messages: QueuedInvalidation[], limits = { maxPaths: CLOUDFRONT_MAX_PATHS, maxWildcards: MAX_WILDCARDS_PER_BATCH }): InvalidationBatch[] {
  const batches: Array<{ paths: string[]; wildcards: number; messageIds: Set<string> }> = [];
  const batchOf = new Map<string, number>();
  for (const message of messages) {
    for (const path of message.paths) {
      let at = batchOf.get(path);
      if (at === undefined) {
        const wildcard = isWildcard(path);
        at = batches.findIndex((b) => b.paths.length < limits.maxPaths && (!wildcard || b.wildcards < limits.maxWildcards));
        if (at < 0) at = batches.push({ paths: [], wildcards: 0, messageIds: new Set() }) - 1;
        const batch = batches[at]!;
        batch.paths.push(path);
        if (wildcard) batch.wildcards++;
        batchOf.set(path, at);
      }
      batches[at]!.messageIds.add(message.messageId);
    }
  }
  return batches.map((b) => ({ paths: b.paths, messageIds: [...b.messageIds] }));
}

/** A CDN path: absolute, no whitespace or control characters, within S3's key length and a path's. */
const cdnPath = z.string().check(z.regex(/^\/[^\s\u0000-\u001f\u007f]*$/), z.maxLength(4_000));

const InvalidationRequestSchema = z.object({
  articleId: z.string().check(z.minLength(1), z.maxLength(64)),
  change: z.enum(['published', 'corrected', 'slug-changed', 'taken-down']),
  paths: z.array(cdnPath).check(z.minLength(1), z.maxLength(CLOUDFRONT_MAX_PATHS)),
});

/** A queue message's body as an invalidation request; undefined when it is not one (it is then left for the dead-letter queue). */
export function parseInvalidationRequest(body: string): InvalidationRequest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = InvalidationRequestSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
