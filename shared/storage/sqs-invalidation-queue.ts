import type { InvalidationQueue } from './ports.js';

/**
 * Sends invalidations to the SQS queue the invalidate function drains, loading the SQS client on
 * first use: reading requests (most of the API's work) never pay for it at cold start.
 */
export function sqsInvalidationQueue(queueUrl: string): InvalidationQueue {
  let queue: Promise<InvalidationQueue> | undefined;
  return {
    async enqueue(request) {
      queue ??= import('./sqs-client.js').then(({ createSqsInvalidationQueue }) => createSqsInvalidationQueue(queueUrl));
      return (await queue).enqueue(request);
    },
  };
}
