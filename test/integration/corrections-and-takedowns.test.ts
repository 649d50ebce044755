import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { TABLE_KEYS } from '../../shared/storage/table-layout.js';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type Published, type TestRuntime } from '../support/local-runtime.js';

let runtime: TestRuntime;
let reporterA: string;
let reporterB: string;
let editor: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  reporterA = await runtime.newKey('Reporter A', 'reporter');
  reporterB = await runtime.newKey('Reporter B', 'reporter');
  editor = runtime.apiKey;
});
afterAll(async () => {
  await runtime?.stop();
});

const call: TestRuntime['call'] = (...request) => runtime.call(...request);

async function publishAs(key: string, headline: string): Promise<Published> {
  const response = await call('POST', '/articles', key, wireSubmission({ headline }));
  expect(response.status).toBe(201);
  return (await response.json()) as Published;
}

async function listEntries(list: string): Promise<string[]> {
  const result = await createDynamoDbClient().send(
    new QueryCommand({
      TableName: runtime.tableName,
      IndexName: TABLE_KEYS.listIndex,
      KeyConditionExpression: '#pk = :list',
      ExpressionAttributeNames: { '#pk': TABLE_KEYS.listPartitionKey },
      ExpressionAttributeValues: { ':list': { S: list } },
    }),
  );
  return (result.Items ?? []).map((item) => item.headline?.S ?? '');
}

describe('correcting an article', () => {
  it('replaces the text, keeps the URL, short link and photo, and bumps the version', async () => {
    const original = await publishAs(reporterA, 'Cairo talks make progress');
    const response = await call('PUT', `/articles/${original.id}`, reporterA, { ...wireSubmission({ headline: 'Cairo talks make significant progress' }), leadImage: undefined }, { 'if-match': '"1"' });
    expect(response.status).toBe(200);
    const corrected = (await response.json()) as Published;
    expect(corrected).toEqual({ ...original, version: 2 });
    const page = await (await fetch(original.url)).text();
    expect(page).toContain('<h1>Cairo talks make significant progress</h1>');
    expect(page).toContain('<span class="credit" dir="auto">AFP</span>');
    expect(page).toContain(`Short link: <a href="${original.shortUrl}">`);
    expect(await listEntries('all')).toContain('Cairo talks make significant progress');
    expect(await listEntries('all')).not.toContain('Cairo talks make progress');
  });

  it('refuses a correction made against an old version', async () => {
    const original = await publishAs(reporterA, 'Version race');
    expect((await call('PUT', `/articles/${original.id}`, reporterA, wireSubmission({ headline: 'First fix' }), { 'if-match': '1' })).status).toBe(200);
    const late = await call('PUT', `/articles/${original.id}`, reporterA, wireSubmission({ headline: 'Second fix' }), { 'if-match': '1' });
    expect(late.status).toBe(412);
    expect(await (await fetch(original.url)).text()).toContain('<h1>First fix</h1>');
  });

  it('requires If-Match', async () => {
    const original = await publishAs(reporterA, 'No version given');
    expect((await call('PUT', `/articles/${original.id}`, reporterA, wireSubmission())).status).toBe(428);
  });

  it("keeps a reporter away from another reporter's article, but not an editor", async () => {
    const original = await publishAs(reporterA, 'Mine, not yours');
    expect((await call('PUT', `/articles/${original.id}`, reporterB, wireSubmission(), { 'if-match': '1' })).status).toBe(403);
    expect((await call('GET', `/articles/${original.id}`, reporterB)).status).toBe(403);
    expect((await call('PUT', `/articles/${original.id}`, editor, wireSubmission({ headline: 'Edited' }), { 'if-match': '1' })).status).toBe(200);
  });
});

describe('taking an article down', () => {
  it('is refused to a reporter', async () => {
    const original = await publishAs(reporterA, 'Reporter cannot remove');
    expect((await call('DELETE', `/articles/${original.id}`, reporterA)).status).toBe(403);
    expect((await fetch(original.url)).status).toBe(200);
  });

  it('removes the page, photo, listings and short link at once, keeping the URL claimed', async () => {
    const original = await publishAs(reporterA, 'Legal takedown');
    const article = (await (await call('GET', `/articles/${original.id}`, editor)).json()) as { leadImage: { mediaId: string; renditions: Array<{ key: string }> }; version: number };
    expect(article.leadImage.renditions.length).toBeGreaterThan(0);
    // Read twice first, so the local edge holds the redirect as CloudFront would.
    await fetch(original.shortUrl, { redirect: 'manual' });
    expect((await fetch(original.shortUrl, { redirect: 'manual' })).headers.get('x-cache')).toMatch(/^Hit/);
    const response = await call('DELETE', `/articles/${original.id}`, editor);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: original.id, status: 'removed', version: article.version + 1 });

    expect((await fetch(original.shortUrl, { redirect: 'manual' })).status).toBe(410);
    expect((await fetch(original.url)).status).toBe(410);
    // Every rendition and the private original: a legal takedown keeps no copy.
    for (const key of [...article.leadImage.renditions.map((r) => r.key), `uploads/${article.leadImage.mediaId}`]) {
      await expect(createS3Client().send(new GetObjectCommand({ Bucket: runtime.mediaBucket, Key: key }))).rejects.toBeInstanceOf(NoSuchKey);
    }
    for (const list of ['all', 'section#world', 'tag#gaza', 'author#afp']) expect(await listEntries(list)).not.toContain('Legal takedown');

    const again = await publishAs(reporterA, 'Legal takedown');
    expect(again.url).toBe(original.url.replace(/\/$/, '-2/'));
    expect((await call('DELETE', `/articles/${original.id}`, editor)).status).toBe(200);
  });
});
