import type { Logger } from '../log.js';
import type { InvalidationQueue } from '../storage/ports.js';
import { articleIdOf, invalidationPaths, type ArticleChange } from './affected-paths.js';

/** The log message the stack counts (a metric filter with an alarm): an invalidation that never reached the queue. */
export const INVALIDATION_NOT_QUEUED = 'CDN invalidation could not be queued';

export interface InvalidationDeps {
  invalidations: InvalidationQueue;
  logger: Logger;
}

/** Queues the paths a change affects; throws when the queue could not take them (after the SDK's retries). */
export async function queueInvalidation(change: ArticleChange, deps: Pick<InvalidationDeps, 'invalidations'>): Promise<void> {
  await deps.invalidations.enqueue({ articleId: articleIdOf(change), change: change.kind, paths: invalidationPaths(change) });
}

/**
 * For a publish or a correction, which is stored by then and cannot be told to its client as failed:
 * a queue that refuses even after retries is logged with the paths (the stack turns that log line
 * into a metric with an alarm, so ops can invalidate them by hand). What stays cached meanwhile
 * expires with its Cache-Control: pages, listings and misses within a minute.
 */
export async function queueInvalidationOrAlarm(change: ArticleChange, deps: InvalidationDeps): Promise<void> {
  try {
    await queueInvalidation(change, deps);
  } catch (error) {
    deps.logger.error(INVALIDATION_NOT_QUEUED, { articleId: articleIdOf(change), change: change.kind, paths: invalidationPaths(change), error });
  }
}
