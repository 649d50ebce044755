import { ConditionalCheckFailedException, QueryCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDENTIALS, startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { ensureBucket, ensureTable } from '../../infra/local/provision.js';
import { createLogger } from '../../shared/log.js';
import { uploadNotifier } from '../../infra/local/upload-events.js';
import { processUploadEvent } from '../../shared/media/process-upload.js';
import { objectKeysOf } from '../../shared/media/media.js';
import { correctArticle, type CorrectDeps } from '../../shared/publishing/correct-article.js';
import { publishArticle } from '../../shared/publishing/publish-article.js';
import { renderArticlePage } from '../../shared/render/article-page.js';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { DynamoDbArticleStore } from '../../shared/storage/dynamodb-article-store.js';
import { DynamoDbIdempotencyStore } from '../../shared/storage/dynamodb-idempotency-store.js';
import { DynamoDbMediaStore } from '../../shared/storage/dynamodb-media-store.js';
import type { ArticleStore, IdempotencyStore } from '../../shared/storage/ports.js';
import { photo } from '../support/fixtures.js';
import { pageKey, S3MediaStore, S3SiteStore } from '../../shared/storage/s3-stores.js';
import { keys } from '../../shared/storage/table-layout.js';
import { recordingInvalidationQueue } from '../support/invalidations.js';

/**
 * Writes whose answer is lost (carried out, but reported as failed: a timeout), at the moments
 * `npm run loadtest` found them under injected faults. A publish with an Idempotency-Key still makes
 * one article; a correction that did land is not taken for a lost one, and the repeat of a
 * correction puts what readers see back in line with what is stored.
 */
const TABLE = 'lost-answers';
const MEDIA = 'lost-answers-media';
const SITE = 'lost-answers-site';
const editor = { personId: 'faults-editor', keyId: 'faults-editor', name: 'Editor', role: 'editor' as const };

let emulators: Emulators;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pressline-lost-answers-'));
  // Uploads are processed as the bucket notification would, so inline photos become renditions.

  emulators = await startEmulators({ s3Dir: join(dir, 's3') });
  env = { AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint, AWS_ENDPOINT_URL_S3: emulators.s3Endpoint };
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION = 'us-east-1';
  await ensureTable(createDynamoDbClient(env), TABLE);
  for (const bucket of [MEDIA, SITE]) await ensureBucket(createS3Client(env), bucket);
  const processing = { media: new S3MediaStore(createS3Client(env), MEDIA), mediaRecords: new DynamoDbMediaStore(createDynamoDbClient(env), TABLE), logger: createLogger({}, 'error') };
  emulators.onS3Event(uploadNotifier(MEDIA, async () => (event) => processUploadEvent(event, processing), () => {}));
});
afterAll(async () => {
  await emulators?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function deps(overrides: Partial<CorrectDeps> = {}): CorrectDeps {
  const dynamodb = createDynamoDbClient(env);
  const s3 = createS3Client(env);
  return {
    articles: new DynamoDbArticleStore(dynamodb, TABLE),
    media: new S3MediaStore(s3, MEDIA),
    mediaRecords: new DynamoDbMediaStore(dynamodb, TABLE),
    site: new S3SiteStore(s3, SITE),
    idempotency: new DynamoDbIdempotencyStore(dynamodb, TABLE),
    invalidations: recordingInvalidationQueue(),
    urls: { publicBaseUrl: 'https://news.example' },
    logger: createLogger({}, 'error'),
    ...overrides,
  };
}

/** A store's methods bound to it, so one of them can be replaced. */
function bound<T extends object>(store: T): T {
  const proto = Object.getPrototypeOf(store) as object;
  return Object.fromEntries(Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor').map((n) => [n, (store as Record<string, (...a: unknown[]) => unknown>)[n]!.bind(store)])) as T;
}

/** A minute passes: the attempt holding the key counts as dead, so the next one takes over. */
async function ageRecord(idempotencyKey: string): Promise<void> {
  await createDynamoDbClient(env)
    .send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: marshall(keys.idempotency(editor.personId, idempotencyKey)),
        UpdateExpression: 'SET startedAt = startedAt - :minute',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: marshall({ ':minute': 120_000 }),
      }),
    )
    // A key already given up has no record to age.
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

async function storedWithHeadline(headline: string): Promise<string[]> {
  const items = (await createDynamoDbClient(env).send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
  return items.map((item) => unmarshall(item)).filter((item) => item.sk === 'ARTICLE' && item.headline === headline).map((item) => String(item.id));
}

describe('a publish with an Idempotency-Key, retried through failures', () => {
  it('makes one article when the attempt that resumes a published one cannot read it', async () => {
    const submission = { headline: 'Published, then its answer lost twice', section: 'world', body: 'Text.' };
    const healthy = deps();

    // 1. The article is published, but the record of it cannot be completed: the client gets a 500.
    const lostCompletion: IdempotencyStore = { ...bound(healthy.idempotency!), complete: async () => Promise.reject(new Error('completion lost')) };
    await expect(publishArticle(submission, editor, deps({ idempotency: lostCompletion }), 'lost-twice')).rejects.toThrow('completion lost');
    // 2. A minute later the retry takes over and resumes, but its read of the stored article fails.
    await ageRecord('lost-twice');
    const unreadable: ArticleStore = { ...bound(healthy.articles), getArticle: async () => Promise.reject(new Error('read failed')) };
    await expect(publishArticle(submission, editor, deps({ articles: unreadable }), 'lost-twice')).rejects.toThrow('read failed');
    // 3. The next retry, once that attempt too counts as dead, gets an answer: the first attempt's article, not a second one.
    await ageRecord('lost-twice');
    const answer = await publishArticle(submission, editor, healthy, 'lost-twice');

    expect(await storedWithHeadline(submission.headline)).toEqual([answer.id]);
  });

  it('makes one article when a failed attempt could not take back the article it wrote', async () => {
    const submission = { headline: 'Its rollback failed too', section: 'world', body: 'Text.' };
    const healthy = deps();
    // The article's write lands but its answer is lost, and so does every attempt to take it back.
    const stubborn: ArticleStore = {
      ...bound(healthy.articles),
      putArticle: async (article, listings) => {
        await healthy.articles.putArticle(article, listings);
        throw new Error('answer lost');
      },
      deleteArticle: async () => Promise.reject(new Error('delete failed')),
    };
    await expect(publishArticle(submission, editor, deps({ articles: stubborn }), 'stubborn')).rejects.toThrow('answer lost');
    // Its key is kept, not given up: the retry (once the attempt counts as dead) resumes that article.
    await ageRecord('stubborn');
    const answer = await publishArticle(submission, editor, healthy, 'stubborn');

    expect(await storedWithHeadline(submission.headline)).toEqual([answer.id]);
  });
});

async function pageOf(path: string): Promise<string> {
  const object = await createS3Client(env).send(new GetObjectCommand({ Bucket: SITE, Key: pageKey(path) }));
  return object.Body!.transformToString('utf8');
}

async function exists(key: string): Promise<boolean> {
  return createS3Client(env)
    .send(new HeadObjectCommand({ Bucket: MEDIA, Key: key }))
    .then(() => true, () => false);
}

/** The headlines an article's listing entries show, by listing. */
async function listedHeadlines(id: string): Promise<string[]> {
  const { Items } = await createDynamoDbClient(env).send(
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :list)', ExpressionAttributeValues: marshall({ ':pk': `ARTICLE#${id}`, ':list': 'LIST#' }) }),
  );
  return (Items ?? []).map((item) => String(unmarshall(item).headline));
}

const inlinePhoto = (credit: string) => ({ data: photo('progressive.jpg').toString('base64'), alt: 'A photo', caption: 'A caption', credit });

describe('a correction whose commit is carried out but its answer lost', () => {
  it('is answered as the correction it is: the new photo stays, the old one goes, the listings show it', async () => {
    const healthy = deps();
    const published = await publishArticle({ headline: 'Before the correction', section: 'world', body: 'Text.', leadImage: inlinePhoto('AFP') }, editor, healthy);
    const before = (await healthy.articles.getArticle(published.id))!;
    let answers = 0;
    const lostAnswer: ArticleStore = {
      ...bound(healthy.articles),
      replaceArticle: async (next, expected, listings) => {
        const replaced = await healthy.articles.replaceArticle(next, expected, listings);
        if (answers++ === 0) throw new Error('answer lost');
        return replaced;
      },
    };

    const corrected = await correctArticle(published.id, { headline: 'After the correction', section: 'world', body: 'Text.', leadImage: inlinePhoto('Reuters') }, 1, editor, deps({ articles: lostAnswer }));

    const stored = (await healthy.articles.getArticle(published.id))!;
    expect(corrected.version).toBe(2);
    expect(stored.headline).toBe('After the correction');
    expect(await pageOf(stored.path)).toBe(renderArticlePage(stored, healthy.urls));
    expect(new Set(await listedHeadlines(published.id))).toEqual(new Set(['After the correction']));
    for (const key of objectKeysOf(stored.leadImage!)) expect(await exists(key), `new photo ${key}`).toBe(true);
    for (const key of objectKeysOf(before.leadImage!)) expect(await exists(key), `old photo ${key}`).toBe(false);
  });
});

describe('the repeat of a correction that failed half-way', () => {
  it('is told the article moved on (412) and puts the stored version back on the page', async () => {
    const healthy = deps();
    const published = await publishArticle({ headline: 'Version one', section: 'world', body: 'Text.' }, editor, healthy);
    await correctArticle(published.id, { headline: 'Version two', section: 'world', body: 'Text.' }, 1, editor, healthy);
    const stored = (await healthy.articles.getArticle(published.id))!;
    // What a correction of version 1 that lost the race leaves when its own clean-up fails: its page.
    await healthy.site.putPage(stored.path, renderArticlePage({ ...stored, headline: 'The loser of the race' }, healthy.urls));

    await expect(correctArticle(published.id, { headline: 'The loser of the race', section: 'world', body: 'Text.' }, 1, editor, healthy)).rejects.toThrow(/version 2, not 1/);

    expect(await pageOf(stored.path)).toBe(renderArticlePage(stored, healthy.urls));
  });
});

describe('a publish whose claims are carried out but their answers lost', () => {
  it('takes back the path, the short code and the photo it claimed, so the retry gets them', async () => {
    const healthy = deps();
    const photoFields = { alt: 'A photo', caption: 'A caption', credit: 'AFP' };
    const inline = await publishArticle({ headline: 'Only to make a ready photo', section: 'world', body: 'Text.', leadImage: inlinePhoto('AFP') }, editor, healthy);
    const mediaId = (await healthy.articles.getArticle(inline.id))!.leadImage!.mediaId;
    // A ready photo of nobody's: upload-like, by freeing it from the article that made it.
    await healthy.mediaRecords.release(mediaId, inline.id);
    const submission = { headline: 'Claims with lost answers', section: 'world', body: 'Text.', leadImage: { mediaId, ...photoFields } };
    const lost = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
      await call(...args);
      throw new Error('answer lost');
    };

    const claimsLost = [
      { articles: { ...bound(healthy.articles), claimPath: lost(healthy.articles.claimPath.bind(healthy.articles)) } },
      { articles: { ...bound(healthy.articles), claimShortCode: lost(healthy.articles.claimShortCode.bind(healthy.articles)) } },
      { mediaRecords: { ...bound(healthy.mediaRecords), claim: lost(healthy.mediaRecords.claim.bind(healthy.mediaRecords)) } },
    ];
    for (const overrides of claimsLost) await expect(publishArticle(submission, editor, deps(overrides))).rejects.toThrow('answer lost');
    const published = await publishArticle(submission, editor, healthy);

    expect(published.url).toMatch(/\/claims-with-lost-answers\/$/);
    const items = ((await createDynamoDbClient(env).send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map((item) => unmarshall(item));
    const claims = items.filter((item) => (String(item.pk).startsWith('PATH#') || String(item.pk).startsWith('SHORT#')) && item.articleId !== undefined);
    const articleIds = new Set(items.filter((item) => item.sk === 'ARTICLE').map((item) => String(item.id)));
    expect(claims.filter((claim) => !articleIds.has(String(claim.articleId)))).toEqual([]);
    expect((await healthy.mediaRecords.get(mediaId))?.articleId).toBe(published.id);
  });
});
