import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDENTIALS, startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { ensureBucket, ensureTable } from '../../infra/local/provision.js';
import { createLogger } from '../../shared/log.js';
import { publishArticle, type PublishDeps } from '../../shared/publishing/publish-article.js';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { DynamoDbArticleStore } from '../../shared/storage/dynamodb-article-store.js';
import { S3MediaStore, S3SiteStore } from '../../shared/storage/s3-stores.js';
import { wireSubmission } from '../support/fixtures.js';

const TABLE = 'rollback-articles';
const MEDIA = 'rollback-media';
const SITE = 'rollback-site';
const editor = { keyId: 'test', name: 'Test editor', role: 'editor' as const };

let emulators: Emulators;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pressline-rollback-'));
  emulators = await startEmulators({ s3Dir: join(dir, 's3') });
  env = {
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
  };
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION = 'us-east-1';
  await ensureTable(createDynamoDbClient(env), TABLE);
  for (const bucket of [MEDIA, SITE]) await ensureBucket(createS3Client(env), bucket);
});
afterAll(async () => {
  await emulators?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A real S3 client that fails every PutObject whose key matches: an injected fault, not a fake. */
function s3FailingOn(keyPattern: RegExp): S3Client {
  const client = createS3Client(env);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string };
      if (context.commandName === 'PutObjectCommand' && input.Key && keyPattern.test(input.Key)) throw new Error('injected S3 failure');
      return next(args);
    },
    { step: 'initialize', name: 'injectFault' },
  );
  return client;
}

function deps(s3: S3Client): PublishDeps {
  return {
    articles: new DynamoDbArticleStore(createDynamoDbClient(env), TABLE),
    media: new S3MediaStore(s3, MEDIA),
    site: new S3SiteStore(s3, SITE),
    urls: { publicBaseUrl: 'https://news.example' },
    logger: createLogger({}, 'error'),
  };
}

async function everything(): Promise<string[]> {
  const items = (await createDynamoDbClient(env).send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
  const s3 = createS3Client(env);
  const objects = await Promise.all([MEDIA, SITE].map(async (b) => (await s3.send(new ListObjectsV2Command({ Bucket: b }))).Contents?.map((o) => `${b}/${o.Key}`) ?? []));
  return [...items.map((i) => `${i.pk?.S}|${i.sk?.S}`), ...objects.flat()].sort();
}

describe('a publish that fails half-way', () => {
  it('undoes the path claim and the stored photo when the page upload fails', async () => {
    const before = await everything();
    await expect(publishArticle(wireSubmission(), editor, deps(s3FailingOn(/index\.html$/)))).rejects.toThrow('injected S3 failure');
    expect(await everything()).toEqual(before);
  });

  it('leaves the path free, so the retry gets the same URL', async () => {
    const result = await publishArticle(wireSubmission(), editor, deps(createS3Client(env)));
    expect(result.url).toMatch(/\/israel-pulls-troops-out-of-southern-gaza-as-cairo-truce-talks-make-significant\/$/);
  });
});

describe('concurrent publishes of one headline', () => {
  it('get distinct URLs and short links', async () => {
    const submission = wireSubmission({ withPhoto: false, headline: 'Same headline, same day' });
    const results = await Promise.all(Array.from({ length: 5 }, () => publishArticle(submission, editor, deps(createS3Client(env)))));
    expect(new Set(results.map((r) => r.url)).size).toBe(5);
    expect(new Set(results.map((r) => r.shortUrl)).size).toBe(5);
  });
});
