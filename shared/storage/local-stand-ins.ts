import type { CdnInvalidator, InvalidationQueue } from './ports.js';

/**
 * Where the local runtime puts what AWS has and one machine does not: the invalidation queue (SQS)
 * and the CDN (CloudFront's cache). Handlers built without a queue URL or a distribution id find
 * them here when they need them, so the same handler code runs on both.
 */
export interface LocalStandIns {
  invalidations: InvalidationQueue;
  cdn: CdnInvalidator;
}

// On globalThis rather than in a module variable: one process, however its modules were loaded.
const SLOT = Symbol.for('pressline.localStandIns');
const slot = globalThis as { [SLOT]?: LocalStandIns };

/** Installs stand-ins; returns a function that puts back the ones they replaced (a test may swap in a failing queue). */
export function installLocalStandIns(standIns: LocalStandIns): () => void {
  const previous = slot[SLOT];
  slot[SLOT] = standIns;
  return () => {
    if (slot[SLOT] !== standIns) return;
    if (previous) slot[SLOT] = previous;
    else delete slot[SLOT];
  };
}

/**
 * Without a local runtime, and without the queue URL or distribution id the stack sets, there is
 * nowhere to send an invalidation: refuse loudly (a takedown answers 503, a publish logs it for the
 * alarm) rather than drop it without a word.
 */
const missing = (what: string) => async () => {
  throw new Error(`No ${what}: the stack sets ${what === 'invalidation queue' ? 'PRESSLINE_INVALIDATION_QUEUE_URL' : 'PRESSLINE_DISTRIBUTION_ID'}, and \`npm start\` provides a local one.`);
};
const nothing: LocalStandIns = { invalidations: { enqueue: missing('invalidation queue') }, cdn: { invalidate: missing('CDN') } };

/** The local runtime's queue, looked up at each call: the runtime may install it after the handler loaded. */
export const localInvalidationQueue: InvalidationQueue = { enqueue: (request) => (slot[SLOT] ?? nothing).invalidations.enqueue(request) };

/** The local runtime's edge cache, looked up at each call. */
export const localCdn: CdnInvalidator = { invalidate: (paths) => (slot[SLOT] ?? nothing).cdn.invalidate(paths) };
