import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CloudFrontClient, TooManyInvalidationsInProgress, type CreateInvalidationCommandInput } from '@aws-sdk/client-cloudfront';
import { SQSClient, type SendMessageCommandInput } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalInvalidationQueue } from '../../infra/local/invalidation-queue.js';
import { INVALIDATION_QUEUE_DEFINITION } from '../../infra/storage-definitions.js';
import { CONFIG_ENV } from '../../shared/config.js';
import { CLOUDFRONT_MAX_PATHS } from '../../shared/publishing/invalidation-batches.js';
import { observeNewClients } from '../../shared/storage/clients.js';
import { createSqsInvalidationQueue } from '../../shared/storage/sqs-client.js';

/**
 * The invalidate function's handler with its real CloudFront client. There is no CloudFront
 * emulator: SDK middleware after serialization takes each CreateInvalidation, records its input,
 * and either answers as CloudFront does or throws the SDK's own TooManyInvalidationsInProgress,
 * as if every retry had been refused.
 */
const DISTRIBUTION_ID = 'E1PRESSLINETEST';
const fixture = () => JSON.parse(readFileSync(new URL('../events/sqs/invalidation-batch.json', import.meta.url), 'utf8')) as SQSEvent;

let handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
let landed: CreateInvalidationCommandInput[] = [];
let attempts = 0;
/** Which calls (counted from 1) are answered with TooManyInvalidationsInProgress. */
let refuse: (attempt: number) => boolean = () => false;
let stopObserving: () => void;

beforeAll(async () => {
  process.env[CONFIG_ENV.distributionId] = DISTRIBUTION_ID;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
  stopObserving = observeNewClients((client) => {
    if (!(client instanceof CloudFrontClient)) return;
    client.middlewareStack.add(
      (_next, context) => async (args) => {
        if (context.commandName !== 'CreateInvalidationCommand') throw new Error(`unexpected CloudFront call ${context.commandName}`);
        attempts++;
        if (refuse(attempts)) {
          throw new TooManyInvalidationsInProgress({ message: 'Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations.', $metadata: { httpStatusCode: 400 } });
        }
        const input = args.input as CreateInvalidationCommandInput;
        landed.push(input);
        return { output: { $metadata: { httpStatusCode: 201 }, Location: 'https://cloudfront.amazonaws.com/x', Invalidation: { Id: `I${landed.length}`, Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: input.InvalidationBatch } }, response: {} };
      },
      { step: 'build', name: 'cloudFrontStandIn' },
    );
  });
  // Imported only now: it reads its configuration and makes its client as on Lambda.
  ({ handler } = (await import('../../functions/invalidate.js')) as { handler: typeof handler });
});

afterAll(() => {
  stopObserving?.();
  delete process.env[CONFIG_ENV.distributionId];
});

beforeEach(() => {
  landed = [];
  attempts = 0;
  refuse = () => false;
});

const pathsOf = (event: SQSEvent) => event.Records.flatMap((r) => (JSON.parse(r.body) as { paths: string[] }).paths);
const ids = (event: SQSEvent) => event.Records.map((r) => r.messageId);
const record = (messageId: string, paths: string[]): SQSRecord => ({ ...fixture().Records[0]!, messageId, body: JSON.stringify({ articleId: messageId, change: 'corrected', paths }) });

describe('the invalidate function', () => {
  it('merges the messages of a batch into one CreateInvalidation on the distribution, each path once', async () => {
    const event = fixture();
    const response = await handler(event);
    expect(response.batchItemFailures).toEqual([]);
    expect(landed).toHaveLength(1);
    const unique = [...new Set(pathsOf(event))];
    expect(landed[0]!.DistributionId).toBe(DISTRIBUTION_ID);
    expect(landed[0]!.InvalidationBatch?.Paths).toEqual({ Quantity: unique.length, Items: unique });
  });

  it('reports every message of a refused batch as failed, so SQS delivers it again; the next delivery lands it', async () => {
    const event = fixture();
    refuse = (attempt) => attempt === 1;
    const refused = await handler(event);
    expect(refused.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(ids(event).sort());
    expect(landed).toEqual([]);

    const redelivered = await handler(event);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(landed.flatMap((i) => i.InvalidationBatch?.Paths?.Items ?? []).sort()).toEqual([...new Set(pathsOf(event))].sort());
  });

  it('stops calling CloudFront once it says it is busy, and retries only the messages whose paths did not all land', async () => {
    const first = Array.from({ length: CLOUDFRONT_MAX_PATHS }, (_, i) => `/world/2024/04/07/story-${i}/`);
    const second = ['/tags/gaza/', '/tags/gaza/index.html'];
    const wildcards = Array.from({ length: 6 }, (_, i) => `/section-${i}/page/*`);
    // Planned as three calls: the first message's 3,000 paths; the second's with five wildcards; the sixth wildcard.
    const event: SQSEvent = { Records: [record('m-first', first), record('m-second', second), record('m-both', [first[0]!, second[0]!]), record('m-wild', wildcards)] };
    refuse = (attempt) => attempt === 2;
    const response = await handler(event);
    expect(attempts).toBe(2);
    expect(landed.map((i) => i.InvalidationBatch?.Paths?.Quantity)).toEqual([CLOUDFRONT_MAX_PATHS]);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-both', 'm-second', 'm-wild']);
  });

  it('leaves a message that is not an invalidation request for the dead-letter queue, and invalidates the others', async () => {
    const event = fixture();
    event.Records[0]!.body = '{"paths": "not a list"}';
    const response = await handler(event);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(landed.flatMap((i) => i.InvalidationBatch?.Paths?.Items ?? [])).toEqual(pathsOf({ Records: [event.Records[1]!] }));
  });
});

describe('the invalidate function behind the local queue', () => {
  const request = { articleId: 'a1', change: 'taken-down' as const, paths: ['/s/x2ch4hu', '/s/x2ch4hu/', '/page/*'] };

  it('is delivered a refused message again until CloudFront takes it', async () => {
    const queue = new LocalInvalidationQueue({ consumer: async () => handler, retryDelayMs: 0 });
    refuse = (attempt) => attempt <= 3;
    await queue.enqueue(request);
    await queue.settled();
    expect(attempts).toBe(4);
    expect(landed.map((i) => i.InvalidationBatch?.Paths?.Items)).toEqual([request.paths]);
    expect(queue.deadLetters).toEqual([]);
  });

  it('keeps a message CloudFront refused on every receive as a dead letter, after the stack’s most receives', async () => {
    const queue = new LocalInvalidationQueue({ consumer: async () => handler, retryDelayMs: 0 });
    refuse = () => true;
    await queue.enqueue(request);
    await queue.settled();
    expect(attempts).toBe(INVALIDATION_QUEUE_DEFINITION.maxReceiveCount);
    expect(landed).toEqual([]);
    expect(queue.deadLetters.map((m) => JSON.parse(m.body))).toEqual([request]);
  });
});

describe('the SQS queue changes send to', () => {
  it('sends each request as a message on the queue, split where SQS’s message size would be passed', async () => {
    const sent: SendMessageCommandInput[] = [];
    const client = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' } });
    client.middlewareStack.add(
      (_next, context) => async (args) => {
        expect(context.commandName).toBe('SendMessageCommand');
        const input = args.input as SendMessageCommandInput;
        sent.push(input);
        // The SDK checks the body's MD5 that SQS answers with.
        const md5 = createHash('md5').update(input.MessageBody ?? '').digest('hex');
        return { output: { $metadata: { httpStatusCode: 200 }, MessageId: `m${sent.length}`, MD5OfMessageBody: md5 }, response: {} };
      },
      { step: 'build', name: 'sqsStandIn' },
    );
    const url = 'https://sqs.us-east-1.amazonaws.com/123456789012/Pressline-dev-Invalidations';
    const queue = createSqsInvalidationQueue(url, client);
    const small = { articleId: 'a1', change: 'published' as const, paths: ['/', '/index.html'] };
    await queue.enqueue(small);
    expect(sent.map((m) => [m.QueueUrl, JSON.parse(m.MessageBody!)])).toEqual([[url, small]]);

    sent.length = 0;
    const long = { articleId: 'a2', change: 'taken-down' as const, paths: Array.from({ length: 2_000 }, (_, i) => `/world/2024/04/07/${'x'.repeat(150)}-${i}/`) };
    await queue.enqueue(long);
    expect(sent.length).toBeGreaterThan(1);
    for (const message of sent) expect(Buffer.byteLength(message.MessageBody!)).toBeLessThan(256 * 1024);
    expect(sent.flatMap((m) => (JSON.parse(m.MessageBody!) as { paths: string[] }).paths)).toEqual(long.paths);
  });
});
