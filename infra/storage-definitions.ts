import { RENDITIONS_PREFIX, UPLOADS_PREFIX } from '../shared/media/media.js';
import { TABLE_KEYS } from '../shared/storage/table-layout.js';

/**
 * The one definition of the table and buckets, read by the CDK stack and by the local runtime
 * (which creates them on the emulators), so the two cannot drift apart.
 */
export const TABLE_DEFINITION = {
  localName: 'pressline-articles',
  partitionKey: TABLE_KEYS.partitionKey,
  sortKey: TABLE_KEYS.sortKey,
  ttlAttribute: TABLE_KEYS.ttlAttribute,
  globalSecondaryIndexes: [
    { indexName: TABLE_KEYS.listIndex, partitionKey: TABLE_KEYS.listPartitionKey, sortKey: TABLE_KEYS.listSortKey },
  ],
} as const;

export const BUCKET_DEFINITIONS = {
  /**
   * Photos. `uploads/<media id>`: the private original (presigned POST, or the API for an inline
   * photo); each new object there starts the processing function. `media/<media id>/<token>-<width>.<ext>`:
   * its renditions, the only keys CloudFront serves (`/media/*`).
   */
  media: { localName: 'pressline-media', versioned: true, uploadsPrefix: UPLOADS_PREFIX, renditionsPrefix: RENDITIONS_PREFIX },
  /** Rendered article pages at `<path>/index.html`. Re-renderable from the table, so not versioned. */
  site: { localName: 'pressline-site', versioned: false },
} as const;

/**
 * The invalidation queue and how the invalidate function drains it, read by the CDK stack (SQS,
 * the event source mapping) and by the local runtime's queue, which delivers the same way.
 */
export const INVALIDATION_QUEUE_DEFINITION = {
  /** Messages merged into one invocation: changes arriving together share CreateInvalidation calls. */
  batchSize: 100,
  /** How long Lambda gathers messages before invoking: one busy minute makes a handful of invalidations, not dozens. */
  maxBatchingWindowSeconds: 10,
  /** Two invocations at most: CloudFront's call rate and in-progress limits are per distribution. */
  maxConcurrency: 2,
  /** The backoff between attempts of a refused message: in-progress invalidations usually finish within it. */
  visibilityTimeoutSeconds: 120,
  /** Receives before a message moves to the dead-letter queue: 15 × 2 minutes of CloudFront refusing. */
  maxReceiveCount: 15,
} as const;

/**
 * CORS on the media bucket for the newsroom's uploads: the browser posts the photo straight to the
 * bucket with the presigned POST, and listening to its progress makes that a preflighted request.
 * Only POST: the presigned policy is the credential; CORS only lets the page read the answer.
 */
export const MEDIA_UPLOAD_CORS = {
  allowedMethods: ['POST'],
  allowedHeaders: ['*'],
  maxAgeSeconds: 3000,
} as const;
