import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../shared/article/article.js';
import { listingSlug } from '../../shared/article/listing-slug.js';
import { articlePath } from '../../shared/article/slug.js';
import { createDynamoDbClient, createS3Client } from '../../shared/storage/clients.js';
import { DynamoDbArticleStore } from '../../shared/storage/dynamodb-article-store.js';
import { DynamoDbListingStore } from '../../shared/storage/dynamodb-listing-store.js';
import { lists } from '../../shared/storage/table-layout.js';
import { ARABIC_SUBMISSION, writeRemovedArticle } from '../e2e/support/reader-site.js';
import { validateXmlAgainstSchema } from '../e2e/support/tools.js';
import { photo, wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type Published, type TestRuntime } from '../support/local-runtime.js';

const SCHEMAS = new URL('../fixtures/schemas/', import.meta.url).pathname;
const HOUR = 3600_000;

let runtime: TestRuntime;
let base: string;
let scratch: string;
let wire: Published;
let arabic: Published;
let lastDay: Published;
let threeDaysOld: Published;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Repeatable elements always as arrays; Atom's <link> repeats, RSS's does not.
  isArray: (name, path) => ['item', 'entry', 'url', 'sitemap', 'category'].includes(name) || (name === 'link' && String(path).startsWith('feed.')),
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(path.startsWith('http') ? path : base + path, init);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Paths of the teasers on an index page, in page order. */
async function teaserPaths(path: string): Promise<string[]> {
  const { body } = await get(path);
  const list = /<ol class="teasers">([\s\S]*?)<\/ol>/.exec(body)?.[1] ?? '';
  return [...list.matchAll(/<h2><a href="([^"]+)">/g)].map((m) => m[1]!);
}

const pathOf = (url: string) => new URL(url).pathname;

/** A GET whose body comes back as sent: fetch would undo a Content-Encoding before the test could see it. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

interface RssItem {
  title: string;
  link: string;
  guid: { '#text': string; '@isPermaLink': string };
  pubDate: string;
}
interface AtomEntry {
  id: string;
  title: { '#text': string; '@type': string };
  link: Array<{ '@href': string; '@rel': string }>;
  published: string;
  updated: string;
}

async function rssItems(path: string): Promise<RssItem[]> {
  const { body } = await get(path);
  return (parser.parse(body) as { rss: { channel: { item?: RssItem[] } } }).rss.channel.item ?? [];
}

async function atomEntries(path: string): Promise<AtomEntry[]> {
  const { body } = await get(path);
  return (parser.parse(body) as { feed: { entry?: AtomEntry[] } }).feed.entry ?? [];
}

async function sitemapUrls(path: string): Promise<string[]> {
  const { body } = await get(path);
  return ((parser.parse(body) as { urlset: { url?: Array<{ loc: string }> } }).urlset.url ?? []).map((u) => u.loc);
}

async function schemaVerdict(path: string, schema: string): Promise<{ valid: boolean; messages: string }> {
  const file = join(scratch, `${randomUUID()}.xml`);
  writeFileSync(file, (await get(path)).body);
  return validateXmlAgainstSchema(file, `${SCHEMAS}${schema}`);
}

/** `2024-04` from `…/world/2024/04/07/slug/`: the month an article was dated, whatever the clock says now. */
const monthOfUrl = (url: string) => /\/(\d{4})\/(\d{2})\/\d{2}\/[^/]+\/$/.exec(url)!.slice(1, 3).join('-');

beforeAll(async () => {
  runtime = await startTestRuntime();
  base = runtime.baseUrl;
  scratch = mkdtempSync(join(tmpdir(), 'pressline-pages-'));
  threeDaysOld = await runtime.publishOk({
    headline: 'Ceasefire talks open in Cairo',
    section: 'world',
    byline: 'AFP',
    tags: ['Egypt'],
    body: 'Delegations arrived.',
    publishedAt: new Date(Date.now() - 72 * HOUR).toISOString(),
  });
  lastDay = await runtime.publishOk({
    headline: 'Aid convoys wait at the Rafah crossing',
    section: 'world',
    body: 'Trucks queued.',
    publishedAt: new Date(Date.now() - 47 * HOUR).toISOString(),
  });
  arabic = await runtime.publishOk(ARABIC_SUBMISSION);
  wire = await runtime.publishOk(wireSubmission());
});

afterAll(async () => {
  await runtime?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('publishing a new article', () => {
  it('shows it first on the home page and its section page, and in the feeds and sitemaps', async () => {
    const fresh = await runtime.publishOk({ headline: 'Breaking: talks resume in Doha', section: 'world', byline: 'AFP', tags: ['Qatar'], body: 'Talks resumed.' });
    const path = pathOf(fresh.url);

    expect((await teaserPaths('/'))[0]).toBe(path);
    expect((await teaserPaths('/world/'))[0]).toBe(path);
    expect((await teaserPaths('/tags/qatar/'))[0]).toBe(path);
    expect((await teaserPaths('/authors/afp/'))[0]).toBe(path);
    for (const feed of ['/feed.xml', '/world/feed.xml']) expect((await rssItems(feed))[0]?.link, feed).toBe(fresh.url);
    for (const feed of ['/atom.xml', '/world/atom.xml']) expect((await atomEntries(feed))[0]?.link[0]?.['@href'], feed).toBe(fresh.url);
    expect((await sitemapUrls('/news-sitemap.xml'))[0]).toBe(fresh.url);
    expect(await sitemapUrls(`/sitemaps/articles-${monthOfUrl(fresh.url)}.xml`)).toContain(fresh.url);
  });
});

describe('index pages, feeds and sitemaps over HTTP', () => {
  it.each([
    ['/', 'text/html; charset=utf-8'],
    ['/world/', 'text/html; charset=utf-8'],
    ['/tags/gaza/', 'text/html; charset=utf-8'],
    ['/authors/afp/', 'text/html; charset=utf-8'],
    ['/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/world/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/tags/gaza/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/world/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/sitemap.xml', 'application/xml; charset=utf-8'],
    ['/news-sitemap.xml', 'application/xml; charset=utf-8'],
    ['/robots.txt', 'text/plain; charset=utf-8'],
  ])('%s answers 200 as %s, cached for a minute', async (path, contentType) => {
    const { status, headers } = await get(path);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe(contentType);
    expect(headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('serves HTML pages with the strict Content-Security-Policy', async () => {
    for (const path of ['/', '/world/', '/no/such/page']) {
      const { headers } = await get(path);
      expect(headers.get('content-security-policy'), path).toMatch(/^default-src 'none'; img-src 'self'; style-src 'sha256-/);
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('treats /<path>/index.html, as CloudFront forwards it, like /<path>/', async () => {
    expect(await teaserPaths('/world/index.html')).toEqual(await teaserPaths('/world/'));
    expect(await teaserPaths('/index.html')).toEqual(await teaserPaths('/'));
  });

  it('lists the Arabic article on its Arabic tag and author pages, right to left in an English page', async () => {
    const tag = await get(`/tags/${encodeURIComponent(listingSlug('غزة'))}/`);
    expect(tag.status).toBe(200);
    expect(tag.body).toContain('<h1>غزة</h1>');
    expect(tag.body).toContain(`<li lang="ar" dir="rtl"><article>\n<h2><a href="${pathOf(arabic.url)}">`);
    expect(await teaserPaths(`/authors/${encodeURIComponent(listingSlug('أ ف ب'))}/`)).toEqual([pathOf(arabic.url)]);
  });

  it('answers the favicon browsers ask for with a PNG cached for a week', async () => {
    const response = await fetch(`${base}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=604800');
    expect(Buffer.from(await response.arrayBuffer()).subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('points robots at the sitemap index', async () => {
    expect((await get('/robots.txt')).body).toContain(`Sitemap: ${base}/sitemap.xml`);
  });
});

describe('compression, as CloudFront compresses', () => {
  it('sends an article page Brotli-compressed to a viewer that accepts br, and it decodes to the same HTML', async () => {
    const identity = await rawGet(wire.url, {});
    const br = await rawGet(wire.url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(identity.body.length);
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(identity.body.toString('utf8'));
  });

  it('sends gzip to a viewer that does not accept br', async () => {
    const identity = await rawGet(wire.url, {});
    const gzip = await rawGet(wire.url, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString('utf8')).toBe(identity.body.toString('utf8'));
  });

  it('leaves a response under 1,000 bytes uncompressed', async () => {
    const robots = await rawGet(`${base}/robots.txt`, { 'accept-encoding': 'br' });
    expect(robots.status).toBe(200);
    expect(robots.body.length).toBeLessThan(1_000);
    expect(robots.headers['content-encoding']).toBeUndefined();
    expect(robots.body.toString('utf8')).toContain('Sitemap:');
  });

  it('leaves a photo uncompressed, byte for byte', async () => {
    const jpeg = photo('progressive.jpg');
    const key = `media/${randomUUID()}/photo.jpg`;
    const s3 = createS3Client();
    await s3.send(new PutObjectCommand({ Bucket: runtime.mediaBucket, Key: key, Body: jpeg, ContentType: 'image/jpeg' }));
    s3.destroy();
    const response = await rawGet(`${base}/${key}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(response.status).toBe(200);
    expect(jpeg.length).toBeGreaterThan(1_000);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.equals(jpeg)).toBe(true);
  });
});

describe('pagination', () => {
  const TOTAL = 45;
  let expected: string[];

  beforeAll(async () => {
    // Entries written straight through the store: 45 publishes over HTTP would only slow the suite.
    const client = createDynamoDbClient();
    const store = new DynamoDbArticleStore(client, runtime.tableName);
    const start = Date.now() - 10 * 24 * HOUR;
    const written: Array<{ path: string; publishedAt: string }> = [];
    for (let i = 0; i < TOTAL; i++) {
      const id = randomUUID();
      const publishedAt = new Date(start + i * 60_000).toISOString();
      const path = articlePath('markets', new Date(publishedAt), `market-report-${i}`);
      const article: Article = {
        id, version: 1, status: 'published', path, shortCode: 'mkt2345', headline: `Market report ${i}`, section: 'markets', language: 'en', tags: [],
        body: 'Shares rose.', publishedAt, updatedAt: publishedAt, createdBy: { keyId: 'test', name: 'Test', role: 'editor' },
      };
      await store.putArticle(article, [lists.section('markets')]);
      written.push({ path, publishedAt });
    }
    client.destroy();
    expected = written.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)).map((w) => w.path);
  });

  it('shows 20 articles a page, newest first, across /page/N/ paths, with no repeats', async () => {
    const pages = [await teaserPaths('/markets/'), await teaserPaths('/markets/page/2/'), await teaserPaths('/markets/page/3/')];
    expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
    expect(pages.flat()).toEqual(expected);
  });

  it('links each page to its neighbours', async () => {
    const first = (await get('/markets/')).body;
    const middle = (await get('/markets/page/2/')).body;
    const last = (await get('/markets/page/3/')).body;
    expect(first).toContain('<a rel="next" href="/markets/page/2/">Older articles</a>');
    expect(first).not.toContain('rel="prev"');
    expect(middle).toContain('<a rel="prev" href="/markets/">Newer articles</a>');
    expect(middle).toContain('<a rel="next" href="/markets/page/3/">Older articles</a>');
    expect(last).toContain('<a rel="prev" href="/markets/page/2/">Newer articles</a>');
    expect(last).not.toContain('rel="next"');
    expect(middle).toContain(`<link rel="canonical" href="${base}/markets/page/2/">`);
  });

  it('answers 404 past the last page and sends /page/1/ to the listing itself', async () => {
    expect((await get('/markets/page/4/')).status).toBe(404);
    const one = await get('/markets/page/1/', { redirect: 'manual' });
    expect(one.status).toBe(301);
    expect(one.headers.get('location')).toBe('/markets/');
  });
});

describe('the DynamoDB listing store', () => {
  const LIST = lists.section('archive');
  let store: DynamoDbListingStore;
  let client: ReturnType<typeof createDynamoDbClient>;

  beforeAll(async () => {
    client = createDynamoDbClient();
    store = new DynamoDbListingStore(client, runtime.tableName);
    const articles = new DynamoDbArticleStore(client, runtime.tableName);
    for (const publishedAt of ['2023-11-30T23:59:59.000Z', '2024-01-01T00:00:00.000Z', '2024-01-15T08:00:00.000Z', '2024-02-29T12:00:00.000Z']) {
      const id = randomUUID();
      const path = articlePath('archive', new Date(publishedAt), `archive-${id.slice(0, 8)}`);
      await articles.putArticle(
        { id, version: 1, status: 'published', path, shortCode: 'arc2345', headline: `Archive ${publishedAt}`, section: 'archive', language: 'en', tags: [], body: 'Old.', publishedAt, updatedAt: publishedAt, createdBy: { keyId: 'test', name: 'Test', role: 'editor' } },
        [LIST],
      );
    }
  });
  afterAll(() => client?.destroy());

  it('finds the months that have entries, newest first, one small query per month', async () => {
    expect(await store.months(LIST)).toEqual(['2024-02', '2024-01', '2023-11']);
    expect(await store.months(lists.section('never-written'))).toEqual([]);
  });

  it('reads one month, entries published since a moment, and a page at an offset', async () => {
    expect((await store.publishedInMonth(LIST, '2024-01', 100)).map((a) => a.publishedAt)).toEqual(['2024-01-15T08:00:00.000Z', '2024-01-01T00:00:00.000Z']);
    expect((await store.publishedSince(LIST, '2024-01-01T00:00:00.000Z', 100)).map((a) => a.publishedAt)).toEqual(['2024-02-29T12:00:00.000Z', '2024-01-15T08:00:00.000Z', '2024-01-01T00:00:00.000Z']);
    expect((await store.publishedSince(LIST, '2023-01-01T00:00:00.000Z', 1)).map((a) => a.publishedAt)).toEqual(['2024-02-29T12:00:00.000Z']);
    expect((await store.newest(LIST, { offset: 2, limit: 5 })).map((a) => a.publishedAt)).toEqual(['2024-01-01T00:00:00.000Z', '2023-11-30T23:59:59.000Z']);
    expect(await store.newest(LIST, { offset: 4, limit: 5 })).toEqual([]);
    expect(await store.newest(LIST, { offset: 9, limit: 5 })).toEqual([]);
  });

  it('returns summaries without the table keys', async () => {
    const [entry] = await store.newest(LIST, { offset: 0, limit: 1 });
    expect(Object.keys(entry!).sort()).toEqual(['headline', 'id', 'language', 'path', 'publishedAt', 'section', 'tags', 'updatedAt']);
  });
});

describe('feeds', () => {
  it('parse as RSS 2.0 with a title, link, date and permanent id for every item', async () => {
    const { body } = await get('/feed.xml');
    const rss = (parser.parse(body) as { rss: { '@version': string; channel: { title: string; link: string; description: string; item: RssItem[] } } }).rss;
    expect(rss['@version']).toBe('2.0');
    expect(rss.channel.title).toBe('Pressline');
    expect(rss.channel.link).toBe(`${base}/`);
    expect(rss.channel.description).not.toBe('');
    expect(rss.channel.item.length).toBeGreaterThanOrEqual(4);
    for (const item of rss.channel.item) {
      expect(item.title).not.toBe('');
      expect(item.link).toMatch(new RegExp(`^${base}/[a-z0-9-]+/\\d{4}/\\d{2}/\\d{2}/[^/]+/$`));
      expect(item.guid['#text']).toBe(item.link);
      expect(new Date(item.pubDate).toUTCString()).toBe(item.pubDate);
    }
  });

  it('parse as Atom with an id, title, link and dates for every entry', async () => {
    const { body } = await get('/world/atom.xml');
    const feed = (parser.parse(body) as { feed: { '@xmlns': string; id: string; title: { '#text': string }; updated: string; entry: AtomEntry[] } }).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(`${base}/world/`);
    expect(feed.title['#text']).toBe('World | Pressline');
    expect(Number.isNaN(Date.parse(feed.updated))).toBe(false);
    expect(feed.entry.length).toBeGreaterThanOrEqual(4);
    for (const entry of feed.entry) {
      expect(entry.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(entry.title['#text']).not.toBe('');
      expect(entry.title['@type']).toBe('text');
      expect(entry.link[0]?.['@href']).toMatch(new RegExp(`^${base}/world/`));
      expect(new Date(entry.published).toISOString()).toBe(entry.published);
      expect(new Date(entry.updated).toISOString()).toBe(entry.updated);
    }
  });

  it('carry a headline full of markup characters as plain text', async () => {
    const headline = 'Q&A: "<b>deal</b>" </script> ]]> & more';
    const published = await runtime.publishOk({ headline, section: 'world', body: 'Text.' });
    expect((await rssItems('/world/feed.xml')).find((i) => i.link === published.url)?.title).toBe(headline);
    expect((await atomEntries('/world/atom.xml')).find((e) => e.link[0]?.['@href'] === published.url)?.title['#text']).toBe(headline);
  });

  it('answer 404 for a section with no articles', async () => {
    expect((await get('/no-such-section/feed.xml')).status).toBe(404);
    expect((await get('/no-such-section/atom.xml')).status).toBe(404);
  });
});

describe('sitemaps', () => {
  it('index validates against the sitemaps.org schema and lists the news sitemap and a sitemap per month', async () => {
    const verdict = await schemaVerdict('/sitemap.xml', 'siteindex.xsd');
    expect(verdict.valid, verdict.messages).toBe(true);
    const { body } = await get('/sitemap.xml');
    const locations = (parser.parse(body) as { sitemapindex: { sitemap: Array<{ loc: string }> } }).sitemapindex.sitemap.map((s) => s.loc);
    expect(locations[0]).toBe(`${base}/news-sitemap.xml`);
    expect(locations).toContain(`${base}/sitemaps/articles-${monthOfUrl(wire.url)}.xml`);
    expect(locations).toContain(`${base}/sitemaps/articles-${monthOfUrl(threeDaysOld.url)}.xml`);
  });

  it('every article sitemap the index lists validates against the sitemaps.org schema', async () => {
    const { body } = await get('/sitemap.xml');
    const monthly = (parser.parse(body) as { sitemapindex: { sitemap: Array<{ loc: string }> } }).sitemapindex.sitemap.map((s) => s.loc).filter((l) => l.includes('/sitemaps/'));
    expect(monthly.length).toBeGreaterThan(0);
    for (const loc of monthly) {
      const verdict = await schemaVerdict(loc, 'sitemap.xsd');
      expect(verdict.valid, `${loc}: ${verdict.messages}`).toBe(true);
    }
  });

  it('the news sitemap validates against the sitemap and Google News schemas', async () => {
    const verdict = await schemaVerdict('/news-sitemap.xml', 'news-sitemap.xsd');
    expect(verdict.valid, verdict.messages).toBe(true);
  });

  it('the news sitemap holds only the last 48 hours; the month sitemaps hold everything', async () => {
    const news = await sitemapUrls('/news-sitemap.xml');
    expect(news).toContain(wire.url);
    expect(news).toContain(arabic.url);
    expect(news).toContain(lastDay.url);
    expect(news).not.toContain(threeDaysOld.url);
    const { body } = await get('/news-sitemap.xml');
    const dates = [...body.matchAll(/<news:publication_date>([^<]+)</g)].map((m) => Date.parse(m[1]!));
    for (const date of dates) expect(Date.now() - date).toBeLessThanOrEqual(48 * HOUR);
    expect(await sitemapUrls(`/sitemaps/articles-${monthOfUrl(threeDaysOld.url)}.xml`)).toContain(threeDaysOld.url);
  });

  it('gives the Arabic article its language in the news sitemap', async () => {
    const { body } = await get('/news-sitemap.xml');
    const entry = body.split('<url>').find((u) => u.includes(arabic.url));
    expect(entry).toContain('<news:language>ar</news:language>');
  });

  it('answers 404 for a month with no articles', async () => {
    expect((await get('/sitemaps/articles-1999-01.xml')).status).toBe(404);
  });
});

describe('404, 410 and redirects', () => {
  it.each(['/no/such/page', '/no-such-section/', '/no-such-section', '/tags/never-used/', '/authors/nobody/', '/page/99/', '/world/page/51/', '/world/2024/13/45/nothing/', '/sitemaps/whatever.xml'])(
    '%s answers 404 with the HTML 404 page',
    async (path) => {
      const { status, headers, body } = await get(path, { redirect: 'manual' });
      expect(status).toBe(404);
      expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(body).toContain('<h1>Page not found</h1>');
    },
  );

  it('answers 410 for a removed article, at its path and at its index.html', async () => {
    const removed = await writeRemovedArticle(runtime);
    for (const url of [removed, `${removed}index.html`]) {
      const { status, headers, body } = await get(url);
      expect(status, url).toBe(410);
      expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(body).toContain('<h1>This article has been removed</h1>');
    }
  });

  it('removes a taken-down article from every listing, feed and sitemap, and its page answers 410', async () => {
    const doomed = await runtime.publishOk({ headline: 'Article under legal challenge', section: 'world', byline: 'AFP', tags: ['Gaza'], body: 'Text.' });
    expect((await teaserPaths('/'))[0]).toBe(pathOf(doomed.url));
    const response = await fetch(`${runtime.apiUrl}/articles/${doomed.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${runtime.apiKey}` } });
    expect(response.status).toBe(200);

    expect((await get(doomed.url)).status).toBe(410);
    for (const path of ['/', '/world/', '/tags/gaza/', '/authors/afp/']) expect(await teaserPaths(path), path).not.toContain(pathOf(doomed.url));
    expect((await rssItems('/feed.xml')).map((i) => i.link)).not.toContain(doomed.url);
    expect((await atomEntries('/world/atom.xml')).map((e) => e.link[0]?.['@href'])).not.toContain(doomed.url);
    expect(await sitemapUrls('/news-sitemap.xml')).not.toContain(doomed.url);
    expect(await sitemapUrls(`/sitemaps/articles-${monthOfUrl(doomed.url)}.xml`)).not.toContain(doomed.url);
  });

  it.each([
    ['/world', '/world/'],
    ['/tags/Gaza/', '/tags/gaza/'],
    ['/tags/gaza', '/tags/gaza/'],
  ])('redirects %s to %s', async (path, location) => {
    const { status, headers } = await get(path, { redirect: 'manual' });
    expect(status).toBe(301);
    expect(headers.get('location')).toBe(location);
  });

  it('publishes a byline whose slug is cut inside a surrogate pair, and answers its tag and author pages without a 5xx', async () => {
    // Arabic, then cuneiform signs (two UTF-16 units each): the 80-unit slug limit falls inside a pair.
    const name = 'غزة' + '𒀀𒀁𒀂𒀃𒀄𒀅𒀆'.repeat(6);
    const published = await runtime.publish({ headline: 'Tablets return to Baghdad', section: 'culture', byline: name, body: 'Text.' });
    expect(published.status).toBe(201);
    const { url } = (await published.json()) as Published;

    const author = await get(`/authors/${encodeURIComponent(name)}/`, { redirect: 'manual' });
    expect(author.status).toBe(301);
    expect(await teaserPaths(author.headers.get('location')!)).toEqual([pathOf(url)]);
    const tag = await get(`/tags/${encodeURIComponent(name)}/`, { redirect: 'manual' });
    expect(tag.status).toBe(301);
    expect((await get(tag.headers.get('location')!)).status).toBe(404);
  });

  it('redirects an article path missing its final slash to the article', async () => {
    const { status, headers } = await get(wire.url.replace(/\/$/, ''), { redirect: 'manual' });
    expect(status).toBe(301);
    expect(headers.get('location')).toBe(pathOf(wire.url));
  });
});
