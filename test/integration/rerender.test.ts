import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/log.js';
import { invalidateByHand } from '../../bin/cli/rerender.js';
import { rerenderArticles, RerenderedNotInvalidatedError } from '../../shared/publishing/rerender-articles.js';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { DynamoDbArticleStore } from '../../shared/storage/dynamodb-article-store.js';
import { DynamoDbListingStore } from '../../shared/storage/dynamodb-listing-store.js';
import { S3SiteStore, pageKey } from '../../shared/storage/s3-stores.js';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.stop();
});

describe('re-rendering every article after a template change', () => {
  it('rewrites each published page, in every month, skips taken-down ones and invalidates the CDN once', async () => {
    const urls: string[] = [];
    for (const [headline, publishedAt] of [['April story', '2024-04-07T09:30:00Z'], ['May story', '2024-05-01T12:00:00Z'], ['Today', undefined]] as const) {
      const response = await runtime.publish({ ...wireSubmission({ withPhoto: false, headline }), ...(publishedAt ? { publishedAt } : {}) });
      urls.push(((await response.json()) as { url: string }).url);
    }
    const removed = (await (await runtime.publish(wireSubmission({ withPhoto: false, headline: 'Taken down' }))).json()) as { id: string; url: string };
    await fetch(`${runtime.apiUrl}/articles/${removed.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${runtime.apiKey}` } });
    const s3 = createS3Client();
    const dynamodb = createDynamoDbClient();
    const paths = urls.map((u) => new URL(u).pathname);
    for (const path of paths) await s3.send(new PutObjectCommand({ Bucket: runtime.siteBucket, Key: pageKey(path), Body: 'stale template', ContentType: 'text/html; charset=utf-8' }));

    const invalidations: string[][] = [];
    const progress: string[] = [];
    const { pages } = await rerenderArticles(
      {
        listings: new DynamoDbListingStore(dynamodb, runtime.tableName),
        articles: new DynamoDbArticleStore(dynamodb, runtime.tableName),
        site: new S3SiteStore(s3, runtime.siteBucket),
        cdn: { invalidate: async (p) => void invalidations.push(p) },
        urls: { publicBaseUrl: runtime.baseUrl },
        logger: createLogger({}, 'error'),
      },
      (month, monthPages) => progress.push(`${month}:${monthPages}`),
    );

    expect(pages).toBe(3);
    expect(progress).toEqual(expect.arrayContaining(['2024-04:1', '2024-05:1']));
    for (const path of paths) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: runtime.siteBucket, Key: pageKey(path) }))).Body!.transformToString();
      expect(body).toMatch(/^<!doctype html>/i);
    }
    expect(invalidations).toEqual([['/*']]);
    expect((await fetch(removed.url)).status).toBe(410);
  });

  it('when CloudFront is busy, says the pages were re-rendered and how to invalidate by hand, instead of failing as if nothing was done', async () => {
    const { url } = (await (await runtime.publish(wireSubmission({ withPhoto: false, headline: 'Rendered while CloudFront is busy' }))).json()) as { url: string };
    const s3 = createS3Client();
    const dynamodb = createDynamoDbClient();
    const path = new URL(url).pathname;
    await s3.send(new PutObjectCommand({ Bucket: runtime.siteBucket, Key: pageKey(path), Body: 'stale template', ContentType: 'text/html; charset=utf-8' }));
    const busy = Object.assign(new Error('Your request contains too many invalidations.'), { name: 'TooManyInvalidationsInProgress' });

    const failure = await rerenderArticles({
      listings: new DynamoDbListingStore(dynamodb, runtime.tableName),
      articles: new DynamoDbArticleStore(dynamodb, runtime.tableName),
      site: new S3SiteStore(s3, runtime.siteBucket),
      cdn: { invalidate: async () => Promise.reject(busy) },
      urls: { publicBaseUrl: runtime.baseUrl },
      logger: createLogger({}, 'error'),
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RerenderedNotInvalidatedError);
    const { pages, message, cause } = failure as RerenderedNotInvalidatedError;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(message).toContain('TooManyInvalidationsInProgress');
    expect(cause).toBe(busy);
    const body = await (await s3.send(new GetObjectCommand({ Bucket: runtime.siteBucket, Key: pageKey(path) }))).Body!.transformToString();
    expect(body).toMatch(/^<!doctype html>/i);
    expect(invalidateByHand('E2EXAMPLE')).toContain("aws cloudfront create-invalidation --distribution-id E2EXAMPLE --paths '/*'");
  });
});
