import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDENTIALS, startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { ensureBucket, ensureTable } from '../../infra/local/provision.js';
import { uploadNotifier } from '../../infra/local/upload-events.js';
import { processUpload, processUploadEvent } from '../../shared/media/process-upload.js';
import { DynamoDbMediaStore } from '../../shared/storage/dynamodb-media-store.js';
import { createLogger } from '../../shared/log.js';
import { correctArticle } from '../../shared/publishing/correct-article.js';
import { publishArticle, type PublishDeps } from '../../shared/publishing/publish-article.js';
import { takeDownArticle, type TakeDownDeps } from '../../shared/publishing/take-down-article.js';
import { auditorFor } from '../../shared/audit/audit.js';
import { DynamoDbAuditStore } from '../../shared/storage/dynamodb-audit-store.js';
import { sweepOnlyScheduler } from '../../shared/storage/eventbridge-scheduler.js';
import { DynamoDbIdempotencyStore } from '../../shared/storage/dynamodb-idempotency-store.js';
import type { ArticleStore, IdempotencyStore, MediaRecordStore, MediaStore, SiteStore } from '../../shared/storage/ports.js';
import { pageKey } from '../../shared/storage/s3-stores.js';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { DynamoDbArticleStore } from '../../shared/storage/dynamodb-article-store.js';
import { DynamoDbShortLinkStore } from '../../shared/storage/dynamodb-short-link-store.js';
import { S3MediaStore, S3SiteStore } from '../../shared/storage/s3-stores.js';
import { photo, wireSubmission } from '../support/fixtures.js';
import { recordingInvalidationQueue } from '../support/invalidations.js';

const TABLE = 'rollback-articles';
const MEDIA = 'rollback-media';
const SITE = 'rollback-site';
/** A media bucket whose uploads nothing processes by itself: the test calls processing. */
const QUIET_MEDIA = 'rollback-quiet-media';
const editor = { personId: 'test', keyId: 'test', name: 'Test editor', role: 'editor' as const };

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
  for (const bucket of [MEDIA, SITE, QUIET_MEDIA]) await ensureBucket(createS3Client(env), bucket);
  // Uploads are processed as the bucket notification would, so inline photos become renditions.
  const processing = { media: new S3MediaStore(createS3Client(env), MEDIA), mediaRecords: new DynamoDbMediaStore(createDynamoDbClient(env), TABLE), logger: createLogger({}, 'error') };
  emulators.onS3Event(uploadNotifier(MEDIA, async () => (event) => processUploadEvent(event, processing), () => {}));
});
afterAll(async () => {
  await emulators?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A real S3 client that fails every call of `command` whose key matches: an injected fault, not a fake. */
function s3FailingOn(keyPattern: RegExp, command = 'PutObjectCommand'): S3Client {
  const client = createS3Client(env);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string };
      if (context.commandName === command && input.Key && keyPattern.test(input.Key)) throw new Error('injected S3 failure');
      return next(args);
    },
    { step: 'initialize', name: 'injectFault' },
  );
  return client;
}

/** A real DynamoDB client whose every call of `command` is carried out, then reported as failed (a lost reply). */
function dynamoDbFailingAfter(command: string): DynamoDBClient {
  const client = createDynamoDbClient(env);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === command) throw new Error('injected DynamoDB failure');
      return result;
    },
    { step: 'initialize', name: 'injectFault' },
  );
  return client;
}

async function exists(bucket: string, key: string): Promise<boolean> {
  return createS3Client(env)
    .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    .then(() => true, () => false);
}

function deps(s3: S3Client, dynamodb: DynamoDBClient = createDynamoDbClient(env)): PublishDeps & Pick<TakeDownDeps, 'audit'> {
  return {
    audit: auditorFor(new DynamoDbAuditStore(dynamodb, TABLE), editor, 'test', createLogger({}, 'error')),
    invalidations: recordingInvalidationQueue(),
    articles: new DynamoDbArticleStore(dynamodb, TABLE),
    media: new S3MediaStore(s3, MEDIA),
    mediaRecords: new DynamoDbMediaStore(dynamodb, TABLE),
    site: new S3SiteStore(s3, SITE),
    urls: { publicBaseUrl: 'https://news.example' },
    logger: createLogger({}, 'error'),
    scheduler: sweepOnlyScheduler,
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

describe('a publish whose last write fails', () => {
  it('undoes the article item and listings too', async () => {
    const before = await everything();
    const failing = deps(createS3Client(env), dynamoDbFailingAfter('BatchWriteItemCommand'));
    // The batch is written but its reply lost; the undo of it needs a working client.
    const healthy = new DynamoDbArticleStore(createDynamoDbClient(env), TABLE);
    const articles: ArticleStore = { ...bind<ArticleStore>(healthy), putArticle: (a, l) => failing.articles.putArticle(a, l) };
    await expect(publishArticle(wireSubmission({ headline: 'Batch fails' }), editor, { ...failing, articles })).rejects.toThrow('injected DynamoDB failure');
    expect(await everything()).toEqual(before);
  });
});

describe('a takedown that fails after its commit', () => {
  it('completes when the editor repeats it', async () => {
    const published = await publishArticle(wireSubmission({ headline: 'Takedown interrupted' }), editor, deps(createS3Client(env)));
    const path = new URL(published.url ?? '').pathname;
    const stored = await new DynamoDbArticleStore(createDynamoDbClient(env), TABLE).getArticle(published.id);
    const mediaId = stored?.leadImage?.mediaId ?? 'no photo';
    const photoEntries = async () => (await everything()).filter((entry) => entry.includes(mediaId));
    expect((await photoEntries()).length).toBeGreaterThan(3);
    await expect(takeDownArticle(published.id, editor, deps(s3FailingOn(/index\.html$/, 'DeleteObjectCommand')))).rejects.toThrow('injected S3 failure');
    expect(await exists(SITE, pageKey(path))).toBe(true);

    expect(await takeDownArticle(published.id, editor, deps(createS3Client(env)))).toMatchObject({ status: 'removed' });
    expect(await exists(SITE, pageKey(path))).toBe(false);
    // Nothing of the photo is left: no rendition, no private original, no media record.
    expect(await photoEntries()).toEqual([]);
  });
});

describe('a correction that races a takedown', () => {
  it('never leaves the corrected page live', async () => {
    const published = await publishArticle(wireSubmission({ headline: 'Corrected while taken down' }), editor, deps(createS3Client(env)));
    const path = new URL(published.url ?? '').pathname;
    const base = deps(createS3Client(env));
    // The takedown lands after the correction read the article, before it uploads its page.
    const site: SiteStore = {
      ...bind<SiteStore>(base.site),
      putPage: async (pagePath, html) => {
        await takeDownArticle(published.id, editor, deps(createS3Client(env)));
        return base.site.putPage(pagePath, html);
      },
    };
    await expect(correctArticle(published.id, wireSubmission({ headline: 'Too late' }), 1, editor, { ...base, site })).rejects.toMatchObject({ status: 412 });
    expect(await exists(SITE, pageKey(path))).toBe(false);
  });
});

describe('a takedown that loses to a correction', () => {
  it('answers 409 and leaves the short link working, as the article still is', async () => {
    const published = await publishArticle(wireSubmission({ headline: 'Takedown loses the race' }), editor, deps(createS3Client(env)));
    const base = deps(createS3Client(env));
    // The correction commits after the takedown marked the short link removed, before its own commit.
    let raced = false;
    const articles: ArticleStore = {
      ...bind<ArticleStore>(base.articles),
      setShortLinkStatus: async (code, status) => {
        const result = await base.articles.setShortLinkStatus(code, status);
        if (status === 'removed' && !raced) {
          raced = true;
          await correctArticle(published.id, wireSubmission({ headline: 'Takedown loses the race', withPhoto: false }), 1, editor, deps(createS3Client(env)));
        }
        return result;
      },
    };
    await expect(takeDownArticle(published.id, editor, { ...base, articles })).rejects.toMatchObject({ status: 409 });
    const stored = await base.articles.getArticle(published.id);
    expect(stored).toMatchObject({ status: 'published', version: 2 });
    const code = new URL(published.shortUrl ?? '').pathname.slice(3);
    expect(await new DynamoDbShortLinkStore(createDynamoDbClient(env), TABLE).getShortLink(code)).toMatchObject({ status: 'active' });
  });
});

describe('photo processing whose writes lose their answers', () => {
  async function pendingUpload(): Promise<{ id: string; media: S3MediaStore; records: DynamoDbMediaStore }> {
    const media = new S3MediaStore(createS3Client(env), QUIET_MEDIA);
    const records = new DynamoDbMediaStore(createDynamoDbClient(env), TABLE);
    const id = randomUUID();
    await records.create({ id, status: 'pending', ownerKeyId: 'test', declaredType: 'image/jpeg', declaredBytes: 0, filename: '', createdAt: new Date().toISOString() });
    await media.putUpload(id, photo('gps.jpg'), 'image/jpeg');
    return { id, media, records };
  }
  const renditionsIn = async (id: string) =>
    ((await createS3Client(env).send(new ListObjectsV2Command({ Bucket: QUIET_MEDIA, Prefix: `media/${id}/` }))).Contents ?? []).map((o) => o.Key!);

  it('keeps the renditions when marking the record ready is done but its answer lost', async () => {
    const { id, media, records } = await pendingUpload();
    const mediaRecords: MediaRecordStore = { ...bind<MediaRecordStore>(records), markReady: async (...args: Parameters<DynamoDbMediaStore['markReady']>) => { await records.markReady(...args); throw new Error('injected lost answer'); } };
    expect(await processUpload(id, { media, mediaRecords, logger: createLogger({}, 'error') })).toBe('ready');
    const stored = await records.get(id);
    expect(stored?.status).toBe('ready');
    expect((await renditionsIn(id)).sort()).toEqual(stored!.photo!.renditions.map((r) => r.key).concat(stored!.photo!.crops.map((c) => c.key)).sort());
  });

  it('deletes a rendition whose put was done but its answer lost, when the attempt fails', async () => {
    const { id, media, records } = await pendingUpload();
    let puts = 0;
    const lossy: MediaStore = { ...bind<MediaStore>(media), putPhoto: async (...args: Parameters<S3MediaStore['putPhoto']>) => { await media.putPhoto(...args); if (++puts === 2) throw new Error('injected lost answer'); } };
    await expect(processUpload(id, { media: lossy, mediaRecords: records, logger: createLogger({}, 'error') })).rejects.toThrow('injected lost answer');
    expect(await renditionsIn(id)).toEqual([]);
    expect((await records.get(id))?.status).toBe('pending');
  });
});

describe('an Idempotency-Key whose record cannot be completed', () => {
  it('is not abandoned: the retry answers with the same article instead of publishing again', async () => {
    const store = new DynamoDbIdempotencyStore(createDynamoDbClient(env), TABLE);
    const failingComplete: IdempotencyStore = { ...bind<IdempotencyStore>(store), complete: () => Promise.reject(new Error('injected failure to complete')) };
    const submission = wireSubmission({ headline: 'Completed but not recorded' });
    await expect(publishArticle(submission, editor, { ...deps(createS3Client(env)), idempotency: failingComplete }, 'key-1')).rejects.toThrow('injected failure to complete');

    // Make the attempt look stale (its Lambda died), as a retry a minute later would find it.
    const record = (await store.begin({ personId: editor.personId, idempotencyKey: 'key-1', requestHash: '', articleId: '', status: 'in_progress', startedAt: 0 }))!;
    expect(await store.takeOver(record, Date.now() - 120_000)).toBe(true);
    const retried = await publishArticle(submission, editor, { ...deps(createS3Client(env)), idempotency: store }, 'key-1');
    expect(retried.id).toBe(record.articleId);
    expect(retried.url).toMatch(/completed-but-not-recorded\/$/);
  });
});

/** The methods of a class instance as a plain object, so a test can replace one of them. */
function bind<T extends object>(instance: T): T {
  const proto = Object.getPrototypeOf(instance) as object;
  const methods = Object.getOwnPropertyNames(proto).filter((name) => name !== 'constructor');
  return Object.fromEntries(methods.map((name) => [name, (instance as Record<string, (...args: unknown[]) => unknown>)[name]!.bind(instance)])) as T;
}
