import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { HANDLER_SETTINGS, readConfig } from '../shared/config.js';
import { createLogger } from '../shared/log.js';
import { parseInvalidationRequest, planInvalidationBatches, type QueuedInvalidation } from '../shared/publishing/invalidation-batches.js';
import { cloudFrontInvalidator } from '../shared/storage/cloudfront-invalidator.js';
import { localCdn } from '../shared/storage/local-stand-ins.js';

const config = readConfig(HANDLER_SETTINGS.invalidate);
const logger = createLogger({ function: 'invalidate' });
// Locally there is no distribution: the local runtime's edge cache hears the same batches.
const cdn = config.distributionId ? cloudFrontInvalidator(config.distributionId) : localCdn;

/** CloudFront is busy (too many invalidations in progress, or calls too fast): later batches would be refused too. */
const BUSY = new Set(['TooManyInvalidationsInProgress', 'Throttling', 'ThrottlingException', 'TooManyRequestsException']);
const isBusy = (error: unknown) => error instanceof Error && BUSY.has(error.name);

/**
 * Drains the invalidation queue: the messages of one batching window are merged into as few
 * CreateInvalidation calls as CloudFront allows, each path once. Messages whose paths did not all
 * land are reported as failed items, so SQS delivers them again after their visibility timeout,
 * and after the queue's most receives moves them to the dead-letter queue, which an alarm watches.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failed = new Set<string>();
  const queued: QueuedInvalidation[] = [];
  for (const record of event.Records) {
    const request = parseInvalidationRequest(record.body);
    if (request) queued.push({ messageId: record.messageId, paths: request.paths });
    else {
      logger.error('not an invalidation request: left for the dead-letter queue', { messageId: record.messageId });
      failed.add(record.messageId);
    }
  }
  let busy: unknown;
  for (const batch of planInvalidationBatches(queued)) {
    if (busy === undefined) {
      try {
        await cdn.invalidate(batch.paths);
        logger.info('invalidation created', { paths: batch.paths.length, messages: batch.messageIds.length });
        continue;
      } catch (error) {
        logger.warn('invalidation refused: its messages are retried', { paths: batch.paths.length, messages: batch.messageIds.length, error });
        if (isBusy(error)) busy = error;
      }
    }
    for (const id of batch.messageIds) failed.add(id);
  }
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}
