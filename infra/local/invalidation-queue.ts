import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { InvalidationQueue, InvalidationRequest } from '../../shared/storage/ports.js';
import { INVALIDATION_QUEUE_DEFINITION } from '../storage-definitions.js';

export type SqsBatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export interface LocalInvalidationQueueOptions {
  /** The invalidate function's handler (functions/invalidate.ts), resolved when the handlers are loaded. */
  consumer: () => Promise<SqsBatchHandler>;
  /** Wait before a refused message is delivered again (SQS: the visibility timeout). Default 100 ms: locally nothing is busy for long. */
  retryDelayMs?: number;
  onDeadLetter?: (message: LocalMessage) => void;
}

export interface LocalMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

/**
 * `npm start`'s stand-in for the SQS invalidation queue and its event source mapping: what the API
 * and the scheduled step enqueue is handed, in batches of up to the stack's batch size, to the same
 * invalidate handler Lambda runs, as SQS records. Messages it reports as failed are delivered again
 * after a delay, and after the stack's most receives are kept as dead letters. Delivery starts on
 * the next turn of the event loop, so changes made together are batched together; `settled()`
 * waits until nothing is waiting, being delivered or due for a retry, so tests never wait on time.
 */
export class LocalInvalidationQueue implements InvalidationQueue {
  private waiting: LocalMessage[] = [];
  private draining: Promise<void> | undefined;
  private readonly retries = new Set<Promise<void>>();
  readonly deadLetters: LocalMessage[] = [];

  constructor(private readonly options: LocalInvalidationQueueOptions) {}

  async enqueue(request: InvalidationRequest): Promise<void> {
    this.waiting.push({ messageId: randomUUID(), body: JSON.stringify(request), receiveCount: 0, sentAt: Date.now() });
    this.drainSoon();
  }

  /** Resolves once every message sent so far was delivered and taken, or dead-lettered. */
  async settled(): Promise<void> {
    while (this.draining || this.retries.size > 0 || this.waiting.length > 0) {
      this.drainSoon();
      await this.draining;
      await Promise.all([...this.retries]);
    }
  }

  private drainSoon(): void {
    this.draining ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.draining = undefined;
        // Sent while the last batch was being handed over: nobody else would start its delivery.
        if (this.waiting.length > 0) this.drainSoon();
      });
  }

  private async drain(): Promise<void> {
    const handler = await this.options.consumer();
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, INVALIDATION_QUEUE_DEFINITION.batchSize);
      for (const message of batch) message.receiveCount++;
      let failed: Set<string>;
      try {
        const response = await handler({ Records: batch.map(recordOf) });
        failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      } catch (error) {
        // A handler that throws fails the whole batch, as with the event source mapping.
        console.error(JSON.stringify({ level: 'error', message: 'local invalidate handler failed', error: String(error) }));
        failed = new Set(batch.map((message) => message.messageId));
      }
      for (const message of batch.filter((m) => failed.has(m.messageId))) this.retryLater(message);
    }
  }

  private retryLater(message: LocalMessage): void {
    if (message.receiveCount >= INVALIDATION_QUEUE_DEFINITION.maxReceiveCount) {
      this.deadLetters.push(message);
      console.error(JSON.stringify({ level: 'error', message: 'invalidation moved to the dead-letter list after its last receive', messageId: message.messageId, body: message.body }));
      this.options.onDeadLetter?.(message);
      return;
    }
    const retry = new Promise<void>((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 100)).then(() => {
      this.retries.delete(retry);
      this.waiting.push(message);
      this.drainSoon();
    });
    this.retries.add(retry);
  }
}

/** The record SQS hands Lambda for a message. */
function recordOf(message: LocalMessage): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: `local-${message.messageId}-${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(message.sentAt),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:pressline-invalidations',
    awsRegion: process.env.AWS_REGION ?? 'us-east-1',
  };
}
