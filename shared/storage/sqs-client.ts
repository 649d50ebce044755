import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { observed } from './clients.js';
import type { InvalidationQueue, InvalidationRequest } from './ports.js';

/** SQS takes 256 KiB a message; a request with more paths than fit (a takedown of a long history) is split. */
const MAX_MESSAGE_BYTES = 200_000;

// Loaded only through sqs-invalidation-queue.ts's dynamic import, like cloudfront-client.ts.
export function createSqsInvalidationQueue(queueUrl: string, client: SQSClient = observed(new SQSClient({ maxAttempts: 3 }))): InvalidationQueue {
  return {
    async enqueue(request) {
      for (const part of messagesOf(request)) await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(part) }));
    },
  };
}

function messagesOf(request: InvalidationRequest): InvalidationRequest[] {
  const parts: InvalidationRequest[] = [];
  let paths: string[] = [];
  let bytes = 0;
  for (const path of request.paths) {
    const size = Buffer.byteLength(JSON.stringify(path)) + 1;
    if (paths.length > 0 && bytes + size > MAX_MESSAGE_BYTES) {
      parts.push({ ...request, paths });
      paths = [];
      bytes = 0;
    }
    paths.push(path);
    bytes += size;
  }
  if (paths.length > 0) parts.push({ ...request, paths });
  return parts;
}
