import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireSubmission } from '../support/fixtures.js';
import { cameraJpeg } from '../support/photos.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

interface Answer {
  id: string;
  version: number;
  status: string;
  url?: string;
  shortUrl?: string;
  previewUrl?: string;
}

let runtime: TestRuntime;
let reporter: string;
let otherReporter: string;

beforeAll(async () => {
  runtime = await startTestRuntime({ scheduleSweepMs: 1_000 });
  reporter = await runtime.newKey('Rita Reporter', 'reporter');
  otherReporter = await runtime.newKey('Omar Other', 'reporter');
});
afterAll(async () => {
  await runtime?.stop();
});

const call = (on: TestRuntime, ...request: Parameters<TestRuntime['call']>) => on.call(...request);

async function ok(response: Promise<Response>, status = 200): Promise<Answer> {
  const answer = await response;
  const text = await answer.text();
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${text}`);
  return JSON.parse(text) as Answer;
}

const submission = (headline: string, extra: Record<string, unknown> = {}) => ({ ...wireSubmission({ headline, withPhoto: false }), ...extra });

/** Every public place an article could show: home, its section, feeds, sitemaps. */
async function publicListings(on: TestRuntime): Promise<string> {
  const month = new Date().toISOString().slice(0, 7);
  const paths = ['/', '/world/', '/feed.xml', '/atom.xml', '/world/feed.xml', '/world/atom.xml', '/sitemap.xml', '/news-sitemap.xml', `/sitemaps/articles-${month}.xml`, '/tags/gaza/', '/authors/afp/'];
  return (await Promise.all(paths.map(async (p) => (await fetch(on.baseUrl + p)).text()))).join('\n');
}

describe('a draft', () => {
  it('is invisible except through its preview, which is private, never indexed and never cached', async () => {
    const draft = await ok(call(runtime, 'POST', '/articles', reporter, submission('Draft: Rafah crossing to reopen', { status: 'draft' })), 201);
    expect(draft).toMatchObject({ status: 'draft', version: 1 });
    expect(draft.url).toBeUndefined();
    expect(draft.shortUrl).toBeUndefined();
    expect(draft.previewUrl).toMatch(new RegExp(`^${runtime.baseUrl}/api/preview/${draft.id}\\.[A-Za-z0-9_-]{22}$`));

    const preview = await fetch(draft.previewUrl!);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('x-robots-tag')).toContain('noindex');
    expect(preview.headers.get('cache-control')).toBe('private, no-store');
    expect(await preview.text()).toContain('<h1>Draft: Rafah crossing to reopen</h1>');
    expect(await publicListings(runtime)).not.toContain('Rafah crossing');
    // A guessed or altered secret shows nothing.
    expect((await fetch(draft.previewUrl!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).status).toBe(404);
  });

  it('can be changed with If-Match like a published article, and published later, claiming its URL then', async () => {
    const draft = await ok(call(runtime, 'POST', '/articles', reporter, submission('Draft to change', { status: 'draft' })), 201);
    const changed = await ok(call(runtime, 'PUT', `/articles/${draft.id}`, reporter, submission('Draft changed before publishing'), { 'if-match': '"1"' }));
    expect(changed).toMatchObject({ status: 'draft', version: 2 });
    expect((await call(runtime, 'POST', `/articles/${draft.id}/publish`, reporter, undefined, { 'if-match': '"1"' })).status).toBe(412);

    const published = await ok(call(runtime, 'POST', `/articles/${draft.id}/publish`, reporter, undefined, { 'if-match': '"2"' }));
    expect(published).toMatchObject({ status: 'published', version: 3 });
    expect(published.url).toMatch(/\/world\/\d{4}\/\d{2}\/\d{2}\/draft-changed-before-publishing\/$/);
    expect(published.previewUrl).toBeUndefined();
    expect((await fetch(published.url!)).status).toBe(200);
    expect((await fetch(published.shortUrl!, { redirect: 'manual' })).headers.get('location')).toBe(published.url);
    expect(await (await fetch(`${runtime.baseUrl}/feed.xml`)).text()).toContain('Draft changed before publishing');
    // The preview ends with publication.
    expect((await fetch(changed.previewUrl!)).status).toBe(404);
  });

  it('has a preview that can be revoked, and a new one issued', async () => {
    const draft = await ok(call(runtime, 'POST', '/articles', reporter, submission('Leaky preview', { status: 'draft' })), 201);
    const revoked = await ok(call(runtime, 'DELETE', `/articles/${draft.id}/preview`, reporter));
    expect(revoked.previewUrl).toBeUndefined();
    expect((await fetch(draft.previewUrl!)).status).toBe(404);
    const reissued = await ok(call(runtime, 'POST', `/articles/${draft.id}/preview`, reporter));
    expect(reissued.previewUrl).not.toBe(draft.previewUrl);
    expect((await fetch(reissued.previewUrl!)).status).toBe(200);
  });
});

describe('an embargo', () => {
  it('is invisible everywhere until its time, then live within a minute with no request', async () => {
    const at = new Date(Date.now() + 4_000).toISOString();
    const scheduled = await ok(call(runtime, 'POST', '/articles', reporter, submission('Embargoed: ceasefire terms agreed', { publishedAt: at, tags: ['Gaza'] })), 201);
    expect(scheduled).toMatchObject({ status: 'scheduled' });
    expect(scheduled.url).toMatch(/embargoed-ceasefire-terms-agreed\/$/);
    expect(scheduled.previewUrl).toBeDefined();
    expect((await fetch(scheduled.url!)).status).toBe(404);
    expect((await fetch(scheduled.url!.replace(/\/$/, ''), { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(scheduled.shortUrl!, { redirect: 'manual' })).status).toBe(404);
    expect(await publicListings(runtime)).not.toContain('ceasefire terms agreed');

    let live = false;
    for (let waited = 0; !live && waited < 60_000; waited += 500) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      live = (await fetch(scheduled.url!)).status === 200;
    }
    expect(live).toBe(true);
    expect((await fetch(scheduled.shortUrl!, { redirect: 'manual' })).headers.get('location')).toBe(scheduled.url);
    expect(await publicListings(runtime)).toContain('Embargoed: ceasefire terms agreed');
    const article = (await (await call(runtime, 'GET', `/articles/${scheduled.id}`, reporter)).json()) as { status: string; publishedAt: string; updatedAt: string };
    // It goes out at its time, never before, and carries that time.
    expect(article).toMatchObject({ status: 'published', publishedAt: at, updatedAt: at });
  });

  it('names its photo nowhere public until its time: the renditions are reached only by their random URLs', async () => {
    const photo = await runtime.uploadPhoto(await cameraJpeg(800, 600), { apiKey: reporter });
    const at = new Date(Date.now() + 3_000).toISOString();
    const leadImage = { mediaId: photo.id, alt: 'Rubble', caption: 'Khan Yunis.', credit: 'AFP' };
    const scheduled = await ok(call(runtime, 'POST', '/articles', reporter, submission('Embargoed with a photo', { publishedAt: at, leadImage })), 201);
    expect(await publicListings(runtime)).not.toContain(photo.id);
    expect(await (await fetch(scheduled.url!)).text()).not.toContain(photo.id);

    let page = '';
    for (let waited = 0; !page.includes(photo.id) && waited < 60_000; waited += 500) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      page = await (await fetch(scheduled.url!)).text();
    }
    expect(page).toContain(`/media/${photo.id}/`);
  });

  it('still back-dates when the time is in the past', async () => {
    const at = '2026-01-02T03:04:05.000Z';
    const published = await ok(call(runtime, 'POST', '/articles', reporter, submission('Back-dated wire copy', { publishedAt: at })), 201);
    expect(published).toMatchObject({ status: 'published' });
    expect(published.url).toContain('/world/2026/01/02/');
  });
});

describe('revisions', () => {
  it('keeps every version, with who and when, and returns any one of them whole', async () => {
    const first = await ok(call(runtime, 'POST', '/articles', reporter, submission('Versions kept')), 201);
    const long = 'A paragraph of a very long feature. '.repeat(2_700).slice(0, 99_000);
    await ok(call(runtime, 'PUT', `/articles/${first.id}`, reporter, submission('Versions kept', { body: long }), { 'if-match': '1' }));
    await ok(call(runtime, 'PUT', `/articles/${first.id}`, runtime.apiKey, submission('Versions kept', { body: long + ' More.', correction: 'A name was misspelt.' }), { 'if-match': '2' }));

    const { revisions } = (await (await call(runtime, 'GET', `/articles/${first.id}/revisions`, reporter)).json()) as { revisions: Array<Record<string, unknown>> };
    expect(revisions.map((r) => [r.version, r.kind, (r.by as { name: string }).name])).toEqual([
      [1, 'published', 'Rita Reporter'],
      [2, 'updated', 'Rita Reporter'],
      [3, 'corrected', 'Local editor'],
    ]);
    expect(revisions[2]).toMatchObject({ note: 'A name was misspelt.' });
    for (const r of revisions) expect(Date.parse(String(r.at))).not.toBeNaN();

    const second = (await (await call(runtime, 'GET', `/articles/${first.id}/revisions/2`, reporter)).json()) as { body: string; version: number };
    expect(second).toMatchObject({ version: 2, body: long });
    expect((await call(runtime, 'GET', `/articles/${first.id}/revisions/9`, reporter)).status).toBe(404);
    expect((await call(runtime, 'GET', `/articles/${first.id}/revisions`, otherReporter)).status).toBe(403);
  });
});

describe("the newsroom's listing", () => {
  it('pages through articles newest first by status; a reporter sees only their own', async () => {
    const mine = [];
    for (const headline of ['Desk one', 'Desk two', 'Desk three']) mine.push(await ok(call(runtime, 'POST', '/articles', otherReporter, submission(headline, { status: 'draft' })), 201));
    const page1 = (await (await call(runtime, 'GET', '/articles?status=draft&limit=2', otherReporter)).json()) as { articles: Array<Record<string, unknown>>; nextCursor?: string };
    expect(page1.articles.map((a) => a.headline)).toEqual(['Desk three', 'Desk two']);
    expect(page1.articles[0]).toMatchObject({ status: 'draft', id: mine[2]!.id, previewUrl: mine[2]!.previewUrl, createdBy: { name: 'Omar Other' } });
    const page2 = (await (await call(runtime, 'GET', `/articles?status=draft&limit=2&cursor=${page1.nextCursor}`, otherReporter)).json()) as { articles: Array<Record<string, unknown>> };
    expect(page2.articles.map((a) => a.headline)).toEqual(['Desk one']);

    // Rita's drafts are not Omar's; an editor sees everyone's.
    const ritas = (await (await call(runtime, 'GET', '/articles?status=draft', reporter)).json()) as { articles: Array<Record<string, unknown>> };
    expect(ritas.articles.map((a) => a.headline)).not.toContain('Desk one');
    const all = (await (await call(runtime, 'GET', '/articles?status=draft&limit=100', runtime.apiKey)).json()) as { articles: Array<Record<string, unknown>> };
    expect(all.articles.map((a) => a.headline)).toEqual(expect.arrayContaining(['Desk one', 'Leaky preview']));
    const editorsOwn = (await (await call(runtime, 'GET', '/articles?mine=true', runtime.apiKey)).json()) as { articles: unknown[] };
    expect(editorsOwn.articles).toEqual([]);
  });

  it('refuses an unknown status or cursor, naming the field', async () => {
    const bad = await call(runtime, 'GET', '/articles?status=live', reporter);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: unknown[] } }).error.fields).toEqual([expect.objectContaining({ path: 'status', rule: 'enum' })]);
    const cursor = await call(runtime, 'GET', '/articles?cursor=nonsense', reporter);
    expect(cursor.status).toBe(400);
    expect(((await cursor.json()) as { error: { fields: unknown[] } }).error.fields).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });
});
