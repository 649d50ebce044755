import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDENTIALS, startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { ensureBucket, ensureTable } from '../../infra/local/provision.js';
import { createLogger } from '../../shared/log.js';
import { correctArticle } from '../../shared/publishing/correct-article.js';
import { publishArticle } from '../../shared/publishing/publish-article.js';
import { takeDownArticle } from '../../shared/publishing/take-down-article.js';
import { auditorFor } from '../../shared/audit/audit.js';
import { DynamoDbAuditStore } from '../../shared/storage/dynamodb-audit-store.js';
import { publishIfDue, returnToReporter, sweepDue } from '../../shared/publishing/workflow.js';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { DynamoDbArticleStore } from '../../shared/storage/dynamodb-article-store.js';
import { DynamoDbDeskStore } from '../../shared/storage/dynamodb-desk-store.js';
import { DynamoDbMediaStore } from '../../shared/storage/dynamodb-media-store.js';
import { sweepOnlyScheduler } from '../../shared/storage/eventbridge-scheduler.js';
import { pageKey, S3MediaStore, S3SiteStore } from '../../shared/storage/s3-stores.js';
import { wireSubmission } from '../support/fixtures.js';
import { recordingInvalidationQueue } from '../support/invalidations.js';

const TABLE = 'schedule-articles';
const MEDIA = 'schedule-media';
const SITE = 'schedule-site';
const editor = { personId: 'editor-key', keyId: 'editor-key', name: 'Test editor', role: 'editor' as const };
const EMBARGO = '2026-06-01T14:00:30.000Z';

let emulators: Emulators;
let dir: string;
let env: NodeJS.ProcessEnv;
let clock = new Date('2026-06-01T13:00:00.000Z');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pressline-schedule-'));
  emulators = await startEmulators({ s3Dir: join(dir, 's3') });
  env = { AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint, AWS_ENDPOINT_URL_S3: emulators.s3Endpoint };
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

function deps(options: { s3?: S3Client; dynamodb?: DynamoDBClient } = {}) {
  const s3 = options.s3 ?? createS3Client(env);
  const dynamodb = options.dynamodb ?? createDynamoDbClient(env);
  return {
    audit: auditorFor(new DynamoDbAuditStore(dynamodb, TABLE), editor, 'test', createLogger({}, 'error')),
    invalidations: recordingInvalidationQueue(),
    articles: new DynamoDbArticleStore(dynamodb, TABLE),
    desk: new DynamoDbDeskStore(dynamodb, TABLE),
    media: new S3MediaStore(s3, MEDIA),
    mediaRecords: new DynamoDbMediaStore(dynamodb, TABLE),
    site: new S3SiteStore(s3, SITE),
    urls: { publicBaseUrl: 'https://news.example' },
    logger: createLogger({}, 'error'),
    scheduler: sweepOnlyScheduler,
    now: () => clock,
  };
}

async function exists(key: string): Promise<boolean> {
  return createS3Client(env).send(new HeadObjectCommand({ Bucket: SITE, Key: key })).then(() => true, () => false);
}

async function shortLinksOf(articleId: string): Promise<string[]> {
  const items = (await createDynamoDbClient(env).send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
  return items.filter((i) => i.pk?.S?.startsWith('SHORT#') && i.articleId?.S === articleId).map((i) => i.pk!.S!);
}

async function schedule(headline: string): Promise<{ id: string; path: string }> {
  clock = new Date('2026-06-01T13:00:00.000Z');
  const outcome = await publishArticle({ ...wireSubmission({ headline, withPhoto: false }), publishedAt: EMBARGO }, editor, deps());
  expect(outcome.status).toBe('scheduled');
  return { id: outcome.id, path: new URL(outcome.url ?? '').pathname };
}

const submission = (headline: string, extra: Record<string, unknown> = {}) => ({ ...wireSubmission({ headline, withPhoto: false }), ...extra });

describe('the scheduled publishing step', () => {
  it('publishes nothing before its time, not even a second early', async () => {
    const { id, path } = await schedule('Not a second early');
    clock = new Date(Date.parse(EMBARGO) - 1_000);
    expect(await publishIfDue(id, deps())).toBe('not-due');
    expect(await sweepDue(deps())).toEqual({ published: [], failed: [] });
    expect(await exists(pageKey(path))).toBe(false);
  });

  it('publishes once when its schedule fires twice, even at the same moment', async () => {
    const { id, path } = await schedule('Fires twice');
    clock = new Date(Date.parse(EMBARGO) + 1_000);
    await Promise.all([publishIfDue(id, deps()), publishIfDue(id, deps())]);
    expect(await publishIfDue(id, deps())).toBe('not-due');

    const store = deps().articles;
    expect(await store.getArticle(id)).toMatchObject({ status: 'published', version: 2, publishedAt: EMBARGO });
    expect((await store.listRevisions(id)).map((r) => r.version)).toEqual([1]);
    expect(await shortLinksOf(id)).toHaveLength(1);
    expect(await exists(pageKey(path))).toBe(true);
  });

  it('is caught by the sweep when its schedule never fires', async () => {
    const { id, path } = await schedule('Schedule never fired');
    clock = new Date(Date.parse(EMBARGO) + 30_000);
    const swept = await sweepDue(deps());
    expect(swept.published).toContain(id);
    expect(await deps().articles.getArticle(id)).toMatchObject({ status: 'published' });
    expect(await exists(pageKey(path))).toBe(true);
    // Nothing is left on the schedule: the next sweep has nothing to do.
    expect((await deps().desk.due(clock.toISOString(), 50)).map((d) => d.id)).not.toContain(id);
  });

  it('is completed by the next attempt after a crash between its steps, keeping its short link', async () => {
    const { id, path } = await schedule('Crash mid-publish');
    clock = new Date(Date.parse(EMBARGO) + 5_000);
    // The process "dies" once the short link is claimed: every later call fails, its undo steps too.
    const dying = createDynamoDbClient(env);
    let dead = false;
    dying.middlewareStack.add(
      (next, context) => async (args) => {
        if (dead) throw new Error('injected crash');
        const result = await next(args);
        if (context.commandName === 'PutItemCommand' && String((args.input as { Item?: { pk?: { S?: string } } }).Item?.pk?.S).startsWith('SHORT#')) dead = true;
        return result;
      },
      { step: 'initialize', name: 'injectCrash' },
    );
    await expect(publishIfDue(id, deps({ dynamodb: dying }))).rejects.toThrow('injected crash');
    expect(await deps().articles.getArticle(id)).toMatchObject({ status: 'scheduled' });
    const claimedBeforeCrash = await shortLinksOf(id);
    expect(claimedBeforeCrash).toHaveLength(1);

    expect((await sweepDue(deps())).published).toContain(id);
    expect(await deps().articles.getArticle(id)).toMatchObject({ status: 'published', version: 2 });
    expect(await shortLinksOf(id)).toEqual(claimedBeforeCrash);
    expect(await exists(pageKey(path))).toBe(true);
  });

  it('undoes its writes when a step fails, and the next sweep publishes', async () => {
    const { id, path } = await schedule('Page upload fails');
    clock = new Date(Date.parse(EMBARGO) + 5_000);
    const failing = createS3Client(env);
    failing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand') throw new Error('injected S3 failure');
        return next(args);
      },
      { step: 'initialize', name: 'injectFault' },
    );
    const swept = await sweepDue(deps({ s3: failing }));
    expect(swept).toEqual({ published: [], failed: [id] });
    expect(await deps().articles.getArticle(id)).toMatchObject({ status: 'scheduled' });
    expect(await shortLinksOf(id)).toEqual([]);

    expect((await sweepDue(deps())).published).toContain(id);
    expect(await exists(pageKey(path))).toBe(true);
  });

  it('is harmless when the article changed since: rescheduled later, it waits for the new time', async () => {
    const { id } = await schedule('Rescheduled');
    clock = new Date('2026-06-01T13:30:00.000Z');
    await correctArticle(id, submission('Rescheduled', { publishedAt: '2026-06-01T16:00:00.000Z' }), 1, editor, deps());
    clock = new Date(Date.parse(EMBARGO) + 5_000);
    expect(await publishIfDue(id, deps())).toBe('not-due');
    expect(await deps().articles.getArticle(id)).toMatchObject({ status: 'scheduled', publishedAt: '2026-06-01T16:00:00.000Z' });
  });
});

describe('the schedule of an embargo', () => {
  /** The schedules asked for, as EventBridge Scheduler would receive them. */
  function recordingScheduler() {
    const calls: string[] = [];
    return { calls, schedule: async (id: string, at: string) => void calls.push(`schedule ${id} ${at}`), cancel: async (id: string) => void calls.push(`cancel ${id}`) };
  }

  it('is made when the article is scheduled, replaced when it is rescheduled, cancelled when it is unscheduled', async () => {
    clock = new Date('2026-06-01T13:00:00.000Z');
    const scheduler = recordingScheduler();
    const { id } = await publishArticle({ ...wireSubmission({ headline: 'Schedule kept in step', withPhoto: false }), publishedAt: EMBARGO }, editor, { ...deps(), scheduler });
    await correctArticle(id, submission('Schedule kept in step', { publishedAt: '2026-06-01T15:00:00.000Z' }), 1, editor, { ...deps(), scheduler });
    const unscheduled = await returnToReporter(id, 2, { note: 'Hold this until the minister speaks.' }, editor, { ...deps(), scheduler });
    expect(unscheduled).toMatchObject({ status: 'draft' });
    expect(scheduler.calls).toEqual([`schedule ${id} ${EMBARGO}`, `schedule ${id} 2026-06-01T15:00:00.000Z`, `cancel ${id}`]);

    clock = new Date('2026-06-01T16:00:00.000Z');
    expect(await publishIfDue(id, deps())).toBe('not-due');
    expect(await sweepDue(deps())).toMatchObject({ failed: [] });
    expect(await deps().articles.getArticle(id)).toMatchObject({ status: 'draft' });
  });

  it('is cancelled when the scheduled article is taken down', async () => {
    const scheduler = recordingScheduler();
    const { id } = await schedule('Scheduled, then taken down');
    await takeDownArticle(id, editor, { ...deps(), scheduler });
    expect(scheduler.calls).toEqual([`cancel ${id}`]);
    clock = new Date(Date.parse(EMBARGO) + 5_000);
    expect(await publishIfDue(id, deps())).toBe('not-due');
  });
});

describe('a slug change interrupted after its commit', () => {
  it('is finished by sending the same slug again: the short link follows and the old URL stops showing the page', async () => {
    clock = new Date('2026-06-02T09:00:00.000Z');
    const published = await publishArticle(submission('Interrupted move'), editor, deps());
    const path = new URL(published.url ?? '').pathname;
    const code = new URL(published.shortUrl ?? '').pathname.slice(3);
    const failing = createS3Client(env);
    failing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteObjectCommand') throw new Error('injected S3 failure');
        return next(args);
      },
      { step: 'initialize', name: 'injectFault' },
    );
    await expect(correctArticle(published.id, submission('Interrupted move', { slug: 'finished-move' }), 1, editor, deps({ s3: failing }))).rejects.toThrow('injected S3 failure');
    expect(await exists(pageKey(path))).toBe(true);

    const repeated = await correctArticle(published.id, submission('Interrupted move', { slug: 'finished-move' }), 2, editor, deps());
    const newPath = path.replace('interrupted-move/', 'finished-move/');
    expect(repeated.url).toBe(`https://news.example${newPath}`);
    expect(await exists(pageKey(path))).toBe(false);
    expect(await exists(pageKey(newPath))).toBe(true);
    const link = await createDynamoDbClient(env).send(new ScanCommand({ TableName: TABLE }));
    expect(link.Items?.find((i) => i.pk?.S === `SHORT#${code}`)?.path?.S).toBe(newPath);
  });
});

describe('CDN invalidations', () => {
  const spellings = (path: string) => [path, `${path}index.html`, path.slice(0, -1)];
  const requested = (d: ReturnType<typeof deps>) => d.invalidations.requests.map(({ change, paths }) => ({ change, paths }));

  it('queues one request per change, of its kind, naming exactly what that change showed', async () => {
    const { id, path } = await schedule('Invalidated exactly');
    clock = new Date(Date.parse(EMBARGO) + 5_000);

    const publishing = deps();
    await publishIfDue(id, publishing);
    const code = (await publishing.articles.getArticle(id))!.shortCode;
    const published = requested(publishing);
    expect(published.map((r) => r.change)).toEqual(['published']);
    expect(published[0]!.paths).toEqual(expect.arrayContaining([...spellings(path), `/s/${code}`, `/s/${code}/`, '/world/', '/world/index.html', '/sitemaps/articles-2026-06.xml']));

    const correcting = deps();
    await correctArticle(id, submission('Invalidated exactly', { correction: 'A date was wrong.' }), 2, editor, correcting);
    const corrected = requested(correcting);
    expect(corrected.map((r) => r.change)).toEqual(['corrected']);
    expect(corrected[0]!.paths).toEqual(expect.arrayContaining([path, `${path}index.html`, '/world/']));
    expect(corrected[0]!.paths).not.toContain(`/s/${code}`);

    const moving = deps();
    const newPath = path.replace('invalidated-exactly/', 'invalidated-precisely/');
    await correctArticle(id, submission('Invalidated exactly', { slug: 'invalidated-precisely' }), 3, editor, moving);
    const moved = requested(moving);
    expect(moved.map((r) => r.change)).toEqual(['slug-changed']);
    expect(moved[0]!.paths).toEqual(expect.arrayContaining([...spellings(path), ...spellings(newPath), `/s/${code}`, `/s/${code}/`]));

    const removing = deps();
    await takeDownArticle(id, editor, removing);
    const removed = requested(removing);
    expect(removed.map((r) => r.change)).toEqual(['taken-down']);
    expect(removed[0]!.paths).toEqual(expect.arrayContaining([...spellings(newPath), ...spellings(path), `/s/${code}`, `/s/${code}/`, '/', '/world/', '/news-sitemap.xml']));

    for (const { paths } of [...published, ...corrected, ...moved, ...removed]) expect(paths).not.toContain('/*');
  });
});

describe('the schedule listing', () => {
  it('is found by a Query of the byList index, never a Scan', async () => {
    const { id } = await schedule('Found by query');
    const seen: string[] = [];
    const watched = createDynamoDbClient(env);
    watched.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push(`${context.commandName}:${(args.input as { IndexName?: string }).IndexName ?? ''}`);
        return next(args);
      },
      { step: 'initialize', name: 'watch' },
    );
    const due = await new DynamoDbDeskStore(watched, TABLE).due('2026-06-01T15:00:00.000Z', 50);
    expect(due.map((d) => d.id)).toContain(id);
    expect(seen).toEqual(['QueryCommand:byList']);
    // Sorted by due time: the oldest first.
    expect(due.map((d) => d.publishedAt)).toEqual([...due.map((d) => d.publishedAt)].sort());
  });
});
