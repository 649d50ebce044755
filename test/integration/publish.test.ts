import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/article/limits.js';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { keys } from '../../shared/storage/table-layout.js';
import { photo, WIRE_HEADLINE, wireParagraphs, wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type Published, type TestRuntime } from '../support/local-runtime.js';

let runtime: TestRuntime;
let dynamodb: ReturnType<typeof createDynamoDbClient>;
let s3: ReturnType<typeof createS3Client>;

beforeAll(async () => {
  runtime = await startTestRuntime();
  dynamodb = createDynamoDbClient();
  s3 = createS3Client();
});
afterAll(async () => {
  dynamodb?.destroy();
  s3?.destroy();
  await runtime?.stop();
});

/** Everything in the table and both buckets, to prove a refused request changed nothing. */
async function storageSnapshot(): Promise<string[]> {
  const items = await dynamodb.send(new ScanCommand({ TableName: runtime.tableName }));
  const objects = await Promise.all(
    [runtime.mediaBucket, runtime.siteBucket].map(async (bucket) => (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => `${bucket}/${o.Key}`) ?? []),
  );
  return [...(items.Items ?? []).map((i) => `${i.pk?.S}|${i.sk?.S}`), ...objects.flat()].sort();
}

describe('publishing the wire fixture', () => {
  let published: Published;
  let page: string;

  beforeAll(async () => {
    published = await runtime.publishOk(wireSubmission());
    const response = await fetch(published.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    page = await response.text();
  });

  it('answers with a readable, dated URL and a short link on the same origin', () => {
    expect(published.url).toMatch(new RegExp(`^${runtime.baseUrl}/world/\\d{4}/\\d{2}/\\d{2}/israel-pulls-troops-out-of-southern-gaza-as-cairo-truce-talks-make-significant/$`));
    expect(published.shortUrl).toMatch(new RegExp(`^${runtime.baseUrl}/s/[2-9a-z]{7}$`));
    expect(published.version).toBe(1);
  });

  it('shows the headline as the one h1', () => {
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('<h1>Israel pulls troops out of southern Gaza as Cairo truce talks make &quot;significant progress&quot;</h1>');
  });

  it('shows the photo in a figure whose caption marks the credit apart', () => {
    expect(page).toMatch(/<figure>\s*<picture><source type="image\/avif" srcset="\/media\/[^"]+\.avif 120w"[^>]*><source type="image\/webp"[^>]*><img src="\/media\/[^"]+\.jpg"[^>]* alt="A man stands by the rubble of a destroyed building" width="120" height="80"/);
    expect(page).toContain('<figcaption><span class="caption" dir="auto">A man stands by the rubble of a destroyed building in Khan Yunis on April 7, 2024 after Israel pulled its ground forces out of the southern Gaza Strip.</span> <span class="credit" dir="auto">AFP</span></figcaption>');
  });

  it('keeps "Cairo talks" as a heading and every paragraph and quotation intact', () => {
    expect(page).toContain('<h2>Cairo talks</h2>');
    const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    const text = page.replace(/&quot;/g, '"').replace(/&#39;/g, "'");
    for (const paragraph of wireParagraphs()) expect(text, escaped(paragraph)).toContain(paragraph);
  });

  it('ends with the short-link footer', () => {
    expect(page).toContain(`Short link: <a href="${published.shortUrl}">${published.shortUrl}</a>`);
  });

  it('serves the page with a strict Content-Security-Policy', async () => {
    const response = await fetch(published.url);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; img-src 'self'; style-src 'sha256-/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('redirects the short link permanently, with a cache lifetime', async () => {
    const response = await fetch(published.shortUrl, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(published.url);
    expect(response.headers.get('cache-control')).toMatch(/max-age=[1-9]\d*/);
  });

  it('treats a short link copied with a trailing slash or in capitals as the same link', async () => {
    for (const variant of [`${published.shortUrl}/`, published.shortUrl.replace(/\/s\/(\w+)$/, (_, code: string) => `/s/${code.toUpperCase()}`)]) {
      const response = await fetch(variant, { redirect: 'manual' });
      expect(response.status).toBe(301);
      expect(response.headers.get('location')).toBe(published.url);
    }
  });

  it('answers an unknown short code with a 404 HTML page', async () => {
    for (const code of ['zzzzzzz', 'not-a-code']) {
      const response = await fetch(`${runtime.baseUrl}/s/${code}`, { redirect: 'manual' });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('<h1>Page not found</h1>');
    }
  });

  it('stores the article item in DynamoDB and the photo, re-encoded without EXIF, in the media bucket', async () => {
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: runtime.tableName, Key: { pk: { S: keys.article(published.id).pk }, sk: { S: 'ARTICLE' } } }));
    const article = unmarshall(Item!);
    expect(article).toMatchObject({ headline: WIRE_HEADLINE, section: 'world', status: 'published', version: 1 });
    const renditions = article.leadImage.renditions as Array<{ key: string; format: string }>;
    expect(renditions.map((r) => r.format).sort()).toEqual(['avif', 'jpeg', 'webp']);
    for (const rendition of renditions) {
      const object = await s3.send(new GetObjectCommand({ Bucket: runtime.mediaBucket, Key: rendition.key }));
      expect(object.ContentType).toBe(`image/${rendition.format}`);
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      expect(bytes.includes('Exif')).toBe(false);
      expect(bytes.includes('secret source')).toBe(false);
    }
  });

  it('serves the photo under /media/ with a long immutable cache', async () => {
    const src = /<img src="([^"]+)"/.exec(page)![1]!;
    const response = await fetch(new URL(src, published.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('gives an identical headline a different URL and short link', async () => {
    const again = await runtime.publishOk(wireSubmission({ withPhoto: false }));
    expect(again.url).toBe(published.url.replace(/\/$/, '-2/'));
    expect(again.shortUrl).not.toBe(published.shortUrl);
    expect((await fetch(again.url)).status).toBe(200);
  });
});

describe('markup typed into text fields', () => {
  it('reaches the page as visible text, never as live markup', async () => {
    const attack = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const published = await runtime.publishOk({
      headline: `Headline ${attack}`,
      standfirst: `Standfirst ${attack}`,
      byline: `Byline ${attack}`,
      section: 'world',
      tags: ['<script>alert(5)</script>'],
      body: `Body ${attack} [click me](javascript:alert(3))\n\n<a href="javascript:alert(4)">raw link</a>`,
      leadImage: { data: photo('plain.png').toString('base64'), alt: `alt ${attack}`, caption: `caption ${attack}`, credit: `credit ${attack}` },
    });
    const page = await (await fetch(published.url)).text();
    expect(page).not.toMatch(/<script>alert|<img src=x|onerror=alert\(2\)>|href="javascript:/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    const jsonLd = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(page)![1]!;
    expect(JSON.parse(jsonLd).headline).toBe(`Headline ${attack}`);
  });
});

describe('refused submissions', () => {
  const key = () => ({ authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' });
  const valid = () => wireSubmission();
  const cases: Array<[string, () => { body: unknown; headers?: Record<string, string> }, number, { path: string; rule: string } | { code: string }]> = [
    ['no key', () => ({ body: valid(), headers: { 'content-type': 'application/json' } }), 401, { code: 'unauthenticated' }],
    ['a malformed key', () => ({ body: valid(), headers: { ...key(), authorization: 'Bearer nope' } }), 401, { code: 'unauthenticated' }],
    ['a wrong secret', () => ({ body: valid(), headers: { ...key(), authorization: `Bearer ${runtime.apiKey.split('.')[0]}.${'A'.repeat(43)}` } }), 401, { code: 'unauthenticated' }],
    ['malformed JSON', () => ({ body: '{"headline": ', headers: key() }), 400, { code: 'malformed_request' }],
    ['a body that is not JSON', () => ({ body: 'headline=x', headers: { ...key(), 'content-type': 'application/x-www-form-urlencoded' } }), 415, { code: 'unsupported_media_type' }],
    ['a missing headline', () => ({ body: { ...valid(), headline: undefined } }), 400, { path: 'headline', rule: 'required' }],
    ['an empty body', () => ({ body: { ...valid(), body: '' } }), 400, { path: 'body', rule: 'required' }],
    ['a body over the limit', () => ({ body: { ...valid(), body: 'x'.repeat(LIMITS.bodyChars + 1) } }), 400, { path: 'body', rule: 'max_length' }],
    ['a reserved section', () => ({ body: { ...valid(), section: 'api' } }), 400, { path: 'section', rule: 'reserved' }],
    [
      'a photo that is not an image',
      () => ({ body: { ...valid(), leadImage: { ...(valid().leadImage as object), data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64') } } }),
      400,
      { path: 'leadImage.data', rule: 'image_type' },
    ],
    ['a request over the size limit', () => ({ body: { ...valid(), body: 'x'.repeat(LIMITS.requestBytes) } }), 413, { code: 'payload_too_large' }],
  ];

  it.each(cases)('refuses %s with a 4xx naming the problem, leaving storage unchanged', async (_name, make, status, expected) => {
    const before = await storageSnapshot();
    const { body, headers } = make();
    const response = await runtime.publish(body, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { error } = (await response.json()) as { error: { code: string; message: string; fields: Array<{ path: string; rule: string; message: string }> } };
    expect(error.message.length).toBeGreaterThan(10);
    if ('code' in expected) expect(error.code).toBe(expected.code);
    else expect(error.fields).toContainEqual(expect.objectContaining(expected));
    expect(await storageSnapshot()).toEqual(before);
  });

  it('answers a path with a malformed percent-encoding with the 404 page, as CloudFront and S3 do', async () => {
    const response = await fetch(`${runtime.baseUrl}/world/%E0/`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('answers an unknown API route with a JSON 404', async () => {
    const response = await fetch(`${runtime.apiUrl}/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
